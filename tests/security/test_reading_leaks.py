"""A reading stays inside the seminars its owner put it in (issue 19, item 1).

The attack: a student creates a seminar of their own, adds the instructor's reading to it
(POST /seminars/<own>/readings/ with document=<id>), and keeps reading its full text after
being removed from the instructor's seminar. Only a document's owner adds it to a seminar;
seeing it needs a current reason: owning it, or belonging to a seminar that uses it now.

Every path that shows, copies, links, exports or imports a reading is walked here with the
same cast: the owner (Ines, instructor of the seminar), a co-instructor who does not own the
reading (Cora), a student (Sam), a removed member (Rex), a student of another seminar (Sol)
and an outsider (Oscar). Each of them also runs a seminar of their own, where they are the
instructor and have a reading of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from annotations.interchange.exports.backup import backup_bytes
from annotations.models import DiscussionPick
from readings.models import Document, Membership, Passage, Seminar, SeminarReading
from readings.services import membership_remove, seminar_create, seminar_reading_remove
from tests.clients import HTMX, client_for
from tests.factories import (
    AnnotationSetFactory,
    DocumentFactory,
    MembershipFactory,
    SeminarReadingFactory,
    SeminarWorld,
    UserFactory,
    seminar_world,
)
from tests.jobs.worker import followed, job_download

pytestmark = pytest.mark.django_db

HEADERS = [pytest.param({}, id="plain"), pytest.param(HTMX, id="htmx")]
# A sentence only the instructor's reading holds (the factory's sample text is shared).
SECRET = "The licensed chapter argues that tariffs are a tax on the poor."
SECRET_SOURCE = f"Licensed Chapter\n\n{SECRET}\n\nIt ends with a second paragraph of its own.\n"
REFUSED = "Only a reading you imported yourself can be added to a seminar."
NOT_FOUND = '<p class="error-code">404</p>'


@dataclass
class Cast:
    world: SeminarWorld
    reading: Document  # Ines's, in her seminar
    people: dict[str, User]
    own: dict[str, Seminar]  # each person's own seminar
    own_reading: dict[str, Document]  # each person's own reading, in their own seminar


ROLES = ["owner", "co_instructor", "student", "removed", "other_seminar", "outsider"]
STILL_IN = {"owner", "co_instructor", "student"}


def cast() -> Cast:
    world = seminar_world()
    reading = DocumentFactory(
        title="Licensed Chapter", owner=world.instructor, source=SECRET_SOURCE
    )
    SeminarReadingFactory(seminar=world.seminar, document=reading, position=5)
    cora, rex = UserFactory(username="cora"), UserFactory(username="rex")
    MembershipFactory(seminar=world.seminar, user=cora, role=Membership.Role.INSTRUCTOR)
    rex_membership = MembershipFactory(seminar=world.seminar, user=rex)
    eve, sol = UserFactory(username="eve"), UserFactory(username="sol")
    elsewhere = seminar_create(title="Elsewhere", instructor=eve)
    MembershipFactory(seminar=elsewhere, user=sol)
    SeminarReadingFactory(seminar=elsewhere, document=DocumentFactory(owner=eve))
    people: dict[str, User] = {
        "owner": world.instructor,
        "co_instructor": cora,
        "student": world.student,
        "removed": rex,
        "other_seminar": sol,
        "outsider": world.outsider,
    }
    own: dict[str, Seminar] = {}
    own_reading: dict[str, Document] = {}
    for role, user in people.items():
        own[role] = seminar_create(title=f"{user.username}'s own seminar", instructor=user)
        own_reading[role] = DocumentFactory(title=f"{user.username}'s notes", owner=user)
        SeminarReadingFactory(seminar=own[role], document=own_reading[role], position=0)
    membership_remove(membership=rex_membership, by=world.instructor)
    return Cast(world, reading, people, own, own_reading)


def _add(client: Client, seminar: Seminar, document: Document, headers: dict):
    return client.post(
        f"/seminars/{seminar.pk}/readings/", {"document": document.pk}, headers=headers
    )


# Adding a reading to a seminar ------------------------------------------------------------


@pytest.mark.parametrize("headers", HEADERS)
@pytest.mark.parametrize("role", ROLES)
def test_only_the_owner_adds_a_reading_to_a_seminar(role: str, headers: dict) -> None:
    c = cast()
    response = _add(client_for(c.people[role]), c.own[role], c.reading, headers)
    said = [str(m) for m in get_messages(response.wsgi_request)]
    added = SeminarReading.objects.filter(seminar=c.own[role], document=c.reading).exists()
    if headers:
        # The readings panel comes back in place, with the message in it.
        assert response.status_code == 200
        assert f"{c.people[role].username}&#x27;s notes" in response.content.decode()
    else:
        assert response.status_code == 302 and response["Location"].endswith("#readings")
    if role == "owner":
        assert added and said == ["“Licensed Chapter” was added to the readings."]
    else:
        assert not added
        assert len(said) == 1 and said[0].startswith(REFUSED), said
        if headers:
            assert REFUSED in response.content.decode()


@pytest.mark.parametrize("headers", HEADERS)
def test_a_co_instructor_cannot_add_the_owners_reading_back_once_removed(headers) -> None:
    # Removing and adding back is the owner's: a co-instructor who could add it back could
    # equally add it to a seminar of their own, and keep it after leaving this one.
    c = cast()
    cora = client_for(c.people["co_instructor"])
    seminar_reading_remove(reading=c.world.seminar.seminar_readings.get(document=c.reading))
    response = _add(cora, c.world.seminar, c.reading, headers)
    assert response.status_code == (200 if headers else 302)
    assert [str(m) for m in get_messages(response.wsgi_request)][0].startswith(REFUSED)
    assert not c.world.seminar.seminar_readings.filter(document=c.reading).exists()
    owner = _add(client_for(c.world.instructor), c.world.seminar, c.reading, headers)
    assert owner.status_code == (200 if headers else 302)
    assert c.world.seminar.seminar_readings.filter(document=c.reading).exists()


def test_the_student_who_tried_cannot_read_it_once_removed() -> None:
    """The issue's attack end to end: add to one's own seminar, get removed, read on."""
    c = cast()
    sam = client_for(c.world.student)
    url = c.reading.get_absolute_url()
    assert sam.get(url).status_code == 200  # a member reads the seminar's readings
    _add(sam, c.own["student"], c.reading, {})
    membership = c.world.seminar.memberships.get(user=c.world.student)
    membership_remove(membership=membership, by=c.world.instructor)
    response = sam.get(url)
    assert response.status_code == 404 and NOT_FOUND in response.content.decode()
    listing = sam.get("/documents/")
    assert listing.status_code == 200
    assert "sam&#x27;s notes" in listing.content.decode()
    assert "Licensed Chapter" not in listing.content.decode()


# Seeing a reading -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_reading_is_shown_only_to_whoever_has_a_current_reason(role: str) -> None:
    c = cast()
    client = client_for(c.people[role])
    page = client.get(c.reading.get_absolute_url())
    listing = client.get("/documents/")
    assert listing.status_code == 200
    assert f"{c.people[role].username}&#x27;s notes" in listing.content.decode()
    if role in STILL_IN:
        assert page.status_code == 200 and SECRET in page.content.decode()
        assert "Licensed Chapter" in listing.content.decode()
    else:
        assert page.status_code == 404 and NOT_FOUND in page.content.decode()
        assert SECRET not in page.content.decode()
        assert "Licensed Chapter" not in listing.content.decode()


def test_staff_read_a_reading_in_the_admin_not_in_the_seminar_pages() -> None:
    c = cast()
    staff = UserFactory(username="staffer", is_staff=True)
    page = client_for(staff).get(c.reading.get_absolute_url())
    assert page.status_code == 404 and NOT_FOUND in page.content.decode()
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    change = client_for(admin).get(f"/admin/readings/document/{c.reading.pk}/change/")
    assert change.status_code == 200 and "Licensed Chapter" in change.content.decode()


@pytest.mark.parametrize("headers", HEADERS)
@pytest.mark.parametrize("role", ROLES)
def test_the_library_offers_only_ones_own_readings(role: str, headers: dict) -> None:
    c = cast()
    spare = DocumentFactory(title=f"{c.people[role].username}'s spare", owner=c.people[role])
    page = client_for(c.people[role]).get(c.own[role].get_absolute_url(), headers=headers)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Add from your library" in text
    assert f'<option value="{spare.pk}">' in text
    assert (f'<option value="{c.reading.pk}">' in text) == (role == "owner")


@pytest.mark.parametrize("headers", HEADERS)
def test_a_co_instructors_library_leaves_out_the_owners_other_readings(headers) -> None:
    c = cast()
    other = DocumentFactory(title="Ines's unassigned draft", owner=c.world.instructor)
    page = client_for(c.people["co_instructor"]).get(
        c.world.seminar.get_absolute_url(), headers=headers
    )
    text = page.content.decode()
    assert page.status_code == 200 and "Licensed Chapter" in text  # a reading of the seminar
    assert f'<option value="{c.own_reading["co_instructor"].pk}">' in text
    assert "Ines&#x27;s unassigned draft" not in text and other.pk


# The seminar's other pages: reader, compare context, exports -------------------------------


@pytest.mark.parametrize("role", ["removed", "other_seminar", "outsider", "student"])
def test_the_reading_is_not_found_through_ones_own_seminar(role: str) -> None:
    c = cast()
    user = c.people[role]
    own_set = AnnotationSetFactory(seminar=c.own[role], owner=user, title="Mine")
    passage = c.reading.passages.filter(kind=Passage.Kind.PARAGRAPH).first()
    assert passage is not None
    client = client_for(user)
    base = f"/seminars/{c.own[role].pk}"
    own_page = client.get(f"{base}/sets/{own_set.pk}/read/{c.own_reading[role].pk}/")
    assert own_page.status_code == 200
    for url in (
        f"{base}/sets/{own_set.pk}/read/{c.reading.pk}/",
        f"{base}/compare/context/{passage.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 404 and NOT_FOUND in response.content.decode(), url
        assert SECRET not in response.content.decode()


@pytest.mark.parametrize("role", ["student", "co_instructor"])
def test_exports_of_ones_own_seminar_hold_only_its_own_readings(role: str) -> None:
    c = cast()
    user = c.people[role]
    _add(client_for(user), c.own[role], c.reading, {})
    own_set = AnnotationSetFactory(seminar=c.own[role], owner=user, title="Mine")
    client = client_for(user)
    # A backup is made by a worker (issue 22): started by a POST, then downloaded.
    backup = job_download(client, client.post(f"/seminars/{c.own[role].pk}/export/backup/"))
    export = client.get(f"/seminars/{c.own[role].pk}/sets/{own_set.pk}/export/qdpx/")
    assert backup.status_code == 200 and export.status_code == 200
    assert f"{user.username}'s notes" in backup.content.decode()
    assert SECRET not in backup.content.decode()
    assert backup_bytes(c.own[role]).count(b'"content_hash"') == 1


# Imports that anchor to a reading -----------------------------------------------------------


def _restored(client, started):
    """A restore is run by a worker (issue 22): the job's page as it ends."""
    assert started.status_code in (200, 303) and "/jobs/" in (
        started.get("Location", "") + started.get("HX-Redirect", "")
    )
    return followed(client, started)


