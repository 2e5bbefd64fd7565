"""The builder's query string → HandoutOptions."""

from __future__ import annotations

import datetime

from django.http import QueryDict

from annotations.handouts.options import handout_options


def test_first_visit_includes_summaries_notes_and_stances_but_not_context() -> None:
    options = handout_options(QueryDict(""))
    assert (options.summaries, options.notes, options.stances, options.context) == (
        True,
        True,
        True,
        False,
    )
    assert options.themes == () and options.paper == "a4" and options.date is None


def test_a_sent_form_includes_only_what_is_ticked() -> None:
    options = handout_options(QueryDict("built=1&context=on"))
    assert (options.summaries, options.notes, options.stances, options.context) == (
        False,
        False,
        False,
        True,
    )


def test_themes_follow_their_order_numbers_then_the_form_order() -> None:
    query = "theme=a&theme=b&theme=c&order-a=3&order-b=1&order-c=x"
    assert handout_options(QueryDict(query)).themes == ("b", "a", "c")


def test_questions_are_kept_for_every_theme_one_per_line_without_blanks() -> None:
    query = "questions-trade=%20First%3F%0D%0A%0D%0ASecond%3F%20&questions-taiwan="
    assert handout_options(QueryDict(query)).questions == {"trade": ("First?", "Second?")}


def test_malformed_values_fall_back_to_the_defaults() -> None:
    options = handout_options(QueryDict("min=-2&date=2026-13-01&paper=a3&reading=x&reading=4"))
    assert options.min_people == 1 and options.date is None and options.paper == "a4"
    assert options.readings == (4,)
    assert handout_options(QueryDict("date=2026-11-24")).date == datetime.date(2026, 11, 24)
