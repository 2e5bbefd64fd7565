from __future__ import annotations

import re

import pytest
from django.urls import reverse

from annotations.models import PositionSummary, Tag, Theme
from annotations.palette import PALETTE, next_colour
from annotations.services import passage_tag, theme_merge, theme_retire
from readings.models import Passage
from tests.clients import HTMX, client_for
from tests.factories import (
    MembershipFactory,
    SeminarFactory,
    ThemeFactory,
    UserFactory,
    seminar_world,
)

pytestmark = pytest.mark.django_db


def codebook_url(world) -> str:
    return reverse("annotations:theme_list", args=[world.seminar.pk])


def theme_url(world, name: str, theme: Theme) -> str:
    return reverse(f"annotations:{name}", args=[world.seminar.pk, theme.pk])


def paragraphs(world, document_index: int = 0) -> list[Passage]:
    return list(
        Passage.objects.filter(
            document=world.documents[document_index], kind=Passage.Kind.PARAGRAPH
        )
    )


def tag(world, annotation_set, theme: Theme, passage: Passage, note: str = "") -> Tag:
    return passage_tag(
        annotation_set=annotation_set,
        passage=passage,
        theme=theme,
        author=annotation_set.owner,
        note=note,
    )[0]


def active_names(world) -> list[str]:
    return list(
        Theme.objects.active()
        .filter(seminar=world.seminar)
        .order_by("position", "pk")
        .values_list("name", flat=True)
    )


