"""Training runs for the tutor, without Textual: knobs, initialised networks,
progress chunks for a live UI, predictions and a verdict in words."""

from tutor.trainer.knobs import (
    KEEPS_NETWORK,
    KNOB_LABELS,
    KNOB_TITLES,
    UI_MAX_EPOCHS,
    KnobError,
    Knobs,
    PastRun,
    check_knob,
    display_value,
    knobs_from_block,
    knobs_from_dict,
    parse_knob,
    past_runs,
    run_labels,
)
from tutor.trainer.progress import STOPPED, ProgressChunk, RunHistory, coalesce, share_gil
from tutor.trainer.results import PredictionRow, outcome_text, prediction_rows
from tutor.trainer.run import (
    PreparedRun,
    auto_record_every,
    build_network,
    prepare_run,
    train_config,
)

__all__ = [
    "KEEPS_NETWORK",
    "KNOB_LABELS",
    "KNOB_TITLES",
    "STOPPED",
    "UI_MAX_EPOCHS",
    "KnobError",
    "Knobs",
    "PastRun",
    "PredictionRow",
    "PreparedRun",
    "ProgressChunk",
    "RunHistory",
    "auto_record_every",
    "build_network",
    "check_knob",
    "coalesce",
    "display_value",
    "knobs_from_block",
    "knobs_from_dict",
    "outcome_text",
    "parse_knob",
    "past_runs",
    "prediction_rows",
    "prepare_run",
    "run_labels",
    "share_gil",
    "train_config",
]
