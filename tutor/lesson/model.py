"""The parts of a lesson, as plain dataclasses the UI renders.

A lesson is a Markdown file: TOML front matter between ``+++`` lines, a step per
level-2 heading, prose, and fenced blocks whose info string names their kind
(``network``, ``derive``, ``train``, ``gradcheck``, ``quiz``) and whose body is
TOML.  Every part keeps the 1-based line of the file it starts on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from tutor.formats.problem import Problem as Problem  # re-exported: a lesson's problems

if TYPE_CHECKING:  # not at run time: an outline of a lesson is read without NumPy
    from tutor.engine import NetworkSpec
    from tutor.formats.spec import TrainSettings

BLOCK_KINDS = ("network", "derive", "train", "gradcheck", "quiz", "exercise")


@dataclass(frozen=True)
class Prose:
    """Markdown text between blocks (code fences that are not blocks stay prose)."""

    text: str
    line: int


@dataclass(frozen=True)
class NetworkBlock:
    """A named network spec that later blocks refer to by ``id``."""

    id: str
    spec: NetworkSpec
    train: TrainSettings
    line: int
    drawn: str = ""  # how random weights were drawn ("normal, scale 1, seed 0"); "" if all given


@dataclass(frozen=True)
class DeriveBlock:
    """Step through a network's forward and backward pass, one product per key."""

    network: str
    line: int
    predict: tuple[str, ...] = ()  # targets such as "dL/dz2" the learner predicts first
    show_forward: bool = True
    lr: float | None = None  # after the last product, show one descent step at this rate
    expand: tuple[str, ...] = ()  # matrix products shown path by path, such as "dL/da1"
    caption: str = ""


@dataclass(frozen=True)
class TrainBlock:
    """Train a network on its own data, with knobs the learner may change."""

    network: str
    line: int
    epochs: int = 1000
    lr: float = 0.1
    optimizer: str = "sgd"
    init: str = "normal"  # normal | xavier | he | constant
    init_scale: float = 1.0
    seed: int = 0
    hidden: int | None = None  # width of every hidden layer; None keeps the network's
    activation: str | None = None  # activation of every hidden layer; None keeps the network's
    loss: str | None = None  # the loss to train on; None keeps the network's
    knobs: tuple[str, ...] = ()  # which of training.knobs.KNOBS the learner may change
    show_params: tuple[str, ...] = ()  # parameters listed after a run, e.g. ("W1",)
    record_every: int = 0  # 0: chosen from the number of epochs
    scale: str = "linear"  # the loss plot's y axis: linear | log
    compare: tuple[
        tuple[str, Any], ...
    ] = ()  # knobs a comparison run trained with each run changes
    batch_size: int = 0  # examples per step; 0: every example (full batch)
    boundary: bool = False  # draw the decision boundary (a 2-D classifier)
    caption: str = ""


@dataclass(frozen=True)
class GradcheckBlock:
    """Analytical against numerical gradients for a network."""

    network: str
    line: int
    backprop_loss: str | None = None  # gradients taken from another loss: a planted bug
    epsilon: float = 1e-5
    caption: str = ""


QuantityKind = Literal[
    "value", "grad", "loss", "param_after_step", "loss_after_step", "shape", "init_std"
]


@dataclass(frozen=True)
class Quantity:
    """An engine quantity a quiz answer names, e.g. ``grad W2 of tiny``.

    Forms: ``value NAME of NET`` (x, zi, ai, y), ``grad NAME of NET`` (dL/dNAME for
    Wi, bi, zi, ai), ``loss of NET``, ``NAME after one step of NET with lr LR``,
    ``loss after one step of NET with lr LR``, ``shape of grad NAME of NET``,
    ``shape of value NAME of NET``, ``he std of Wi of NET`` (or ``xavier``: the standard
    deviation the scheme draws Wi from).  NAME may pick one entry, 1-based: ``W1[2,1]``.
    """

    kind: QuantityKind
    network: str
    text: str
    name: str | None = None
    index: tuple[int, int] | None = None  # 0-based (row, column) once parsed
    lr: float | None = None
    of_value: bool = False  # a shape of the value NAME, not of its gradient
    scheme: str | None = None  # he | xavier, for an init_std


@dataclass(frozen=True)
class QuizBlock:
    """A question whose answer the engine computes."""

    id: str
    question: str  # Markdown; {x}, {t}, {W1}, … are replaced by the values used
    answer: Quantity
    hints: tuple[str, ...]
    line: int
    tolerance: float = 0.01  # relative
    vary: dict[str, tuple[float, float]] = field(default_factory=dict)  # "W1" -> (low, high)


@dataclass(frozen=True)
class ExerciseBlock:
    """A code exercise by id; its files live in ``exercises/<id>/`` beside the lesson."""

    exercise: str
    line: int
    caption: str = ""


@dataclass(frozen=True)
class Unread:
    """A block of a lesson read as an outline (its kind and line only), not read yet."""

    kind: str
    line: int


Block = NetworkBlock | DeriveBlock | TrainBlock | GradcheckBlock | QuizBlock | ExerciseBlock
Part = Prose | Block | Unread


@dataclass(frozen=True)
class Step:
    """One level-2 section of a lesson."""

    title: str
    parts: tuple[Part, ...]
    line: int

    @property
    def blocks(self) -> tuple[Block, ...]:
        """The interactive parts of the step."""
        return tuple(p for p in self.parts if not isinstance(p, Prose | Unread))

    @property
    def unread(self) -> bool:
        """Whether the step has a block not read yet (a step of an outline)."""
        return any(isinstance(p, Unread) for p in self.parts)


@dataclass(frozen=True)
class Lesson:
    """A parsed lesson file."""

    id: str
    title: str
    path: Path
    steps: tuple[Step, ...]
    number: str = ""
    summary: str = ""
    prerequisites: tuple[str, ...] = ()
    minutes: int | None = None
    networks: dict[str, NetworkBlock] = field(default_factory=dict)
    complete: bool = True
    """False for an outline: the steps and their prose, each block :class:`Unread`."""

    def network(self, network_id: str) -> NetworkSpec:
        """The spec of the network block with this id."""
        return self.networks[network_id].spec
