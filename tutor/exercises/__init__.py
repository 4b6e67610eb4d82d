"""Code exercises: the learner writes backprop in a file, the engine checks it.

Kept free of imports so the child process that runs a learner's file
(:mod:`tutor.exercises.harness`) starts fast.
"""
