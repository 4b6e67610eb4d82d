"""Engine speed: XOR 2-4-1 training against a hand-written NumPy loop (and PyTorch if present).

Run: ``python bench/engine_speed.py``.  Prints medians of several runs of 5,000
full-batch epochs (init 1.0, lr 1.0), the time of one traced derivation of the
walkthrough network, and last the ratio ``engine/numpy: R``.
Targets: R ≤ 1.25; the walkthrough trace ≤ 1 ms.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np

from tutor.engine import LayerSpec, NetworkSpec, TrainConfig, derive, init_layers, train

EPOCHS, LR, RUNS = 5000, 1.0, 7
X = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
T = np.array([[0.0, 1.0, 1.0, 0.0]])


def xor_spec(seed: int = 0) -> NetworkSpec:
    layers = init_layers((2, 4, 1), ("sigmoid", "sigmoid"), np.random.default_rng(seed))
    return NetworkSpec(input=X, target=T, loss="half_squared_error", layers=layers)


def engine_run() -> float:
    *_, last = train(xor_spec(), TrainConfig(epochs=EPOCHS, lr=LR, record_every=EPOCHS))
    return last.loss


def numpy_run() -> float:
    """The same network and loss (mean of ½(y − t)²), written out by hand."""
    spec = xor_spec()
    W1, b1 = spec.layers[0].W.copy(), spec.layers[0].b.copy()
    W2, b2 = spec.layers[1].W.copy(), spec.layers[1].b.copy()
    m = X.shape[1]
    for _ in range(EPOCHS):
        a1 = 1 / (1 + np.exp(-(W1 @ X + b1)))
        a2 = 1 / (1 + np.exp(-(W2 @ a1 + b2)))
        dz2 = (a2 - T) / m * a2 * (1 - a2)
        dz1 = (W2.T @ dz2) * a1 * (1 - a1)
        W2 -= LR * dz2 @ a1.T
        b2 -= LR * dz2.sum(axis=1, keepdims=True)
        W1 -= LR * dz1 @ X.T
        b1 -= LR * dz1.sum(axis=1, keepdims=True)
    a2 = 1 / (1 + np.exp(-(W2 @ (1 / (1 + np.exp(-(W1 @ X + b1)))) + b2)))
    return float(np.mean(0.5 * (a2 - T) ** 2))


def torch_run() -> float | None:
    try:
        import torch
    except ImportError:
        return None
    spec = xor_spec()
    x, t = torch.tensor(X), torch.tensor(T)
    params = [torch.tensor(p, requires_grad=True) for p in spec.params().values()]
    W1, b1, W2, b2 = params
    for _ in range(EPOCHS):
        y = torch.sigmoid(W2 @ torch.sigmoid(W1 @ x + b1) + b2)
        loss = (0.5 * (y - t) ** 2).sum(dim=0).mean()
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= LR * p.grad
    return float(loss)


def median_seconds(run: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    assert abs(engine_run() - numpy_run()) < 1e-9, "the engine and the hand loop disagree"
    walkthrough = NetworkSpec(
        input=np.array([[1.0]]),
        target=np.array([[1.0]]),
        loss="half_squared_error",
        layers=(
            LayerSpec(W=np.array([[0.5]]), b=None, activation="sigmoid"),
            LayerSpec(W=np.array([[0.8]]), b=None, activation="sigmoid"),
        ),
    )
    trace_ms = median_seconds(lambda: derive(walkthrough), 200) * 1000
    engine = median_seconds(engine_run)
    numpy = median_seconds(numpy_run)
    print(f"XOR 2-4-1, {EPOCHS:,} epochs, median of {RUNS} runs")
    print(f"  engine training path: {engine * 1000:8.1f} ms")
    print(f"  hand-written NumPy:   {numpy * 1000:8.1f} ms")
    if torch_run() is not None:
        print(f"  PyTorch eager:        {median_seconds(torch_run, 3) * 1000:8.1f} ms")
    else:
        print("  PyTorch eager:        not installed")
    print(f"walkthrough derivation with trace: {trace_ms:.3f} ms (target ≤ 1 ms)")
    print(f"engine/numpy: {engine / numpy:.2f}")


if __name__ == "__main__":
    main()
