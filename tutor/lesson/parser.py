"""Reading a lesson file into the model: front matter, steps, prose and blocks.

Provides :func:`read_lesson_file` (bytes → text, or a problem: missing, too large,
binary, not UTF-8), :func:`parse_lesson_text` and :func:`parse_lesson_file`, which
return a :class:`ParsedLesson`: the :class:`~tutor.lesson.model.Lesson` built from
everything that could be read, every :class:`~tutor.formats.problem.Problem` found
(parsing goes on past a broken block) and the file line of every block key.
One pass over the lines; nothing in the file is executed.

``parse_lesson_text(text, path, outline=True)`` reads only the front matter, the steps
and their prose, and leaves each block :class:`~tutor.lesson.model.Unread` (nor its TOML
read, nor its keys checked): it imports no engine and no NumPy, so a lesson whose file is
known to be valid (the catalog cache) shows its first steps before they are loaded.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from tutor.formats.problem import Problem
from tutor.formats.textfile import UnreadableFile, read_small_text
from tutor.formats.toml_keys import BlockSource, block_label
from tutor.formats.tomlsource import TomlSyntaxError, parse_toml
from tutor.lesson.front_matter import FrontMatter, front_matter
from tutor.lesson.model import (
    BLOCK_KINDS,
    Block,
    Lesson,
    NetworkBlock,
    Part,
    Prose,
    Step,
    Unread,
)

MAX_LESSON_BYTES = 2_000_000
MAX_LINE_CHARS = 1_000
"""A lesson line holds at most this many characters (Markdown joins a paragraph's lines)."""
MAX_STEPS = 100
MAX_STEP_CHARS = 16_000
"""Characters of one step, its heading to the next (prose, code and blocks)."""
MAX_CODE_CHARS = 3_000
"""Characters of code blocks in one step (each is highlighted when the step is drawn)."""
FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\s`]*)")
STEP_HEADING = re.compile(r"^ {0,3}##(?:[ \t]+(?P<title>.*?))?[ \t#]*$")
TITLE_HEADING = re.compile(r"^ {0,3}#(?:[ \t]|$)")
FRONT_MATTER_FENCE = "+++"


@dataclass
class ParsedLesson:
    """A lesson file as parsed: the lesson (None if unreadable), problems, key lines."""

    path: Path
    lesson: Lesson | None
    problems: list[Problem] = field(default_factory=list)
    sources: dict[int, BlockSource] = field(default_factory=dict)  # block line → its source
    front_matter: BlockSource | None = None
    unusable_networks: dict[str, int] = field(default_factory=dict)  # id → line of its block

    @property
    def id_line(self) -> int:
        """The file line of the front matter's ``id`` (1 if there is none)."""
        return 1 if self.front_matter is None else self.front_matter.line_of("id")

    def line_of(self, block: Block, *keys: str | int) -> int:
        """The file line of a key of ``block`` (the block's line if the key is absent)."""
        source = self.sources.get(block.line)
        return block.line if source is None else source.line_of(*keys)


def read_lesson_file(path: Path) -> tuple[str | None, Problem | None]:
    """The text of a lesson file, or the problem that stops it being read."""
    try:
        return read_small_text(path, limit=MAX_LESSON_BYTES, kind="lesson"), None
    except UnreadableFile as exc:
        return None, Problem(str(path), exc.line or 1, exc.message)


def parse_lesson_file(path: Path) -> ParsedLesson:
    """Read and parse one lesson file."""
    text, problem = read_lesson_file(path)
    if text is None:
        return ParsedLesson(path, None, [problem] if problem else [])
    return parse_lesson_text(text, path)


def parse_lesson_text(text: str, path: Path, *, outline: bool = False) -> ParsedLesson:
    """Parse the text of a lesson; every problem is collected, none is raised.

    ``outline``: leave every block :class:`~tutor.lesson.model.Unread` (no engine, no
    NumPy; the blocks' problems are not looked for).
    """
    return _Parser(text, path, outline).parse()


class _Parser:
    """One pass over the lines of a lesson."""

    def __init__(self, text: str, path: Path, outline: bool = False) -> None:
        self.outline = outline
        self.lines = text.replace("\r\n", "\n").split("\n")  # a lone CR is no line break
        self.path = path
        self.where = str(path)
        self.parsed = ParsedLesson(path, None)
        self.steps: list[Step] = []
        self.networks: dict[str, NetworkBlock] = {}
        self.step_title = ""
        self.step_line: int | None = None  # the current step's heading line
        self.preamble_reported = False
        self.parts: list[Part] = []
        self.prose: list[str] = []
        self.prose_line = 0
        self.step_index = 0  # the current step's heading, as an index into lines
        self.step_code = 0  # characters of code blocks in the current step

    def problem(self, line: int, message: str) -> None:
        self.parsed.problems.append(Problem(self.where, line, message))

    def parse(self) -> ParsedLesson:
        if not "".join(self.lines).strip():
            self.problem(1, "the file is empty: a lesson starts with +++ front matter +++")
            return self.parsed
        long_line = next((i for i, ln in enumerate(self.lines) if len(ln) > MAX_LINE_CHARS), None)
        if long_line is not None:
            self.problem(
                long_line + 1,
                f"this line is {len(self.lines[long_line]):,} characters long; a lesson line "
                f"holds at most {MAX_LINE_CHARS:,} (break it: Markdown joins a paragraph's lines)",
            )
            return self.parsed
        meta, index = self.front_matter()
        try:
            self.body(index)
        except _TooManySteps:
            return self.parsed
        if not self.steps:
            self.problem(
                min(index + 1, len(self.lines)),
                "the lesson has no steps: start one with `## Title`",
            )
        self.parsed.lesson = Lesson(
            id=meta.id,
            title=meta.title,
            path=self.path,
            steps=tuple(self.steps),
            number=meta.number,
            summary=meta.summary,
            prerequisites=meta.prerequisites,
            minutes=meta.minutes,
            networks=self.networks,
            complete=not self.outline,
        )
        return self.parsed

    def front_matter(self) -> tuple[FrontMatter, int]:
        """Check the front matter; return it and the index of the first body line."""
        start = 0
        while start < len(self.lines) and not self.lines[start].strip():
            start += 1
        empty = FrontMatter(id="", title="")
        if self.lines[start].strip() != FRONT_MATTER_FENCE:
            self.problem(
                start + 1,
                'a lesson starts with front matter: a line "+++", id = "…", title = "…", '
                'then "+++"',
            )
            return empty, start
        end = start + 1
        while end < len(self.lines) and self.lines[end].strip() != FRONT_MATTER_FENCE:
            end += 1
        if end == len(self.lines):
            self.problem(start + 1, 'the front matter opened here is never closed with "+++"')
            return empty, len(self.lines)
        where = self.block_source("front matter", start, end)
        if where is None:
            return empty, end + 1
        self.parsed.front_matter = where
        return front_matter(where, self.parsed.problems), end + 1

    def block_source(self, kind: str, opening: int, closing: int) -> BlockSource | None:
        """Parse the TOML between two line indexes (exclusive), or report why it can't be."""
        body = "\n".join(self.lines[opening + 1 : closing])
        label = block_label(kind)
        try:
            source = parse_toml(body)
        except TomlSyntaxError as exc:
            line = opening + 1 + (exc.line or 1)
            self.problem(line, f"{label}: TOML syntax error: {exc.message}")
            return None
        if not source.data:
            self.problem(opening + 1, f'{label}: empty; it needs TOML keys such as id = "…"')
            return None
        return BlockSource(kind, source, opening + 1, opening + 2, self.where)

    def body(self, index: int) -> None:
        lines = self.lines
        while index < len(lines):
            line = lines[index]
            fence = FENCE.match(line)
            if fence is not None:
                index = self.fenced(index, fence.group("fence"), fence.group("info"))
                continue
            heading = STEP_HEADING.match(line)
            if heading is not None:
                self.start_step(index, heading.group("title") or "")
            elif self.step_line is not None or (line.strip() and not TITLE_HEADING.match(line)):
                self.add_prose(index, line)
            index += 1
        self.end_step(len(lines))

    def fenced(self, index: int, fence: str, info: str) -> int:
        """Handle a fenced block opening at ``index``; return the index after it."""
        closing = index + 1
        while closing < len(self.lines) and not _closes(self.lines[closing], fence):
            closing += 1
        kind = info.lower()
        if closing == len(self.lines):
            what = f"the ```{kind} block" if kind in BLOCK_KINDS else "the code fence"
            self.problem(index + 1, f"{what} opened here is never closed (add a line {fence})")
        if kind not in BLOCK_KINDS:
            self.check_kind(index, info)
            self.step_code += sum(len(line) + 1 for line in self.lines[index + 1 : closing])
            for number in range(index, min(closing + 1, len(self.lines))):
                self.add_prose(number, self.lines[number])
            return closing + 1
        self.flush_prose()
        if self.step_line is None:
            self.problem(index + 1, f"the {kind} block comes before the first `## ` step heading")
        if closing < len(self.lines) and self.outline:
            if self.step_line is not None:
                self.parts.append(Unread(kind, index + 1))
        elif closing < len(self.lines):
            from tutor.lesson.blocks import build_block  # the engine's checks: NumPy

            where = self.block_source(kind, index, closing)
            if where is not None:
                self.parsed.sources[where.line] = where
                block = build_block(where, self.parsed.problems)
                if block is not None:
                    self.add_block(block, where)
                elif kind == "network" and isinstance(where.source.data.get("id"), str):
                    self.parsed.unusable_networks[where.source.data["id"]] = where.line
        return closing + 1

    def check_kind(self, index: int, info: str) -> None:
        """A fence whose info string looks like a misspelt block kind is reported."""
        close = difflib.get_close_matches(info.lower(), BLOCK_KINDS, n=1, cutoff=0.75)
        if close:
            self.problem(
                index + 1,
                f"unknown block kind `{info[:40]}`: did you mean `{close[0]}`? "
                "(otherwise it is shown as code)",
            )

    def add_block(self, block: Block, where: BlockSource) -> None:
        if isinstance(block, NetworkBlock):
            first = self.networks.get(block.id)
            if first is not None:
                self.problem(
                    where.line_of("id"),
                    f'network block: id "{block.id}" is already used by the network '
                    f"block on line {first.line}",
                )
                return
            self.networks[block.id] = block
        if self.step_line is not None:
            self.parts.append(block)

    def add_prose(self, index: int, line: str) -> None:
        if self.step_line is None:
            if not self.preamble_reported:
                self.problem(index + 1, "text before the first step: start a step with `## Title`")
                self.preamble_reported = True
            return
        if not self.prose and not line.strip():
            return
        if not self.prose:
            self.prose_line = index + 1
        self.prose.append(line)

    def flush_prose(self) -> None:
        text = "\n".join(self.prose).strip("\n")
        if text.strip():
            self.parts.append(Prose(text, self.prose_line))
        self.prose = []

    def start_step(self, index: int, title: str) -> None:
        self.end_step(index)
        if len(self.steps) == MAX_STEPS:
            self.problem(
                index + 1,
                f"step {MAX_STEPS + 1}: a lesson has at most {MAX_STEPS} steps "
                "(split it into two lessons)",
            )
            raise _TooManySteps
        if not title.strip():
            self.problem(index + 1, "a step heading needs a title after `## `")
        self.step_title, self.step_line, self.parts = title.strip(), index + 1, []
        self.step_index = index

    def end_step(self, index: int) -> None:
        """End the current step, whose lines end before ``index``."""
        self.flush_prose()
        if self.step_line is not None:
            self.check_step_size(index)
            self.steps.append(Step(self.step_title, tuple(self.parts), self.step_line))
        self.parts = []
        self.step_code = 0

    def check_step_size(self, index: int) -> None:
        """A step drawn in under a second: at most so many characters, and of code."""
        size = sum(len(line) + 1 for line in self.lines[self.step_index : index])
        if size > MAX_STEP_CHARS:
            self.problem(
                self.step_index + 1,
                f"this step is {size:,} characters long; a step holds at most "
                f"{MAX_STEP_CHARS:,} (split it into steps)",
            )
        elif self.step_code > MAX_CODE_CHARS:
            self.problem(
                self.step_index + 1,
                f"this step has {self.step_code:,} characters of code; a step holds at most "
                f"{MAX_CODE_CHARS:,} (shorten the code or split it over steps)",
            )


class _TooManySteps(Exception):
    """The lesson goes on past :data:`MAX_STEPS`: parsing stops there."""


def _closes(line: str, fence: str) -> bool:
    """Whether ``line`` closes a fence opened with ``fence`` (same character, at least as long)."""
    stripped = line.strip()
    if not stripped or len(line) - len(line.lstrip(" ")) > 3:
        return False
    run = len(stripped) - len(stripped.lstrip(fence[0]))
    return run >= len(fence) and run == len(stripped)
