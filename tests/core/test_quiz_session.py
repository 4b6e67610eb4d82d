"""The quiz session: grading, hints, solutions, unreadable answers, stats and results."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta

import pytest

from tests.helpers import solution_text
from tutor.answers.grade import distance
from tutor.quiz.question import answer_text
from tutor.quiz.session import QuizError, QuizOptions, QuizSession, check_options, plan_questions
from tutor.store.progress import Progress
from tutor.text.numbers import format_number

NOW = datetime(2030, 5, 1, 12, 0, 0)


def session(**options: object) -> QuizSession:
    opts = QuizOptions(**{"seed": 11, "count": 3, **options})  # type: ignore[arg-type]
    return QuizSession(opts, Progress(), clock=lambda: NOW)


def wrong_text(s: QuizSession) -> str:
    """An answer far from the expected value and every known mistake."""
    return "(97, 89)" if s.question.kind == "shape" else "12345"


def test_correct_answer_ends_the_question_and_updates_stats() -> None:
    s = session()
    q = s.question
    feedback = s.submit(answer_text(q))
    assert feedback.status == "correct" and feedback.question_over
    stats = s.progress.families[q.family]
    assert (stats.attempts, stats.correct, stats.box) == (1, 1, 2)


@pytest.mark.parametrize(
    "text", ["", "   ", "abc", "[1, 2", "__import__('os')", "9" * 10_000, "1 +", "x" * 300]
)
def test_unreadable_answers_are_refused_without_counting(text: str) -> None:
    s = session()
    feedback = s.submit(text)
    assert feedback.status == "unreadable"
    assert feedback.message.startswith("couldn't read that")
    assert "Accepted answers" in feedback.accepted_forms
    assert (s.current.attempt.tries, s.current.attempt.wrong, s.hints_shown) == (0, 0, ())
    assert not feedback.question_over


def test_wrong_answers_unlock_hints_then_the_worked_solution() -> None:
    s = session(topic="backprop", difficulty=2)
    q = s.question
    for level in range(1, len(q.hints) + 1):
        feedback = s.submit(wrong_text(s))
        assert feedback.status == "wrong" and feedback.hint == q.hints[level - 1]
        assert len(s.hints_shown) == level and not feedback.question_over
    feedback = s.submit(wrong_text(s))
    assert feedback.question_over and feedback.solution
    lines = solution_text(feedback.solution)
    assert lines[-1].startswith("Answer: ")
    assert any("dL/dW" in line and " × " in line for line in lines)
    stats = s.progress.families[q.family]
    assert (stats.attempts, stats.correct, stats.box) == (1, 0, 1)


def test_a_known_mistake_is_named() -> None:
    s = session(topic="activations", difficulty=1)
    mistake = s.question.mistakes[0]
    feedback = s.submit(format_number(float(mistake.value), 12, ascii=True))
    assert feedback.mistake is mistake and mistake.name in feedback.message


def test_close_answer_is_not_a_wrong_attempt() -> None:
    s = session(topic="chain-rule")
    marking, expected = s.current.attempt.marking, s.question.expected
    for off in (1 + 3 * marking.narrowed, 1 - 3 * marking.narrowed):  # within 10 × the tolerance
        value = expected * off  # on the side away from every known mistake
        if all(distance(value, m.value) > distance(value, expected) for m in marking.mistakes):
            break
    feedback = s.submit(format_number(value, 8))
    assert feedback.status == "close"
    assert s.current.attempt.wrong == 0 and s.hints_shown == () and not feedback.question_over


def test_solved_after_a_wrong_attempt_counts_but_goes_back_to_box_one() -> None:
    s = session(topic="chain-rule")
    s.submit("12345")
    assert s.submit(answer_text(s.question)).status == "correct"
    stats = s.progress.families["chain-link"]
    assert (stats.attempts, stats.correct, stats.box) == (1, 0, 1)  # correct = at the first try
    assert s.results().solved == 1 and s.results().first_try == 0


def test_skip_shows_the_solution_and_counts_as_missed() -> None:
    s = session()
    feedback = s.skip()
    assert feedback.status == "skipped" and feedback.question_over and feedback.solution
    with pytest.raises(RuntimeError):
        s.submit("1")


def test_a_full_quiz_and_its_results() -> None:
    s = session(count=4)
    topics = []
    while True:
        topics.append(s.question.topic)
        if s.number % 2:
            s.submit(answer_text(s.question))
        else:
            s.skip()
        if s.next_question() is None:
            break
    assert s.finished
    results = s.results()
    assert (results.solved, results.asked, results.seed) == (2, 4, 11)
    assert sum(t.asked for t in results.topics) == 4
    assert {t.topic for t in results.topics} == set(topics)
    assert set(results.due) == {
        a.question.family for a in s.asked if not a.solved
    }  # missed ones are due within the review horizon


def test_ending_early_counts_an_attempted_question_only() -> None:
    s = session()
    assert s.finish().asked == 0
    s = session()
    s.submit("12345")
    results = s.finish()
    assert (results.asked, results.solved) == (1, 0)


def test_time_is_measured() -> None:
    ticks = iter([100.0, 142.5])
    s = QuizSession(QuizOptions(seed=1), Progress(), clock=lambda: NOW, timer=lambda: next(ticks))
    assert s.finish().seconds == pytest.approx(42.5)


def test_same_seed_same_questions_and_no_repeats_within_a_quiz() -> None:
    a, b = (
        plan_questions(QuizOptions(seed=5, count=10)),
        plan_questions(QuizOptions(seed=5, count=10)),
    )
    assert [q.text for q in a[1]] == [q.text for q in b[1]]
    assert len({q.family for q in a[1]}) == 10
    live = session(seed=5, count=10)
    assert live.question.text == a[1][0].text


def test_missed_family_comes_back_in_the_next_quiz() -> None:
    progress = Progress()
    first = QuizSession(QuizOptions(seed=2, count=3), progress, clock=lambda: NOW)
    missed = first.question.family
    first.skip()
    for _ in range(2):
        first.next_question()
        first.submit(answer_text(first.question))
    first.finish()
    later = NOW + timedelta(hours=1)
    second = QuizSession(QuizOptions(count=3), progress, clock=lambda: later)  # no seed
    assert second.question.family == missed


def test_a_seeded_quiz_is_the_same_whatever_the_history() -> None:
    fresh = QuizSession(QuizOptions(seed=99, count=5), Progress(), clock=lambda: NOW)
    progress = Progress()
    for family in ("chain-link", "sigmoid-derivative", "three-layer"):
        progress.family(family).due = (NOW - timedelta(days=3)).isoformat()
        progress.family(family).attempts = 4
    seasoned = QuizSession(QuizOptions(seed=99, count=5), progress, clock=lambda: NOW)
    texts = []
    for session in (fresh, seasoned):
        asked = [session.question.text]
        while True:
            session.skip()
            if session.next_question() is None:
                break
            asked.append(session.question.text)
        texts.append(asked)
    assert texts[0] == texts[1] and len(texts[0]) == 5


def test_options_are_checked() -> None:
    with pytest.raises(QuizError, match="topics: activations"):
        check_options(QuizOptions(topic="nonsense"))
    with pytest.raises(QuizError):
        check_options(QuizOptions(count=0))
    with pytest.raises(QuizError):
        check_options(QuizOptions(topic="shapes", difficulty=3))
    assert all(f.difficulty == 1 for f in check_options(QuizOptions(difficulty=1)))


def test_quiz_core_imports_no_ui() -> None:
    code = (
        "import sys, tutor.quiz.session, tutor.plain.quiz, tutor.present.worksheet\n"
        "import tutor.commands.quiz\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich', 'plotext'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("seed", [-1, -5, 2**63])
def test_a_seed_outside_the_generators_range_is_a_quiz_error(seed: int) -> None:
    with pytest.raises(QuizError, match=rf"--seed must be a whole number from 0 to {2**63 - 1}"):
        check_options(QuizOptions(seed=seed))


@pytest.mark.parametrize("seed", [0, 2**63 - 1])
def test_the_ends_of_the_seed_range_make_a_quiz(seed: int) -> None:
    drawn, questions = plan_questions(QuizOptions(seed=seed, count=2))
    assert drawn == seed and len(questions) == 2


def asked_families(progress: Progress, count: int = 30, **options: object) -> set[str]:
    """The families a quiz of ``count`` questions asks, each skipped, for this learner."""
    s = QuizSession(QuizOptions(seed=5, count=count, **options), progress, clock=lambda: NOW)  # type: ignore[arg-type]
    found = set()
    while True:
        found.add(s.question.family)
        s.skip()
        if s.next_question() is None:
            return found


def test_a_topic_is_not_asked_before_its_lesson_is_begun() -> None:
    from tutor.quiz.families import FAMILIES

    later = {f.id: f.lesson for f in FAMILIES if f.lesson != "backprop"}
    assert set(later.values()) == {"classification", "paths"}
    fresh = asked_families(Progress())
    assert fresh and not fresh & set(later)  # only lesson 3.4's topics
    progress = Progress()
    progress.lesson("classification").step = 3  # opened, but no step finished yet
    assert not asked_families(progress) & set(later)
    progress.lesson("classification").finished_steps = [0]
    begun = asked_families(progress)
    assert {f for f, lesson in later.items() if lesson == "classification"} <= begun
    assert not begun & {f for f, lesson in later.items() if lesson == "paths"}


def test_a_topic_asked_by_name_is_asked_before_its_lesson() -> None:
    assert asked_families(Progress(), count=4, topic="paths") == {"sum-of-paths"}
