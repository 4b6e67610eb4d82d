"""Checker ``deep-network``: a softmax classifier of any depth, written as a loop over layers.

The learner's ``DeepNetwork(params, hidden)`` has ``forward(x) → p``,
``backward(p, t) → gradients`` and ``update_weights(gradients, lr)``; hidden layers
are ReLU or tanh, the output layer is linear with softmax, and the loss is the
mean over the m columns of −Σ t·log p.  Cases of depth 2 to 5 with several widths
and batch sizes and both activations, one with logits above 1000; the inputs are
kept in the child and compared after each call, so a method that changes them is
caught.  Then the learner's own network trains on the spirals and the check
shows its decision boundary and test accuracy beside the engine's own run.  The
right values come from :func:`tutor.engine.derive`, the named mistakes from
:mod:`tutor.engine.deep_variants`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tutor.engine import LayerSpec, NetworkSpec, TrainConfig, derive, init_layers, predict, train
from tutor.engine import deep_variants as dv
from tutor.engine.boundary import Plane, accuracy
from tutor.engine.datasets import make_dataset
from tutor.engine.functions import ACTIVATIONS, softmax
from tutor.engine.network import sgd_step
from tutor.exercises import variants
from tutor.exercises.judge import CheckResult, Expected, Variant, judge, not_run
from tutor.exercises.plan import Built, Plan, Results, ref, results_of
from tutor.exercises.protocol import Returned
from tutor.text.boundary import ROWS, boundary_picture, percent, picture_lines
from tutor.text.numbers import format_number

CLASS = "DeepNetwork"
METHODS = ("__init__", "forward", "backward", "update_weights")
SPIRAL_SIZES = (2, 16, 16, 3)
SPIRAL_EPOCHS = 500
SPIRAL_LR = 1.0
SPIRAL_COLS = 2 * ROWS
LARGE_CASE = 4
"""The case whose logits are scaled past 1000."""
ACCURACY_SLACK = 0.05
"""The learner's test accuracy may fall this far below the engine's run and still pass."""

SLOPE_MESSAGES = {
    "relu": "ReLU′ taken as the ReLU: its slope is 1 where z > 0 and 0 elsewhere "
    "((z > 0) as floats; ReLU′(0) = 0 by convention), not max(z, 0)",
    "tanh": "tanh′ taken as tanh: tanh′(z) = 1 − tanh(z)², i.e. 1 − a²",
}
MESSAGES = {
    "no_mean": "1/m forgotten: the loss is the mean over the m examples, so the output's "
    "gradient is dL/dz_L = (p − t)/m",
    "own_output": "off by one: dL/dW_l = dL/dz_l · a_(l−1)ᵀ takes the layer's input "
    "(a_0 = x), not its own output a_l",
    "not_transposed": "W not transposed going back: dL/da_(l−1) = W_lᵀ · dL/dz_l",
    "bias_not_summed": "the bias gradient is not summed over the examples: dL/db_l is "
    "dL/dz_l summed along each row (keepdims=True)",
    "first_layer_skipped": "a layer skipped: the loop going back stops before layer 1 "
    "(for l from L down to 1, e.g. range(L, 0, -1))",
    "dict_per_layer": "gradients overwritten across layers: only the last pass of the loop "
    "survives; make the gradients dict once, before the loop, and add W_l and b_l to it",
}
UNSTABLE = (
    "softmax not stabilised: exp(z) overflows above z ≈ 709; subtract each column's "
    "largest logit (max over axis 0, keepdims=True) before exp — the probabilities do not change"
)
UPDATE_ADDED = "the update added: gradient descent subtracts, W ← W − lr·dL/dW"


@dataclass(frozen=True)
class Case:
    """One network and batch: parameters, data, hidden activation, and its name."""

    params: dict[str, np.ndarray]
    x: np.ndarray
    t: np.ndarray
    hidden: str
    name: str
    lr: float

    @property
    def spec(self) -> NetworkSpec:
        """The engine's network for this case."""
        count = dv.layer_count(self.params)
        layers = tuple(
            LayerSpec(
                self.params[f"W{i}"],
                self.params[f"b{i}"],
                self.hidden if i < count else "linear",
            )
            for i in range(1, count + 1)
        )
        return NetworkSpec(self.x, self.t, "cross_entropy", layers)

    @property
    def large(self) -> bool:
        """Whether the logits go past 1000 (where an unstabilised softmax overflows)."""
        return bool(np.abs(predict(self.spec)).max() > 1000)


