"""Lesson scripts: the model of a lesson file, its parser, validator and catalog.

No Textual here: the UI renders these dataclasses.
"""
