"""Markdown worksheets with an answer key (``backprop-tutor quiz --export FILE.md``).

The questions come first, numbered; after a ``---`` separator the answer key
gives each answer at full precision and the engine's worked solution.
"""

from __future__ import annotations

from collections.abc import Sequence

from tutor.present.solution import solution_lines
from tutor.quiz.families import get_family
from tutor.quiz.question import Question, answer_text, worked_solution
from tutor.quiz.session import QuizOptions

KEY_HEADING = "# Answer key"
INSTRUCTIONS = (
    "Answer each question with a number within 1 % of the answer (a question that needs more "
    "digits says so), a list or matrix like `[[1, 2], [3, 4]]`, or a shape like `(4, 2)`."
)


def count_questions(count: int) -> str:
    """ "1 question", "5 questions"."""
    return f"{count} question" if count == 1 else f"{count} questions"


def worksheet_markdown(options: QuizOptions, seed: int, questions: Sequence[Question]) -> str:
    """The worksheet: numbered questions, a separator, then the answer key."""
    scope = (
        f"topic: {options.topic or 'all'} · difficulty: {options.difficulty or 'all'} · seed {seed}"
    )
    lines = ["# backprop-tutor worksheet", "", f"{count_questions(len(questions))} · {scope}", ""]
    lines += [INSTRUCTIONS, ""]
    for n, question in enumerate(questions, start=1):
        title = get_family(question.family).title
        lines += [
            f"## {n}. {title}",
            "",
            f"*{question.topic}, difficulty {question.difficulty}*",
            "",
            question.text,
            "",
        ]
    lines += ["---", "", KEY_HEADING, ""]
    for n, question in enumerate(questions, start=1):
        lines += [f"## {n}.", "", f"**Answer:** `{answer_text(question)}`", "", "```text"]
        lines += [line.text for line in solution_lines(worked_solution(question))]
        lines += ["```", ""]
    return "\n".join(lines)