def text_of(response) -> str:
    """The response without markup, so assertions read like what a person sees."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# Reading the codebook --------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True])
def test_member_reads_the_codebook_in_order_with_chips_questions_and_counts(htmx: bool) -> None:
    world = seminar_world()
    trade, security = world.themes
    Theme.objects.filter(pk=security.pk).update(
        position=0, description="Alliances, deterrence, arms."
    )
    Theme.objects.filter(pk=trade.pk).update(position=1, guiding_question="Is trade a lever?")
    for passage in paragraphs(world)[:2]:
        tag(world, world.student_set, trade, passage)

    response = client_for(world.student).get(codebook_url(world), headers=HTMX if htmx else {})

    body = response.content.decode()
    assert response.status_code == 200
    assert ("<html" in body) is not htmx
    assert 'id="codebook"' in body
    assert text_of(response).index("Security") < text_of(response).index("Trade")
    assert f'class="theme-card chip-{trade.colour[1:]}"' in body
    assert "Is trade a lever?" in body and "Alliances, deterrence, arms." in body
    assert "2 tags" in text_of(response)
    assert "HX-Request" in response["Vary"]


def test_student_sees_no_instructor_controls() -> None:
    world = seminar_world()
    response = client_for(world.student).get(codebook_url(world))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="codebook"' in body
    assert 'class="chip">Trade</span>' in body and 'class="chip">Security</span>' in body
    for control in ("Add a theme", "Move up", "Retire", "Merge", "Restore", 'method="post" action'):
        assert control not in body.replace('action="/accounts/logout/"', "")
    assert theme_url(world, "theme_edit", world.themes[0]) not in body


def test_instructor_sees_every_control_and_the_next_unused_colour_chosen() -> None:
    world = seminar_world()
    response = client_for(world.instructor).get(codebook_url(world))
    body = response.content.decode()
    assert response.status_code == 200
    trade, security = world.themes
    assert "Add a theme" in body
    assert f'id="move-up-{security.pk}"' in body and f'id="move-down-{trade.pk}"' in body
    assert theme_url(world, "theme_edit", trade) in body
    assert theme_url(world, "theme_retire", trade) in body
    assert f'<select id="merge-target-{trade.pk}" name="target" required>' in body
    # Retiring keeps tags, and the page says so: there is no delete anywhere.
    assert "Retiring a theme keeps its existing tags" in body
    assert "Delete" not in body
    # The first theme cannot go further up, the last no further down; both stay focusable.
    assert re.search(rf'id="move-up-{trade.pk}"[^>]*aria-disabled="true"', body)
    assert re.search(rf'id="move-down-{security.pk}"[^>]*aria-disabled="true"', body)
    expected = next_colour({trade.colour, security.colour})
    assert re.search(rf'value="{expected}"[^>]*checked', body)
    assert body.count(" checked") == 1
    for colour, name in PALETTE:
        assert f'value="{colour}"' in body and name in body


def test_the_palette_names_the_themes_already_wearing_each_colour() -> None:
    world = seminar_world()
    body = client_for(world.instructor).get(codebook_url(world)).content.decode()
    trade = world.themes[0]
    colour_name = dict(PALETTE)[trade.colour]
    assert f"{colour_name} · Trade" in body


@pytest.mark.parametrize(
    ("role", "advice"),
    [
        ("instructor", "Start with the questions your seminar will ask"),
        ("student", "Your instructor has not set up themes yet"),
    ],
)
def test_empty_codebook_says_what_to_do(role: str, advice: str) -> None:
    seminar = SeminarFactory()
    user = UserFactory()
    MembershipFactory(seminar=seminar, user=user, role=role)
    response = client_for(user).get(reverse("annotations:theme_list", args=[seminar.pk]))
    assert "No themes yet" in text_of(response)
    assert advice in text_of(response)
    assert ("Add a theme" in text_of(response)) is (role == "instructor")


def test_students_count_only_the_tags_they_may_read() -> None:
    world = seminar_world()
    trade = world.themes[0]
    first, second, third = paragraphs(world)[:3]
    tag(world, world.student_set, trade, first)
    tag(world, world.other_student_set, trade, second)  # blind, not revealed
    tag(world, world.key, trade, third)  # the instructor's key, shared with the seminar
    world.key.blind = False
    world.key.save()

    student_view = text_of(client_for(world.student).get(codebook_url(world)))
    instructor_view = text_of(client_for(world.instructor).get(codebook_url(world)))

    assert "2 tags" in student_view
    assert "3 tags" in instructor_view


def test_retired_themes_are_listed_apart_with_what_they_were_merged_into() -> None:
    world = seminar_world()
    trade, security = world.themes
    old = ThemeFactory(seminar=world.seminar, name="Old idea", position=5)
    theme_retire(theme=old)
    theme_merge(source=trade, target=security)

    response = client_for(world.student).get(codebook_url(world))
    text = text_of(response)

    assert "Retired themes (2)" in text
    retired = text[text.index("Retired themes") :]
    assert "Old idea" in retired and "Trade" in retired
    assert "Merged into Security" in retired
    assert f'href="#theme-{security.pk}"' in response.content.decode()
    assert "Themes in use (1)" in text


def test_codebook_query_count_does_not_grow_with_themes_and_tags(
    django_assert_max_num_queries,
) -> None:
    world = seminar_world()
    passages = paragraphs(world) + paragraphs(world, 1)
    client = client_for(world.instructor)

    def fill_to(count: int) -> None:
        while Theme.objects.filter(seminar=world.seminar).count() < count:
            theme = ThemeFactory(seminar=world.seminar)
            for passage in passages:
                tag(world, world.key, theme, passage)
        retired = Theme.objects.filter(seminar=world.seminar).last()
        assert retired is not None
        theme_merge(source=retired, target=world.themes[0])

    # The session, the user, the membership with its seminar, the themes with their counts.
    fill_to(3)
    with django_assert_max_num_queries(4):
        few = client.get(codebook_url(world))
    fill_to(30)
    with django_assert_max_num_queries(4):
        many = client.get(codebook_url(world))
    student = client_for(world.student)
    with django_assert_max_num_queries(4):
        student.get(codebook_url(world))
    assert text_of(few).count("Move up") == 2
    assert text_of(many).count("Move up") == 28
    # Each theme counts its own tags. Trade took in two merged themes, whose tags sat on the
    # same passages of the same set, so they became one tag each.
    counts = re.findall(r'<p class="theme-count">([^<]+)</p>', many.content.decode())
    tagged = f"{len(passages)} tags"
    assert counts == [tagged, "No tags yet", *[tagged] * 26, "No tags", "No tags"]


# Who may do what -------------------------------------------------------------------------

THEME_URLS = ["theme_edit", "theme_move", "theme_retire", "theme_merge"]


@pytest.mark.parametrize(
    ("name", "method", "expected"),
    [
        ("theme_list", "get", 404),
        ("theme_list", "post", 404),
        ("theme_edit", "get", 404),
        ("theme_edit", "post", 404),
        # POST-only URLs refuse GET before anyone is asked who they are.
        *[(name, "get", 405) for name in ["theme_move", "theme_retire", "theme_merge"]],
        *[(name, "post", 404) for name in ["theme_move", "theme_retire", "theme_merge"]],
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_outsider_learns_nothing_from_any_theme_url(
    name: str, method: str, expected: int, htmx: bool
) -> None:
    world = seminar_world()
    trade, security = world.themes
    url = codebook_url(world) if name == "theme_list" else theme_url(world, name, trade)
    data = {"offset": "1", "name": "Hack", "colour": "#1f77b4", "target": security.pk}
    client = client_for(world.outsider)

    response = getattr(client, method)(url, data, headers=HTMX if htmx else {})

    assert response.status_code == expected
    assert "Trade" not in response.content.decode()
    assert active_names(world) == ["Trade", "Security"]


def test_a_theme_of_another_seminar_is_404_even_for_an_instructor() -> None:
    world = seminar_world()
    elsewhere = ThemeFactory(name="Elsewhere")
    for name in THEME_URLS:
        response = client_for(world.instructor).post(theme_url(world, name, elsewhere), {})
        assert response.status_code == 404


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("theme_list", {"name": "Sneaky", "colour": "#1f77b4"}),
        ("theme_edit", {"name": "Renamed", "colour": "#1f77b4"}),
        ("theme_move", {"offset": "1"}),
        ("theme_retire", {}),
        ("theme_merge", {"target": "TARGET", "confirm": "on"}),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_student_may_not_change_the_codebook(name: str, data: dict, htmx: bool) -> None:
    world = seminar_world()
    trade, security = world.themes
    url = codebook_url(world) if name == "theme_list" else theme_url(world, name, trade)
    data = {key: str(security.pk) if value == "TARGET" else value for key, value in data.items()}

    response = client_for(world.student).post(url, data, headers=HTMX if htmx else {})

    assert response.status_code == 403
    assert active_names(world) == ["Trade", "Security"]
    assert not Theme.objects.filter(name__in=["Sneaky", "Renamed"]).exists()


def test_student_may_not_open_the_edit_page() -> None:
    world = seminar_world()
    response = client_for(world.student).get(theme_url(world, "theme_edit", world.themes[0]))
    assert response.status_code == 403


# Creating --------------------------------------------------------------------------------


def test_instructor_adds_a_theme_without_javascript() -> None:
    world = seminar_world()
    client = client_for(world.instructor)
    response = client.post(
        codebook_url(world),
        {
            "name": "  Energy  ",
            "guiding_question": "Who pays for the pipeline?",
            "description": "Oil, gas, sanctions on both.",
            "colour": "#6a4fb3",
        },
    )
    theme = Theme.objects.get(seminar=world.seminar, name="Energy")
    assert response.status_code == 302
    assert response["Location"] == f"{codebook_url(world)}#theme-{theme.pk}"
    assert (theme.colour, theme.slug, theme.position) == ("#6a4fb3", "energy", 2)
    assert theme.guiding_question == "Who pays for the pipeline?"
    page = client.get(response["Location"])
    assert "Added “Energy” to the codebook." in text_of(page)
    assert active_names(world) == ["Trade", "Security", "Energy"]


def test_instructor_adds_a_theme_with_htmx_and_gets_a_fresh_form() -> None:
    world = seminar_world()
    response = client_for(world.instructor).post(
        codebook_url(world), {"name": "Energy", "colour": "#6a4fb3"}, headers=HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="codebook"')
    assert '<div class="codebook-messages" role="alert">' in body
    assert "Added “Energy” to the codebook." in body
    assert 'class="chip">Energy</span>' in body
    assert 'name="name" value=' not in body  # the form is empty again
    used = {t.colour for t in Theme.objects.filter(seminar=world.seminar)}
    assert re.search(rf'value="{next_colour(used)}"[^>]*checked', body)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"name": "", "colour": "#1f77b4"}, "Give the theme a name."),
        ({"name": "   ", "colour": "#1f77b4"}, "Give the theme a name."),
        (
            {"name": "trade", "colour": "#1f77b4"},
            "The codebook already has a theme called “trade”.",
        ),
        ({"name": "Energy", "colour": "#ffff00"}, "does not give theme chips enough contrast"),
        ({"name": "Energy", "colour": "#eeeeee"}, "does not give theme chips enough contrast"),
        ({"name": "Energy", "colour": "red"}, "Choose a colour from the palette."),
        ({"name": "Energy", "colour": ""}, "Choose a colour."),
        ({"name": "x" * 81, "colour": "#1f77b4"}, "at most 80 characters"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_a_theme_that_cannot_be_added_is_explained_in_place(
    data: dict, error: str, htmx: bool
) -> None:
    world = seminar_world()
    response = client_for(world.instructor).post(
        codebook_url(world), data, headers=HTMX if htmx else {}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert ("<html" in body) is not htmx
    assert "The theme was not added:" in body
    assert error in body
    assert 'class="field-error"' in body
    # The summary comes before the list, so htmx's focus lands on it.
    assert body.index('role="alert"') < body.index('id="themes-heading"')
    assert Theme.objects.filter(seminar=world.seminar).count() == 2


def test_a_retired_themes_name_can_be_used_again() -> None:
    world = seminar_world()
    theme_retire(theme=world.themes[0])
    response = client_for(world.instructor).post(
        codebook_url(world), {"name": "Trade", "colour": "#1f77b4"}
    )
    assert response.status_code == 302
    assert active_names(world) == ["Security", "Trade"]


# Editing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True])
def test_edit_page_shows_the_theme_in_its_form(htmx: bool) -> None:
    world = seminar_world()
    trade = world.themes[0]
    response = client_for(world.instructor).get(
        theme_url(world, "theme_edit", trade), headers=HTMX if htmx else {}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert ("<html" in body) is not htmx
    assert 'id="theme-form"' in body
    assert 'value="Trade"' in body
    assert re.search(rf'value="{trade.colour}"[^>]*checked', body)


def test_instructor_edits_a_theme_without_javascript() -> None:
    world = seminar_world()
    trade = world.themes[0]
    client = client_for(world.instructor)
    response = client.post(
        theme_url(world, "theme_edit", trade),
        {
            "name": "Trade and sanctions",
            "guiding_question": "Does trade buy influence?",
            "description": "",
            "colour": "#0f7c8c",
        },
    )
    trade.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == f"{codebook_url(world)}#theme-{trade.pk}"
    assert (trade.name, trade.slug, trade.colour) == (
        "Trade and sanctions",
        "trade-and-sanctions",
        "#0f7c8c",
    )
    assert "Saved “Trade and sanctions”." in text_of(client.get(response["Location"]))


def test_instructor_edits_a_theme_with_htmx_and_is_sent_back_to_the_codebook() -> None:
    world = seminar_world()
    trade = world.themes[0]
    response = client_for(world.instructor).post(
        theme_url(world, "theme_edit", trade),
        {"name": "Commerce", "colour": trade.colour},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{codebook_url(world)}#theme-{trade.pk}"
    trade.refresh_from_db()
    assert trade.name == "Commerce"


@pytest.mark.parametrize("htmx", [False, True])
def test_renaming_to_another_themes_name_is_refused_in_place(htmx: bool) -> None:
    world = seminar_world()
    trade = world.themes[0]
    response = client_for(world.instructor).post(
        theme_url(world, "theme_edit", trade),
        {"name": "SECURITY", "colour": trade.colour},
        headers=HTMX if htmx else {},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert ("<html" in body) is not htmx
    assert "The theme was not saved:" in body
    assert "already has a theme called “SECURITY”" in body
    trade.refresh_from_db()
    assert trade.name == "Trade"


def test_editing_keeps_a_colour_from_outside_the_palette() -> None:
    world = seminar_world()
    trade = world.themes[0]
    Theme.objects.filter(pk=trade.pk).update(colour="#005a9c")  # accessible, not in PALETTE
    client = client_for(world.instructor)
    body = client.get(theme_url(world, "theme_edit", trade)).content.decode()
    assert re.search(r'value="#005a9c"[^>]*checked', body)
    assert "Current colour" in body
    response = client.post(
        theme_url(world, "theme_edit", trade), {"name": "Trade", "colour": "#005a9c"}
    )
    assert response.status_code == 302


# Moving ----------------------------------------------------------------------------------


def test_instructor_moves_a_theme_up_without_javascript() -> None:
    world = seminar_world()
    security = world.themes[1]
    client = client_for(world.instructor)
    response = client.post(theme_url(world, "theme_move", security), {"offset": "-1"})
    assert response.status_code == 302
    assert response["Location"] == f"{codebook_url(world)}#theme-{security.pk}"
    assert active_names(world) == ["Security", "Trade"]
    page = text_of(client.get(response["Location"]))
    assert "Moved “Security” up: now 1 of 2." in page
    assert page.index("Security") < page.index("Trade")


def test_instructor_moves_a_theme_down_with_htmx_and_only_the_list_is_swapped() -> None:
    world = seminar_world()
    trade = world.themes[0]
    response = client_for(world.instructor).post(
        theme_url(world, "theme_move", trade), {"offset": "1"}, headers=HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<ol id="active-themes"')
    assert "<h2" not in body and 'role="alert"' not in body  # focus stays on the button
    assert f'id="move-down-{trade.pk}"' in body
    assert '<div id="codebook-status" hx-swap-oob="innerHTML">' in body
    assert "Moved “Trade” down: now 2 of 2." in body
    assert text_of(response).index("Security") < text_of(response).index("Trade")
    assert active_names(world) == ["Security", "Trade"]


@pytest.mark.parametrize(("index", "offset", "edge"), [(0, "-1", "first"), (1, "1", "last")])
def test_moving_past_either_end_changes_nothing(index: int, offset: str, edge: str) -> None:
    world = seminar_world()
    theme = world.themes[index]
    response = client_for(world.instructor).post(
        theme_url(world, "theme_move", theme), {"offset": offset}, headers=HTMX
    )
    assert f"“{theme.name}” is already {edge}." in response.content.decode()
    assert active_names(world) == ["Trade", "Security"]


def test_a_move_steps_over_retired_themes_so_it_is_always_visible() -> None:
    world = seminar_world()
    trade, security = world.themes
    between = ThemeFactory(seminar=world.seminar, name="Between", position=1)
    Theme.objects.filter(pk=security.pk).update(position=2)
    theme_retire(theme=between)
    client = client_for(world.instructor)

    client.post(theme_url(world, "theme_move", security), {"offset": "-1"})
    assert active_names(world) == ["Security", "Trade"]
    client.post(theme_url(world, "theme_move", security), {"offset": "1"})
    assert active_names(world) == ["Trade", "Security"]


@pytest.mark.parametrize("offset", ["", "2", "up"])
def test_a_move_other_than_one_place_is_refused(offset: str) -> None:
    world = seminar_world()
    client = client_for(world.instructor)
    response = client.post(theme_url(world, "theme_move", world.themes[0]), {"offset": offset})
    assert response.status_code == 302
    assert "Move a theme one place up or down." in text_of(client.get(response["Location"]))
    assert active_names(world) == ["Trade", "Security"]


# Retiring and restoring -------------------------------------------------------------------


def test_instructor_retires_a_theme_and_its_tags_stay() -> None:
    world = seminar_world()
    trade = world.themes[0]
    kept = tag(world, world.key, trade, paragraphs(world)[0])
    client = client_for(world.instructor)

    response = client.post(theme_url(world, "theme_retire", trade))

    assert response.status_code == 302
    assert response["Location"] == f"{codebook_url(world)}#theme-{trade.pk}"
    trade.refresh_from_db()
    assert not trade.is_active and trade.merged_into is None
    assert Tag.objects.get(pk=kept.pk).theme == trade
    page = text_of(client.get(response["Location"]))
    assert "Retired “Trade”. Its 1 tag stay; it takes no new ones." in page
    assert page.index("Retired themes") < page.rindex("Trade")
    assert active_names(world) == ["Security"]


def test_instructor_retires_and_restores_a_theme_with_htmx() -> None:
    world = seminar_world()
    trade = world.themes[0]
    client = client_for(world.instructor)
    url = theme_url(world, "theme_retire", trade)

    retired = client.post(url, headers=HTMX)
    assert retired.status_code == 200
    assert retired.content.decode().lstrip().startswith('<div id="codebook"')
    assert "Retired “Trade”. It has no tags; it takes no new ones." in text_of(retired)
    assert 'Restore<span class="visually-hidden">: Trade</span>' in retired.content.decode()
    assert active_names(world) == ["Security"]

    restored = client.post(url, headers=HTMX)
    assert restored.status_code == 200
    assert "Restored “Trade”: it takes new tags again." in text_of(restored)
    assert "Retired themes" not in text_of(restored)
    assert active_names(world) == ["Trade", "Security"]


def test_a_merged_theme_can_be_restored_though_its_tags_stay_with_the_target() -> None:
    world = seminar_world()
    trade, security = world.themes
    moved = tag(world, world.key, trade, paragraphs(world)[0])
    theme_merge(source=trade, target=security)

    response = client_for(world.instructor).post(theme_url(world, "theme_retire", trade))

    assert response.status_code == 302
    trade.refresh_from_db()
    assert trade.is_active and trade.merged_into is None
    assert Tag.objects.get(pk=moved.pk).theme == security


# Merging ---------------------------------------------------------------------------------


def test_instructor_merges_a_theme_without_javascript() -> None:
    world = seminar_world()
    trade, security = world.themes
    first, second = paragraphs(world)[:2]
    tag(world, world.key, trade, first)
    tag(world, world.student_set, trade, second)
    client = client_for(world.instructor)

    response = client.post(
        theme_url(world, "theme_merge", trade), {"target": security.pk, "confirm": "on"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{codebook_url(world)}#theme-{security.pk}"
    assert not Tag.objects.filter(theme=trade).exists()
    assert Tag.objects.filter(theme=security).count() == 2
    trade.refresh_from_db()
    assert trade.merged_into == security and not trade.is_active
    page = text_of(client.get(response["Location"]))
    assert "Merged “Trade” into “Security”: 2 tags moved." in page
    assert "Merged into Security" in page


def test_merging_where_a_set_has_the_passage_under_both_themes_leaves_one_tag() -> None:
    world = seminar_world()
    trade, security = world.themes
    passage = paragraphs(world)[0]
    tag(world, world.key, trade, passage, note="Tariffs as pressure.")
    tag(world, world.key, security, passage, note="Deterrence.")
    PositionSummary.objects.create(
        annotation_set=world.key, theme=trade, document=world.documents[0], text="On trade."
    )

    response = client_for(world.instructor).post(
        theme_url(world, "theme_merge", trade),
        {"target": security.pk, "confirm": "on"},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert "Merged “Trade” into “Security”: 1 tag moved." in text_of(response)
    survivor = Tag.objects.get(annotation_set=world.key, passage=passage)
    assert survivor.theme == security
    assert survivor.note == "Deterrence.\nTariffs as pressure."
    assert PositionSummary.objects.get(annotation_set=world.key).theme == security
    assert "1 tag" in text_of(response)


@pytest.mark.parametrize("target", ["self", "retired", "elsewhere", "missing", "nonsense"])
@pytest.mark.parametrize("htmx", [False, True])
def test_merging_into_anything_but_another_active_theme_is_refused(target: str, htmx: bool) -> None:
    world = seminar_world()
    trade, security = world.themes
    kept = tag(world, world.key, trade, paragraphs(world)[0])
    retired = ThemeFactory(seminar=world.seminar, name="Gone")
    theme_retire(theme=retired)
    target_id = {
        "self": trade.pk,
        "retired": retired.pk,
        "elsewhere": ThemeFactory(name="Elsewhere").pk,
        "missing": "",
        "nonsense": "abc",
    }[target]
    client = client_for(world.instructor)

    response = client.post(
        theme_url(world, "theme_merge", trade),
        {"target": target_id, "confirm": "on"},
        headers=HTMX if htmx else {},
    )

    page = response if htmx else client.get(response["Location"])
    assert "Choose" in text_of(page) and "theme" in text_of(page)
    assert Tag.objects.get(pk=kept.pk).theme == trade
    assert active_names(world) == ["Trade", "Security"]


def test_merging_needs_the_confirmation_ticked() -> None:
    world = seminar_world()
    trade, security = world.themes
    response = client_for(world.instructor).post(
        theme_url(world, "theme_merge", trade), {"target": security.pk}, headers=HTMX
    )
    assert "Tick the box to confirm the merge" in text_of(response)
    assert active_names(world) == ["Trade", "Security"]


# The admin -------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["theme", "annotationset", "tag", "positionsummary"])
def test_admin_lists_each_annotation_model_for_a_superuser(model: str) -> None:
    world = seminar_world()
    tag(world, world.key, world.themes[0], paragraphs(world)[0], note="Admin-visible note")
    PositionSummary.objects.create(
        annotation_set=world.key,
        theme=world.themes[0],
        document=world.documents[0],
        text="Summary",
    )
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client = client_for(admin)
    url = reverse(f"admin:annotations_{model}_changelist")

    search, shown = {
        "theme": ("Trade", "Security"),
        "annotationset": ("Sam", "Sam&#x27;s reading"),
        "tag": ("Admin-visible", "Author &amp; Writer"),
        "positionsummary": ("Summary", "First Reading"),
    }[model]

    response = client.get(url)
    searched = client.get(url, {"q": search})

    assert response.status_code == 200 and searched.status_code == 200
    assert shown in response.content.decode()
    # The search finds something: the admin draws its table of results only then.
    assert '<table id="result_list">' in searched.content.decode()
    assert "0 results" not in searched.content.decode()
