"""The plain lesson player without a terminal: prompts, one verdict line per answer, progress."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tests.helpers import sig, walkthrough_spec
from tutor.formats.spec import TrainSettings
from tutor.lesson.model import (
    DeriveBlock,
    GradcheckBlock,
    Lesson,
    NetworkBlock,
    Prose,
    QuizBlock,
    Step,
)
from tutor.lesson.quantities import parse_quantity
from tutor.plain.lesson import WIDTH, LessonPlayer
from tutor.store.progress import LessonProgress
from tutor.text.wrap import wrap_line

VERDICT_MARKS = ("✓", "✗", "~", "?")


A2 = sig(0.8 * sig(0.5))
DZ2 = (A2 - 1) * A2 * (1 - A2)
W2_AFTER = 0.8 - 0.1 * DZ2 * sig(0.5)


def lesson() -> Lesson:
    tiny = NetworkBlock("tiny", walkthrough_spec(), TrainSettings(), 2)
    step_quiz = QuizBlock(
        "w2", "What is **w2** after one step?",
        parse_quantity("W2 after one step of tiny with lr 0.1"), ("Subtract lr × dL/dw2.",), 9,
    )  # fmt: skip
    steps = (
        Step("Network", (Prose("The *walkthrough* network.", 1), tiny), 1),
        Step("Derive", (DeriveBlock("tiny", 5, predict=("dL/dz2", "dL/dW1"), lr=0.1),), 4),
        Step("Step", (step_quiz, GradcheckBlock("tiny", 12)), 8),
    )
    return Lesson("t", "Tiny", Path("t.md"), steps, networks={"tiny": tiny})


def play(answers: list[str], progress: LessonProgress | None = None, **options: object):
    """Run the player on scripted answers; return the transcript, the prompts and the progress."""
    lines: list[str] = []
    prompts: list[str] = []
    script = iter(answers)
    progress = progress or LessonProgress()
    saves: list[int] = []

    def read(prompt: str) -> str | None:
        prompts.append(prompt)
        answer = next(script, None)
        lines.append(f"{prompt}{answer}")
        return answer

    LessonPlayer(
        lesson(), progress, read, lines.append, save=lambda: saves.append(1) is None, **options
    ).run()  # type: ignore[arg-type]
    return "\n".join(lines), prompts, progress, saves


def verdicts(transcript: str) -> list[str]:
    return [line for line in transcript.splitlines() if line.startswith(VERDICT_MARKS)]


def test_a_whole_lesson_with_retries_diagnoses_and_the_judges_words() -> None:
    answers = [
        f"{-DZ2:.4f}",  # dL/dz2 with the sign flipped
        f"{DZ2:.4f}",
        "skip",  # dL/dW1
        "0,8",  # a decimal comma: not counted
        "0.8",  # the old weight
        f"{W2_AFTER:.4f}",
    ]
    transcript, prompts, progress, saves = play(answers)
    assert prompts == ["dL/dz2 > ", "dL/dz2 > ", "dL/dW1 > ", *["answer> "] * 3]
    assert all(p.endswith("> ") for p in prompts)
    judged = [
        "✗ This looks like: sign flipped — the sign is flipped; check (y − t) against (t − y).",
        "✓ Correct: −0.08888.",
        "? couldn't read that: use a decimal point: 0.8 (not counted)",
        "✗ This looks like: W2 unchanged — that is the old W2: subtract lr × dL/dW2 from it.",
        "✓ Correct: 0.8055.",
    ]
    wrapped = [wrap_line(verdict, WIDTH) for verdict in judged]  # 80 columns, words kept
    assert verdicts(transcript) == [pieces[0] for pieces in wrapped]
    assert all("\n".join(pieces) in transcript for pieces in wrapped)
    assert "Hint 1 of 2: dL/dz2 = dL/da2 × da2/dz2" in transcript
    assert "→ Skipped." in transcript
    assert "Give at least 3 significant digits" in transcript
    assert "The walkthrough network." in transcript and "*walkthrough*" not in transcript
    assert "Network tiny: 1 → 1 → 1 (sigmoid, sigmoid)" in transcript
    assert "dL/dW1 = dL/dz1 × dz1/dW1" in transcript and "W2: 0.8 → 0.8055" in transcript
    assert "Gradient check" in transcript and "overall" in transcript
    assert progress.predictions["1:0"]["dL/dz2"].result == "retried"
    assert progress.predictions["1:0"]["dL/dW1"].outcome == "skipped"
    assert progress.questions["2:0"].result == "retried"
    assert sorted(progress.finished_steps) == [0, 1, 2] and saves
    assert transcript.endswith(
        "Predictions and questions (3): 2 right after retries, 1 skipped.\n"
        "Weakest topics: backprop, gradient-descent.\n"
        "Still to do: 1 of 3 (answer them to finish)."
    )


def test_quit_stops_and_saves_and_kept_answers_are_not_asked_again() -> None:
    transcript, prompts, progress, _ = play([f"{DZ2:.6f}", "quit"])
    assert "Stopped here; your progress is saved." in transcript
    assert progress.predictions["1:0"]["dL/dz2"].result == "first_try"
    assert "1 right first time" in transcript
    again, prompts, _, _ = play([], progress)  # the end of input at the first prompt
    assert prompts == ["dL/dW1 > "]
    assert "You predicted dL/dz2 = " in again and "earlier: ✓ right first time." in again


def test_on_a_terminal_it_pauses_between_steps() -> None:
    _, prompts, _, _ = play(["", "q"], pause=True)
    assert prompts == ["(Enter: next step, q: quit) ", "dL/dz2 > "]


def test_leaving_mid_question_keeps_its_numbers_and_its_wrong_try() -> None:
    """A varied question: a wrong try, quit, come back: the same numbers, and the try counts."""
    varied = QuizBlock(
        "w2v", "With w2 = {W2}: what is **w2** after one step?",
        parse_quantity("W2 after one step of tiny with lr 0.1"), ("Subtract lr × dL/dw2.",), 9,
        vary={"W2": (0.1, 2.0)},
    )  # fmt: skip
    tiny = NetworkBlock("tiny", walkthrough_spec(), TrainSettings(), 2)
    only = Lesson("v", "V", Path("v.md"), (Step("Q", (tiny, varied), 1),), networks={"tiny": tiny})
    progress = LessonProgress()

    def run(answers: list[str]) -> str:
        lines: list[str] = []
        script = iter(answers)

        def read(prompt: str) -> str | None:
            answer = next(script, None)
            lines.append(f"{prompt}{answer}")
            return answer

        LessonPlayer(only, progress, read, lines.append, save=lambda: None).run()
        return "\n".join(lines)

    first = run(["5", "quit"])  # 5 is no weight after one small step: wrong
    kept = progress.questions["0:1"]
    assert kept.open and kept.tries == 1 and kept.wrong == 1
    w2 = float(np.asarray(kept.numbers["W2"]).item())
    shown = next(line for line in first.splitlines() if "With w2 = " in line)
    # the right answer for the kept w2, by hand: dL/dw2 = (y − t)·y(1 − y)·a1 with t = 1
    a1 = sig(0.5)
    y = sig(w2 * a1)
    after = w2 - 0.1 * (y - 1.0) * y * (1 - y) * a1
    second = run([f"{after:.6f}"])
    assert shown in second.splitlines() and "1 try so far" in second
    assert progress.questions["0:1"].result == "retried"  # the earlier wrong try still counts
