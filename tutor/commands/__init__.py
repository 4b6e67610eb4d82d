"""The work behind each ``backprop-tutor`` command, imported on demand."""
