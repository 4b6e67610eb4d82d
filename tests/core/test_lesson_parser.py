"""The lesson parser: structure, lines, odd files, and every parse-level problem."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tutor.lesson.catalog import load_lesson
from tutor.lesson.model import (
    DeriveBlock,
    ExerciseBlock,
    GradcheckBlock,
    NetworkBlock,
    Prose,
    QuizBlock,
    TrainBlock,
    Unread,
)
from tutor.lesson.parser import MAX_LESSON_BYTES, parse_lesson_file, parse_lesson_text

BLOCK_NAMES = {
    NetworkBlock: "network",
    DeriveBlock: "derive",
    TrainBlock: "train",
    GradcheckBlock: "gradcheck",
    QuizBlock: "quiz",
    ExerciseBlock: "exercise",
}
FIXTURE = Path(__file__).parents[1] / "fixtures" / "lessons" / "walkthrough.md"

HEAD = '+++\nid = "demo"\ntitle = "Demo"\n+++\n\n## One\n\n'
TINY = """```network
id = "tiny"
input = [[1.0]]
target = [[1.0]]
loss = "half_squared_error"
[[layers]]
W = [[0.5]]
activation = "sigmoid"
[[layers]]
W = [[0.8]]
activation = "sigmoid"
```
"""


def line_of(text: str, marker: str, occurrence: int = 1) -> int:
    """The 1-based line of the n-th line containing ``marker``."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if marker in line]
    return hits[occurrence - 1]


