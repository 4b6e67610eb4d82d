"""The learner's data: where it lives and the saved progress (no Textual)."""
