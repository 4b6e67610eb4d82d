"""Validation against the engine: references, runs, answers, ids across lessons."""

from __future__ import annotations

from pathlib import Path

from tests.core.test_lesson_parser import HEAD, TINY, line_of, problems_of
from tutor.lesson.catalog import check_lessons, load_catalog

XOR_NO_HIDDEN = """```network
id = "flat"
input = [[0.0, 1.0]]
target = [[0.0, 1.0]]
loss = "half_squared_error"
[[layers]]
W = [[0.5]]
activation = "sigmoid"
```
"""


def test_references_to_missing_networks(tmp_path: Path) -> None:
    text = (
        HEAD
        + TINY
        + '\n```derive\nnetwork = "tiyn"\n```\n'
        + '\n```train\nnetwork = "nope"\n```\n'
        + '\n```gradcheck\nnetwork = "nope"\n```\n'
        + '\n```quiz\nid = "q"\nquestion = "?"\nanswer = "grad W2 of tinny"\nhints = ["h"]\n```\n'
    )
    assert problems_of(text, tmp_path) == [
        (line_of(text, '"tiyn"'), 'derive block: no network "tiyn" (networks: "tiny")'),
        (line_of(text, '"nope"', 1), 'train block: no network "nope" (networks: "tiny")'),
        (line_of(text, '"nope"', 2), 'gradcheck block: no network "nope" (networks: "tiny")'),
        (line_of(text, "tinny"), 'quiz "q": no network "tinny" (networks: "tiny")'),
    ]


def test_a_network_whose_loss_is_not_finite(tmp_path: Path) -> None:
    huge = TINY.replace('"tiny"', '"sure"').replace(
        'W = [[0.8]]\nactivation = "sigmoid"', 'W = [[1e200]]\nactivation = "linear"'
    )  # y ≈ 1e200, so ½(y − t)² overflows
    text = HEAD + huge + '\n```derive\nnetwork = "sure"\n```\n'
    assert problems_of(text, tmp_path) == [
        (line_of(text, "```network"), 'network "sure": its loss is inf, not a finite number')
    ]


def test_predict_targets_must_be_products_of_the_network(tmp_path: Path) -> None:
    text = HEAD + TINY + '\n```derive\nnetwork = "tiny"\npredict = ["dL/dz2", "dL/dW3"]\n```\n'
    assert problems_of(text, tmp_path) == [
        (
            line_of(text, "predict"),
            'derive block: "dL/dW3" is not a product of network "tiny" (its products: dL/dW1, '
            "dL/dW2, dL/da1, dL/da2, dL/dz1, dL/dz2)",
        )
    ]


def test_hidden_width_needs_a_hidden_layer(tmp_path: Path) -> None:
    text = (
        HEAD
        + XOR_NO_HIDDEN
        + '\n```train\nnetwork = "flat"\nhidden = 4\n```\n'
        + '\n```train\nnetwork = "flat"\nknobs = ["lr", "hidden"]\n```\n'
    )
    message = 'train block: network "flat" has no hidden layer, so there is no hidden width to set'
    assert problems_of(text, tmp_path) == [
        (line_of(text, "hidden = 4"), message),
        (line_of(text, "knobs ="), message),
    ]


def test_gradcheck_networks_must_be_small(tmp_path: Path) -> None:
    big = (
        '```network\nid = "big"\ninput = [[1.0], [2.0]]\ntarget = [[1.0]]\n'
        'loss = "half_squared_error"\n[[layers]]\nunits = 100\nactivation = "tanh"\n'
        '[[layers]]\nunits = 1\nactivation = "sigmoid"\n```\n'
    )
    text = HEAD + big + '\n```gradcheck\nnetwork = "big"\n```\n'
    assert problems_of(text, tmp_path) == [
        (
            line_of(text, 'network = "big"'),
            'gradcheck block: network "big" has 401 parameters; a gradient check runs two passes '
            "per parameter, so keep it to 200",
        )
    ]


def test_quiz_answers_must_be_computable(tmp_path: Path) -> None:
    text = (
        HEAD
        + TINY
        + '\n```quiz\nid = "a"\nquestion = "?"\nanswer = "grad b1 of tiny"\nhints = ["h"]\n```\n'
        + '\n```quiz\nid = "b"\nquestion = "?"\nanswer = "grad W1[2,1] of tiny"\n'
        + 'hints = ["h"]\n```\n'
    )
    assert problems_of(text, tmp_path) == [
        (line_of(text, "grad b1"), 'quiz "a": layer 1 of `tiny` has no bias, so there is no b1'),
        (
            line_of(text, "W1[2,1]"),
            'quiz "b": W1 has shape (1, 1), so entry [2,1] is outside it',
        ),
    ]


