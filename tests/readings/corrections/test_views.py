"""The correction page and its actions: owner only, with and without htmx."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from annotations.models import Tag
from readings.models import Document, Passage, PendingImport
from tests.readings.corrections.world import assert_laid_out, passage, quotes, tagged_reading

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


@pytest.fixture
def reading():
    return tagged_reading()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(document: Document) -> str:
    return reverse("readings:document_correct", args=[document.pk])


def _action(document: Document, passage_: Passage) -> str:
    return reverse("readings:passage_correct", args=[document.pk, passage_.pk])


def test_the_owner_finds_the_correction_page_from_the_reading(reading) -> None:
    owner = _client(reading.world.instructor)
    response = owner.get(reading.document.get_absolute_url())
    assert response.status_code == 200
    assert _page(reading.document) in response.content.decode()
    page = owner.get(_page(reading.document))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Correct “Trade Ties”" in html
    assert "Merge with next" in html and "Split…" in html and "Edit text…" in html
    assert '¶ 2 <span class="kind-name">Paragraph</span> <span class="meta">· 2 tags' in html


def test_members_see_the_reading_without_the_correct_link(reading) -> None:
    response = _client(reading.world.student).get(reading.document.get_absolute_url())
    assert response.status_code == 200
    assert "Trade binds partners" in response.content.decode()
    assert _page(reading.document) not in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [("outsider", 404), ("student", 403), ("other_student", 403)],
)
def test_only_the_owner_may_correct(reading, who, status) -> None:
    client = _client(getattr(reading.world, who))
    document = reading.document
    p1 = passage(document, "¶ 1")
    text = document.text
    assert client.get(_page(document)).status_code == status
    assert client.post(_action(document, p1), {"action": "merge"}).status_code == status
    assert client.post(_page(document), {"title": "Mine"}).status_code == status
    delete = reverse("readings:document_delete", args=[document.pk])
    assert client.post(delete, {"confirmed_tags": "5"}).status_code == status
    document.refresh_from_db()
    assert (document.text, document.title) == (text, "Trade Ties")


def test_a_co_instructor_who_did_not_import_it_may_not_correct(reading) -> None:
    from readings.models import Membership
    from tests.factories import MembershipFactory, UserFactory

    colleague = UserFactory(username="carla")
    MembershipFactory(
        seminar=reading.world.seminar, user=colleague, role=Membership.Role.INSTRUCTOR
    )
    response = _client(colleague).get(_page(reading.document))
    assert response.status_code == 403
    assert "You cannot do that here" in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(reading) -> None:
    response = Client().get(_page(reading.document))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_merge_without_htmx_redirects_to_the_passage_with_a_message(reading) -> None:
    owner = _client(reading.world.instructor)
    document = reading.document
    p1 = passage(document, "¶ 1")
    response = owner.post(_action(document, p1), {"action": "merge"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{_page(document)}#passage-{p1.pk}"
    html = response.content.decode()
    assert "¶ 1 and ¶ 2 are now one passage, ¶ 1." in html
    assert "¶ 3 is now ¶ 2." in html
    assert_laid_out(document)


def test_merge_with_htmx_swaps_the_list_and_says_what_moved(reading) -> None:
    owner = _client(reading.world.instructor)
    document = reading.document
    p1 = passage(document, "¶ 1")
    response = owner.post(_action(document, p1), {"action": "merge"}, headers=HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<ol id="corrections"')
    assert "<html" not in html
    assert 'hx-swap-oob="true"' in html and "¶ 4 is now ¶ 3." in html
    assert f'id="passage-{p1.pk}"' in html and "data-landing" in html
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_split_editor_opens_in_place_and_offers_sentence_ends(reading) -> None:
    owner = _client(reading.world.instructor)
    document = reading.document
    p2 = passage(document, "¶ 2")
    url = f"{_page(document)}?edit={p2.pk}&do=split"
    full = owner.get(url)
    assert full.status_code == 200 and "<html" in full.content.decode()
    row = owner.get(url, headers=HX)
    html = row.content.decode()
    assert row.status_code == 200
    assert html.lstrip().startswith(f'<li id="passage-{p2.pk}"')
    at = p2.text.index("They cost")
    assert f'<option value="{at}">…Tariffs are a tax on friends. | They cost' in html
    assert "Split here" in html


def test_an_editor_for_a_passage_not_in_the_reading_is_404_for_htmx(reading) -> None:
    owner = _client(reading.world.instructor)
    other = passage(reading.world.documents[0], "¶ 1")
    url = f"{_page(reading.document)}?edit={other.pk}&do=text"
    assert owner.get(url, headers=HX).status_code == 404
    full = owner.get(url)
    assert full.status_code == 200 and "Correct “Trade Ties”" in full.content.decode()


def test_split_without_and_with_htmx(reading) -> None:
    owner = _client(reading.world.instructor)
    document = reading.document
    p2 = passage(document, "¶ 2")
    at = p2.text.index("They cost")
    response = owner.post(_action(document, p2), {"action": "split", "at": str(at)}, follow=True)
    assert "¶ 2 is now two passages, ¶ 2 and ¶ 3." in response.content.decode()
    assert_laid_out(document)
    p4 = passage(document, "¶ 4")
    response = owner.post(
        _action(document, p4), {"action": "split", "at": str(p4.text.index("They"))}, headers=HX
    )
    assert "¶ 4 is now two passages, ¶ 4 and ¶ 5." in response.content.decode()
    assert_laid_out(document)


def test_split_at_the_caret_takes_any_point_inside(reading) -> None:
    owner = _client(reading.world.instructor)
    document = reading.document
    p3 = passage(document, "¶ 3")
    at = p3.text.index("aggression")
    owner.post(_action(document, p3), {"action": "split", "at": str(at)})
    assert passage(document, "¶ 3").text == "Alliances deter"
    assert passage(document, "¶ 4").text.startswith("aggression.")


@pytest.mark.parametrize("at", ["", "0", "-3", "abc", "9" * 40, "\x00", "<b>1</b>"])
def test_a_bad_split_point_is_refused_in_place(reading, at) -> None:
    owner = _client(reading.world.instructor)
    document = reading.document
    text = document.text
    p2 = passage(document, "¶ 2")
    response = owner.post(_action(document, p2), {"action": "split", "at": at}, headers=HX)
    assert response.status_code == 200
    assert "Split here" in response.content.decode()
    assert "field-error" in response.content.decode()
    document.refresh_from_db()
    assert document.text == text


def test_a_split_inside_a_quote_is_refused_with_its_reason(reading) -> None:
    owner = _client(reading.world.instructor)
    document = reading.document
    p2 = passage(document, "¶ 2")
    at = p2.text.index("on friends")
    response = owner.post(_action(document, p2), {"action": "split", "at": str(at)}, follow=True)
    html = response.content.decode()
    assert "would lose the words it quotes" in html
    assert "Split here" in html  # the editor stays open to choose again
    document.refresh_from_db()
    assert passage(document, "¶ 2").text == p2.text


def test_kind_change_without_and_with_htmx(reading) -> None:
    owner = _client(reading.world.instructor)
    document = reading.document
    heading = passage(document, "§ 1")
    response = owner.post(_action(document, heading), {"action": "kind", "kind": "not_text"})
    assert response.status_code == 302
    heading.refresh_from_db()
    assert heading.label == "Not text 1"
    response = owner.post(
        _action(document, heading), {"action": "kind", "kind": "heading"}, headers=HX
    )
    assert "Not text 1 is now a heading, § 1." in response.content.decode()


@pytest.mark.parametrize("kind", ["", "poem", "\x00", "<script>", "paragraph" * 50])
def test_unknown_kinds_are_refused(reading, kind) -> None:
    owner = _client(reading.world.instructor)
    document = reading.document
    p1 = passage(document, "¶ 1")
    response = owner.post(_action(document, p1), {"action": "kind", "kind": kind}, follow=True)
    assert response.status_code == 200
    assert "Choose one of the kinds listed." in response.content.decode()
    p1.refresh_from_db()
    assert p1.kind == "paragraph"


def test_text_fix_without_and_with_htmx(reading) -> None:
    owner = _client(reading.world.instructor)
    document = reading.document
    p2 = passage(document, "¶ 2")
    editor = owner.get(f"{_page(document)}?edit={p2.pk}&do=text", headers=HX)
    assert "Save the text" in editor.content.decode()
    fixed = p2.text.replace("friends", "frends")
    response = owner.post(_action(document, p2), {"action": "text", "text": fixed}, headers=HX)
    html = response.content.decode()
    assert "The text of ¶ 2 was corrected." in html
    assert "now quotes “a tax on frends”" in html
    response = owner.post(_action(document, p2), {"action": "text", "text": p2.text}, follow=True)
    assert "The text of ¶ 2 was corrected." in response.content.decode()
    assert quotes(document)[reading.tags["friends"].pk] == ("¶ 2", "a tax on friends")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "cannot be empty"),
        ("\x00\x01", "cannot be empty"),
        ("x" * 20_001, "at most 20,000"),
        ("One.\r\n\r\nTwo.", "blank line"),
    ],
)
def test_bad_text_is_refused_and_changes_nothing(reading, text, message) -> None:
    owner = _client(reading.world.instructor)
    document = reading.document
    before = document.text
    p1 = passage(document, "¶ 1")
    response = owner.post(_action(document, p1), {"action": "text", "text": text}, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    document.refresh_from_db()
    assert document.text == before


def test_hostile_text_is_shown_as_text(reading) -> None:
    owner = _client(reading.world.instructor)
    document = reading.document
    p1 = passage(document, "¶ 1")
    owner.post(_action(document, p1), {"action": "text", "text": "<img src=x onerror=alert(1)>"})
    html = owner.get(_page(document)).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img src=x" not in html


def test_unknown_action_and_vanished_passage(reading) -> None:
    owner = _client(reading.world.instructor)
    document = reading.document
    p1 = passage(document, "¶ 1")
    response = owner.post(_action(document, p1), {"action": "explode"}, follow=True)
    assert "Choose one of the actions offered." in response.content.decode()
    other = passage(reading.world.documents[0], "¶ 1")  # not a passage of this reading
    response = owner.post(_action(document, other), {"action": "merge"}, headers=HX)
    assert "no longer in the reading" in response.content.decode()
    assert_laid_out(document)


def test_title_block_without_and_with_htmx(reading) -> None:
    owner = _client(reading.world.instructor)
    document = reading.document
    response = owner.post(
        _page(document),
        {"title": "Trade and Ties", "authors": "Ann Author; Ben Writer", "published": "2024"},
        follow=True,
    )
    assert "The title block of “Trade and Ties” was saved." in response.content.decode()
    document.refresh_from_db()
    assert document.authors == ["Ann Author", "Ben Writer"]
    response = owner.post(_page(document), {"title": "Trade, Ties"}, headers=HX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == _page(document)
    response = owner.post(_page(document), {"title": "  "}, headers=HX)
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="title-block"')
    assert "Give the reading a title" in html
    document.refresh_from_db()
    assert document.title == "Trade, Ties"


def test_delete_asks_with_the_number_of_tags_then_deletes(reading) -> None:
    owner = _client(reading.world.instructor)
    document = reading.document
    url = reverse("readings:document_delete", args=[document.pk])
    ask = owner.get(url)
    html = ask.content.decode()
    assert ask.status_code == 200
    assert "5 tags" in html and "Reading Power" in html
    assert 'name="confirmed_tags" value="5"' in html
    fragment = owner.get(url, headers=HX)
    assert fragment.content.decode().lstrip().startswith('<div id="delete-step"')
    stale = owner.post(url, {"confirmed_tags": "3"})
    assert stale.status_code == 200
    assert "Confirm to delete it anyway" in stale.content.decode()
    assert Document.objects.filter(pk=document.pk).exists()
    done = owner.post(url, {"confirmed_tags": "5"}, follow=True)
    assert "“Trade Ties” was deleted, with its 5 tags." in done.content.decode()
    assert not Document.objects.filter(pk=document.pk).exists()
    assert Tag.objects.filter(passage__document_id=document.pk).count() == 0


def test_correction_page_query_count_does_not_grow_with_passages(
    reading, django_assert_max_num_queries
) -> None:
    from tests.factories import DocumentFactory

    owner = _client(reading.world.instructor)
    long = DocumentFactory(
        owner=reading.world.instructor,
        source="\n\n".join(f"Paragraph {n} says something." for n in range(300)),
    )
    with django_assert_max_num_queries(8):
        assert owner.get(_page(reading.document)).status_code == 200
    with django_assert_max_num_queries(8):
        assert owner.get(_page(long)).status_code == 200


def _upload(text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("better.txt", text.encode(), content_type="text/plain")


def test_replace_shows_the_orphans_then_replaces_when_confirmed(reading) -> None:
    from tests.readings.corrections.world import SOURCE

    owner = _client(reading.world.instructor)
    document = reading.document
    url = reverse("readings:document_replace", args=[document.pk])
    changed = SOURCE.replace("entangle their members in distant", "bind their members to")
    response = owner.post(url, {"file": _upload(changed)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tags that cannot be placed" in html
    assert "“entangle their members”" in html
    assert "Replace the text and remove 1 tag" in html
    document.refresh_from_db()
    assert "entangle" in document.text  # nothing changed yet
    pending = PendingImport.objects.get(owner=reading.world.instructor)
    confirm = reverse("readings:document_replace_confirm", args=[document.pk, pending.key])
    stale = owner.post(confirm, {"orphans": "0"})
    assert stale.status_code == 200 and "cannot be placed" in stale.content.decode()
    done = owner.post(confirm, {"orphans": "1"}, follow=True)
    assert "The text was replaced" in done.content.decode()
    assert "Orphans removed (1)" in done.content.decode()
    document.refresh_from_db()
    assert "bind their members to" in document.text
    assert_laid_out(document)


def test_replace_with_htmx_and_with_a_file_holding_all_the_quotes(reading) -> None:
    from tests.readings.corrections.world import SOURCE

    owner = _client(reading.world.instructor)
    document = reading.document
    url = reverse("readings:document_replace", args=[document.pk])
    response = owner.post(url, {"file": _upload(SOURCE + "\nOne more.\n")}, headers=HX)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="replace-step"')
    assert "The new text would have 7 passages (there are 6)" in html
    assert "Nothing has changed yet." in html
    bad = owner.post(url, {}, headers=HX)
    assert "Choose a file to upload" in bad.content.decode()
    assert bad.content.decode().lstrip().startswith('<section id="replace-form"')


@pytest.mark.parametrize("who", ["outsider", "student"])
def test_only_the_owner_may_replace(reading, who) -> None:
    from tests.readings.corrections.world import SOURCE

    client = _client(getattr(reading.world, who))
    url = reverse("readings:document_replace", args=[reading.document.pk])
    response = client.post(url, {"file": _upload(SOURCE)})
    assert response.status_code == {"outsider": 404, "student": 403}[who]
    assert not PendingImport.objects.exists()


def test_drop_asks_first_then_drops(reading) -> None:
    owner = _client(reading.world.instructor)
    document = reading.document
    heading = passage(document, "§ 1")
    ask = owner.get(f"{_page(document)}?edit={heading.pk}&do=drop", headers=HX)
    assert "Drop § 1 for good?" in ask.content.decode()
    unconfirmed = owner.post(_action(document, heading), {"action": "drop"}, follow=True)
    assert "Confirm to drop the passage" in unconfirmed.content.decode()
    assert Passage.objects.filter(pk=heading.pk).exists()
    done = owner.post(_action(document, heading), {"action": "drop", "confirm": "yes"}, headers=HX)
    assert "§ 1 was dropped." in done.content.decode()
    assert not Passage.objects.filter(pk=heading.pk).exists()
    assert_laid_out(document)
    page = owner.get(_page(document)).content.decode()
    assert page.count("Drop…") == 1  # only the untagged front matter offers it