def _sizes(rng: np.random.Generator) -> list[tuple[tuple[int, ...], int, str]]:
    """Layer widths, batch size and hidden activation: depths 2 to 5, square layers in one."""
    distinct = [int(n) for n in rng.permutation(np.arange(2, 9))[:4]]
    square = int(rng.integers(3, 7))
    return [
        ((distinct[0], distinct[1], distinct[2]), distinct[3], "relu"),
        (tuple(int(n) for n in rng.integers(2, 7, size=4)), int(rng.integers(2, 9)), "tanh"),
        ((int(rng.integers(2, 5)), square, square, square, 4), int(rng.integers(3, 9)), "relu"),
        ((3, square, square, square, square, 3), int(rng.integers(2, 6)), "tanh"),
        ((3, 5, 4, 3), 4, "relu"),  # the logits are scaled past 1000 below
    ]


def _cases(rng: np.random.Generator) -> list[Case]:
    cases = []
    for i, (sizes, m, hidden) in enumerate(_sizes(rng)):
        params = {}
        for layer, (n_in, n_out) in enumerate(itertools.pairwise(sizes), 1):
            params[f"W{layer}"] = rng.normal(size=(n_out, n_in)) * np.sqrt(2.0 / n_in)
            params[f"b{layer}"] = 0.5 * rng.normal(size=(n_out, 1))
        x = rng.normal(size=(sizes[0], m))
        t = np.eye(sizes[-1])[:, rng.integers(0, sizes[-1], size=m)]
        name = f"case {i + 1}: sizes {'-'.join(map(str, sizes))}, {hidden}, m = {m}"
        case = Case(params, x, t, hidden, name, float(rng.uniform(0.1, 1.0)))
        if i == LARGE_CASE:  # logits past ±1000, the first class's above 1000 in every column
            last = len(sizes) - 1
            params[f"W{last}"] *= 1500.0 / np.abs(predict(case.spec)).max()
            params[f"b{last}"][0] += 2000.0
            case = Case(params, x, t, hidden, name + ", logits above 1000", case.lr)
        cases.append(case)
    return cases


def _param_gradients(case: Case) -> dict[str, np.ndarray]:
    gradients = derive(case.spec).gradients
    return {name: gradients[name] for name in case.params}


def _probabilities(spec: NetworkSpec) -> np.ndarray:
    return softmax(predict(spec))


def _forward_expected(case: Case) -> Expected:
    spec = case.spec
    z = predict(spec)
    act = ACTIVATIONS[case.hidden]
    return Expected(
        softmax(z),
        (
            Variant(
                f"the {case.hidden} is applied to the output layer too: its z_L goes to "
                "softmax as it is",
                softmax(act.forward(z)),
            ),
            Variant("the logits are returned: p = softmax(z_L)", z),
            Variant(
                "softmax across the examples (axis=1): normalise each column", softmax(z, axis=1)
            ),
        ),
        case.name,
    )


def _gradient_expected(case: Case) -> tuple[dict[str, Expected], dict[str, set[str]]]:
    """Per parameter: the engine's gradient and the mistakes' values; the mistakes' key sets."""
    right = derive(case.spec).gradients
    wrong = {
        mistake: dv.gradients_with_mistake(case.params, case.x, case.t, case.hidden, mistake)
        for mistake in dv.MISTAKES
    }
    messages = {**MESSAGES, "slope_is_value": SLOPE_MESSAGES[case.hidden]}
    expected = {}
    for name in case.params:
        found = [
            Variant(messages[mistake], grads[name])
            for mistake, grads in wrong.items()
            if name in grads
            and not (
                grads[name].shape == right[name].shape and np.allclose(grads[name], right[name])
            )
        ]
        if name in ("W1", "b1"):
            found.append(Variant(MESSAGES["first_layer_skipped"], np.zeros_like(right[name])))
        expected[name] = Expected(right[name], tuple(found), case.name)
    keys: dict[str, set[str]] = {mistake: set(grads) for mistake, grads in wrong.items()}
    return expected, keys


def _update_expected(case: Case) -> Expected:
    spec = case.spec
    gradients = derive(spec).gradients
    replaced = {name: case.lr * gradients[name] for name in case.params}
    return Expected(
        _probabilities(sgd_step(spec, case.lr)),
        (
            Variant(UPDATE_ADDED, _probabilities(sgd_step(spec, -case.lr))),
            Variant(
                "the learning rate is left out: W ← W − lr·dL/dW",
                _probabilities(sgd_step(spec, 1.0)),
            ),
            Variant(
                "the weights did not change: update the network's own arrays "
                "(self.params[name] -= lr * gradients[name])",
                _probabilities(spec),
            ),
            Variant(
                "`=` where `-=` belongs: W = lr·dL/dW replaces the weights by the step; "
                "W -= lr·dL/dW takes the step from them",
                softmax(variants.output_with_params(spec, replaced)),
            ),
        ),
        f"{case.name}, lr = {format_number(case.lr)}; checked by running forward after the update",
    )