def test_quiz_answers_are_checked_at_the_ends_of_their_vary_ranges(tmp_path: Path) -> None:
    linear = TINY.replace('"tiny"', '"lin"').replace(
        'W = [[0.8]]\nactivation = "sigmoid"', 'W = [[0.8]]\nactivation = "linear"'
    )
    quiz = (
        '\n```quiz\nid = "v"\nquestion = "?"\nanswer = "loss of lin"\nhints = ["h"]\n'
        "[vary]\nW2 = [0.0, 1e200]\n```\n"
        '\n```quiz\nid = "w"\nquestion = "?"\nanswer = "loss of lin"\nhints = ["h"]\n'
        "[vary]\nb2 = [0.0, 1.0]\n```\n"
    )
    text = HEAD + linear + quiz
    assert problems_of(text, tmp_path) == [
        (
            line_of(text, "[vary]"),
            'quiz "v": the answer is not a finite number with every [vary] entry at its high end',
        ),
        (
            line_of(text, "b2 = ["),
            'quiz "w": `b2` can\'t be varied: it is not one of x, t, W1, W2',
        ),
    ]


def test_quiz_ids_are_unique_and_placeholders_name_something(tmp_path: Path) -> None:
    quiz = (
        '\n```quiz\nid = "q"\nquestion = "{QUESTION}"\nanswer = "loss of tiny"\n'
        'hints = ["h"]\n```\n'
    )
    text = (
        HEAD
        + TINY
        + quiz.replace("{QUESTION}", "With {x} and {W1[1,1]} and {W3}?")
        + quiz.replace("{QUESTION}", "And {lr}?")
    )
    assert problems_of(text, tmp_path) == [
        (
            line_of(text, "{W3}"),
            'quiz "q": {W3} names nothing in network "tiny" (write {x}, {t}, {W1}, {b1}, '
            "{W1[1,1]}, or {lr} when the answer has one)",
        ),
        (line_of(text, 'id = "q"', 2), 'quiz id "q" is already used by the quiz on line 21'),
        (
            line_of(text, "{lr}"),
            'quiz "q": {lr} names nothing in network "tiny" (write {x}, {t}, {W1}, {b1}, '
            "{W1[1,1]}, or {lr} when the answer has one)",
        ),
    ]
    assert line_of(text, "```quiz") == 21


def test_duplicate_lesson_ids_across_files(tmp_path: Path) -> None:
    good = HEAD + "Hello.\n"
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text(good)
    first, second = check_lessons([tmp_path / "a.md", tmp_path / "b.md"])
    assert first.lesson is not None and not first.problems
    assert second.lesson is None
    assert [(p.line, p.message) for p in second.problems] == [
        (2, f'lesson id "demo" is already used by {tmp_path / "a.md"}')
    ]


def test_catalog_sorts_by_number_then_title_and_lists_broken_lessons(tmp_path: Path) -> None:
    def lesson(lesson_id: str, title: str, number: str) -> str:
        number_line = f'number = "{number}"\n' if number else ""
        return f'+++\nid = "{lesson_id}"\ntitle = "{title}"\n{number_line}+++\n\n## S\n\nHi.\n'

    (tmp_path / "a.md").write_text(lesson("a", "Zeta", "3.10"))
    (tmp_path / "b.md").write_text(lesson("b", "Alpha", "3.9"))
    (tmp_path / "c.md").write_text(lesson("c", "Beta", ""))
    (tmp_path / "d.md").write_text(lesson("d", "Alpha", "3.10"))
    (tmp_path / "broken.md").write_text("no front matter\n")
    (tmp_path / "notes.txt").write_text("not a lesson")
    entries = load_catalog([tmp_path, tmp_path / "missing"])
    assert [e.lesson.id if e.lesson else e.path.name for e in entries] == [
        "b",
        "d",
        "a",
        "c",
        "broken.md",
        "missing",
    ]
    assert entries[-2].error is not None and entries[-2].error.startswith(
        f"{tmp_path / 'broken.md'}:1: a lesson starts with front matter"
    )
    assert entries[-1].error == f"{tmp_path / 'missing'}: no such lessons directory or file"


