"""The UI tests' set-up: Pilot's wait for an idle app looks in slices of 5 ms, not 20 ms."""

from __future__ import annotations

import textual._wait

IDLE_SLICE = 1 / 200
"""Seconds of one look at whether the app is idle (Textual's default is 1/50).

``pilot.pause()`` sleeps in slices until the process spent less than a twentieth of
one on the processor, then refreshes the screen.  At 20 ms a slice, a walk through a
lesson spent 40 % of its time asleep after the app had gone idle; in 5 ms slices the
rule is as strict about what counts as idle and wakes sooner.  A slice is now shorter
than the screen's refresh period (1/60 s), so what waits for a refresh
(``call_after_refresh``) can still be pending when a pause ends: ``settle``
(``tests/ui/support.py``) waits until a round ends with nothing pending.
"""

assert hasattr(textual._wait, "SLEEP_GRANULARITY") and hasattr(textual._wait, "SLEEP_IDLE")
textual._wait.SLEEP_GRANULARITY = IDLE_SLICE
textual._wait.SLEEP_IDLE = IDLE_SLICE / 20
