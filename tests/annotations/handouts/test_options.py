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


def test_excerpt_limit_and_fit_default_to_the_issue_25_choices() -> None:
    options = handout_options(QueryDict(""))
    assert (options.excerpt, options.sentences, options.words) == ("auto", 2, 40)
    assert (options.limit, options.fit, options.pins, options.drops) == (3, None, {}, {})
    chosen = handout_options(
        QueryDict("excerpt=whole&sentences=3&words=80&limit=0&fit=2&pin-trade=7&drop-trade=9")
    )
    assert (chosen.excerpt, chosen.sentences, chosen.words, chosen.limit, chosen.fit) == (
        "whole",
        3,
        80,
        0,
        2,
    )
    assert (chosen.pins, chosen.drops) == ({"trade": (7,)}, {"trade": (9,)})


def test_malformed_hostile_or_huge_choices_fall_back_to_the_defaults() -> None:
    huge = "9" * 40
    query = QueryDict(mutable=True)
    query.setlist("pin-trade", ["3", "x", "-1", "3", huge, "4\x00", "<b>5</b>", "²", "6"])
    query.setlist("drop-trade", [""])
    query.update(
        {
            "excerpt": "<script>",
            "sentences": "0",
            "words": huge,
            "limit": "-3",
            "fit": "1.5",
        }
    )
    options = handout_options(query)
    assert (options.excerpt, options.sentences, options.words, options.limit) == (
        "auto",
        2,
        40,
        3,
    )
    assert options.fit is None
    assert options.pins == {"trade": (3, 6)} and options.drops == {}
    # Numbers out of their range, as well as no numbers at all.
    beyond = handout_options(QueryDict("sentences=99&words=5&limit=51&fit=0"))
    assert (beyond.sentences, beyond.words, beyond.limit, beyond.fit) == (2, 40, 3, None)
    many = QueryDict("&".join(f"pin-t={n}" for n in range(1000)))
    assert len(handout_options(many).pins["t"]) == 200


def test_the_options_key_is_the_same_for_the_same_choices_in_any_order() -> None:
    one = handout_options(QueryDict("pin-a=1&pin-b=2&questions-a=Why%3F&limit=2"))
    two = handout_options(QueryDict("limit=2&questions-a=Why%3F&pin-b=2&pin-a=1"))
    assert one.key == two.key
    assert one.key != handout_options(QueryDict("pin-a=1&pin-b=3&limit=2")).key
