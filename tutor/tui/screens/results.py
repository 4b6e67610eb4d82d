"""The quiz results: score, accuracy per topic as a bar chart, and what is due for review."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Footer, Header

from tutor.present.quiz_results import review_line, score_line
from tutor.quiz.session import QuizOptions, QuizResults
from tutor.tui.literal import Plain
from tutor.tui.screens.base import TutorScreen
from tutor.tui.widgets.plot_view import BarChartView


class QuizResultsScreen(TutorScreen):
    """Score, time, accuracy per topic as a bar chart, and the families due for review."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "again", "New quiz"),
        Binding("q,escape", "close", "Close"),
    ]

    def __init__(self, results: QuizResults, options: QuizOptions) -> None:
        super().__init__()
        self.results = results
        self.options = options

    def compose(self) -> ComposeResult:
        results = self.results
        yield Header()
        with Vertical(id="results-body"):
            yield Plain(score_line(results), id="results-score")
            chart = BarChartView(
                [(t.topic, t.accuracy) for t in results.topics], id="results-chart"
            )
            chart.title = "Accuracy by topic (%)"
            chart.maximum = 100.0
            chart.placeholder = "no questions answered"
            yield chart
            yield Plain(review_line(results), id="results-review")
        yield Footer()

    def on_mount(self) -> None:
        """Name the screen."""
        self.title = "Quiz results"

    def action_again(self) -> None:
        """Start a new quiz with the same topic and difficulty (and a new seed)."""
        from tutor.tui.screens.quiz import QuizScreen  # the quiz screen opens this one

        self.app.switch_screen(QuizScreen(replace(self.options, seed=None)))

    def action_close(self) -> None:
        """Back to where the quiz was opened from."""
        self.dismiss()
