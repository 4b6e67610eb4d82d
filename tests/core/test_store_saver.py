"""Saving progress off the UI thread: snapshots, newest wins, failures kept pending."""

from __future__ import annotations

import json
import threading

import pytest

from tutor.store.progress import Progress
from tutor.store.progress_file import ProgressStore
from tutor.store.saver import LatestWriter


def saved_step(store: ProgressStore) -> int:
    return json.loads(store.path.read_text())["lessons"]["x"]["step"]


def test_a_snapshot_is_taken_when_offered(tmp_path):
    store = ProgressStore(tmp_path)
    writer = LatestWriter(store)
    progress = Progress()
    progress.lesson("x").step = 3
    writer.offer(progress)
    progress.lesson("x").step = 9  # a change after the offer is not in the snapshot
    assert writer.pending and writer.write_latest()
    assert saved_step(store) == 3
    assert not writer.pending and not writer.write_latest()  # nothing new: no second write


def test_the_newest_snapshot_wins_and_writes_never_interleave(tmp_path):
    store = ProgressStore(tmp_path)
    writer = LatestWriter(store)
    progress = Progress()
    active, most = 0, 0
    lock = threading.Lock()
    real_write = store.write

    def counting_write(text: str) -> None:
        nonlocal active, most
        with lock:
            active += 1
            most = max(most, active)
        real_write(text)
        with lock:
            active -= 1

    store.write = counting_write  # type: ignore[method-assign]
    threads = []
    for step in range(1, 41):
        progress.lesson("x").step = step
        writer.offer(progress)
        thread = threading.Thread(target=writer.write_latest)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    assert most == 1
    assert saved_step(store) == 40


def test_a_failed_write_stays_pending(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    writer = LatestWriter(ProgressStore(blocker / "data"))
    writer.offer(Progress())
    with pytest.raises(OSError):
        writer.write_latest()
    assert writer.pending


def test_a_noted_change_is_written_by_flush_and_only_once(tmp_path):
    store = ProgressStore(tmp_path)
    writer = LatestWriter(store)
    progress = Progress()
    progress.lesson("x").step = 4
    writer.note_changed()  # a reveal: noted, nothing encoded yet
    assert writer.changed and not writer.pending and not store.path.exists()
    progress.lesson("x").step = 5  # a later change before the flush is in it
    assert writer.flush(progress)
    assert saved_step(store) == 5 and not writer.changed
    assert not writer.flush(progress)  # nothing noted since: no second write
    writer.note_changed()
    writer.offer(progress)  # a snapshot taken since the note holds the change
    assert not writer.changed and writer.pending
