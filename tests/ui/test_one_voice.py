"""The TUI and ``lesson --plain`` say the same words (issue 18), on every block of every
bundled lesson: each derivation (every forward value, every chain-rule product, its
rule, its paths where the TUI shows them, the update), each prediction's prompt and the
verdict on a wrong prediction, every verdict, hint and worked solution of every quiz
block, answered wrong until the solution is revealed, every gradient check (status,
table, notes) and every training run's report (verdict, predictions, final loss,
trained parameters, gradients at the start, the decision boundary's legend and accuracy).

The plain player plays each block into its own transcript; the TUI shows the same
lesson step by step through Pilot, and its widgets' text is compared word for word
(layout aside: the TUI wraps to its width, marks the newest line and adds key hints).
"""

from __future__ import annotations

import secrets

import numpy as np
import pytest
from textual.widgets import DataTable, Input, Static

from tests.helpers import wait_until
from tests.ui.support import bundled_entries, lesson_parts, settle
from tutor.lesson.model import DeriveBlock, GradcheckBlock, Lesson, QuizBlock, TrainBlock
from tutor.lesson.progress_keys import block_key
from tutor.lesson.questions import draw_question
from tutor.plain.lesson import LessonPlayer
from tutor.plain.train_block import train_lines
from tutor.present.derivation import RULE_INDENT
from tutor.store.progress import LessonProgress, Progress
from tutor.store.progress_file import ProgressStore
from tutor.text.numbers import format_value
from tutor.training import race
from tutor.tui.app import make_app
from tutor.tui.screens.lesson import LessonScreen
from tutor.tui.widgets.derivation.lines import DerivationLines
from tutor.tui.widgets.derivation.view import PROMPT_KEYS, DerivationView, PredictionInput
from tutor.tui.widgets.gradcheck_view import GradcheckView
from tutor.tui.widgets.quiz_block import QuizBlockView
from tutor.tui.widgets.train.view import TrainView

SIZE = (240, 60)  # wide: the TUI's lines wrap as little as possible (words compared anyway)
SEED = 1234
WRONG_PREDICTION = "12345"
KEY_HINTS = ("Press n", "n:", "n reveals", "Derivation complete")
STEPS = {e.lesson.id: len(e.lesson.steps) for e in bundled_entries() if e.lesson}
"""The number of steps of each bundled lesson that parses."""
ECHO = "\0echo"
PLAYED = (DeriveBlock, QuizBlock, GradcheckBlock, TrainBlock)
"""The blocks whose words are compared."""
TRAIN_REPORT = (
    "#train-message",
    "#train-predictions",
    "#train-params",
    "#boundary-legend",
    "#boundary-accuracy",
)
"""The train view's widgets that say what a run came to (not its knobs, hints or speed)."""


def words(lines: list[str]) -> list[str]:
    """The words of ``lines``, layout aside."""
    return " ".join(lines).split()


def wrong_answer(value: object) -> str:
    """An answer of the right kind that is wrong (and no named mistake): graded, not close."""
    if isinstance(value, tuple):
        return "(" + ", ".join(str(n + 7) for n in value) + ")"
    return format_value(np.asarray(value) * 3 + 7 if np.size(value) > 1 else float(value) * 3 + 7,
                        12, ascii=True)  # fmt: skip


def play_plain(lesson: Lesson, first: int, end: int) -> dict[str, list[str]]:
    """Each derive, quiz, gradient check and train block's transcript in ``lesson --plain``
    (echoes marked), of steps ``first`` to ``end`` played in turn by one player."""
    transcripts: dict[str, list[str]] = {}
    said: list[str] = []
    answers: dict[str, str] = {}

    def read(prompt: str) -> str | None:
        if len(said) > 400:
            return None  # a bound on a question that never ends
        if prompt == "answer> ":
            answer = answers["quiz"]
        else:  # a prediction: one wrong answer, then skip
            asked = max(n for n, line in enumerate(said) if line.startswith("Your turn: "))
            answered = any(line.startswith(ECHO) for line in said[asked:])
            answer = "skip" if answered else WRONG_PREDICTION
        said.append(f"{ECHO}{answer}")
        return answer

    player = LessonPlayer(
        lesson, LessonProgress(), read, lambda line: said.append(line), train_lines=train_lines
    )
    for i in range(first, end):
        for j, part in enumerate(lesson.steps[i].parts):
            if not isinstance(part, PLAYED):
                continue
            if isinstance(part, QuizBlock):
                question = draw_question(part, lesson.networks)
                answers["quiz"] = wrong_answer(question.expected)
            said = transcripts[block_key(i, j)] = []
            player.play_part(part, block_key(i, j))
    return transcripts


