"""backprop-tutor: a terminal tutor that teaches backpropagation by doing it."""

__version__ = "0.1.0"
