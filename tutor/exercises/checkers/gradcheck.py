"""Checker ``gradcheck``: the learner's own numerical gradient check, tried on planted bugs.

``numerical_gradient(loss, params, epsilon)`` returns central differences for
every parameter and leaves ``params`` as it found them; ``gradient_check(loss,
params, gradients, epsilon)`` returns the relative error ‖a − n‖ / (‖a‖ + ‖n‖)
over all parameters together.  The checker hands it the engine's loss of a
small network, the right gradients (which must pass) and gradients with known
bugs planted by the engine (which must fail, with the engine's own error).
"""

from __future__ import annotations

import itertools

import numpy as np

from tutor.engine import PASS_THRESHOLD, NetworkSpec, derive
from tutor.engine import variants as engine_variants
from tutor.engine.gradcheck import EPSILON, numerical_gradients, relative_error
from tutor.exercises import variants
from tutor.exercises.judge import CheckResult, Expected, Variant, judge, not_run
from tutor.exercises.plan import Built, Plan, Results, item, loss_of, ref, results_of
from tutor.exercises.protocol import Returned
from tutor.text.numbers import format_number

LOSS = "squared_error"
BUGS = {
    "factor 2": "gradients of ½(y − t)² for a loss of (y − t)²",
    "sign flipped": "every gradient with its sign flipped",
    "derivative left out": "the sigmoid's derivative left out at layer 1",
    "1/m forgotten": "gradients summed over the examples instead of averaged",
}


def _planted(spec: NetworkSpec, right: dict[str, np.ndarray]) -> dict[str, dict[str, np.ndarray]]:
    """Each bug's gradients, computed by the engine."""
    return {
        "factor 2": engine_variants.gradients_with_loss(spec, "half_squared_error"),
        "sign flipped": {name: -g for name, g in right.items()},
        "derivative left out": engine_variants.gradients_with_slopes(spec, {1: "one"}),
        "1/m forgotten": {n: engine_variants.summed_over_examples(spec, n) for n in right},
    }


def _flat(gradients: dict[str, np.ndarray], names: list[str]) -> np.ndarray:
    return np.concatenate([np.asarray(gradients[n]).ravel() for n in names])


def _error_variants(
    analytic: np.ndarray, numeric: np.ndarray, per_param: list[float]
) -> tuple[Variant, ...]:
    """Known wrong ways to turn two gradients into one number."""
    difference = float(np.linalg.norm(analytic - numeric))
    return (
        Variant(
            "the absolute difference ‖a − n‖: divide by ‖a‖ + ‖n‖, so the size of the "
            "gradients does not decide",
            np.array(difference),
        ),
        Variant(
            "divided by ‖n‖ only: the relative error is ‖a − n‖ / (‖a‖ + ‖n‖)",
            np.array(difference / float(np.linalg.norm(numeric))),
        ),
        Variant(
            "the largest error of one parameter: compare all parameters together",
            np.array(max(per_param)),
        ),
    )


