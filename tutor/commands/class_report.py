"""``backprop-tutor class report --root DIR [--json | --csv]``: the teacher's report in a terminal.

The same report as the browser's ``/teacher`` page, from the same words
(:mod:`tutor.present.report`): a table of learners, the class's most common named
mistakes and its weakest topics; ``--json`` the DESIGN's object, ``--csv`` one row
per learner.  It only reads the class folder, so it runs while the class does.
"""

from __future__ import annotations

import csv
import json
import sys
from typing import TYPE_CHECKING

from tutor.classroom.folder import ClassFolder
from tutor.exercises.catalog import exam_ids
from tutor.present.lines import plain_text
from tutor.present.report import COLUMNS, learner_cells, report_lines
from tutor.store.class_record import as_json, class_record
from tutor.store.locations import lesson_dirs

if TYPE_CHECKING:
    import argparse

EXIT_USAGE = 2


def run_class_report(args: argparse.Namespace) -> int:
    """Print the class's report; exit 2 if the folder is no class folder."""
    folder = ClassFolder(args.root)
    if not folder.learners_root.is_dir():
        print(
            f"backprop-tutor class report: {args.root} is not a class folder "
            "(the --root a class was served from, with a learners/ folder inside)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    exams = exam_ids(lesson_dirs(args.lessons))
    record = class_record(((found.name, found.path) for found in folder.learners()), exams)
    if args.json:
        print(json.dumps(as_json(record), indent=2, ensure_ascii=False))
    elif args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow([heading for _, heading in COLUMNS])
        writer.writerows(learner_cells(learner) for learner in record.learners)
    else:
        print(plain_text(report_lines(record)))
    return 0
