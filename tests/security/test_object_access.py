"""Authorisation beyond tests/test_url_authorization.py: the other student, and object IDs
from another seminar put into the URLs of one's own.

tests/test_url_authorization.py checks every URL for visitor, outsider, student and
instructor on the student's own set. Here the same table (its RULES) is walked as the *other*
student of the seminar, whose classmate's blind set must stay invisible, and as the instructor
of another seminar who swaps one ID in a URL of their own for an ID of this seminar.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from annotations.models import AnnotationSet, Theme
from readings.models import Document, Membership
from tests.factories import (
    AnnotationSetFactory,
    DocumentFactory,
    MembershipFactory,
    SeminarFactory,
    SeminarReadingFactory,
    SeminarWorld,
    TagFactory,
    ThemeFactory,
    UserFactory,
    seminar_world,
)
from tests.test_url_authorization import LOGIN, OK, RULES

pytestmark = pytest.mark.django_db


def _request(client: Client, method: str, url: str):
    return client.get(url) if method == "GET" else client.post(url, {})


def _meets(response: HttpResponse, expected: object) -> bool:
    location = response.get("Location", "")
    if expected == OK:
        return response.status_code == 200 or (
            response.status_code == 302 and not location.startswith("/accounts/login/")
        )
    if expected == LOGIN:
        return response.status_code == 302 and location.startswith("/accounts/login/")
    return response.status_code == expected


def _other_student_expects(world: SeminarWorld, kwargs: dict, student_expects):
    """The other student may do what the student may, except what the student may do in their
    own set, which is blind and not revealed: for the other student it does not exist (404), as
    for an outsider. What students may not do at all stays refused by role (403)."""
    if kwargs.get("set_id") == world.student_set.pk and student_expects == OK:
        return 404
    return student_expects


OTHER_STUDENT_CASES = [
    pytest.param(name, method, id=f"{name}-{method}")
    for name, (kwargs_for, _) in sorted(RULES.items())
    for method in ("GET", "POST")
]


@pytest.mark.parametrize(("name", "method"), OTHER_STUDENT_CASES)
def test_url_answers_the_other_student_as_it_should(name: str, method: str) -> None:
    world = seminar_world()
    kwargs_for, rules = RULES[name]
    kwargs = kwargs_for(world) if kwargs_for else {}
    url = reverse(name, kwargs=kwargs or None)
    expected = _other_student_expects(world, kwargs, rules[method]["student"])
    client = Client()
    client.force_login(world.other_student)
    response = _request(client, method, url)
    assert _meets(response, expected), (expected, response.status_code, response.get("Location"))
    if expected == 404:
        assert world.student_set.title not in response.content.decode()


def test_once_revealed_the_other_student_reads_but_never_writes_the_set() -> None:
    world = seminar_world()
    tag = TagFactory(annotation_set=world.student_set, theme=world.themes[0], note="Sam's note")
    world.student_set.revealed_at = world.student_set.created_at
    world.student_set.save()
    client = Client()
    client.force_login(world.other_student)
    seminar, own = world.seminar.pk, world.student_set.pk
    page = client.get(reverse("annotations:reader", args=[seminar, own, tag.passage.document_id]))
    assert page.status_code == 200 and "Sam&#x27;s note" in page.content.decode()
    passage_url = f"/seminars/{seminar}/sets/{own}/passages/{tag.passage_id}/tags/"
    assert client.post(passage_url, {"theme": world.themes[1].pk}).status_code == 403
    assert client.post(f"{passage_url}{tag.pk}/", {"note": "mine now"}).status_code == 403
    assert client.post(f"{passage_url}{tag.pk}/remove/").status_code == 403
    tag.refresh_from_db()
    assert tag.note == "Sam's note"


# Another seminar's IDs in one's own URLs ----------------------------------------------------


def attacker_world() -> tuple[User, SeminarWorld]:
    """Mallory's own seminar, where she is the instructor and owns a student set: every URL
    with her own IDs works for her."""
    mallory, mel = UserFactory(username="mallory"), UserFactory(username="mel")
    seminar = SeminarFactory(title="Mallory's seminar", created_by=mallory)
    MembershipFactory(seminar=seminar, user=mallory, role=Membership.Role.INSTRUCTOR)
    MembershipFactory(seminar=seminar, user=mel)
    documents: list[Document] = [
        DocumentFactory(title=f"Mallory's reading {n}", owner=mallory) for n in (1, 2)
    ]
    for position, document in enumerate(documents):
        SeminarReadingFactory(seminar=seminar, document=document, position=position)
    themes: list[Theme] = [
        ThemeFactory(seminar=seminar, name=name, position=n)
        for n, name in enumerate(("Ethics", "Power"))
    ]
    key = AnnotationSetFactory(
        seminar=seminar, owner=mallory, title="Her key", kind=AnnotationSet.Kind.KEY
    )
    own = AnnotationSetFactory(seminar=seminar, owner=mallory, title="Her student set")
    mels = AnnotationSetFactory(seminar=seminar, owner=mel, title="Mel's set")
    world = SeminarWorld(
        seminar=seminar,
        instructor=mallory,
        student=mallory,
        other_student=mel,
        outsider=mel,
        documents=documents,
        themes=themes,
        key=key,
        student_set=own,
        other_student_set=mels,
    )
    return mallory, world


SWAP_CASES = [
    pytest.param(name, key, id=f"{name}-{key}")
    for name, key in [
        ("annotations:theme_edit", "theme_id"),
        ("annotations:theme_move", "theme_id"),
        ("annotations:theme_retire", "theme_id"),
        ("annotations:theme_merge", "theme_id"),
        ("annotations:set", "set_id"),
        ("annotations:set_settings", "set_id"),
        ("annotations:set_reveal", "set_id"),
        ("annotations:reader", "set_id"),
        ("annotations:reader", "document_id"),
        ("annotations:parallel", "set_id"),
        ("annotations:reader_changes", "set_id"),
        ("annotations:reader_passage", "set_id"),
        ("annotations:reader_passage", "passage_id"),
        ("annotations:tag_add", "set_id"),
        ("annotations:tag_add", "passage_id"),
        ("annotations:tag_update", "tag_id"),
        ("annotations:tag_remove", "tag_id"),
        ("annotations:compare", "theme_slug"),
        ("annotations:compare_context", "passage_id"),
        ("annotations:present", "theme_slug"),
        ("annotations:present_disputed", "theme_slug"),
        ("annotations:summary_edit", "set_id"),
        ("annotations:summary_edit", "theme_id"),
        ("annotations:summary_edit", "document_id"),
        ("annotations:set_export", "set_id"),
        ("annotations:set_export_w3c_page", "set_id"),
        ("readings:seminar_reading_move", "reading_id"),
        ("readings:seminar_reading_remove", "reading_id"),
        ("readings:member_remove", "membership_id"),
        ("readings:seminar_reading_due", "reading_id"),
        ("annotations:set_archive", "set_id"),
        ("annotations:set_delete", "set_id"),
        ("annotations:roster_password", "membership_id"),
        ("annotations:roster_role", "membership_id"),
        ("annotations:roster_remove", "membership_id"),
    ]
]


def test_every_url_with_an_object_id_is_in_the_swap_cases() -> None:
    swapped = {param.values[0] for param in SWAP_CASES}
    with_ids = {
        name
        for name, (kwargs_for, _) in RULES.items()
        if kwargs_for
        and "seminar_id" in (kwargs := kwargs_for(seminar_world()))
        # A set-password link names its person by the signed token, not by an id to swap.
        and set(kwargs) - {"seminar_id", "fmt", "page", "uidb64", "token"}
    }
    assert with_ids <= swapped, sorted(with_ids - swapped)


@pytest.mark.parametrize(("name", "key"), SWAP_CASES)
def test_an_id_from_another_seminar_is_not_found_in_ones_own_urls(name: str, key: str) -> None:
    victim = seminar_world()
    mallory, own = attacker_world()
    kwargs_for, _ = RULES[name]
    assert kwargs_for is not None  # SWAP_CASES holds only URLs with object ids
    victims = kwargs_for(victim)
    victim_state = _state(victim)
    client = Client()
    client.force_login(mallory)
    honest = kwargs_for(own)
    swapped = honest | {key: victims[key]}
    assert swapped != honest
    nowhere = honest | {key: "no-such-theme" if key == "theme_slug" else 10**9}
    answered = []
    for method in ("GET", "POST"):
        before = _request(client, method, reverse(name, kwargs=honest)).status_code
        if before in {404, 405}:
            continue  # nothing to take from this method even with her own IDs
        response = _request(client, method, reverse(name, kwargs=swapped))
        missing = _request(client, method, reverse(name, kwargs=nowhere))
        # A foreign ID is answered exactly like an ID that does not exist: 404, or for a tag
        # of her own passage, "already removed" (a double submit is not an error).
        assert response.status_code == missing.status_code, (method, response.status_code)
        assert response.status_code == 404 or key == "tag_id", (method, response.status_code)
        assert response.get("Location") == missing.get("Location")
        answered.append(method)
    assert answered, "the URL should work for Mallory with her own IDs"
    assert _state(victim) == victim_state


def _state(world: SeminarWorld) -> dict:
    """What a tampering request could change in the victim's seminar."""
    seminar = world.seminar
    seminar.refresh_from_db()
    return {
        "seminar": (seminar.title, seminar.join_code, seminar.archived_at),
        "members": sorted(seminar.memberships.values_list("user_id", "role")),
        "readings": sorted(seminar.seminar_readings.values_list("document_id", "position")),
        "themes": sorted(seminar.themes.values_list("pk", "name", "position", "retired_at")),
        "sets": sorted(
            AnnotationSet.objects.filter(seminar=seminar).values_list(
                "pk", "title", "visibility", "blind", "revealed_at", "locked", "archived_at", "kind"
            )
        ),
        "tags": sorted(
            world.student_set.tags.values_list("pk", "passage_id", "theme_id", "note", "stance")
        ),
    }