@pytest.mark.parametrize("headers", HEADERS)
@pytest.mark.parametrize("role", ["co_instructor", "student"])
def test_restoring_a_backup_copies_readings_and_never_links_anothers(role, headers) -> None:
    """A backup holds the text, so restoring it makes the restorer's own copy; it never links
    the owner's document into the new seminar, which would outlive the restorer's membership."""
    c = cast()
    user = c.people[role]
    data = backup_bytes(c.world.seminar)
    client = client_for(user)
    started = client.post(
        f"/seminars/{c.own[role].pk}/import/backup/",
        {"restore-file": SimpleUploadedFile("b.counterpoint.json", data)},
        headers=headers,
    )
    response = _restored(client, started)
    assert response.status_code == 200 and "Backup restored" in response.content.decode()
    restored = Seminar.objects.exclude(pk=c.world.seminar.pk).get(
        title=c.world.seminar.title, memberships__user=user
    )
    documents = [r.document for r in restored.seminar_readings.select_related("document")]
    assert {d.title for d in documents} >= {"Licensed Chapter"}
    assert all(d.owner == user for d in documents), [(d.title, d.owner) for d in documents]
    assert not restored.seminar_readings.filter(document=c.reading).exists()
    membership = c.world.seminar.memberships.get(user=user)
    membership_remove(membership=membership, by=c.world.instructor)
    gone = client_for(user).get(c.reading.get_absolute_url())
    assert gone.status_code == 404 and NOT_FOUND in gone.content.decode()