def build(rng: np.random.Generator) -> Built:
    """Two small networks; the engine's numerical gradients and each planted bug's error."""
    plan = Plan(functions=("numerical_gradient", "gradient_check"))
    numeric_expected, restored = [], []
    bug_expected: dict[str, list[Expected]] = {bug: [] for bug in BUGS}
    cases = []
    sizes_list = [(3, 4, 2), (int(rng.integers(1, 4)), int(rng.integers(2, 5)), 1)]
    for i, sizes in enumerate(sizes_list):
        m = int(rng.integers(3, 6))
        params = {}
        for k, (n_in, n_out) in enumerate(itertools.pairwise(sizes), start=1):
            params[f"W{k}"] = rng.normal(size=(n_out, n_in))
            params[f"b{k}"] = 0.5 * rng.normal(size=(n_out, 1))
        x, t = rng.normal(size=(sizes[0], m)), rng.uniform(0.0, 1.0, size=(sizes[-1], m))
        spec = variants.network(params, x, t, "sigmoid", LOSS)
        names = list(spec.params())
        case = f"case {i + 1}: sizes {'-'.join(map(str, sizes))}, m = {m}"
        cases.append(case)
        loss = loss_of(x, t, ["sigmoid"] * (len(sizes) - 1), LOSS)
        plan.keep(f"params{i}", params)
        plan.call(
            "numerical_gradient",
            [loss, ref(f"params{i}"), EPSILON],
            keep=f"numeric{i}",
            report=f"numeric/{i}",
            what=f"numerical_gradient in {case}",
        )  # params are judged only once it ran: a call that raised changed nothing to credit
        plan.value(f"params{i}", report=f"params/{i}", what="", needs=[f"numeric{i}"])
        right = {name: g for name, g in derive(spec).gradients.items() if name in names}
        plan.call(
            "gradient_check",
            [loss, params, right, EPSILON],
            report=f"right/{i}",
            what=f"gradient_check with the right gradients in {case}",
        )
        numeric = numerical_gradients(spec, EPSILON)
        numeric_flat = _flat(numeric, names)
        numeric_expected.append(
            Expected(
                numeric_flat,
                (
                    Variant(
                        "divided by ε instead of 2ε: the two points are 2ε apart", 2 * numeric_flat
                    ),
                    Variant(
                        "a one-sided difference (L(θ + ε) − L(θ))/ε: use central differences, "
                        "(L(θ + ε) − L(θ − ε))/2ε",
                        _flat(numerical_gradients(spec, EPSILON, one_sided=True), names),
                    ),
                    Variant("sign flipped: L(θ + ε) comes first", -numeric_flat),
                ),
                case,
            )
        )
        restored.append((params, names, case))
        for bug, gradients in _planted(spec, right).items():
            plan.call(
                "gradient_check",
                [loss, params, {n: gradients[n] for n in names}, EPSILON],
                report=f"{bug}/{i}",
                what=f"gradient_check with {BUGS[bug]} in {case}",
            )
            analytic = _flat(gradients, names)
            per_param = [relative_error(gradients[n], numeric[n]) for n in names]
            bug_expected[bug].append(
                Expected(
                    np.array(relative_error(analytic, numeric_flat)),
                    _error_variants(analytic, numeric_flat, per_param),
                    case,
                )
            )

    def judged(results: Results) -> list[CheckResult]:
        count = len(cases)
        checks = [
            judge(
                "numerical_gradient",
                numeric_expected,
                [
                    _flattened(r, names)
                    for r, (_, names, _) in zip(
                        results_of(results, "numeric", count), restored, strict=True
                    )
                ],
            ),
            _restored(results_of(results, "params", count), restored),
            _passes_right(results_of(results, "right", count), cases),
        ]
        for bug, text in BUGS.items():
            got = results_of(results, bug, count)
            checks.append(judge(f"gradient_check catches {text}", bug_expected[bug], got))
        return checks

    return Built(plan, judged)


def _flattened(returned: Returned | None, names: list[str]) -> Returned | None:
    """The learner's dict of gradients as one vector in the parameters' order."""
    if returned is None:
        return None
    arrays = []
    for part in (item(returned, name) for name in names):
        if part.array is None:
            return part
        arrays.append(part.array.ravel())
    return Returned(array=np.concatenate(arrays))


def _restored(
    found: list[Returned | None], cases: list[tuple[dict, list[str], str]]
) -> CheckResult:
    name = "numerical_gradient leaves params unchanged"
    for returned, (params, names, case) in zip(found, cases, strict=True):
        if returned is None:
            return not_run(name, "your code raised an error or stopped before returning it")
        for key in names:
            now = item(returned, key).array
            if (
                now is None
                or now.shape != params[key].shape
                or not np.allclose(now, params[key], rtol=0, atol=1e-12)
            ):
                return CheckResult(
                    name,
                    False,
                    f"params[{key!r}] changed ({case})",
                    "put every entry back after perturbing it: θ[i] = old value",
                )
    return CheckResult(name, True, "every parameter as it was")


def _passes_right(found: list[Returned | None], cases: list[str]) -> CheckResult:
    name = "gradient_check passes the right gradients"
    worst = 0.0
    for returned, case in zip(found, cases, strict=True):
        if returned is None:
            return not_run(name, "your code raised an error or stopped before returning it")
        array = returned.array
        if array is None or array.size != 1:
            shape = "no array" if array is None else f"an array of shape {array.shape}"
            what = returned.description or shape
            return CheckResult(name, False, f"returned {what}, not one number (the relative error)")
        value = float(array.item())
        if not value < PASS_THRESHOLD:
            return CheckResult(
                name,
                False,
                f"returned {format_number(value, 3)} for gradients that are right ({case}); "
                f"it should be below {format_number(PASS_THRESHOLD)}",
            )
        worst = max(worst, value)
    return CheckResult(name, True, f"returned at most {format_number(worst, 2)}")