def test_a_reference_to_a_network_whose_block_is_broken_says_so(tmp_path: Path) -> None:
    broken = TINY.replace('loss = "half_squared_error"', 'loss = "half_squared_error"\ncolour = 1')
    text = HEAD + broken + '\n```derive\nnetwork = "tiny"\n```\n'
    network_line = line_of(text, "```network")
    assert (
        line_of(text, "```derive") + 1,
        f'derive block: network "tiny" cannot be used: its block on line {network_line} '
        "has problems",
    ) in problems_of(text, tmp_path)


def test_a_misspelt_block_kind_is_reported_not_shown_as_code(tmp_path: Path) -> None:
    text = HEAD + TINY + '\n```netwrok\nid = "x"\n```\n\n```python\nprint(1)\n```\n'
    found = problems_of(text, tmp_path)
    assert (
        line_of(text, "```netwrok"),
        "unknown block kind `netwrok`: did you mean `network`? (otherwise it is shown as code)",
    ) in found
    assert not any("python" in message for _, message in found)


def test_every_placeholder_the_question_cannot_fill_is_reported(tmp_path: Path) -> None:
    question = "Given {x}, {y}, {z1}, {a1}, {W9} and {W1[1, 1]}: what is dL/dW2? ({1} and { } stay)"
    text = (
        HEAD
        + TINY
        + f'\n```quiz\nid = "q"\nquestion = "{question}"\nanswer = "grad W2 of tiny"\n'
        + 'hints = ["h"]\n```\n'
    )
    line = line_of(text, "question =")
    reported = [
        message.split(": ", 1)[1].split(" names nothing")[0]
        for at, message in problems_of(text, tmp_path)
        if at == line
    ]
    assert sorted(reported) == sorted(["{y}", "{z1}", "{a1}", "{W9}", "{W1[1, 1]}"])
    assert [at for at, _ in problems_of(text, tmp_path)] == [line] * 5


def test_a_lesson_number_is_parts_of_digits_or_letters(tmp_path: Path) -> None:
    def number_problems(number: str) -> list[tuple[int, str]]:
        text = f'+++\nid = "demo"\ntitle = "Demo"\nnumber = {number}\n+++\n\n## One\n\nHi.\n'
        return problems_of(text, tmp_path)

    for good in ('"3.4"', '"2-b"', '"A"', "7", '""'):
        assert number_problems(good) == [], good
    for bad in ('"3.²"', '"3..4"', '"3.4."', '"٣"', "-3", "true", "3.4"):
        problems = number_problems(bad)
        assert [line for line, _ in problems] == [4], bad
        assert "`number` must be a whole number, or a string of digits or letters" in problems[0][1]


def test_the_catalog_orders_numbers_by_ascii_digits_only() -> None:
    """A number that slipped past validation never crashes the sort: "²" is text, not 2."""
    from tutor.lesson.catalog import LessonEntry, lesson_order
    from tutor.lesson.model import Lesson

    def entry(number: str) -> LessonEntry:
        return LessonEntry(Path(f"{number}.md"), Lesson("x", f"L{number}", Path("x"), (), number))

    entries = [entry(n) for n in ("3.²", "3.10", "", "3.9", "3.a")]
    ordered = [e.lesson.number for e in sorted(entries, key=lesson_order) if e.lesson is not None]
    assert ordered == ["3.9", "3.10", "3.a", "3.²", ""]


FORK = """```network
id = "fork"
input = [[1.0]]
target = [[1.0], [0.0]]
loss = "half_squared_error"
[[layers]]
W = [[0.5]]
activation = "sigmoid"
[[layers]]
W = [[0.7], [0.5]]
activation = "sigmoid"
```
"""

SATURATED = """```network
id = "near"
input = [[1.0]]
target = [[0.7320]]
loss = "half_squared_error"
[[layers]]
W = [[1.0]]
activation = "sigmoid"
```
"""