def problems_of(text: str, tmp_path: Path, name: str = "lesson.md") -> list[tuple[int, str]]:
    """Parse and validate ``text`` written to a file: sorted (line, message) of each problem."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    entry, _ = load_lesson(path)
    assert all(p.path == str(path) for p in entry.problems)
    assert [p.line for p in entry.problems] == sorted(p.line for p in entry.problems)
    return sorted((p.line, p.message) for p in entry.problems)


def test_the_fixture_parses_into_steps_prose_and_blocks() -> None:
    parsed = parse_lesson_file(FIXTURE)
    text = FIXTURE.read_text()
    lesson = parsed.lesson
    assert parsed.problems == []
    assert lesson is not None
    assert (lesson.id, lesson.title, lesson.number, lesson.minutes) == (
        "walkthrough",
        "The walkthrough network",
        "1.2",
        20,
    )
    assert lesson.prerequisites == ("The chain rule",)
    assert [s.title for s in lesson.steps] == [
        "The network",
        "Backward, product by product",
        "Train XOR",
        "Your turn",
    ]
    assert lesson.steps[0].line == line_of(text, "## The network")
    first = lesson.steps[0]
    assert isinstance(first.parts[0], Prose) and first.parts[0].text.startswith("Two sigmoid")
    assert isinstance(first.parts[1], NetworkBlock)
    assert first.parts[1].line == line_of(text, "```network")
    code = first.parts[2]
    assert isinstance(code, Prose) and "## not a heading" in code.text
    assert code.line == line_of(text, "```python")
    kinds = [type(b) for s in lesson.steps for b in s.blocks]
    assert kinds == [
        NetworkBlock,
        DeriveBlock,
        NetworkBlock,
        TrainBlock,
        GradcheckBlock,
        QuizBlock,
        QuizBlock,
    ]
    derive = lesson.steps[1].blocks[0]
    assert isinstance(derive, DeriveBlock)
    assert derive.predict == ("dL/dz2", "dL/dW1") and derive.lr == 0.1
    assert parsed.line_of(derive, "lr") == line_of(text, "lr = 0.1")
    quiz = lesson.steps[3].blocks[0]
    assert isinstance(quiz, QuizBlock)
    assert quiz.vary == {"W1": (0.1, 0.9), "input": (0.5, 2.0)} and quiz.tolerance == 0.02
    assert parsed.line_of(quiz, "vary", "input") == line_of(text, "input = [0.5, 2.0]")
    train = lesson.steps[2].blocks[1]
    assert isinstance(train, TrainBlock) and train.hidden == 3 and train.epochs == 2000
    assert set(lesson.networks) == {"tiny", "xor"}


def test_crlf_and_a_byte_order_mark_change_nothing(tmp_path: Path) -> None:
    text = FIXTURE.read_text()
    path = tmp_path / "crlf.md"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    parsed = parse_lesson_file(path)
    plain = parse_lesson_file(FIXTURE)
    assert parsed.problems == []
    assert parsed.lesson is not None and plain.lesson is not None
    assert [s.line for s in parsed.lesson.steps] == [s.line for s in plain.lesson.steps]
    assert parsed.lesson.steps[0].parts[0] == plain.lesson.steps[0].parts[0]


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"", 1, "the file is empty"),
        (b"  \n\n", 1, "the file is empty"),
        (b"+++\nid = 'a'\n\x00\x01\x02", 3, "binary file"),
        (b'+++\nid = "a"\ntitle = "\xff\xfe"\n+++\n', 3, "not valid UTF-8"),
    ],
)
def test_unreadable_files_are_one_problem(
    tmp_path: Path, data: bytes, line: int, message: str
) -> None:
    path = tmp_path / "odd.md"
    path.write_bytes(data)
    entry, _ = load_lesson(path)
    assert entry.lesson is None
    assert [(p.line, message in p.message) for p in entry.problems] == [(line, True)]


def test_a_file_over_the_size_cap_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    path.write_bytes(HEAD.encode() + b"x" * MAX_LESSON_BYTES)
    entry, _ = load_lesson(path)
    assert len(entry.problems) == 1 and "larger than 2 MB" in entry.problems[0].message


def test_a_missing_file_and_a_directory(tmp_path: Path) -> None:
    assert "no such file" in load_lesson(tmp_path / "nope.md")[0].problems[0].message
    assert "is a directory" in load_lesson(tmp_path)[0].problems[0].message


def test_a_million_lines_parse_in_linear_time(tmp_path: Path) -> None:
    """Too long for one step (issue 23), and still read in one pass: 7 + 1 + 11 × 10⁶ + 1."""
    text = HEAD + "prose line\n" * 1_000_000
    parsed = parse_lesson_text(text, tmp_path / "long.md")
    assert [problem.message for problem in parsed.problems] == [
        "this step is 11,000,009 characters long; a step holds at most 16,000 (split it into steps)"
    ]


def test_missing_front_matter(tmp_path: Path) -> None:
    text = "\n## One\n\nHello.\n"
    assert problems_of(text, tmp_path)[0] == (
        2,
        'a lesson starts with front matter: a line "+++", id = "…", title = "…", then "+++"',
    )


def test_unclosed_front_matter(tmp_path: Path) -> None:
    text = '+++\nid = "a"\ntitle = "A"\n## One\n'
    assert problems_of(text, tmp_path)[0] == (
        1,
        'the front matter opened here is never closed with "+++"',
    )


def test_front_matter_keys(tmp_path: Path) -> None:
    text = '+++\nid = "Bad Id"\ntitel = "A"\nnumber = 3.4\nminutes = -5\n+++\n\n## One\n\nHi.\n'
    assert problems_of(text, tmp_path) == [
        (1, 'front matter: missing `title`, e.g. title = "Backpropagation"'),
        (2, 'front matter: `id` "Bad Id" must be lowercase letters, digits and single dashes, '
            'e.g. "backprop"'),
        (3, "front matter: unknown key `titel`; did you mean `title`?"),
        (4, "front matter: `number` must be a whole number, or a string of digits or letters "
            'separated by dots or dashes such as "3.4" (write decimals as strings), found 3.4'),
        (5, "front matter: `minutes` must be a whole number from 1 to 10,000, found -5"),
    ]  # fmt: skip


def test_front_matter_toml_syntax_error_names_its_line(tmp_path: Path) -> None:
    text = '+++\nid = "a"\ntitle = "A\n+++\n\n## One\n'
    ((line, message),) = problems_of(text, tmp_path)
    assert line == 3 and message.startswith("front matter: TOML syntax error")


def test_no_steps_and_text_before_the_first_step(tmp_path: Path) -> None:
    text = '+++\nid = "a"\ntitle = "A"\n+++\n\n# Title is fine\n\nStray text.\n'
    assert problems_of(text, tmp_path) == [
        (5, "the lesson has no steps: start one with `## Title`"),
        (8, "text before the first step: start a step with `## Title`"),
    ]


def test_a_step_heading_without_a_title(tmp_path: Path) -> None:
    text = HEAD + "Hi.\n\n##\n\nMore.\n"
    assert problems_of(text, tmp_path) == [
        (line_of(text, "##", 2), "a step heading needs a title after `## `")
    ]


def test_an_unclosed_block_is_reported_at_its_fence(tmp_path: Path) -> None:
    text = HEAD + TINY + '\n## Two\n\n```derive\nnetwork = "tiny"\n'
    assert problems_of(text, tmp_path) == [
        (line_of(text, "```derive"), "the ```derive block opened here is never closed "
                                     "(add a line ```)"),
    ]  # fmt: skip


def test_an_unclosed_code_fence_is_reported_too(tmp_path: Path) -> None:
    text = HEAD + "```python\nx = 1\n\n## Swallowed\n"
    assert problems_of(text, tmp_path) == [
        (line_of(text, "```python"), "the code fence opened here is never closed (add a line ```)")
    ]


def test_block_toml_syntax_error_is_at_the_file_line(tmp_path: Path) -> None:
    text = HEAD + '```derive\nnetwork = "tiny"\nlr = = 0.1\n```\n'
    ((line, message),) = problems_of(text, tmp_path)
    assert line == line_of(text, "lr = = 0.1")
    assert message.startswith("derive block: TOML syntax error")


def test_an_empty_block(tmp_path: Path) -> None:
    text = HEAD + "```quiz\n\n```\n"
    assert problems_of(text, tmp_path) == [
        (8, 'quiz block: empty; it needs TOML keys such as id = "…"')
    ]


def test_a_block_before_the_first_step(tmp_path: Path) -> None:
    text = '+++\nid = "a"\ntitle = "A"\n+++\n\n' + TINY + "\n## One\n\nHi.\n"
    assert problems_of(text, tmp_path) == [
        (6, "the network block comes before the first `## ` step heading")
    ]


def test_unknown_keys_get_the_closest_known_key(tmp_path: Path) -> None:
    text = HEAD + TINY + '\n```derive\nnetwrok = "tiny"\nzzz = 1\n```\n'
    assert problems_of(text, tmp_path) == sorted([
        (line_of(text, "netwrok"), "derive block: unknown key `netwrok`; did you mean `network`?"),
        (line_of(text, "zzz"), "derive block: unknown key `zzz`; known keys: `network`, "
                               "`predict`, `expand`, `show_forward`, `lr`, `caption`"),
        (line_of(text, "```derive"), 'derive block: missing `network`, e.g. network = "tiny"'),
    ])  # fmt: skip


def test_bad_values_in_each_block_kind(tmp_path: Path) -> None:
    text = (
        HEAD
        + TINY
        + '\n```derive\nnetwork = "tiny"\nshow_forward = "yes"\nlr = -0.1\npredict = ["z2"]\n```\n'
        + '\n```train\nnetwork = "tiny"\nepochs = 0\noptimizer = "rmsprop"\ninit = "zeros"\n'
        + 'knobs = ["lr", "init-scale", "lr", "colour"]\nrecord_every = -1\n```\n'
        + '\n```gradcheck\nnetwork = "tiny"\nbackprop_loss = "l1"\nepsilon = 1.0\n```\n'
    )
    assert problems_of(text, tmp_path) == sorted([
        (line_of(text, "predict = "), 'derive block: `predict` entry "z2" must name a product '
                                      'like "dL/dz2"'),
        (line_of(text, "show_forward"), 'derive block: `show_forward` must be true or false, '
                                        'found "yes"'),
        (line_of(text, "lr = -0.1"), "derive block: `lr` must be a positive number such as 0.1, "
                                     "found -0.1"),
        (line_of(text, "knobs ="), "train block: unknown knob `init-scale`; did you mean "
                                   "`init_scale`?"),
        (line_of(text, "knobs ="), "train block: unknown knob `colour`; known knobs: `lr`, "
                                   "`epochs`, `init`, `init_scale`, `seed`, `optimizer`, "
                                   "`hidden`, `activation`, `loss`, `batch_size`"),
        (line_of(text, "knobs ="), "train block: `knobs` names a knob twice"),
        (line_of(text, "epochs = 0"), "train block: `epochs`: the number of epochs must be from 1 "
                                      "to 200,000 in the tutor, so a run ends while you wait "
                                      "(`backprop-tutor train` goes up to 1,000,000)"),
        (line_of(text, "rmsprop"), "train block: `optimizer`: unknown optimizer 'rmsprop': "
                                   "choose sgd, momentum, adam"),
        (line_of(text, "zeros"), "train block: `init`: unknown init scheme 'zeros': "
                                 "choose normal, xavier, he, constant"),
        (line_of(text, "record_every"), "train block: `record_every` must be a whole number from "
                                        "0 to 1,000,000, found -1"),
        (line_of(text, '"l1"'), 'gradcheck block: `backprop_loss` must be one of '
                                '"half_squared_error", "squared_error", "binary_cross_entropy", '
                                '"cross_entropy", found "l1"'),
        (line_of(text, "epsilon"), "gradcheck block: `epsilon` must be a number in (0, 0.1], "
                                   "e.g. 1e-5, found 1.0"),
    ])  # fmt: skip


def test_quiz_keys(tmp_path: Path) -> None:
    text = (
        HEAD
        + TINY
        + '\n```quiz\nid = "q 1"\nquestion = ""\nanswer = "the slope"\ntolerance = 2\n'
        + '[vary]\nW1 = [0.9, 0.1]\n"W1[0,1]" = [0.0, 1.0]\n```\n'
        + '\n```quiz\nid = "q2"\nquestion = "Q?"\nanswer = "grad W2 of tiny"\nhints = []\n```\n'
    )
    answer = problems_of(text, tmp_path)[3]
    assert answer[0] == line_of(text, "the slope")
    assert answer[1].startswith("quiz block: can't read the answer `the slope`: use one of")
    assert problems_of(text, tmp_path) == [
        (line_of(text, "```quiz"), 'quiz block: a quiz needs at least one hint: hints = ["…"]'),
        (line_of(text, 'id = "q 1"'), 'quiz block: `id` "q 1" must be letters, digits, `-` or '
                                      '`_`, e.g. "dw2"'),
        (line_of(text, 'question = ""'), 'quiz block: `question` must be a non-empty string, '
                                         'found ""'),
        answer,
        (line_of(text, "tolerance"), "quiz block: `tolerance` must be a number in (0, 1), "
                                     "e.g. 0.01, found 2"),
        (line_of(text, "W1 = [0.9"), "quiz block: [vary] `W1` must be a range [low, high] with "
                                     "low < high"),
        (line_of(text, '"W1[0,1]"'), "quiz block: [vary] `W1[0,1]`: rows and columns are "
                                     "numbered from 1, e.g. W1[1,1]"),
        (line_of(text, "hints = []"), "quiz block: `hints` is empty: a quiz needs at least one "
                                      "hint"),
    ]  # fmt: skip


def test_network_spec_errors_are_mapped_to_file_lines(tmp_path: Path) -> None:
    bad = TINY.replace("W = [[0.8]]", "W = [[0.8, 0.1]]").replace('"tiny"', '"bad"')
    bad = bad.replace("W = [[0.5]]", "W = [[0.5]]\nbais = [[0.0]]")
    text = HEAD + TINY + "\n" + bad
    shape = (
        "network block: layer 2: W has shape (1, 2), but its input has 1 row, so W needs 1 column"
    )
    assert problems_of(text, tmp_path) == [  # one checker: every problem, not only the first
        (line_of(text, "bais"), "network block: unknown key `bais` in layer 1; did you mean "
                                "`bias`?"),
        (line_of(text, "[[0.8, 0.1]]"), shape),
    ]  # fmt: skip
    text = HEAD + TINY + "\n" + bad.replace("bais = [[0.0]]\n", "")
    assert problems_of(text, tmp_path) == [(line_of(text, "[[0.8, 0.1]]"), shape)]


def test_duplicate_network_ids(tmp_path: Path) -> None:
    text = HEAD + TINY + "\n" + TINY
    assert problems_of(text, tmp_path) == [
        (
            line_of(text, 'id = "tiny"', 2),
            f'network block: id "tiny" is already used by the network block on line '
            f"{line_of(text, '```network')}",
        )
    ]


def test_drawn_weights_are_described_with_the_number_formatter(tmp_path: Path) -> None:
    drawn = (
        '```network\nid = "d"\ninput = [[1.0]]\ntarget = [[1.0]]\nloss = "half_squared_error"\n'
        '[[layers]]\nunits = 2\nactivation = "tanh"\n[[layers]]\nunits = 1\n'
        'activation = "sigmoid"\n```\n'
    )
    seeded = drawn.replace('"sigmoid"\n', '"sigmoid"\n[init]\nscale = 0.05\nseed = 12345678\n')
    constant = drawn.replace('"sigmoid"\n', '"sigmoid"\n[init]\nscheme = "constant"\nscale = 0.5\n')
    blocks = []
    for network in (drawn, seeded, constant):
        path = tmp_path / "drawn.md"
        path.write_text(HEAD + network)
        parsed = parse_lesson_file(path)
        assert parsed.problems == []
        assert parsed.lesson is not None
        blocks.append(parsed.lesson.networks["d"])
    assert [b.drawn for b in blocks] == [
        "normal, scale 1, seed 0",
        "normal, scale 0.05, seed 12345678",
        "",  # no draw: every weight is 0.5, and the card shows them
    ]
    assert all(np.all(p == 0.5) for n, p in blocks[2].spec.params().items() if n.startswith("W"))


def test_key_checker_reads_an_explicitly_empty_table(tmp_path: Path) -> None:
    from tutor.formats.toml_keys import BlockSource, KeyChecker
    from tutor.formats.tomlsource import parse_toml

    where = BlockSource("quiz", parse_toml('id = "q"\n'), 1, 2, "lesson.md")
    problems: list = []
    assert dict(KeyChecker(where, problems).table) == {"id": "q"}
    empty = KeyChecker(where, problems, {})
    assert dict(empty.table) == {}
    assert empty.text("id") is None and problems == []


@pytest.mark.parametrize("name", ["backprop.md", "classification.md", "deep.md", "paths.md"])
def test_an_outline_has_the_lessons_steps_and_prose_with_its_blocks_unread(name: str) -> None:
    """``outline=True`` reads the same steps and prose as the whole parse; each block it
    leaves unread keeps its kind and line (the block of the whole parse on that line)."""
    path = Path(__file__).parents[2] / "lessons" / name
    text = path.read_text(encoding="utf-8")
    whole, outline = parse_lesson_text(text, path), parse_lesson_text(text, path, outline=True)
    assert whole.lesson is not None and outline.lesson is not None
    assert outline.problems == [] and outline.lesson.complete is False and whole.lesson.complete
    assert [s.title for s in outline.lesson.steps] == [s.title for s in whole.lesson.steps]
    for step, read in zip(outline.lesson.steps, whole.lesson.steps, strict=True):
        assert [p for p in step.parts if isinstance(p, Prose)] == [
            p for p in read.parts if isinstance(p, Prose)
        ]
        unread = [p for p in step.parts if isinstance(p, Unread)]
        assert [(u.line, u.kind) for u in unread] == [
            (b.line, BLOCK_NAMES[type(b)]) for b in read.blocks
        ]
        assert step.unread == bool(read.blocks) and read.unread is False
    assert (outline.lesson.id, outline.lesson.title, outline.lesson.number) == (
        whole.lesson.id,
        whole.lesson.title,
        whole.lesson.number,
    )


def test_an_outline_reports_the_front_matter_and_steps_but_not_the_blocks() -> None:
    """The outline checks what it reads (front matter, headings); a broken block is found by
    the whole parse only (the catalog cache vouches for a file before it is read as one)."""
    text = HEAD + "```derive\nnetwork = 'missing'\nbogus = 1\n```\n\n## \n"
    outline = parse_lesson_text(text, Path("x.md"), outline=True)
    whole = parse_lesson_text(text, Path("x.md"))
    assert [p.message for p in outline.problems] == ["a step heading needs a title after `## `"]
    assert len(whole.problems) > len(outline.problems)
