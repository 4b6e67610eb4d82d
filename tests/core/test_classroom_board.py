"""The class board: caps on live sessions and on starts, the queue's order, takeovers."""

from __future__ import annotations

import asyncio

import pytest

from tutor.classroom.board import Board, Seat, Why


class Learner:
    """A seat and what it was told while waiting."""

    def __init__(self, board: Board, key: str) -> None:
        self.board = board
        self.told: list[tuple[int, Why]] = []
        self.ended: list[str] = []
        self.seat = Seat(key, self.end)
        self.turn: asyncio.Task[None] | None = None

    async def end(self, why: str) -> None:
        self.ended.append(why)
        if self.turn is not None and not self.turn.done():
            self.turn.cancel()
        else:
            self.board.leave(self.seat)

    async def show(self, place: int, why: Why) -> None:
        self.told.append((place, why))

    def queue(self) -> asyncio.Task[None]:
        self.turn = asyncio.create_task(self.board.wait_turn(self.seat, self.show))
        return self.turn


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_starts_are_capped_and_the_queue_moves_in_order():
    board = Board(max_sessions=10, max_starts=2)
    learners = [Learner(board, f"l{i}") for i in range(5)]
    for learner in learners:
        learner.queue()
    await settle()
    assert [bool(one.turn and one.turn.done()) for one in learners] == [
        True,
        True,
        False,
        False,
        False,
    ]
    assert learners[2].told == [(1, "starting")] and learners[4].told == [(3, "starting")]
    board.started(learners[0].seat)
    await settle()
    assert learners[2].turn is not None and learners[2].turn.done()
    assert learners[4].told[-1] == (2, "starting")
    assert len(board.starting) == 2 and len(board.live) == 3


async def test_a_full_class_says_so_and_lets_the_next_in_when_someone_leaves():
    board = Board(max_sessions=2, max_starts=5)
    first, second, third = (Learner(board, k) for k in "abc")
    for learner in (first, second, third):
        learner.queue()
    await settle()
    assert third.told == [(1, "full")]
    board.started(first.seat)
    board.started(second.seat)
    await settle()
    assert third.turn is not None and not third.turn.done()
    board.leave(first.seat)
    await settle()
    assert third.turn.done() and set(board.live) == {"b", "c"}


async def test_leaving_the_queue_gives_up_the_place():
    board = Board(max_sessions=1, max_starts=1)
    first, second, third = (Learner(board, k) for k in "abc")
    for learner in (first, second, third):
        learner.queue()
    await settle()
    assert third.told == [(2, "full")]
    assert second.turn is not None
    second.turn.cancel()
    await settle()
    assert third.told[-1] == (1, "full") and second.seat.gone.is_set()
    assert [seat.key for seat in board.queue] == ["c"]


async def test_a_second_connection_ends_the_first_and_goes_to_the_front():
    board = Board(max_sessions=1, max_starts=1)
    old = Learner(board, "ada")
    waiting = Learner(board, "bob")
    await old.queue()
    waiting.queue()
    await settle()
    new = Learner(board, "ada")
    await board.replace(new.seat, "moved", limit=5)
    assert old.ended == ["moved"] and old.seat.gone.is_set()
    await new.queue()  # ahead of bob, who was waiting first
    assert board.live["ada"] is new.seat
    assert waiting.turn is not None and not waiting.turn.done()


def test_a_board_needs_room():
    with pytest.raises(ValueError):
        Board(max_sessions=0, max_starts=1)
