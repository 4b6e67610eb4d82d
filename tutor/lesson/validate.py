"""Checking a parsed lesson against the engine: references, runs, answers.

Provides :func:`validate_lesson`, which adds to a :class:`ParsedLesson` every
problem the parser cannot see on its own: a block naming a network that does not
exist, a network the engine cannot run (or whose loss is NaN/inf), predict targets
missing from the derivation's trace, train settings that do not fit the network,
gradient checks too large to run, quiz answers that cannot be computed (also at
the ends of their ``vary`` ranges), fixed questions and predictions whose answer a
common mistake gives too nearly to tell apart, question placeholders that name
nothing, duplicate quiz ids, and exercises whose files are missing or broken (or,
on request, whose reference solution fails its checks).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from tutor.answers.mistakes import Mistake
from tutor.answers.types import DEFAULT_TOLERANCE, Value
from tutor.engine import NetworkSpec, derive, gradient_check, sgd_step
from tutor.engine.entry_paths import expandable
from tutor.exercises.catalog import exercise_folder, load_exercise
from tutor.exercises.check import solution_problems
from tutor.exercises.model import SPEC
from tutor.formats.problem import Problem
from tutor.lesson.diagnoses import gradient_mistakes, mistakes_for, separable_mistakes
from tutor.lesson.model import (
    Block,
    DeriveBlock,
    ExerciseBlock,
    GradcheckBlock,
    NetworkBlock,
    QuizBlock,
    TrainBlock,
)
from tutor.lesson.parser import ParsedLesson
from tutor.lesson.quantities import (
    QuantityError,
    check_vary,
    evaluate,
    placeholder_text,
    vary_corners,
)
from tutor.text.boundary import shows_boundary
from tutor.text.numbers import format_distinct, format_value
from tutor.training.knobs import KnobError, check_fit, knobs_from_block, race
from tutor.training.run import build_network

MAX_GRADCHECK_PARAMETERS = 200
"""Central differences run two forward passes per parameter: keep the check quick."""
PLACEHOLDER = re.compile(r"\{[A-Za-z]\w*(\[[^\]]*\])?\}")
"""Anything that looks like a placeholder; those the question cannot fill in are reported."""


def validate_lesson(
    parsed: ParsedLesson, *, run_solutions: bool = False, solutions: list[Path] | None = None
) -> list[Problem]:
    """Add every engine-level problem of ``parsed`` to its problems; return them all.

    Problems of an exercise's own files follow, at their files' lines;
    ``run_solutions`` also runs each exercise's reference solution against its checks
    (in the sandbox), as ``backprop-tutor validate --run-solutions`` does.  Each
    reference solution found (run or not) is appended to ``solutions``.
    """
    if parsed.lesson is None:
        return parsed.problems
    checker = _Validator(parsed, run_solutions, solutions)
    for network in parsed.lesson.networks.values():
        checker.guarded(network, checker.network)
    quiz_lines: dict[str, int] = {}
    for step in parsed.lesson.steps:
        for block in step.blocks:
            if isinstance(block, QuizBlock):
                if block.id in quiz_lines:
                    checker.problem(
                        block,
                        "id",
                        f'quiz id "{block.id}" is already used by the quiz on line '
                        f"{quiz_lines[block.id]}",
                    )
                quiz_lines.setdefault(block.id, block.line)
            check = checker.checks.get(type(block))
            if check is not None:
                checker.guarded(block, check)
    parsed.problems.sort(key=lambda p: p.line)
    parsed.problems.extend(checker.elsewhere)
    return parsed.problems


class _Validator:
    """Runs the engine on each block of one lesson."""

    def __init__(
        self, parsed: ParsedLesson, run_solutions: bool, solutions: list[Path] | None
    ) -> None:
        self.parsed = parsed
        self.run_solutions = run_solutions
        self.solutions = [] if solutions is None else solutions
        self.elsewhere: list[Problem] = []
        """Problems in an exercise's own files."""
        self.exercises: dict[str, int] = {}
        assert parsed.lesson is not None
        self.networks = parsed.lesson.networks
        self.broken: set[str] = set()
        self.checks: dict[type, Callable] = {
            DeriveBlock: self.derive,
            TrainBlock: self.train,
            GradcheckBlock: self.gradcheck,
            QuizBlock: self.quiz,
            ExerciseBlock: self.exercise,
        }

    def problem(self, block: Block, key: str | tuple[str, ...] | None, message: str) -> None:
        keys = () if key is None else (key,) if isinstance(key, str) else key
        line = self.parsed.line_of(block, *keys) if keys else block.line
        self.parsed.problems.append(Problem(str(self.parsed.path), line, message))

    def guarded(self, block: Block, check: Callable) -> None:
        """Run ``check(block)``; an unexpected engine failure becomes a problem too."""
        try:
            check(block)
        except (ArithmeticError, ValueError, KeyError, IndexError) as exc:
            self.problem(block, None, f"the engine could not run this block: {exc}")

    def spec(
        self, block: DeriveBlock | TrainBlock | GradcheckBlock, kind: str
    ) -> NetworkSpec | None:
        """The network a block refers to, or None (reported) if it does not exist."""
        name = block.network
        found = self.networks.get(name)
        if found is None:
            self.problem(block, "network", f"{kind} block: {self.missing(name)}")
            return None
        return None if name in self.broken else found.spec

    def missing(self, name: str) -> str:
        """Why a referenced network is not there, for a problem message."""
        line = self.parsed.unusable_networks.get(name)
        if line is not None:
            return f'network "{name}" cannot be used: its block on line {line} has problems'
        known = ", ".join(f'"{n}"' for n in self.networks) or "none in this lesson"
        return f'no network "{name}" (networks: {known})'

    def network(self, block: NetworkBlock) -> None:
        loss = derive(block.spec).loss
        if not math.isfinite(loss):
            self.broken.add(block.id)
            self.problem(
                block, None, f'network "{block.id}": its loss is {loss}, not a finite number'
            )

    def derive(self, block: DeriveBlock) -> None:
        spec = self.spec(block, "derive")
        if spec is None:
            return
        trace = derive(spec).trace
        targets = {record.target for record in trace}
        sums = sorted(record.target for record in trace if expandable(record))
        for target in block.expand:
            if target in sums:
                continue
            if sums:
                why = f'"{target}" is no matrix product that adds several paths (those that do: '
                why += ", ".join(sums) + ")"
            else:
                why = "no product of it adds several paths: every entry comes by a single path"
            self.problem(block, "expand", f'derive block: network "{block.network}": {why}')
        for target in block.predict:
            if target not in targets:
                shown = ", ".join(sorted(targets))
                self.problem(
                    block,
                    "predict",
                    f'derive block: "{target}" is not a product of network "{block.network}" '
                    f"(its products: {shown})",
                )
        derivation = derive(spec)
        for target in block.predict:
            if target in targets:
                record = derivation.record_for(target)
                value = record.value.item() if record.value.size == 1 else record.value
                self.inseparable(
                    block,
                    "predict",
                    f'derive block: predicting "{target}"',
                    value,
                    gradient_mistakes(spec, record.node),
                    DEFAULT_TOLERANCE,
                )
        if block.lr is not None and not math.isfinite(derive(sgd_step(spec, block.lr)).loss):
            self.problem(block, "lr", f"derive block: one step with lr {block.lr} gives a NaN loss")

    def train(self, block: TrainBlock) -> None:
        spec = self.spec(block, "train")
        if spec is None:
            return
        has_hidden = len(spec.layers) > 1
        for knob, what in (("hidden", "width"), ("activation", "activation")):
            given = getattr(block, knob) is not None
            if not has_hidden and (given or knob in block.knobs):
                self.problem(
                    block,
                    knob if given else "knobs",
                    f'train block: network "{block.network}" has no hidden layer, '
                    f"so there is no hidden {what} to set",
                )
                cleared: dict[str, Any] = {knob: None}
                block = replace(block, **cleared)
        for name in block.show_params:
            if name not in spec.params():
                known = ", ".join(spec.params())
                self.problem(
                    block,
                    "show_params",
                    f'train block: network "{block.network}" has no parameter {name[:40]} '
                    f"(its parameters: {known})",
                )
        if block.boundary and not shows_boundary(spec):
            self.problem(
                block,
                "boundary",
                f'train block: network "{block.network}" is not a classifier of 2-D points '
                "(two inputs, and cross_entropy or a sigmoid output with binary_cross_entropy), "
                "so it has no decision boundary to draw",
            )
        knobs = knobs_from_block(block, spec)
        for checked, key in zip(race(knobs, block.compare), ("loss", "compare"), strict=False):
            try:
                check_fit(checked, spec)
            except KnobError as exc:
                self.problem(block, key, f"train block: {exc.reason}")
                return
        start = build_network(spec, knobs)
        loss = derive(start).loss
        if not math.isfinite(loss):
            self.problem(block, None, f"train block: the initial loss is {loss}, not a number")

    def gradcheck(self, block: GradcheckBlock) -> None:
        spec = self.spec(block, "gradcheck")
        if spec is None:
            return
        count = spec.parameter_count()
        if count > MAX_GRADCHECK_PARAMETERS:
            self.problem(
                block,
                "network",
                f'gradcheck block: network "{block.network}" has {count:,} parameters; '
                f"a gradient check runs two passes per parameter, so keep it to "
                f"{MAX_GRADCHECK_PARAMETERS}",
            )
            return
        check = gradient_check(spec, epsilon=block.epsilon, analytical_loss=block.backprop_loss)
        if not math.isfinite(check.relative_error):
            self.problem(block, None, "gradcheck block: the check gives NaN for this network")

    def quiz(self, block: QuizBlock) -> None:
        answer = block.answer
        found = self.networks.get(answer.network)
        if found is None:
            self.problem(block, "answer", f'quiz "{block.id}": {self.missing(answer.network)}')
            return
        if answer.network in self.broken:
            return
        spec = found.spec
        self.placeholders(block, spec)
        if not self.answer_at(block, spec, "answer", ""):
            return
        if not block.vary:
            expected = evaluate(block.answer, spec)
            mistakes = mistakes_for(block.answer, spec)
            self.inseparable(
                block, "answer", f'quiz "{block.id}"', expected, mistakes, block.tolerance
            )
            return
        for key in block.vary:
            try:
                check_vary({key: block.vary[key]}, spec)
            except QuantityError as exc:
                self.problem(block, ("vary", key), f'quiz "{block.id}": {exc}')
                return
        low, high = vary_corners(spec, block.vary)
        if self.answer_at(block, low, "vary", " with every [vary] entry at its low end"):
            self.answer_at(block, high, "vary", " with every [vary] entry at its high end")

    def answer_at(self, block: QuizBlock, spec: NetworkSpec, key: str, when: str) -> bool:
        """Whether the answer can be computed (and is finite) for ``spec``; report if not."""
        try:
            value = evaluate(block.answer, spec)
        except QuantityError as exc:
            self.problem(block, "answer", f'quiz "{block.id}": {exc}{when}')
            return False
        if not isinstance(value, tuple) and not np.all(np.isfinite(value)):
            self.problem(block, key, f'quiz "{block.id}": the answer is not a finite number{when}')
            return False
        return True

    def inseparable(
        self,
        block: Block,
        key: str,
        what: str,
        expected: Value,
        mistakes: tuple[Mistake, ...],
        tolerance: float,
    ) -> None:
        """Report the known mistakes that give nearly the answer itself."""
        for lost in separable_mistakes(expected, mistakes, tolerance)[1]:
            value = lost.value
            if (
                not isinstance(value, tuple)
                and not isinstance(expected, tuple)
                and np.size(value) == 1
                and np.size(expected) == 1
            ):
                wrong, right = format_distinct([float(value), float(expected)])
            else:
                wrong, right = format_value(lost.value), format_value(expected)
            self.problem(
                block,
                key,
                f'{what}: the common mistake "{lost.name}" gives {wrong}, too close to the '
                f"answer {right} to tell apart; change the network's numbers",
            )

    def placeholders(self, block: QuizBlock, spec: NetworkSpec) -> None:
        for match in PLACEHOLDER.finditer(block.question):
            if placeholder_text(match.group(0), spec, lr=block.answer.lr) is None:
                self.problem(
                    block,
                    "question",
                    f'quiz "{block.id}": {match.group(0)} names nothing in network '
                    f'"{block.answer.network}" (write {{x}}, {{t}}, {{W1}}, {{b1}}, {{W1[1,1]}}, '
                    "or {lr} when the answer has one)",
                )

    def exercise(self, block: ExerciseBlock) -> None:
        name = block.exercise
        if name in self.exercises:
            line = self.exercises[name]
            self.problem(
                block, "id", f'exercise "{name}" is already in this lesson, on line {line}'
            )
            return
        self.exercises[name] = block.line
        folder = exercise_folder(self.parsed.path.parent, name)
        if not (folder / SPEC).is_file():
            self.problem(
                block,
                "id",
                f'exercise "{name}": no {folder / SPEC} (an exercise lives in '
                "exercises/<id>/ beside the lesson)",
            )
            return
        entry = load_exercise(folder)
        self.elsewhere.extend(entry.problems)
        if entry.exercise is not None:
            self.solutions.append(entry.exercise.solution)
        if entry.exercise is not None and self.run_solutions:
            self.elsewhere.extend(solution_problems(entry.exercise))
