"""``backprop-tutor solve SPEC``: a network's derivation, readable or as JSON.

The readable derivation is :mod:`tutor.present.derivation`'s, word for word as the
TUI and ``lesson --plain`` show it.

Large matrices are summarised in the readable form (as NumPy prints them) and
complete in ``--json``.  ``--check`` runs two forward passes per parameter, so it
takes networks of at most :data:`MAX_CHECKED_PARAMETERS` parameters.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

from tutor.engine import derive, gradient_check, loss_of, sgd_step
from tutor.formats.serialize import derivation_to_json
from tutor.formats.spec import SpecError, load_spec

EXIT_BAD_SPEC = 2
MAX_CHECKED_PARAMETERS = 1_000


def _json_text(result: dict[str, Any]) -> str:
    """``result`` as JSON: one line per key, and per entry of a list of objects (the trace),
    each matrix on one line (a 300×300 one is one line, not 90,000).  NaN and infinities
    are written as null, so it is valid JSON."""
    try:
        return _laid_out(result)
    except ValueError:  # a number that is not finite (json's C encoder found it fast)
        return _laid_out(_strict(result))


def _laid_out(value: Any, depth: int = 0) -> str:
    inner, outer = "  " * (depth + 1), "  " * depth
    if isinstance(value, dict) and value:
        items = [f"{inner}{_compact(k)}: {_laid_out(v, depth + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{outer}}}"
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return "[\n" + ",\n".join(f"{inner}{_compact(v)}" for v in value) + f"\n{outer}]"
    return _compact(value)


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _strict(value: Any) -> Any:
    """``value`` with every NaN or infinity replaced by None, so it is valid JSON (null)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _strict(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strict(v) for v in value]
    return value


def run_solve(args: argparse.Namespace) -> int:
    """Print the derivation of ``args.spec``; exit 2 with every problem of a bad spec."""
    from tutor.present.derivation import whole_derivation_lines
    from tutor.present.gradcheck import gradcheck_lines
    from tutor.present.lines import plain_text
    from tutor.text.derivation import update_text

    if args.lr is not None and not (math.isfinite(args.lr) and args.lr > 0):
        print("backprop-tutor solve: --lr must be a positive number", file=sys.stderr)
        return EXIT_BAD_SPEC
    try:
        spec, _ = load_spec(args.spec)
    except SpecError as exc:
        for problem in exc.problems:
            print(f"backprop-tutor solve: {problem}", file=sys.stderr)
        return EXIT_BAD_SPEC
    count = spec.parameter_count()
    if args.check and count > MAX_CHECKED_PARAMETERS:
        print(
            f"backprop-tutor solve: {args.spec}: --check runs two forward passes per parameter; "
            f"this network has {count:,} parameters, and --check takes at most "
            f"{MAX_CHECKED_PARAMETERS:,} (leave out --check to see the derivation)",
            file=sys.stderr,
        )
        return EXIT_BAD_SPEC
    derivation = derive(spec)
    if not math.isfinite(derivation.loss):
        print(
            f"backprop-tutor solve: {args.spec}: the loss is not a finite number", file=sys.stderr
        )
        return EXIT_BAD_SPEC
    if args.json:
        result = derivation_to_json(derivation)
        if args.lr is not None:
            stepped = sgd_step(spec, args.lr)
            result["update"] = {
                "lr": args.lr,
                "params": {k: v.tolist() for k, v in stepped.params().items()},
                "loss": loss_of(stepped),
            }
        if args.check:
            check = gradient_check(spec)
            result["gradcheck"] = {
                "relative_error": check.relative_error,
                "passed": check.passed,
                "params": {p.name: p.relative_error for p in check.params},
                "kinks": [
                    {"param": k.param, "index": list(k.index), "layer": k.layer}
                    for k in check.kinks
                ],
            }
        print(_json_text(result))
        return 0
    parts = [plain_text(whole_derivation_lines(derivation))]
    if args.lr is not None:
        stepped = sgd_step(spec, args.lr)
        parts.append(update_text(spec, stepped, derivation.loss, loss_of(stepped), args.lr))
    if args.check:
        parts.append(plain_text(gradcheck_lines(gradient_check(spec))))
    print("\n\n".join(parts))
    return 0
