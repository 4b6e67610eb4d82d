"""Quiz quantities: parsing, values against hand derivations, records, vary, questions."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.helpers import sig
from tutor.answers.grade import grade
from tutor.answers.parse import parse_answer
from tutor.engine import LayerSpec, NetworkSpec
from tutor.lesson.model import NetworkBlock, Quantity
from tutor.lesson.quantities import (
    QuantityError,
    answer_kind,
    evaluate,
    parse_quantity,
    render_question,
    solution_records,
    vary_corners,
    vary_spec,
)

X, W1, W2, T = 1.0, 0.5, 0.8, 1.0


def tiny() -> NetworkSpec:
    """The walkthrough network: x = 1, w1 = 0.5, w2 = 0.8, sigmoid twice, ½(y − t)², t = 1."""
    return NetworkSpec(
        input=np.array([[X]]),
        target=np.array([[T]]),
        loss="half_squared_error",
        layers=(
            LayerSpec(np.array([[W1]]), None, "sigmoid"),
            LayerSpec(np.array([[W2]]), None, "sigmoid"),
        ),
        name="tiny",
    )


def hand() -> dict[str, float]:
    """The walkthrough derived by hand with math.exp."""
    a1 = sig(W1 * X)
    a2 = sig(W2 * a1)
    dz2 = (a2 - T) * a2 * (1 - a2)
    da1 = dz2 * W2
    dz1 = da1 * a1 * (1 - a1)
    return {
        "a1": a1,
        "a2": a2,
        "loss": 0.5 * (a2 - T) ** 2,
        "dz2": dz2,
        "dW2": dz2 * a1,
        "da1": da1,
        "dz1": dz1,
        "dW1": dz1 * X,
    }


def batch() -> NetworkSpec:
    """A 2 → 2 → 1 network with biases on 3 examples."""
    return NetworkSpec(
        input=np.array([[1.0, 2.0, -1.0], [0.5, -0.5, 1.0]]),
        target=np.array([[1.0, 0.0, 1.0]]),
        loss="half_squared_error",
        layers=(
            LayerSpec(np.array([[0.1, -0.2], [0.3, 0.4]]), np.array([[0.1], [-0.1]]), "tanh"),
            LayerSpec(np.array([[0.5, -0.6]]), np.array([[0.2]]), "sigmoid"),
        ),
        name="batch",
    )


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("value a1 of tiny", "a1"),
        ("value y of tiny", "a2"),
        ("loss of tiny", "loss"),
        ("grad z2 of tiny", "dz2"),
        ("grad W2 of tiny", "dW2"),
        ("grad a1 of tiny", "da1"),
        ("grad W1 of tiny", "dW1"),
    ],
)
def test_walkthrough_quantities_match_the_hand_derivation(text: str, key: str) -> None:
    assert evaluate(parse_quantity(text), tiny()) == pytest.approx(hand()[key], rel=1e-12)


def test_one_step_quantities_match_the_update_rule_by_hand() -> None:
    h = hand()
    w2_new = W2 - 0.1 * h["dW2"]
    w1_new = W1 - 0.1 * h["dW1"]
    assert evaluate(parse_quantity("W2 after one step of tiny with lr 0.1"), tiny()) == (
        pytest.approx(w2_new, rel=1e-12)
    )
    y_new = sig(w2_new * sig(w1_new * X))
    loss_new = evaluate(parse_quantity("loss after one step of tiny with lr 0.1"), tiny())
    assert loss_new == pytest.approx(0.5 * (y_new - T) ** 2, rel=1e-12)
    assert loss_new < h["loss"]


def test_entries_shapes_and_arrays_of_a_batch_network() -> None:
    spec = batch()
    # finite differences give the gradient of one entry independently of backprop
    eps = 1e-6
    plus, minus = spec.layers[0].W.copy(), spec.layers[0].W.copy()
    plus[1, 0] += eps
    minus[1, 0] -= eps
    loss = parse_quantity("loss of batch")
    numeric = (
        evaluate(loss, spec.with_params({"W1": plus}))
        - evaluate(loss, spec.with_params({"W1": minus}))
    ) / (2 * eps)
    entry = evaluate(parse_quantity("grad W1[2,1] of batch"), spec)
    assert entry == pytest.approx(numeric, rel=1e-6)
    whole = evaluate(parse_quantity("grad W1 of batch"), spec)
    assert isinstance(whole, np.ndarray) and whole.shape == (2, 2)
    assert whole[1, 0] == entry
    assert evaluate(parse_quantity("shape of grad W1 of batch"), spec) == (2, 2)
    assert evaluate(parse_quantity("shape of value z1 of batch"), spec) == (2, 3)
    assert evaluate(parse_quantity("value x[2,3] of batch"), spec) == 1.0


def test_evaluate_accepts_the_lessons_network_mapping() -> None:
    block = NetworkBlock("tiny", tiny(), None, 1)  # type: ignore[arg-type]
    assert evaluate(parse_quantity("grad W2 of tiny"), {"tiny": block}) == pytest.approx(
        hand()["dW2"]
    )
    with pytest.raises(QuantityError, match="no network `nope`"):
        evaluate(parse_quantity("grad W2 of nope"), {"tiny": block})


def test_parse_quantity_reads_spaces_and_entries() -> None:
    q = parse_quantity("  W1[ 2 , 1 ]  after one step of  net-2 with lr 0.05 ")
    assert q == Quantity(
        "param_after_step", "net-2", "W1[2,1] after one step of net-2 with lr 0.05",
        name="W1", index=(1, 0), lr=0.05,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("the gradient of W2", "can't read the answer"),
        ("grad W0 of tiny", "`W0` can't be used here"),
        ("grad x of tiny", "`x` can't be used here"),
        ("z1 after one step of tiny with lr 0.1", "`z1` can't be used here"),
        ("grad W1[0,1] of tiny", "numbered from 1"),
        ("grad W1[a,1] of tiny", "two whole numbers"),
        ("loss after one step of tiny with lr -1", "must be a positive number"),
        ("loss after one step of tiny with lr nan", "must be a positive number"),
        ("shape of grad W1[1,1] of tiny", "a single entry has no shape"),
    ],
)
def test_unreadable_quantities_say_why(text: str, message: str) -> None:
    with pytest.raises(QuantityError, match=message) as caught:
        parse_quantity(text)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("grad W3 of tiny", "has 2 layer"),
        ("grad b1 of tiny", "has no bias"),
        ("grad W1[1,2] of tiny", "outside it"),
    ],
)
def test_quantities_the_network_does_not_have(text: str, message: str) -> None:
    with pytest.raises(QuantityError, match=message):
        evaluate(parse_quantity(text), tiny())


def test_solution_records_are_the_chain_from_the_loss_to_the_node() -> None:
    records = solution_records(parse_quantity("grad W1 of tiny"), tiny())
    assert [r.target for r in records] == ["dL/da2", "dL/dz2", "dL/da1", "dL/dz1", "dL/dW1"]
    h = hand()
    assert float(records[-1].value.item()) == pytest.approx(h["dW1"], rel=1e-12)
    w2 = solution_records(parse_quantity("grad W2 of tiny"), tiny())
    assert [r.target for r in w2] == ["dL/da2", "dL/dz2", "dL/dW2"]
    assert solution_records(parse_quantity("value a1 of tiny"), tiny()) == ()


def test_vary_spec_draws_rounded_values_in_range_and_keeps_the_rest() -> None:
    rng = np.random.default_rng(3)
    vary = {"W1": (-1.0, 1.0), "input[1,2]": (0.5, 2.0)}
    spec = batch()
    seen = set()
    for _ in range(20):
        varied = vary_spec(spec, vary, rng)
        w1 = varied.layers[0].W
        assert np.all((w1 >= -1.0) & (w1 <= 1.0))
        assert np.array_equal(np.round(w1, 2), w1)
        assert 0.5 <= varied.input[0, 1] <= 2.0
        assert varied.input[0, 0] == spec.input[0, 0]
        assert np.array_equal(varied.layers[1].W, spec.layers[1].W)
        seen.add(float(w1[0, 0]))
    assert len(seen) > 5
    low, high = vary_corners(spec, vary)
    assert np.all(low.layers[0].W == -1.0) and high.input[0, 1] == 2.0
    with pytest.raises(QuantityError, match="can't be varied"):
        vary_spec(tiny(), {"b1": (0.0, 1.0)}, rng)


def test_render_question_replaces_known_names_only() -> None:
    text = "x = {x}, W2 = {W2}, t = {target}, lr {lr}, {W1[1,1]}, {y} {unknown} {{x}}"
    shown = render_question(text, tiny(), lr=0.1)
    assert shown == "x = 1, W2 = 0.8, t = 1, lr 0.1, 0.5, {y} {unknown} {1}"
    assert render_question("{W1}", batch()) == "[[0.1, −0.2], [0.3, 0.4]]"


def test_a_shape_answer_is_read_as_a_shape_and_graded_against_the_engine() -> None:
    q = parse_quantity("shape of grad W1 of batch")
    expected = evaluate(q, batch())
    assert answer_kind(q) == "shape" and answer_kind(parse_quantity("loss of tiny")) is None
    assert grade(parse_answer("(2, 2)", kind=answer_kind(q)), expected).outcome == "correct"


def test_a_missing_layer_is_counted_in_words() -> None:
    with pytest.raises(QuantityError, match=r"network `tiny` has 2 layers, so there is no W3"):
        evaluate(parse_quantity("grad W3 of tiny"), tiny())
    one = NetworkSpec(
        input=np.array([[X]]),
        target=np.array([[T]]),
        loss="half_squared_error",
        layers=(LayerSpec(np.array([[W1]]), None, "sigmoid"),),
        name="one",
    )
    with pytest.raises(QuantityError, match=r"network `one` has 1 layer, so there is no W2"):
        evaluate(parse_quantity("grad W2 of one"), one)


def test_a_shape_quantity_knows_whether_it_is_of_a_value_or_a_gradient() -> None:
    assert parse_quantity("shape of value a1 of tiny").of_value
    assert not parse_quantity("shape of grad a1 of tiny").of_value
    # the field decides, not the wording of the text: a value's shape needs no chain-rule records
    of_value = Quantity("shape", "tiny", "shape of a1", name="a1", of_value=True)
    of_grad = Quantity("shape", "tiny", "shape of a1", name="a1")
    assert solution_records(of_value, tiny()) == ()
    assert [r.target for r in solution_records(of_grad, tiny())] == [
        "dL/da2",
        "dL/dz2",
        "dL/da1",
    ]
    assert evaluate(of_value, tiny()) == evaluate(of_grad, tiny()) == (1, 1)


def three_way() -> NetworkSpec:
    """One linear layer of three logits on one example, softmax with cross-entropy."""
    return NetworkSpec(
        input=np.array([[1.0], [2.0]]),
        target=np.array([[0.0], [1.0], [0.0]]),
        loss="cross_entropy",
        layers=(LayerSpec(np.array([[0.5, -0.2], [0.1, 0.3], [-0.4, 0.2]]), None, "linear"),),
        name="three",
    )


def test_p_is_the_softmax_of_the_logits_by_hand() -> None:
    z = [0.5 - 0.4, 0.1 + 0.6, -0.4 + 0.4]
    total = sum(math.exp(v) for v in z)
    p = evaluate(parse_quantity("value p of three"), three_way())
    assert np.allclose(np.ravel(p), [math.exp(v) / total for v in z])
    second = evaluate(parse_quantity("value p[2,1] of three"), three_way())
    assert second == pytest.approx(math.exp(z[1]) / total)
    dz = evaluate(parse_quantity("grad z1 of three"), three_way())
    assert np.allclose(np.ravel(dz), np.ravel(p) - [0.0, 1.0, 0.0])  # p − t


def test_p_needs_a_cross_entropy_network() -> None:
    with pytest.raises(
        QuantityError, match=r"p \(the softmax probabilities\) belongs to a cross_entropy"
    ):
        evaluate(parse_quantity("value p of tiny"), tiny())
    with pytest.raises(QuantityError, match="can't be used here"):
        parse_quantity("grad p of tiny")
