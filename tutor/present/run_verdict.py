"""What a finished training run says: its :class:`~tutor.training.RunVerdict` in words.

Provides :func:`verdict_text` (what happened and what to try, in a sentence or three,
keyed by the verdict's :class:`~tutor.training.results.RunOutcome`; only knobs the
step offers are suggested): the train view, ``lesson --plain`` and ``backprop-tutor
train`` word :func:`~tutor.training.results.judge_run`'s verdict with it; and
:func:`race_verdict_lines` (the verdicts of a race's runs, each after its label).
"""

from __future__ import annotations

from collections.abc import Sequence

from tutor.present.lines import Line
from tutor.text.numbers import format_distinct, format_number
from tutor.training import KNOB_TITLES
from tutor.training.results import Blame, RunOutcome, RunVerdict

TRY_PHRASES: dict[RunOutcome, tuple[tuple[str, str], ...]] = {
    RunOutcome.PLATEAU: (("init_scale", "a larger init scale"), ("seed", "another seed")),
    RunOutcome.SLOW: (("lr", "a larger learning rate"), ("epochs", "more epochs")),
    RunOutcome.TRAINED: (
        ("epochs", "more epochs"),
        ("lr", "another learning rate"),
        ("init_scale", "another init scale"),
    ),
    RunOutcome.SYMMETRIC: (("init", "a random init scheme (normal, xavier or he)"),),
}
"""What to try after each outcome, by the knob it needs (said only if the step offers it)."""
BLAME_ADVICE: dict[Blame, str] = {
    Blame.LARGER_LR: "A larger lr takes larger steps: try it nearer its first value.",
    Blame.LARGER_START: (
        "Larger or more starting weights make larger outputs and gradients, so every "
        "step is larger too: try the init scale (or width) nearer its first value."
    ),
    Blame.OTHER: "Try those back at their first values, or a smaller learning rate.",
}
"""What to do about a change from the block's settings that made a run go wrong."""


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _or(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _try(verdict: RunVerdict, options: Sequence[tuple[str, str]]) -> str:
    """ "Try a or b." from the options whose knob the learner may change ("" if none may)."""
    offered = verdict.offered
    said = [phrase for knob, phrase in options if offered is None or knob in offered]
    return f" Try {_or(said)}." if said else ""


def _blame(verdict: RunVerdict) -> str:
    """What changed from the block's settings, and what to try, for a run that went wrong."""
    if verdict.blame == Blame.NOTHING:
        return _try(verdict, (("lr", "a smaller learning rate"),)).lstrip()
    knobs, defaults = verdict.knobs, verdict.defaults
    assert knobs is not None and defaults is not None  # a change was found between them
    changes = [
        f"{KNOB_TITLES[name]} {defaults.display(name)} → {knobs.display(name)}"
        for name in verdict.changed
    ]
    return (
        f"Compared with the block's settings, this run changed {_and(changes)}. "
        + BLAME_ADVICE[verdict.blame]
    )


def verdict_text(verdict: RunVerdict) -> str:
    """What happened in the run and what to try next, in a sentence or three."""
    outcome, epochs = verdict.outcome, f"{verdict.epoch:,}"
    if outcome == RunOutcome.DIVERGED:
        return (
            f"The loss stopped being a number at epoch {epochs} (the marked epoch on the "
            "loss curve): each step moved the weights by lr × gradient, overshot, and the "
            "loss climbed until it overflowed. " + _blame(verdict)
        )
    if outcome == RunOutcome.NO_LOSS or verdict.first_loss is None or verdict.final_loss is None:
        return "No loss was recorded."
    start, end = format_distinct([verdict.first_loss, verdict.final_loss])
    change = f"the loss went from {start} to {end}"
    grads = format_number(verdict.largest_gradient)
    score = f"{verdict.right} of {verdict.examples} examples right"
    if outcome == RunOutcome.STOPPED:
        return f"Stopped at epoch {epochs}: {change}."
    if outcome == RunOutcome.SYMMETRIC:
        which = _and([f"layer {layer}" for layer in verdict.symmetric])
        scored = f"{score}, " if verdict.examples else ""
        return (
            f"The hidden units stayed identical: every unit of {which} ended with the same "
            f"weights ({scored}{change}). Units that start alike get the same gradients, so "
            "training can never tell them apart, whatever the scale, rate or length of the run."
            + _try(verdict, TRY_PHRASES[outcome])
        )
    if outcome == RunOutcome.PLATEAU:
        where = "every output sits at chance, " if verdict.at_chance else ""
        return (
            f"Stuck on a plateau: {change} in {epochs} epochs; {where}and the gradients are "
            f"tiny (largest ‖dL/dW‖ {grads}). Small gradients here mean stuck, not converged."
            + _try(verdict, TRY_PHRASES[outcome])
        )
    if outcome == RunOutcome.SLOW:
        return (
            f"The loss barely moved: {change} in {epochs} epochs, though the gradients are "
            f"not tiny (largest ‖dL/dW‖ {grads}). The steps are too short."
            + _try(verdict, TRY_PHRASES[outcome])
        )
    if outcome == RunOutcome.WORSE:
        why = (
            "Steps this large overshoot and push the units into saturation, where their "
            "slope is almost zero."
            if verdict.saturates
            else "Steps this large overshoot: each lands farther from the minimum than the last."
        )
        return f"The loss got worse: {change}. {why} {_blame(verdict)}".rstrip()
    if outcome == RunOutcome.LEARNED:
        every = "the example" if verdict.examples == 1 else f"all {verdict.examples} examples"
        return f"Learned: {every} right; {change}."
    said = score if verdict.examples else "Trained"
    if verdict.undecided:
        said += f", {verdict.undecided} undecided (output at chance)"
    return f"{said}: {change}." + _try(verdict, TRY_PHRASES[outcome])


def race_verdict_lines(labels: Sequence[str], verdicts: Sequence[str]) -> list[Line]:
    """``lr 1.0: Learned: …``: each run's verdict after its label (one run: the verdict alone)."""
    if len(verdicts) == 1 and not labels[0]:
        return [Line.of(verdicts[0])]
    return [Line.of(f"{label}: {said}") for label, said in zip(labels, verdicts, strict=True)]
