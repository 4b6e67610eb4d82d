"""Every character the tutor writes has a glyph in the fonts the served page bundles.

The page's terminal font is textual-serve's Roboto Mono plus a subset of DejaVu Sans
Mono for the symbols Roboto Mono lacks; xterm.js draws box drawing and block elements
itself.  The characters checked are every non-ASCII one in the tutor's source and
lessons (so the served header's icon too), and the one Textual draws in our footers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

fontTools = pytest.importorskip("fontTools.ttLib")

ROOT = Path(__file__).parents[2]
ROBOTO = Path(__import__("textual_serve").__file__).parent / "static/fonts"
SUBSET = ROOT / "tutor/classroom/static/fonts/DejaVuSansMono-symbols.ttf"
TEXTUAL_GLYPHS = "⏎"
TYPED_ONLY = {ROOT / "tutor/answers/parse.py"}  # forms a learner may type, not shown


def drawn_by_xterm(code: int) -> bool:
    return 0x2500 <= code <= 0x259F or 0xE0A0 <= code <= 0xE0D4


def covered() -> set[int]:
    codes: set[int] = set()
    for font in (ROBOTO / "RobotoMono-VariableFont_wght.ttf", SUBSET):
        codes |= set(fontTools.TTFont(font).getBestCmap())
    return codes


def test_every_character_the_tutor_shows_has_a_glyph_in_the_pages_fonts():
    sources = [p for p in (ROOT / "tutor").rglob("*.py") if p not in TYPED_ONLY]
    sources += list((ROOT / "lessons").rglob("*.md"))
    shown = set(TEXTUAL_GLYPHS)
    for path in sources:
        shown |= {char for char in path.read_text(encoding="utf-8") if ord(char) > 127}
    fonts = covered()
    missing = sorted(c for c in shown if ord(c) not in fonts and not drawn_by_xterm(ord(c)))
    assert not missing, f"no glyph in the page's fonts for: {''.join(missing)}"
