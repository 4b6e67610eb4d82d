"""The UI tests' set-up: Pilot's wait for an idle app looks in slices of 5 ms, not 20 ms."""

from __future__ import annotations

import textual._wait

IDLE_SLICE = 1 / 200
"""Seconds of one look at whether the app is idle (Textual's default is 1/50).

``pilot.pause()`` (and so every ``settle``) sleeps in slices until the process spent
less than a twentieth of one on the processor: the app has handled every message and
has nothing left to do.  At 20 ms a slice, a walk through a lesson spent 40 % of its
time asleep after the app had gone idle; the same rule in 5 ms slices is as strict
about what counts as idle and wakes sooner.
"""

assert hasattr(textual._wait, "SLEEP_GRANULARITY") and hasattr(textual._wait, "SLEEP_IDLE")
textual._wait.SLEEP_GRANULARITY = IDLE_SLICE
textual._wait.SLEEP_IDLE = IDLE_SLICE / 20
