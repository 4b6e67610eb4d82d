"""What the tutor says, built once and Textual-free: lines tagged with a role, never colours.

Every front end (the TUI, the plain terminal, the classroom's HTML report) takes its
words from here and only styles them.
"""
