"""Who is in the class right now: live sessions, starts under way and the queue (asyncio).

Provides :class:`Board` and :class:`Seat`.  A class server keeps one board.  A
learner's connection takes a seat; it waits in the queue until a session and a
start are both free (at most ``max_sessions`` live, ``max_starts`` starting at
once, since a start costs about a CPU-second), hearing its place as it moves.
A learner has one seat at a time: a new connection first ends the old one
(which saves and releases the learner's data directory), then takes its place
at the front of the queue.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal

Why = Literal["full", "starting"]
"""Why a seat waits: every session is taken, or as many tutors as allowed are starting."""


@dataclass(eq=False)
class Seat:
    """One connection of one learner: queued, starting, then live, until it is gone."""

    key: str
    end: Callable[[str], Awaitable[None]]
    """Ends this connection, telling its browser why (the board calls it on a takeover)."""
    takeover: bool = False
    gone: asyncio.Event = field(default_factory=asyncio.Event)


class Board:
    """The seats of one class, the queue, and the caps on sessions and starts."""

    def __init__(self, max_sessions: int, max_starts: int) -> None:
        if max_sessions < 1 or max_starts < 1:
            raise ValueError("a class needs room for at least one session and one start")
        self.max_sessions = max_sessions
        self.max_starts = max_starts
        self.queue: list[Seat] = []
        self.live: dict[str, Seat] = {}
        self.starting: set[Seat] = set()
        self._change = asyncio.Event()

    def _changed(self) -> None:
        self._change.set()
        self._change = asyncio.Event()

    def seat_of(self, key: str) -> Seat | None:
        """The learner's seat, live or queued, if they have one."""
        if key in self.live:
            return self.live[key]
        return next((seat for seat in self.queue if seat.key == key), None)

    async def replace(self, seat: Seat, why: str, limit: float) -> None:
        """End the learner's other seat, if any, and wait (up to ``limit`` s) until it is gone.

        The new seat takes the front of the queue first, so nobody waiting takes the
        place the old one leaves.
        """
        old = self.seat_of(seat.key)
        if old is None:
            return
        seat.takeover = True
        self.queue.insert(0, seat)
        await old.end(why)
        try:
            await asyncio.wait_for(old.gone.wait(), limit)
        except TimeoutError:
            self.leave(old)

    def _may_start(self, seat: Seat) -> bool:
        place = self.queue.index(seat)
        free_starts = self.max_starts - len(self.starting)
        free_sessions = self.max_sessions - len(self.live)
        return place < free_starts and place < free_sessions

    def place(self, seat: Seat) -> tuple[int, Why]:
        """The seat's place in the queue (from 1) and why it waits."""
        why: Why = "full" if len(self.live) >= self.max_sessions else "starting"
        return self.queue.index(seat) + 1, why

    async def wait_turn(self, seat: Seat, show: Callable[[int, Why], Awaitable[None]]) -> None:
        """Queue the seat until it may start, calling ``show`` whenever its place changes."""
        if seat not in self.queue:
            self.queue.append(seat)
        shown: tuple[int, Why] | None = None
        try:
            while not self._may_start(seat):
                change = self._change
                now = self.place(seat)
                if now != shown:
                    shown = now
                    await show(*now)
                if not self._may_start(seat):
                    await change.wait()
        except BaseException:
            self.queue.remove(seat)
            seat.gone.set()
            self._changed()
            raise
        self.queue.remove(seat)
        self.live[seat.key] = seat
        self.starting.add(seat)
        self._changed()

    def started(self, seat: Seat) -> None:
        """The seat's tutor has drawn its first screen: its start no longer counts."""
        if seat in self.starting:
            self.starting.discard(seat)
            self._changed()

    def leave(self, seat: Seat) -> None:
        """The seat's connection and tutor are over."""
        self.starting.discard(seat)
        if self.live.get(seat.key) is seat:
            del self.live[seat.key]
        if seat in self.queue:
            self.queue.remove(seat)
        seat.gone.set()
        self._changed()

    def seats(self) -> list[Seat]:
        """Every seat, live first, then the queue in order."""
        return [*self.live.values(), *self.queue]