def split_derivation(transcript: list[str]) -> tuple[list[str], list[list[str]], list[list[str]]]:
    """The plain derivation's lines, each prediction's prompt, each wrong prediction's verdict."""
    lines, prompts, verdicts = [], [], []
    start = next(n for n, line in enumerate(transcript) if line.startswith("Network: ")) + 1
    while transcript[start].startswith("  "):  # the network's line, wrapped at 80 columns
        start += 1
    items = iter(transcript[start:])
    for line in items:
        if line.startswith("Your turn: "):
            prompt = [line]
            for more in items:
                if more.startswith(ECHO):
                    break
                prompt.append(more)
            prompts.append(prompt)
            verdict = []
            for more in items:
                if more.startswith(ECHO):
                    break
                verdict.append(more)
            verdicts.append(verdict)
            next(items)  # "→ Skipped." after the skip
        else:
            lines.append(line)
    return lines, prompts, verdicts


def without_paths_not_shown(plain: list[str], shown: str) -> list[str]:
    """``plain`` less the paths of a product the TUI does not show path by path."""
    kept, skipping = [], False
    for line in plain:
        if line.endswith("entry by entry, one product per path:"):
            skipping = line.strip() not in shown
        elif skipping and not line.startswith(RULE_INDENT):
            skipping = False
        if not skipping:
            kept.append(line)
    return kept


def text_of(widget: Static) -> str:
    return str(widget.content)


def split_answers(transcript: list[str]) -> list[list[str]]:
    """A quiz block's transcript as the lines after each answer."""
    chunks: list[list[str]] = []
    for line in transcript:
        if line.startswith(ECHO):
            chunks.append([])
        elif chunks:
            chunks[-1].append(line)
    return chunks


async def check_derivation(pilot, view: DerivationView, plain: list[str]) -> None:
    """Walk the TUI's derivation as the plain player did; compare prompt, verdict, lines."""
    lines, prompts, verdicts = split_derivation(plain)
    asked = 0
    for _ in range(2000):
        if not view.advance():  # draws at once: the words are there to read
            break
        if view.prompting:
            question = text_of(view.query_one(".prediction-question", Static))
            assert words([question]) == words(prompts[asked]) + PROMPT_KEYS.split()
            field = view.query_one(PredictionInput)
            field.focus()
            field.value = WRONG_PREDICTION
            await pilot.press("enter")
            await settle(pilot)
            feedback = text_of(view.query_one(".prediction-feedback", Static))
            assert words([feedback]) == words(verdicts[asked])
            field.action_skip()
            await pilot.pause()
            asked += 1
    assert view.finished and asked == len(prompts)
    shown = str(view.query_one(DerivationLines).content)
    tui = [line for line in shown.splitlines() if not line.strip().startswith(KEY_HINTS)]
    expected = without_paths_not_shown(lines, shown)
    # layout aside: plain wraps at 80 columns, so a matrix may be written a row a line
    assert "".join(w for w in words(tui) if w != "▶") == "".join(words(expected))


async def check_quiz(pilot, view: QuizBlockView, plain: list[str]) -> None:
    """Answer the TUI's question as the plain player did; compare every verdict and solution."""
    assert view.question is not None and view.attempt is not None
    field = view.query_one(Input)
    after = split_answers(plain)
    for n, expected in enumerate(after):
        assert not view.attempt.over
        field.focus()
        field.value = wrong_answer(view.question.expected)
        await pilot.press("enter")
        await settle(pilot)
        feedback = text_of(view.query_one(".quiz-feedback", Static))
        assert words([feedback]) == words(expected), (view.key, n)
    assert view.attempt.over and view.attempt.revealed  # the worked solution was compared


