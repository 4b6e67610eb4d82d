"""``backprop-tutor quiz --plain`` end to end in a subprocess with scripted input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tutor.plain.quiz import PlainQuiz, wants_color
from tutor.plain.terminal import WIDTH, wrapped
from tutor.present.lines import Line, Role, Span
from tutor.quiz.question import answer_text
from tutor.quiz.session import QuizOptions, QuizSession, plan_questions
from tutor.store.progress import Progress
from tutor.text.numbers import format_number
from tutor.text.wrap import wrap_line

OPTIONS = QuizOptions(topic="chain-rule", count=3, seed=21)


def quiz_args(options: QuizOptions) -> list[str]:
    return ["quiz", "--plain", "--topic", str(options.topic), "--count", str(options.count),
            "--seed", str(options.seed)]  # fmt: skip


def test_right_close_wrong_unreadable_then_end_of_input(private_home: Path) -> None:
    _, questions = plan_questions(OPTIONS)
    first, second, third = questions
    script = [
        answer_text(first),  # right
        format_number(second.expected * 1.05, 8, ascii=True),  # close
        answer_text(second),  # then right
        format_number(-third.expected, 10, ascii=True),  # wrong: the sign-flip mistake
        "abc",  # unreadable: the forms come with the first one
        "xyz",  # and not again
        "forms",  # until asked for
    ]  # then end of input in the middle of question 3
    result = run_cli(*quiz_args(OPTIONS), stdin="\n".join(script) + "\n", env={"NO_COLOR": "1"})
    out = result.stdout
    flowing = " ".join(out.split())  # the words, wherever the 80 columns broke the lines
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "Question 1 of 3" in out and "Question 3 of 3" in out
    assert " ".join(first.text.replace("*", "").split()) in flowing  # no Markdown marks
    assert out.count("✓ Correct") == 2
    assert "~ Close" in out
    assert "✗" in out and "This looks like: sign flipped" in out
    assert f"Hint 1 of {len(third.hints)}: {third.hints[0]}" in flowing
    assert "couldn't read that" in out and "(not counted)" in out
    assert out.count("Accepted answers") == 2  # the first unreadable answer, then `forms`
    assert "Quiz over: 2 of 3 solved" in out
    assert "chain-rule" in out and "2/3" in out
    assert "\x1b[" not in out
    saved = json.loads((private_home / "progress.json").read_text())
    assert saved["families"]["chain-link"]["attempts"] == 3


def test_skip_shows_the_worked_solution_and_moves_on() -> None:
    options = QuizOptions(topic="backprop", count=2, seed=4, difficulty=2)
    args = [*quiz_args(options), "--difficulty", "2"]
    result = run_cli(*args, stdin="skip\n")
    assert result.returncode == 0
    assert "Worked solution:" in result.stdout and "dL/dz2 = dL/da2 × da2/dz2" in result.stdout
    assert "Question 2 of 2" in result.stdout
    assert "Quiz over: 0 of 1 solved" in result.stdout


def test_same_seed_same_questions() -> None:
    runs = [run_cli("quiz", "--plain", "--seed", "8", stdin="").stdout for _ in range(2)]
    assert runs[0].split("Quiz over")[0] == runs[1].split("Quiz over")[0]
    other = run_cli("quiz", "--plain", "--seed", "9", stdin="").stdout
    assert other.split("Quiz over")[0] != runs[0].split("Quiz over")[0]
    assert "Question 1 of 10" in runs[0]


def test_no_color_even_with_colour_capable_output() -> None:
    result = run_cli("quiz", "--plain", "--seed", "1", stdin="1\n", env={"NO_COLOR": "1"})
    assert "\x1b[" not in result.stdout


def test_unknown_topic_lists_the_topics_and_exits_2() -> None:
    result = run_cli("quiz", "--plain", "--topic", "nonsense")
    assert result.returncode == 2
    assert "unknown topic 'nonsense'" in result.stderr
    for topic in ("activations", "backprop", "shapes", "vanishing"):
        assert topic in result.stderr
    assert "Traceback" not in result.stderr


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert wants_color(FakeTerminal()) and not wants_color(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not wants_color(FakeTerminal())


def test_coloured_dialogue_in_process() -> None:
    session = QuizSession(QuizOptions(topic="chain-rule", count=1, seed=2), Progress())
    out = io.StringIO()
    stdin = io.StringIO(answer_text(session.question) + "\n")
    results = PlainQuiz(session, stdin, out, color=True).run()
    assert results.solved == 1
    assert "\x1b[32m✓ Correct" in out.getvalue()


def test_every_line_fits_80_columns_and_no_markdown_mark_shows() -> None:
    """Three whole quizzes, every question skipped: questions, the precision note (written
    in Markdown emphasis), worked solutions and the summary all fit 80 columns, and no
    ``*`` of the Markdown is printed (no quiz text has a literal one)."""
    texts = []
    for seed in (1, 2, 3, 7):
        options = QuizOptions(count=10, seed=seed)
        texts += [q.text for q in plan_questions(options)[1]]
        session = QuizSession(options, Progress())
        out = io.StringIO()
        PlainQuiz(session, io.StringIO("skip\n" * 10), out).run()
        lines = out.getvalue().splitlines()
        assert [line for line in lines if len(line) > WIDTH] == []
        assert not any("*" in line for line in lines)
        assert "Quiz over" in out.getvalue()
    assert any("*Give at least" in text for text in texts)  # the note was among them
    assert any(len(text) > WIDTH for text in texts)  # and questions longer than a line


def test_a_wrapped_line_keeps_each_words_role() -> None:
    words = "Not quite: this looks like the sign flipped on the upstream gradient"
    line = Line.join(("✗ ", Role.WRONG), words, (" (try 2 of 3)", Role.HINT))
    pieces = wrapped(line, 30)
    assert len(pieces) > 2
    assert [p.text for p in pieces] == wrap_line(line.text, 30)
    assert pieces[0].spans[0] == Span("✗ ", Role.WRONG)

    def words_in(role: Role) -> list[str]:
        return " ".join(s.text for p in pieces for s in p.spans if s.role == role).split()

    assert words_in(Role.WRONG) == ["✗"]
    assert words_in(Role.TEXT) == words.split()
    assert words_in(Role.HINT) == ["(try", "2", "of", "3)"]


def test_a_word_split_across_lines_keeps_its_role_and_hyphen() -> None:
    line = Line.join("a ", ("Initialisation", Role.HEADING))
    pieces = wrapped(line, 8)
    assert [p.text for p in pieces] == wrap_line(line.text, 8)
    split = [s for p in pieces for s in p.spans if s.role == Role.HEADING]
    assert "".join(s.text for s in split).replace("-", "") == "Initialisation"
    assert all(s.text.strip() for s in split)
