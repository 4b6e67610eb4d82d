"""Reading what a learner typed, grading it, and the one attempt machine."""
