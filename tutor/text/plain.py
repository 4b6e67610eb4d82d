"""Markdown as plain text, for ``lesson --plain``: a terminal, a script or a screen reader.

:func:`plain_markdown` keeps the words and drops the markup a listener would hear
as noise: ``**`` and backticks, ``#`` before headings, link targets after their
text (kept in brackets), fences around code (the code is indented instead).
Tables and lists stay as they are: they read well as text.
"""

from __future__ import annotations

import re

FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
HEADING = re.compile(r"^#{1,6}\s+")
IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")
STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
CODE = re.compile(r"`([^`]+)`")


def plain_markdown(text: str) -> str:
    """``text`` (Markdown) as plain lines."""
    lines: list[str] = []
    fence: str | None = None
    for line in text.splitlines():
        opening = FENCE.match(line)
        if opening:
            marker = opening.group(1)
            if fence is None:
                fence = marker[0] * len(marker)
                continue
            if marker.startswith(fence):
                fence = None
                continue
        if fence is not None:
            lines.append(f"    {line}")
            continue
        lines.append(_inline(HEADING.sub("", line)))
    return "\n".join(lines).strip("\n")


def _inline(line: str) -> str:
    line = IMAGE.sub(lambda m: f"[image: {m.group(1)}]", line)
    line = LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", line)
    line = STRONG.sub(r"\2", line)
    line = EMPHASIS.sub(r"\1", line)
    return CODE.sub(r"\1", line)