def test_expand_names_a_matrix_product_that_adds_several_paths(tmp_path: Path) -> None:
    text = (
        HEAD
        + FORK
        + '\n```derive\nnetwork = "fork"\nexpand = ["dL/da1", "dL/dz2", "da1"]\n```\n'
        + '\n```derive\nnetwork = "tiny"\nexpand = ["dL/da1"]\n```\n'
        + TINY
    )
    assert problems_of(text, tmp_path) == [
        (
            line_of(text, "expand"),
            'derive block: `expand` entry "da1" must name a product like "dL/da1"',
        ),
        (
            line_of(text, "expand"),
            'derive block: network "fork": "dL/dz2" is no matrix product that adds several '
            "paths (those that do: dL/da1)",
        ),
        (
            line_of(text, 'expand = ["dL/da1"]'),
            'derive block: network "tiny": no product of it adds several paths: every entry '
            "comes by a single path",
        ),
    ]


def test_train_blocks_check_their_loss_and_the_parameters_they_show(tmp_path: Path) -> None:
    text = (
        HEAD
        + FORK
        + '\n```train\nnetwork = "fork"\nloss = "cross_entropy"\n```\n'
        + '\n```train\nnetwork = "fork"\nshow_params = ["W1", "b1"]\nloss = "lost"\n```\n'
        + '\n```train\nnetwork = "fork"\ninit = "constant"\nloss = "binary_cross_entropy"\n```\n'
    )
    assert problems_of(text, tmp_path) == [
        (
            line_of(text, "cross_entropy"),
            "train block: the loss cross_entropy does not fit this network: cross_entropy "
            "applies softmax to the last layer's z itself, so the last layer's activation "
            'must be "linear"',
        ),
        (
            line_of(text, "show_params"),
            'train block: network "fork" has no parameter b1 (its parameters: W1, W2)',
        ),
        (
            line_of(text, '"lost"'),
            "train block: `loss`: unknown loss 'lost': choose half_squared_error, squared_error, "
            "binary_cross_entropy, cross_entropy",
        ),
    ]


def test_prerequisites_name_lessons_by_id_or_title_and_know_when_they_are_done() -> None:
    from dataclasses import replace

    from tutor.lesson.card import LessonCard, prerequisites
    from tutor.lesson.catalog import LessonEntry
    from tutor.lesson.model import Lesson, Step
    from tutor.store.progress import Progress

    first = Lesson("backprop", "Backpropagation", Path("a.md"), (Step("a", (), 1),) * 3)
    second = replace(first, id="paths", title="Paths", prerequisites=("BACKPROP", "Perceptrons"))
    third = replace(first, id="more", title="More", prerequisites=("paths",))
    one, two, three = (LessonCard.of(LessonEntry(Path("a.md"), x)) for x in (first, second, third))
    progress = Progress()
    found = prerequisites(two, [one, two, three], progress)
    assert [(p.name, p.card, p.finished) for p in found] == [
        ("BACKPROP", one, False),
        ("Perceptrons", None, False),
    ]
    progress.lesson("backprop").finished_steps = [0, 1]
    assert not prerequisites(two, [one], progress)[0].finished  # 2 of 3 steps
    progress.lesson("backprop").finished_steps = [0, 1, 2]
    assert prerequisites(two, [one], progress)[0].finished
    assert prerequisites(three, [one, two], progress)[0].card is two


def test_a_question_a_common_mistake_answers_too_nearly_is_reported(tmp_path: Path) -> None:
    """σ(1) = 0.73106 is nearly t, so one step barely moves W1: "W1 unchanged" is 1.0."""
    quiz = (
        '\n```quiz\nid = "step"\nquestion = "W1 after a step?"\n'
        'answer = "W1 after one step of near with lr 0.1"\nhints = ["h"]\n```\n'
    )
    text = HEAD + SATURATED + quiz
    problems = problems_of(text, tmp_path)
    assert [line for line, _ in problems] == [line_of(text, "answer = ")] * 3
    messages = [message for _, message in problems]
    assert messages[0].startswith('quiz "step": the common mistake "W1 unchanged" gives 1, ')
    assert "too close to the answer 1.00002" in messages[0]
    assert all(m.endswith("change the network's numbers") for m in messages)
    named = {m.split('mistake "')[1].split('"')[0] for m in messages}
    assert named == {"W1 unchanged", "update added", "learning rate left out"}


def test_the_bundled_lesson_has_no_inseparable_question(tmp_path: Path) -> None:
    from tutor.store.locations import lesson_dirs

    entries = load_catalog(lesson_dirs())
    assert entries and all(not entry.problems for entry in entries)
