"""A spec's ``[data]`` table: a data set the engine makes in code instead of ``input``/``target``.

```toml
[data]
kind = "spirals"   # the only kind so far
classes = 3        # 2 to 6 arms
points = 100       # per class, 5 to 1,000
noise = 0.2        # jitter of each point's angle, in radians (0 to 1)
turns = 1.0        # how far each arm winds (0.25 to 3)
test = 0.2         # the fraction held out as a test set (0 to 0.5)
seed = 0
```

Provides :func:`read_data`, which checks the table with the one key checker and
returns the engine's :class:`~tutor.engine.datasets.Dataset` (None after
recording each problem).
"""

from __future__ import annotations

from tutor.engine.datasets import DATASETS, Dataset, make_dataset
from tutor.formats.toml_keys import KeyChecker

DATA_KEYS = ("classes", "kind", "noise", "points", "seed", "test", "turns")


def read_data(check: KeyChecker) -> Dataset | None:
    """The ``[data]`` table of a spec, checked; None if it has a problem."""
    data = check.subtable("data")
    if data is None:
        return None
    count = len(check.problems)
    data.known_keys(DATA_KEYS, "[data]")
    if "kind" not in data.table:
        data.problem(None, '[data] needs `kind`, e.g. kind = "spirals"')
    settings = {
        "kind": data.choice("kind", DATASETS),
        "classes": data.integer("classes", 2, 6, 3),
        "points": data.integer("points", 5, 1000, 100),
        "noise": data.number("noise", lambda v: 0 <= v <= 1, "a number from 0 to 1", 0.2),
        "turns": data.number("turns", lambda v: 0.25 <= v <= 3, "a number from 0.25 to 3", 1.0),
        "test": data.number("test", lambda v: 0 <= v <= 0.5, "a number from 0 to 0.5", 0.2),
        "seed": data.integer("seed", 0, 2**32 - 1, 0),
    }
    if len(check.problems) > count or None in settings.values():
        return None
    return make_dataset(**settings)  # type: ignore[arg-type]  # each value was checked above
