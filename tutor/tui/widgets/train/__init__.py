"""The train view and its knob fields."""