def check_gradcheck(view: GradcheckView, plain: list[str]) -> None:
    """The check's status, each row of its table and its notes, word for word."""
    start = next(n for n, line in enumerate(plain) if line.startswith("Gradient check ("))
    header = next(n for n in range(start, len(plain)) if plain[n].split()[:1] == ["parameter"])
    status, rest = plain[start:header], plain[header:]  # the status maybe wrapped at 80 columns
    assert words([text_of(view.query_one(".gc-status", Static))]) == words(status)
    table = view.query_one(DataTable)
    rows = [[str(column.label) for column in table.columns.values()]]
    rows += [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]
    assert [words(row) for row in rows] == [words([line]) for line in rest[: len(rows)]]
    assert words([text_of(view.query_one(".gc-note", Static))]) == words(rest[len(rows) :])


def check_training(view: TrainView, plain: list[str]) -> None:
    """Every line of the run's report in the TUI is in the plain run, word for word (there
    maybe wrapped over several lines at 80 columns)."""
    said = " " + " ".join(words(plain)) + " "
    shown = [
        line
        for selector in TRAIN_REPORT
        for widget in view.query(selector)
        for line in text_of(widget).splitlines()
        if line.strip()
    ]
    assert any(line.startswith("Final loss") or "accuracy" in line for line in shown)
    for line in shown:
        assert f" {' '.join(words([line]))} " in said, line


async def checked(pilot, view: GradcheckView) -> None:
    """Wait for the view's gradient check."""
    await wait_until(pilot, lambda: view.check is not None, what="the gradient check")
    await settle(pilot)


async def trained(pilot, view: TrainView) -> None:
    """Train the block's run (both runs of a race) with its own settings: each must finish."""
    runs = len(race(view.knobs, view.block.compare))
    view.action_start()
    await wait_until(
        pilot,
        lambda: len(view.runs) == runs and view.runs[-1].status != "running",
        what="the training runs",
    )
    await settle(pilot)
    assert [run.status for run in view.runs] == ["done"] * runs, view.block.network


def block_key_of(lesson: Lesson, view: TrainView) -> str:
    """The block key of the train block ``view`` shows."""
    for i, step in enumerate(lesson.steps):
        for j, part in enumerate(step.parts):
            if part is view.block:
                return block_key(i, j)
    raise AssertionError("the train view's block is not in the lesson")


STEPS_PER_TEST = 8
"""Steps compared by one test (one app, one plain player): xdist spreads the lessons' parts."""


@pytest.mark.parametrize(("lesson_id", "first", "end"), lesson_parts(STEPS_PER_TEST))
async def test_the_tui_and_plain_say_the_same_words(
    tmp_path, monkeypatch, lesson_id: str, first: int, end: int
):
    """Steps ``first`` to ``end``: the TUI resumed at ``first`` and a plain player that
    starts there (both with no forms reminded yet) say the same words on every block."""
    monkeypatch.setattr(secrets, "randbelow", lambda limit: SEED)  # the same numbers drawn
    progress = Progress()
    progress.lesson(lesson_id).step = first
    ProgressStore(tmp_path).save(progress)
    app = make_app(data_dir=tmp_path, catalog=bundled_entries(), start=f"lesson:{lesson_id}")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LessonScreen) and screen.index == first
        plain = play_plain(screen.lesson, first, end)
        met = set()
        for index in range(first, end):
            screen.show_step(index)
            await settle(pilot)
            for view in screen.body.query(DerivationView):
                while not view.ready:
                    await pilot.pause(0.05)
                await check_derivation(pilot, view, plain[view.key])
                met.add(view.key)
            for quiz in screen.body.query(QuizBlockView):
                while quiz.question is None:
                    await pilot.pause(0.05)
                await check_quiz(pilot, quiz, plain[quiz.key])
                met.add(quiz.key)
            for check in screen.body.query(GradcheckView):
                await checked(pilot, check)
                check_gradcheck(check, plain[check.key])
                met.add(check.key)
            for train in screen.body.query(TrainView):
                await trained(pilot, train)
                key = block_key_of(screen.lesson, train)
                check_training(train, plain[key])
                met.add(key)
            screen.set_focus(None)
    assert met == set(plain)  # every block of the part the plain player played was compared
