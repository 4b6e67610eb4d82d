"""Widgets of our own used by the tutor's screens."""