def test_the_owner_restoring_reuses_their_own_documents() -> None:
    c = cast()
    data = backup_bytes(c.world.seminar)
    client = client_for(c.world.instructor)
    started = client.post(
        f"/seminars/{c.world.seminar.pk}/import/backup/",
        {"restore-file": SimpleUploadedFile("b.counterpoint.json", data)},
    )
    response = _restored(client, started)
    assert response.status_code == 200 and "Backup restored" in response.content.decode()
    restored = Seminar.objects.exclude(pk=c.world.seminar.pk).get(
        title=c.world.seminar.title, memberships__user=c.world.instructor
    )
    assert restored.seminar_readings.filter(document=c.reading).exists()


# Handouts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", HEADERS)
def test_a_handout_leaves_out_picks_from_a_reading_no_longer_in_the_seminar(headers) -> None:
    c = cast()
    theme = c.world.themes[0]
    kept = c.world.documents[0].passages.filter(kind=Passage.Kind.PARAGRAPH).first()
    gone = c.reading.passages.get(text=SECRET)
    assert kept is not None
    for passage in (kept, gone):
        DiscussionPick.objects.create(theme=theme, passage=passage, added_by=c.world.instructor)
    seminar_reading_remove(reading=c.world.seminar.seminar_readings.get(document=c.reading))
    response = client_for(c.people["co_instructor"]).get(
        f"/seminars/{c.world.seminar.pk}/handout/", {"disputed": "on"}, headers=headers
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert kept.text in text
    assert SECRET not in text


# The seminar's own pages, for each role ------------------------------------------------------


@pytest.mark.parametrize("headers", HEADERS)
@pytest.mark.parametrize("role", ROLES)
def test_the_seminars_pages_show_the_reading_only_to_its_current_members(role, headers) -> None:
    c = cast()
    seminar, student_set = c.world.seminar.pk, c.world.student_set.pk
    after = c.reading.passages.get(text__startswith="It ends")  # its context is the secret
    client = client_for(c.people[role])
    pages = {
        "reader": client.get(
            f"/seminars/{seminar}/sets/{student_set}/read/{c.reading.pk}/", headers=headers
        ),
        "context": client.get(f"/seminars/{seminar}/compare/context/{after.pk}/", headers=headers),
    }
    started = client.post(f"/seminars/{seminar}/export/backup/")
    # Who may back the seminar up is decided when the job is asked for; the file is the job's.
    backup = job_download(client, started) if started.status_code == 303 else started
    for name, page in pages.items():
        if role in STILL_IN:
            assert page.status_code == 200 and SECRET in page.content.decode(), name
        else:
            assert page.status_code == 404 and NOT_FOUND in page.content.decode(), name
            assert SECRET not in page.content.decode()
    if role in {"owner", "co_instructor"}:
        assert backup.status_code == 200 and SECRET in backup.content.decode()
    elif role == "student":
        assert backup.status_code == 403 and SECRET not in backup.content.decode()
    else:
        assert backup.status_code == 404 and NOT_FOUND in backup.content.decode()


@pytest.mark.parametrize("headers", HEADERS)
def test_annotations_of_the_reading_imported_into_ones_own_seminar_find_no_passage(
    headers,
) -> None:
    c = cast()
    sam = client_for(c.world.student)
    passage = c.reading.passages.get(text=SECRET)
    c.world.student_set.tags.create(
        passage=passage, theme=c.world.themes[0], author=c.world.student
    )
    exported = sam.get(f"/seminars/{c.world.seminar.pk}/sets/{c.world.student_set.pk}/export/w3c/")
    assert exported.status_code == 200 and SECRET in exported.content.decode()
    response = sam.post(
        f"/seminars/{c.own['student'].pk}/import/set/",
        {
            "file": SimpleUploadedFile("mine.jsonld", exported.content, "application/json"),
            "format": "w3c",
            "title": "Carried over",
        },
        headers=headers,
    )
    page = response.content.decode()
    assert response.status_code == 200 and "1 orphan" in page
    carried = c.own["student"].annotation_sets.get(title="Carried over")
    assert not carried.tags.filter(passage__document=c.reading).exists()
    assert not SeminarReading.objects.filter(seminar=c.own["student"], document=c.reading).exists()
