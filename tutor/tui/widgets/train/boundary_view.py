"""The decision boundary of a train view: the plane coloured by predicted class, points on top.

Provides :class:`BoundaryView`, which draws a :class:`~tutor.text.boundary.BoundaryPicture`
(computed in the training thread from the engine's class map) as coloured cells:
each region in its class's dark colour with the class's plain character, each
training point as its class number in the class's bright colour (a point on
another class's region is one the network gets wrong), then the legend and the
train and test accuracy.  The characters are those of ``train SPEC`` and
``lesson --plain``, so the picture also reads without colour.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content, Span

from tutor.text.boundary import POINTS, REGIONS, BoundaryPicture, accuracy_line, legend
from tutor.tui.literal import Plain, literal

BRIGHT = ("#79c0ff", "#ffa657", "#7ee787", "#f778ba", "#56d4dd", "#ff7b72")
"""Each class's colour for its points (class 1 first)."""
DARK = ("#102a44", "#4a2a0c", "#12361b", "#42163a", "#0c3438", "#4a1212")
"""Each class's colour for its region."""
PLACEHOLDER = "Train a run to see the decision boundary: the plane coloured by predicted class."


def boundary_text(picture: BoundaryPicture) -> Content:
    """The picture as Content, one line per row of cells, each cell in its class's colours."""
    rows = []
    for r in range(picture.rows):
        rows.append(
            "".join(
                POINTS[picture.points[(r, c)]] if (r, c) in picture.points else REGIONS[k]
                for c, k in enumerate(picture.regions[r])
            )
        )
    width = picture.cols + 1  # a newline after each row
    spans = []
    for r in range(picture.rows):
        for c, k in enumerate(picture.regions[r]):
            start = r * width + c
            point = picture.points.get((r, c))
            style = (
                f"bold {BRIGHT[point]} on {DARK[k]}"
                if point is not None
                else f"{BRIGHT[k]} dim on {DARK[k]}"
            )
            spans.append(Span(start, start + 1, style))
    return literal("\n".join(rows)).add_spans(spans)


class BoundaryView(Vertical):
    """The latest run's decision boundary with its legend and accuracy."""

    DEFAULT_CSS = """
    BoundaryView { height: auto; }
    BoundaryView #boundary-picture { width: auto; height: auto; text-wrap: nowrap; }
    BoundaryView #boundary-picture.-empty { width: 1fr; text-wrap: wrap; }
    BoundaryView #boundary-accuracy { text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        """The picture, then the legend and the accuracy under it."""
        yield Plain(PLACEHOLDER, id="boundary-picture", classes="-empty")  # wraps
        yield Plain("", id="boundary-legend")
        yield Plain("", id="boundary-accuracy")

    def show(self, picture: BoundaryPicture) -> None:
        """Draw ``picture`` (redrawn live while a run trains)."""
        picture_view = self.query_one("#boundary-picture", Plain)
        picture_view.remove_class("-empty")
        picture_view.update(boundary_text(picture))
        self.query_one("#boundary-legend", Plain).update(legend(picture.classes))
        self.query_one("#boundary-accuracy", Plain).update(accuracy_line(picture))

    def clear(self) -> None:
        """Back to the placeholder."""
        self.query_one("#boundary-picture", Plain).add_class("-empty").update(PLACEHOLDER)
        self.query_one("#boundary-legend", Plain).update("")
        self.query_one("#boundary-accuracy", Plain).update("")
