"""Quiz mode without Textual: question families, sessions, scheduling, plain mode and worksheets.

Every expected answer and every known wrong answer is computed by the engine
(:mod:`tutor.engine`); answers are read by :mod:`tutor.answers.parse` and graded by
:mod:`tutor.answers.grade`.
"""