class _Spirals:
    """The spirals run: the data, the learner's steps, and the engine's own run to compare."""

    def __init__(self, rng: np.random.Generator) -> None:
        data = make_dataset("spirals", classes=3, points=80, test=0.25, seed=0)
        layers = init_layers(SPIRAL_SIZES, ("relu", "relu", "linear"), rng, scheme="he", bias=True)
        self.spec = NetworkSpec(
            data.x_train,
            data.t_train,
            "cross_entropy",
            layers,
            test_input=data.x_test,
            test_target=data.t_test,
        )
        self.plane = Plane.around(data.x_train, data.x_test)
        self.grid = self.plane.cell_centres(SPIRAL_COLS, ROWS)
        config = TrainConfig(epochs=SPIRAL_EPOCHS, lr=SPIRAL_LR, record_every=SPIRAL_EPOCHS)
        final = list(train(self.spec, config))[-1]
        trained = self.spec.with_params(final.params) if final.params is not None else self.spec
        self.engine_accuracy = accuracy(trained, data.x_test, data.t_test)

    def add_steps(self, plan: Plan) -> None:
        """Train the learner's own network (full batch) and report its predictions."""
        params = self.spec.params()
        what = f"training your {CLASS} on the spirals"
        plan.keep("spiral_x", self.spec.input)
        plan.keep("spiral_t", self.spec.target)
        plan.new(CLASS, [params, "relu"], keep="spiral", what=f"{CLASS}(params, 'relu') {what}")
        for _ in range(SPIRAL_EPOCHS):
            plan.call("spiral.forward", [ref("spiral_x")], keep="spiral_p", what=what)
            plan.call("spiral.backward", [ref("spiral_p"), ref("spiral_t")], keep="g", what=what)
            plan.call("spiral.update_weights", [ref("g"), SPIRAL_LR], what=what)
        for report, x in (
            ("spiral-train", self.spec.input),
            ("spiral-test", self.spec.test_input),
            ("spiral-grid", self.grid),
        ):
            plan.call("spiral.forward", [x], report=report, what=f"forward after {what}")

    def judged(self, results: Results, gradients_right: bool) -> CheckResult:
        """Test accuracy and the learner's decision boundary."""
        name = "spirals: your network trained"
        found = [results.get(r) for r in ("spiral-train", "spiral-test", "spiral-grid")]
        if any(r is None or r.array is None for r in found):
            return not_run(name, "your code stopped before the spirals were trained")
        train_p, test_p, grid_p = (r.array for r in found if r is not None and r.array is not None)
        if grid_p.shape != (3, SPIRAL_COLS * ROWS) or not np.all(np.isfinite(grid_p)):
            return CheckResult(name, False, "forward gave no finite probabilities on the plane")
        assert self.spec.test_target is not None
        picture = boundary_picture(
            self.plane,
            np.argmax(grid_p, axis=0).reshape(ROWS, SPIRAL_COLS),
            self.spec.input,
            self.spec.target,
            np.argmax(train_p, axis=0),
            (self.spec.test_target, np.argmax(test_p, axis=0)),
        )
        yours = picture.test_accuracy or 0.0
        passed = gradients_right and yours >= self.engine_accuracy - ACCURACY_SLACK
        message = (
            f"test accuracy {percent(yours)} after {SPIRAL_EPOCHS} epochs at lr {SPIRAL_LR:g} "
            f"(the engine's own run: {percent(self.engine_accuracy)})"
        )
        picture_text = "\n".join("    " + line for line in picture_lines(picture))
        return CheckResult(name, passed, f"{message}\n{picture_text}")


