"""Serving a class: sign-in, every learner apart, the teacher's report. No Textual imports."""
