"""Network cards show the numbers in play: the block's, a varied question's, or none."""

from __future__ import annotations

from pathlib import Path

from tests.ui.support import Entry, screen_text, settle
from tutor.lesson.network_cards import CardKind, card_plans
from tutor.lesson.parser import parse_lesson_text
from tutor.present.network import VARIED_NOTE
from tutor.text.numbers import format_array
from tutor.tui.app import make_app
from tutor.tui.widgets.network_card import NetworkCard
from tutor.tui.widgets.quiz_block import QuizBlockView

NETWORK = """```network
id = "n"
input = [[2.0]]
target = [[1.0]]
loss = "half_squared_error"

[[layers]]
W = [[0.3]]
activation = "sigmoid"
```
"""
VARIED = """```quiz
id = "{id}"
question = "x = {{x}}, w = {{W1}}: dL/dw?"
answer = "grad W1 of n"
hints = ["three links"]
[vary]
W1 = [-1.0, 1.0]
input = [0.5, 1.5]
```
"""
DERIVE = '```derive\nnetwork = "n"\n```\n'
LESSON = f"""+++
id = "cards"
title = "Cards"
+++

## Only a varied question

{NETWORK}
{VARIED.format(id="a")}

## A derivation and a varied question

{NETWORK.replace('id = "n"', 'id = "m"')}
{DERIVE.replace('"n"', '"m"')}
{VARIED.format(id="b").replace("of n", "of m")}

## Two varied questions

{NETWORK.replace('id = "n"', 'id = "k"')}
{VARIED.format(id="c").replace("of n", "of k")}
{VARIED.format(id="d").replace("of n", "of k")}
"""


def lesson():
    parsed = parse_lesson_text(LESSON, Path("cards.md"))
    assert parsed.lesson is not None and not parsed.problems, parsed.problems
    return parsed.lesson


def test_each_card_is_planned_by_who_uses_its_network_in_the_step():
    steps = lesson().steps
    assert set(card_plans(0, steps[0].parts)) == {0}  # one plan, for the one network block
    assert card_plans(0, steps[0].parts)[0].kind == CardKind.FOLLOW
    assert card_plans(0, steps[0].parts)[0].question == "0:1"
    assert card_plans(1, steps[1].parts)[0].kind == CardKind.FIXED_NOTED
    assert card_plans(2, steps[2].parts)[0].kind == CardKind.NONE
    assert {plan.kind for plan in card_plans(0, steps[0].parts[:1]).values()} == {CardKind.FIXED}


async def test_a_card_above_a_varied_question_shows_the_numbers_it_drew(tmp_path):
    app = make_app(data_dir=tmp_path, catalog=[Entry(Path("cards.md"), lesson())])
    async with app.run_test(size=(100, 40)) as pilot:
        app.open_lesson("cards")
        await settle(pilot)
        screen = app.screen
        card = screen.body.query_one(NetworkCard)
        quiz = screen.body.query_one(QuizBlockView)
        drawn = quiz.question.spec
        text = str(card.render())
        assert f"x = {format_array(drawn.input)}" in text
        assert f"W1 = {format_array(drawn.params()['W1'])}" in text
        lines = {line.strip() for line in text.splitlines()}
        own = {"W1 = 0.3", "x = 2"} - {f"W1 = {format_array(drawn.params()['W1'])}"}
        assert not own & lines  # the block's own numbers are not shown (unless drawn again)
        assert f"x = {format_array(drawn.input)}, w = {format_array(drawn.params()['W1'])}" in (
            screen_text(app)
        )

        screen.show_step(1)
        await settle(pilot)
        card = screen.body.query_one(NetworkCard)
        text = str(card.render())
        assert "W1 = 0.3" in text and VARIED_NOTE in text  # the derivation's numbers, noted

        screen.show_step(2)
        await settle(pilot)
        assert not screen.body.query_one(NetworkCard).display  # no one set of numbers fits
