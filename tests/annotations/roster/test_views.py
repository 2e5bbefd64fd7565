"""The roster: who sees it, what it shows, adding and importing people, set-password links,
roles and removal. The trio plus the teaching assistant throughout."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from annotations.models import AnnotationSet, Tag, Theme
from annotations.services import passage_tag
from readings.models import Membership
from tests.clients import HTMX, client_for
from tests.factories import MembershipFactory, SeminarWorld, UserFactory, seminar_world

pytestmark = pytest.mark.django_db

User = get_user_model()
ROSTER = b"name,email\nAda Lovelace,ada@example.org\nBo Chen,bo@example.org\n"


@pytest.fixture
def world() -> SeminarWorld:
    return seminar_world()


@pytest.fixture
def assistant(world: SeminarWorld):
    user = UserFactory(username="tess")
    MembershipFactory(seminar=world.seminar, user=user, role=Membership.Role.ASSISTANT)
    return user


def url(world: SeminarWorld, tail: str = "") -> str:
    return f"/seminars/{world.seminar.pk}/roster/{tail}"


def _upload(data: bytes = ROSTER) -> SimpleUploadedFile:
    return SimpleUploadedFile("class.csv", data, content_type="text/csv")


def _tag(world: SeminarWorld, note: str = "") -> Tag:
    passage = world.documents[0].passages.filter(kind="paragraph").first()
    assert passage is not None
    tag, _ = passage_tag(
        annotation_set=world.student_set,
        passage=passage,
        theme=world.themes[0],
        author=world.student,
        note=note,
    )
    return tag


# Seeing it ------------------------------------------------------------------------------------


def test_instructor_sees_members_roles_and_progress_per_reading(world: SeminarWorld) -> None:
    tag = _tag(world, note="Why here?")
    # A second theme on the same passage, without a note: still one passage, one note.
    passage_tag(
        annotation_set=world.student_set,
        passage=tag.passage,
        theme=world.themes[1],
        author=world.student,
    )
    response = client_for(world.instructor).get(url(world))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Roster</h1>" in page
    assert "First Reading" in page and "Second Reading" in page
    assert "1 passage, 1 note" in page  # Sam, on the first reading
    assert "not started" in page  # Tara
    assert "Instructor" in page and "Student" in page


def test_the_roster_with_htmx_is_only_its_table(world: SeminarWorld) -> None:
    response = client_for(world.instructor).get(url(world), headers=HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="members"' in page and "<html" not in page
    assert response["Vary"].count("HX-Request") == 1


def test_a_teaching_assistant_sees_the_roster_but_cannot_set_roles(
    world: SeminarWorld, assistant
) -> None:
    client = client_for(assistant)
    response = client.get(url(world))
    assert response.status_code == 200
    assert "Set role" not in response.content.decode()
    tara = world.seminar.memberships.get(user=world.other_student)
    refused = client.post(url(world, f"{tara.pk}/role/"), {"role": "assistant"})
    assert refused.status_code == 403
    tara.refresh_from_db()
    assert tara.role == Membership.Role.STUDENT


@pytest.mark.parametrize(("who", "status"), [("student", 403), ("other_student", 403)])
def test_students_are_refused_the_roster(world: SeminarWorld, who: str, status: int) -> None:
    client = client_for(getattr(world, who))
    assert client.get(url(world)).status_code == status
    assert client.get(url(world, "progress.csv")).status_code == status
    assert client.post(url(world, "import/"), {"file": _upload()}).status_code == status
    assert not User.objects.filter(email="ada@example.org").exists()
    assert client_for(world.instructor).get(url(world)).status_code == 200


def test_an_outsider_learns_nothing(world: SeminarWorld) -> None:
    client = client_for(world.outsider)
    assert client.get(url(world)).status_code == 404
    assert client.post(url(world, "add/"), {"names": "oscar"}).status_code == 404
    assert not world.seminar.memberships.filter(user=world.outsider).exists()
    assert client_for(world.instructor).get(url(world)).status_code == 200


def test_the_roster_takes_the_same_queries_for_3_and_30_students(
    world: SeminarWorld, django_assert_max_num_queries
) -> None:
    client = client_for(world.instructor)
    client.get(url(world))
    with django_assert_max_num_queries(14) as small:
        client.get(url(world))
    for n in range(27):
        MembershipFactory(seminar=world.seminar, user=UserFactory(username=f"s{n}"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url(world))
    assert response.content.decode().count("not started") >= 30


# Importing a roster ------------------------------------------------------------------------------


def test_a_roster_import_makes_accounts_sets_and_one_time_links(world: SeminarWorld) -> None:
    client = client_for(world.instructor)
    response = client.post(url(world, "import/"), {"file": _upload()})
    page = response.content.decode()
    assert response.status_code == 200
    ada = User.objects.get(email="ada@example.org")
    assert (ada.username, ada.first_name, ada.last_name) == ("ada", "Ada", "Lovelace")
    assert not ada.has_usable_password()
    assert world.seminar.memberships.get(user=ada).role == Membership.Role.STUDENT
    assert AnnotationSet.objects.get(seminar=world.seminar, owner=ada).kind == "student"
    assert page.count(f"/seminars/{world.seminar.pk}/welcome/") == 2
    assert "Set-password links for 2 new accounts" in page
    # Shown once: the roster page does not show them again.
    assert "/welcome/" not in client.get(url(world)).content.decode()


def test_importing_the_same_roster_twice_adds_nobody_twice(world: SeminarWorld) -> None:
    client = client_for(world.instructor)
    client.post(url(world, "import/"), {"file": _upload()})
    again = client.post(url(world, "import/"), {"file": _upload()})
    assert again.status_code == 200
    assert "Already members: ada, bo" in again.content.decode()
    assert User.objects.filter(email="ada@example.org").count() == 1
    assert AnnotationSet.objects.filter(owner__email="ada@example.org").count() == 1


def test_a_roster_import_with_htmx_answers_with_its_result(world: SeminarWorld) -> None:
    response = client_for(world.instructor).post(
        url(world, "import/"), {"file": _upload()}, headers=HTMX
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="roster-result"') and "<html" not in page
    assert page.count("/welcome/") == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The submitted file is empty"),
        (b"\x00\x01\x02,\x03", "is not an e-mail address"),
        (b"<b>x</b>,<script>alert(1)</script>@x.org\n", "is not an e-mail address"),
    ],
    ids=["empty", "control-characters", "hostile-html"],
)
def test_a_bad_roster_says_why_and_creates_nobody(
    world: SeminarWorld, data: bytes, message: str
) -> None:
    before = User.objects.count()
    response = client_for(world.instructor).post(url(world, "import/"), {"file": _upload(data)})
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "<script>alert" not in page
    assert User.objects.count() == before


# Set-password links ----------------------------------------------------------------------------


def test_a_link_sets_the_password_once_and_lands_in_the_first_reading(
    world: SeminarWorld,
) -> None:
    page = client_for(world.instructor).post(url(world, "import/"), {"file": _upload()})
    link = next(
        part.split('"')[0]
        for part in page.content.decode().split('value="')
        if "/welcome/" in part.split('"')[0]
    )
    path = "/" + link.split("/", 3)[3]
    visitor = Client()
    form = visitor.get(path, follow=True)
    assert form.status_code == 200 and "Choose your password" in form.content.decode()
    password = "a long and unusual passphrase 42"
    landed = visitor.post(
        form.request["PATH_INFO"], {"new_password1": password, "new_password2": password}
    )
    ada = User.objects.get(email="ada@example.org")
    own = AnnotationSet.objects.get(seminar=world.seminar, owner=ada)
    assert landed["Location"] == (
        f"/seminars/{world.seminar.pk}/sets/{own.pk}/read/{world.documents[0].pk}/"
    )
    assert visitor.get(landed["Location"]).status_code == 200  # logged in
    again = Client().get(path, follow=True)
    assert "This link has been used or has expired" in again.content.decode()


def test_resetting_a_students_password_ends_the_old_one_and_gives_a_link(
    world: SeminarWorld,
) -> None:
    sam = world.seminar.memberships.get(user=world.student)
    response = client_for(world.instructor).post(url(world, f"{sam.pk}/password/"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "A new set-password link" in page and "/welcome/" in page
    world.student.refresh_from_db()
    assert not world.student.has_usable_password()


def test_a_teaching_assistant_resets_a_students_password(world: SeminarWorld, assistant) -> None:
    sam = world.seminar.memberships.get(user=world.student)
    response = client_for(assistant).post(url(world, f"{sam.pk}/password/"))
    assert response.status_code == 200 and "/welcome/" in response.content.decode()


def test_nobody_takes_over_an_account_that_teaches_or_belongs_elsewhere(
    world: SeminarWorld, assistant
) -> None:
    client = client_for(world.instructor)
    tess = world.seminar.memberships.get(user=assistant)
    refused = client.post(url(world, f"{tess.pk}/password/"), follow=True)
    assert "cannot be reset here" in refused.content.decode()
    # Tara also teaches a seminar of her own elsewhere.
    MembershipFactory(user=world.other_student, role=Membership.Role.INSTRUCTOR)
    tara = world.seminar.memberships.get(user=world.other_student)
    refused = client.post(url(world, f"{tara.pk}/password/"), follow=True)
    assert refused.status_code == 200 and "cannot be reset here" in refused.content.decode()
    for user in (assistant, world.other_student):
        user.refresh_from_db()
        assert user.has_usable_password()


# Adding, roles, removing ------------------------------------------------------------------------


def test_adding_people_by_username_or_address_gives_each_a_set(world: SeminarWorld) -> None:
    newcomer = UserFactory(username="nia", email="nia@example.org")
    response = client_for(world.instructor).post(
        url(world, "add/"), {"names": "NIA@example.org, oscar\nnobody <b>x</b>"}, follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Added 2: nia, oscar." in page
    assert "No account has these names or addresses" in page and "&lt;b&gt;x" in page
    assert AnnotationSet.objects.filter(owner=newcomer, kind="student").count() == 1
    assert world.seminar.memberships.filter(user=world.outsider).exists()


def test_an_empty_list_of_names_says_so(world: SeminarWorld) -> None:
    before = world.seminar.memberships.count()
    response = client_for(world.instructor).post(url(world, "add/"), {"names": " "})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert world.seminar.memberships.count() == before


def test_an_instructor_makes_a_student_a_teaching_assistant(world: SeminarWorld) -> None:
    tara = world.seminar.memberships.get(user=world.other_student)
    response = client_for(world.instructor).post(
        url(world, f"{tara.pk}/role/"), {"role": "assistant"}, follow=True
    )
    assert "tara is now a teaching assistant." in response.content.decode()
    assert client_for(world.other_student).get(url(world)).status_code == 200
    # Tara now sees Sam's blind set, as one who teaches.
    assert (
        client_for(world.other_student).get(world.student_set.get_absolute_url()).status_code == 200
    )


def test_removing_asks_about_the_set_and_keeping_it_keeps_everything(world: SeminarWorld) -> None:
    _tag(world)
    client = client_for(world.instructor)
    sam = world.seminar.memberships.get(user=world.student)
    confirm = client.get(url(world, f"{sam.pk}/remove/"))
    assert confirm.status_code == 200
    assert "“Sam&#x27;s reading” (Student work): 1 tag" in confirm.content.decode()
    unchosen = client.post(url(world, f"{sam.pk}/remove/"), {})
    assert "Choose whether their sets are kept or deleted." in unchosen.content.decode()
    assert world.seminar.memberships.filter(user=world.student).exists()
    client.post(url(world, f"{sam.pk}/remove/"), {"sets": "keep"})
    assert not world.seminar.memberships.filter(user=world.student).exists()
    assert Tag.objects.filter(annotation_set=world.student_set).count() == 1


def test_removing_with_the_set_deletes_only_that_members_sets(world: SeminarWorld) -> None:
    _tag(world)
    passage = world.documents[0].passages.filter(kind="paragraph").first()
    assert passage is not None
    passage_tag(
        annotation_set=world.key, passage=passage, theme=world.themes[0], author=world.instructor
    )
    client = client_for(world.instructor)
    sam = world.seminar.memberships.get(user=world.student)
    response = client.post(url(world, f"{sam.pk}/remove/"), {"sets": "delete"}, follow=True)
    assert "sam left the seminar; their sets and 1 tags were deleted." in response.content.decode()
    assert not AnnotationSet.objects.filter(owner=world.student).exists()
    assert set(AnnotationSet.objects.values_list("title", flat=True)) == {"Key", "Tara's reading"}
    assert Tag.objects.filter(annotation_set=world.key).count() == 1
    assert Theme.objects.filter(seminar=world.seminar).count() == 2
    assert world.seminar.seminar_readings.count() == 2


def test_a_teaching_assistant_cannot_remove_an_instructor(world: SeminarWorld, assistant) -> None:
    ines = world.seminar.memberships.get(user=world.instructor)
    response = client_for(assistant).post(
        url(world, f"{ines.pk}/remove/"), {"sets": "keep"}, follow=True
    )
    assert "Only an instructor can remove someone who teaches." in response.content.decode()
    assert world.seminar.memberships.filter(user=world.instructor).exists()


def test_the_remove_page_with_htmx_still_renders(world: SeminarWorld) -> None:
    sam = world.seminar.memberships.get(user=world.student)
    response = client_for(world.instructor).get(url(world, f"{sam.pk}/remove/"), headers=HTMX)
    assert (
        response.status_code == 200 and "Remove sam from the seminar?" in response.content.decode()
    )


# The grading CSV ---------------------------------------------------------------------------


def test_the_progress_csv_has_a_row_per_member_and_no_formulas(world: SeminarWorld) -> None:
    _tag(world, note="=1+1")
    world.student.first_name = '=HYPERLINK("http://evil")'
    world.student.save()
    response = client_for(world.instructor).get(url(world, "progress.csv"))
    text = response.content.decode("utf-8-sig")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        'attachment; filename="reading-power-progress-'
    )
    lines = text.splitlines()
    assert lines[0].startswith("name,username,email,role,joined,First Reading: passages tagged")
    sam = next(line for line in lines if ",sam," in line)
    assert sam.startswith("\"'=HYPERLINK(")
    assert ",Student," in sam and ",1,1," in sam
    assert len(lines) == 4  # instructor, two students, header