def build(rng: np.random.Generator) -> Built:
    """Five networks of depth 2 to 5, then the spirals; the engine's results and mistakes."""
    plan = Plan(classes={CLASS: METHODS})
    cases = _cases(rng)
    for i, case in enumerate(cases):
        plan.new(CLASS, [case.params, case.hidden], keep=f"net{i}", what=f"{CLASS} in {case.name}")
        plan.keep(f"x{i}", case.x)
        plan.call(
            f"net{i}.forward",
            [ref(f"x{i}")],
            keep=f"p{i}",
            report=f"p/{i}",
            what=f"forward in {case.name}",
        )
        plan.value(f"x{i}", what="x after forward", report=f"x-after/{i}", needs=[f"p{i}"])
        plan.keep(f"t{i}", case.t)
        plan.call(
            f"net{i}.backward",
            [ref(f"p{i}"), ref(f"t{i}")],
            keep=f"back{i}",
            report=f"grads/{i}",
            what=f"backward in {case.name}",
        )
        plan.value(f"t{i}", what="t after backward", report=f"t-after/{i}", needs=[f"back{i}"])
    for i, case in enumerate(cases):
        plan.keep(f"g{i}", _param_gradients(case))
        plan.call(
            f"net{i}.update_weights",
            [ref(f"g{i}"), case.lr],
            keep=f"update{i}",
            what=f"update in {case.name}",
        )
        plan.value(
            f"g{i}",
            what="gradients after update_weights",
            report=f"g-after/{i}",
            needs=[f"update{i}"],
        )
        plan.call(f"net{i}.forward", [case.x], report=f"after/{i}", what="forward after update")
    spirals = _Spirals(rng)
    spirals.add_steps(plan)

    forward = [_forward_expected(case) for case in cases]
    gradient_parts = [_gradient_expected(case) for case in cases]
    update = [_update_expected(case) for case in cases]
    depth = max(dv.layer_count(case.params) for case in cases)

    def judged(results: Results) -> list[CheckResult]:
        count = len(cases)
        checks = [_stable(judge("forward: p", forward, results_of(results, "p", count)), cases)]
        grads = results_of(results, "grads", count)
        keys_check = _keys(grads, cases, [keys for _, keys in gradient_parts])
        if keys_check is not None:
            checks.append(keys_check)
        for name in [f"{kind}{layer}" for layer in range(1, depth + 1) for kind in "Wb"]:
            having = [i for i, case in enumerate(cases) if name in case.params]
            result = judge(
                f"backward: dL/d{name}",
                [gradient_parts[i][0][name] for i in having],
                [None if (got := grads[i]) is None else _item(got, name) for i in having],
            )
            checks.append(_stable(result, [cases[i] for i in having]))
        checks.append(_unchanged(results, cases))
        after = results_of(results, "after", count)
        if checks[0].passed or None in after:
            checks.append(judge("update_weights", update, after))
        else:
            checks.append(not_run("update_weights", "it is checked through forward, which fails"))
        checks.append(spirals.judged(results, all(c.passed for c in checks)))
        return checks

    return Built(plan, judged)


def _item(returned: Returned, key: str) -> Returned:
    if returned.items is None:
        return Returned(description=f"{returned.description or 'an array'} instead of a dict")
    return returned.items.get(key, Returned(description=f"a dict without the key {key!r}"))


def _keys(
    grads: Sequence[Returned | None], cases: Sequence[Case], wrong: Sequence[dict[str, set[str]]]
) -> CheckResult | None:
    """A check of the gradient dict's keys when some are missing, naming the mistake."""
    for returned, case, keys in zip(grads, cases, wrong, strict=True):
        if returned is None or returned.items is None:
            continue
        got, want = set(returned.items), set(case.params)
        if got == want:
            continue
        missing = ", ".join(sorted(want - got, key=lambda k: (int(k[1:]), k[0]))) or "none"
        diagnosis = next((MESSAGES[m] for m, k in keys.items() if k == got and k != want), None)
        return CheckResult(
            "backward: the gradients' keys",
            False,
            f"missing {missing} ({case.name}); the dict needs the keys of params",
            diagnosis,
        )
    return None


def _stable(result: CheckResult, cases: Sequence[Case]) -> CheckResult:
    """A failure with NaN or infinity in the large-logit case is the unstabilised softmax."""
    large = [case for case in cases if case.large]
    if result.passed or not large or "NaN or infinity" not in result.message:
        return result
    overflowed = any(
        not np.all(np.isfinite(dv.softmax_probabilities(c.params, c.x, c.hidden, stable=False)[0]))
        for c in large
    )
    return CheckResult(result.name, False, result.message, UNSTABLE if overflowed else None)


def _unchanged(results: Results, cases: Sequence[Case]) -> CheckResult:
    """x, t and the gradients handed to the learner's methods must come back unchanged."""
    name = "inputs left unchanged"
    for i, case in enumerate(cases):
        sent = {
            "x-after": ("x", "forward", case.x),
            "t-after": ("t", "backward", case.t),
        }
        for report, (what, method, value) in sent.items():
            got = results.get(f"{report}/{i}")
            if got is None:
                return not_run(name, "your code stopped before it")
            if got.array is None or not np.array_equal(got.array, value):
                return CheckResult(
                    name,
                    False,
                    f"{method} changed its argument {what} ({case.name}); work on new arrays "
                    "(a = a * b, not a *= b) so the caller's data stays as it was",
                )
        got = results.get(f"g-after/{i}")
        if got is None:
            return not_run(name, "your code stopped before it")
        right = _param_gradients(case)
        items = got.items
        if items is None or not all(_equal(items.get(k), v) for k, v in right.items()):
            return CheckResult(
                name,
                False,
                f"update_weights changed the gradients it was given ({case.name}); change only "
                "the network's own parameters",
            )
    return CheckResult(name, True, f"x, t and the gradients are unchanged ({len(cases)} cases)")


def _equal(got: Returned | None, value: np.ndarray) -> bool:
    """Whether the learner returned an array equal to ``value``, entry for entry."""
    return got is not None and got.array is not None and np.array_equal(got.array, value)
