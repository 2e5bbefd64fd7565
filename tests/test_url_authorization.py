"""Every URL pattern, every method, as a visitor, an outsider, a student, a teaching assistant
and an instructor. A teaching assistant gets what the instructor gets unless a rule says
otherwise (`"assistant": ...`): they run the seminar, but do not end it or say who teaches.

The table below says what each should get. A URL pattern missing from the table fails the
suite, so a new view cannot ship without a decision on who may use it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from readings.models import Membership
from readings.services import pending_import_create
from tests.factories import MembershipFactory, SeminarWorld, UserFactory, seminar_world

pytestmark = pytest.mark.django_db

OK = "ok"  # 200, or a redirect (302, or 303 to a job's page) that is not to the log-in page
LOGIN = "login"  # redirected to the log-in page
ROLES = ("visitor", "outsider", "student", "assistant", "instructor")


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, prefix + str(entry.pattern)


def all_url_names() -> set[str]:
    return {name for name, _ in _walk(get_resolver().url_patterns) if not name.startswith("admin:")}


Kwargs = Callable[[SeminarWorld], dict]
S = lambda w: {"seminar_id": w.seminar.pk}  # noqa: E731


def _theme(w: SeminarWorld) -> dict:
    return {"seminar_id": w.seminar.pk, "theme_id": w.themes[0].pk}


def _reading(w: SeminarWorld) -> dict:
    reading = w.seminar.seminar_readings.order_by("position").last()
    assert reading is not None
    return {"seminar_id": w.seminar.pk, "reading_id": reading.pk}


def _student_set(w: SeminarWorld) -> dict:
    return {"seminar_id": w.seminar.pk, "set_id": w.student_set.pk}


def _membership(w: SeminarWorld) -> dict:
    membership = w.seminar.memberships.get(user=w.other_student)
    return {"seminar_id": w.seminar.pk, "membership_id": membership.pk}


def _document(w: SeminarWorld) -> dict:
    return {"document_id": w.documents[0].pk}


def _document_passage(w: SeminarWorld) -> dict:
    passage = w.documents[0].passages.filter(kind="paragraph").first()
    assert passage is not None
    return {"document_id": w.documents[0].pk, "passage_id": passage.pk}


def _replacement(w: SeminarWorld) -> dict:
    return _document(w) | _pending_import(w)


def _pending_import(w: SeminarWorld) -> dict:
    pending = pending_import_create(owner=w.instructor, text="A text.", original_format="txt")
    return {"key": pending.key}


def _job(w: SeminarWorld) -> dict:
    from django.utils import timezone

    from jobs.models import Job

    job = Job.objects.create(
        owner=w.instructor,
        kind="seminar_backup",
        title="Backup of “Reading Power”",
        state=Job.State.DONE,
        finished_at=timezone.now(),
        result=b"{}",
        result_size=2,
        result_name="backup.json",
        result_type="application/json",
    )
    return {"job_id": job.pk}


def owner_only(post: bool = True) -> dict:
    """Its owner's alone: everyone else, members of its seminar too, finds nothing."""
    others = {"visitor": LOGIN, "outsider": 404, "student": 404, "assistant": 404}
    rules = {"GET": {**others, "instructor": OK}}
    if post:
        rules["POST"] = {**others, "instructor": OK}
    else:
        rules["POST"] = {"visitor": LOGIN, "outsider": 405, "student": 405, "instructor": 405}
    return rules


def _join_code(w: SeminarWorld) -> dict:
    return {"code": w.seminar.join_code}


def _compare(w: SeminarWorld) -> dict:
    return {"seminar_id": w.seminar.pk, "theme_slug": w.themes[0].slug}


def _passage(w: SeminarWorld) -> dict:
    passage = w.documents[0].passages.filter(kind="paragraph").first()
    assert passage is not None
    return {"seminar_id": w.seminar.pk, "passage_id": passage.pk}


def _student_summary(w: SeminarWorld) -> dict:
    return {
        "seminar_id": w.seminar.pk,
        "set_id": w.student_set.pk,
        "theme_id": w.themes[0].pk,
        "document_id": w.documents[0].pk,
    }


def _reader(w: SeminarWorld) -> dict:
    return _student_set(w) | {"document_id": w.documents[0].pk}


def _set_passage(w: SeminarWorld) -> dict:
    passage = w.documents[0].passages.filter(kind="paragraph").first()
    assert passage is not None
    return _student_set(w) | {"passage_id": passage.pk}


def _set_tag(w: SeminarWorld) -> dict:
    kwargs = _set_passage(w)
    tag = w.student_set.tags.create(
        passage_id=kwargs["passage_id"], theme=w.themes[0], author=w.student
    )
    return kwargs | {"tag_id": tag.pk}


def owner_write() -> dict:
    """A write in the student's own set: the owner may; an instructor reads it, never writes."""
    return {
        "GET": {"visitor": LOGIN, "outsider": 405, "student": 405, "instructor": 405},
        "POST": {"visitor": LOGIN, "outsider": 404, "student": OK, "instructor": 403},
    }


def member_view(get_student=OK, post_student=None, post=True) -> dict:
    """A seminar page: outsiders 404, students as given, instructors OK."""
    rules = {"GET": {"visitor": LOGIN, "outsider": 404, "student": get_student, "instructor": OK}}
    if post:
        rules["POST"] = {
            "visitor": LOGIN,
            "outsider": 404,
            "student": post_student or get_student,
            "instructor": OK,
        }
    else:
        rules["POST"] = {"visitor": LOGIN, "outsider": 405, "student": 405, "instructor": 405}
    return rules


def post_only(student=403, assistant=OK) -> dict:
    return {
        "GET": {"visitor": LOGIN, "outsider": 405, "student": 405, "instructor": 405},
        "POST": {
            "visitor": LOGIN,
            "outsider": 404,
            "student": student,
            "assistant": assistant,
            "instructor": OK,
        },
    }


def leads_only(post=True) -> dict:
    """An instructor's alone: a teaching assistant is refused like a student."""
    rules = member_view(get_student=403, post=post)
    for method in rules:
        rules[method]["assistant"] = rules[method]["student"]
    return rules


def _welcome(w: SeminarWorld) -> dict:
    """A set-password link with a token that is not (or no longer) good."""
    return {"seminar_id": w.seminar.pk, "uidb64": "MQ", "token": "abc-def"}


def logged_in_view(post=True) -> dict:
    every = {"visitor": LOGIN, "outsider": OK, "student": OK, "instructor": OK}
    return {"GET": every, "POST": every if post else dict.fromkeys(ROLES, 405) | {"visitor": LOGIN}}


PUBLIC = {"GET": dict.fromkeys(ROLES, OK), "POST": dict.fromkeys(ROLES, 405)}
PUBLIC_FORM = {"GET": dict.fromkeys(ROLES, OK), "POST": dict.fromkeys(ROLES, OK)}

RULES: dict[str, tuple[Kwargs | None, dict]] = {
    "home": (None, PUBLIC),
    "healthz": (None, PUBLIC),
    # Accounts
    "login": (None, PUBLIC_FORM),
    "logout": (None, {"GET": dict.fromkeys(ROLES, 405), "POST": dict.fromkeys(ROLES, OK)}),
    "signup": (None, PUBLIC_FORM),
    "password_change": (None, logged_in_view()),
    "password_change_done": (None, logged_in_view(post=False)),
    "password_reset": (None, PUBLIC_FORM),
    "password_reset_done": (None, PUBLIC),
    "password_reset_complete": (None, PUBLIC),
    # Documents: a member of the seminar reads its readings; only the owner's library otherwise.
    "readings:document_list": (None, logged_in_view(post=False)),
    "readings:document_import": (None, logged_in_view()),
    # An import's preview is saved by the person who made it (the instructor here), only.
    "readings:document_import_confirm": (
        _pending_import,
        {
            "GET": {"visitor": LOGIN, "outsider": 405, "student": 405, "instructor": 405},
            "POST": {
                "visitor": LOGIN,
                "outsider": 404,
                "student": 404,
                "assistant": 404,
                "instructor": OK,
            },
        },
    ),
    "readings:document": (_document, member_view(post=False)),
    # Correcting and deleting a reading: its owner (the instructor here) only; its readers 403,
    # the teaching assistant among them.
    "readings:document_correct": (_document, leads_only()),
    "readings:passage_correct": (_document_passage, post_only(assistant=403)),
    "readings:document_delete": (_document, leads_only()),
    "readings:document_replace": (_document, post_only(assistant=403)),
    "readings:document_replace_confirm": (_replacement, post_only(assistant=403)),
    # Seminars
    "readings:seminar_list": (None, logged_in_view(post=False)),
    "readings:seminar_create": (None, logged_in_view()),
    "readings:seminar": (S, member_view(post=False)),
    "readings:seminar_edit": (S, member_view(get_student=403)),
    "readings:seminar_reading_add": (S, post_only()),
    "readings:seminar_reading_move": (_reading, post_only()),
    "readings:seminar_reading_remove": (_reading, post_only()),
    "readings:seminar_join_code": (S, post_only()),
    "readings:member_remove": (_membership, post_only()),
    "readings:seminar_reading_due": (_reading, post_only()),
    "readings:join": (None, logged_in_view()),
    # A visitor with a join link signs up and joins in one form (issue 21).
    "readings:join_code": (_join_code, PUBLIC_FORM),
    # The roster: those who teach; roles are the instructor's alone.
    "annotations:roster": (S, member_view(get_student=403, post=False)),
    "annotations:roster_csv": (S, member_view(get_student=403, post=False)),
    "annotations:roster_add": (S, post_only()),
    "annotations:roster_import": (S, post_only()),
    "annotations:roster_password": (_membership, post_only()),
    "annotations:roster_role": (_membership, post_only(assistant=403)),
    "annotations:roster_remove": (_membership, member_view(get_student=403)),
    # A set-password link: anyone holding it; a bad one says so.
    "annotations:roster_welcome": (_welcome, PUBLIC_FORM),
    # A seminar's end: an instructor archives or deletes it; anyone who teaches copies it.
    "annotations:seminar_archive": (S, post_only(assistant=403)),
    "annotations:seminar_delete": (S, leads_only()),
    "annotations:seminar_copy": (S, member_view(get_student=403)),
    # The codebook: members read it, instructors change it.
    "annotations:theme_list": (S, member_view(post_student=403)),
    "annotations:theme_edit": (_theme, member_view(get_student=403)),
    "annotations:theme_move": (_theme, post_only()),
    "annotations:theme_retire": (_theme, post_only()),
    "annotations:theme_merge": (_theme, post_only()),
    # Sets: the student's own set, which the student and the instructors may see.
    "annotations:set_create": (S, member_view()),
    "annotations:set": (_student_set, member_view(post=False)),
    "annotations:set_settings": (_student_set, member_view()),
    "annotations:set_reveal": (_student_set, member_view(get_student=403)),
    "annotations:seminar_reveal": (S, member_view(get_student=403)),
    "annotations:set_archive": (_student_set, post_only()),
    "annotations:set_delete": (_student_set, member_view(get_student=403)),
    # The reader: whoever may read the set reads it; only its owner tags, until it is locked.
    "annotations:reader": (_reader, member_view(post=False)),
    "annotations:parallel": (_student_set, member_view(post=False)),
    "annotations:reader_passage": (_set_passage, member_view(post=False)),
    "annotations:reader_changes": (_student_set, post_only(student=OK)),
    "annotations:tag_add": (_set_passage, owner_write()),
    "annotations:tag_update": (_set_tag, owner_write()),
    "annotations:tag_remove": (_set_tag, owner_write()),
    # Compare and overview: every member, with the sets they may read.
    "annotations:overview": (S, member_view(post=False)),
    "annotations:compare": (_compare, member_view(post=False)),
    "annotations:compare_context": (_passage, member_view(post=False)),
    # A set's summaries: only its owner writes them; the instructor sees Sam's set, but no more.
    "annotations:summary_edit": (
        _student_summary,
        {
            "GET": {"visitor": LOGIN, "outsider": 404, "student": OK, "instructor": 403},
            "POST": {"visitor": LOGIN, "outsider": 404, "student": OK, "instructor": 403},
        },
    ),
    # Export and import: members export the sets they may read and import into a new set of
    # their own; instructors also back up, restore and import codebooks.
    "annotations:interchange": (S, member_view(post=False)),
    "annotations:set_export": (lambda w: _student_set(w) | {"fmt": "w3c"}, member_view(post=False)),
    "annotations:set_export_w3c_page": (
        lambda w: _student_set(w) | {"page": 0},
        member_view(post=False),
    ),
    "annotations:codebook_export": (S, member_view(post=False)),
    # A backup is made by a worker: a POST that starts the job (issue 22).
    "annotations:seminar_backup": (S, post_only()),
    "annotations:set_import": (S, post_only(student=OK)),
    "annotations:codebook_import": (S, post_only()),
    "annotations:seminar_restore": (S, post_only()),
    # Handouts: a member builds one from the sets they may read (404 for sets they may not).
    "annotations:handout": (S, member_view(post=False)),
    # Agreement: each member sees the page (a student only their own figures); the discussion
    # view, its handout picks and presentation mode are the instructor's.
    "annotations:agreement": (S, member_view(post=False)),
    "annotations:discussion": (S, member_view(get_student=403, post=False)),
    "annotations:discussion_pick": (S, post_only()),
    "annotations:present_start": (S, member_view(get_student=403, post=False)),
    "annotations:present": (_compare, member_view(get_student=403, post=False)),
    "annotations:present_disputed": (_compare, member_view(get_student=403, post=False)),
    # The live poll: the instructor's pages only (a student's would tell of blind sets' tags).
    "annotations:seminar_live": (S, member_view(get_student=403, post=False)),
    # A large import's preview, read by a worker: its owner's only, like the preview's save.
    "readings:document_import_preview": (
        _pending_import,
        {
            "GET": {
                "visitor": LOGIN,
                "outsider": 404,
                "student": 404,
                "assistant": 404,
                "instructor": OK,
            },
            "POST": {"visitor": LOGIN, "outsider": 405, "student": 405, "instructor": 405},
        },
    ),
    # Background jobs (issue 22): the instructor's backup job here; nobody else's to see.
    "jobs:job": (_job, owner_only(post=False)),
    "jobs:job_cancel": (_job, owner_only()),
    "jobs:job_file": (_job, owner_only(post=False)),
}
# Reached only through a signed link from the reset e-mail; covered by the accounts tests.
NOT_WALKED = {"password_reset_confirm"}


def test_every_url_pattern_has_an_authorisation_rule() -> None:
    missing = all_url_names() - set(RULES) - NOT_WALKED
    assert not missing, f"Add these URL names to RULES with who may use them: {sorted(missing)}"
    stale = set(RULES) - all_url_names()
    assert not stale, f"RULES names URLs that no longer exist: {sorted(stale)}"


CASES = [
    pytest.param(name, method, role, id=f"{name}-{method}-{role}")
    for name, (_, rules) in sorted(RULES.items())
    for method in ("GET", "POST")
    for role in ROLES
]


@pytest.mark.parametrize(("name", "method", "role"), CASES)
def test_url_answers_each_role_as_it_should(name: str, method: str, role: str) -> None:
    from django.urls import reverse

    world = seminar_world()
    assistant: User = UserFactory(username="tess")
    MembershipFactory(seminar=world.seminar, user=assistant, role=Membership.Role.ASSISTANT)
    kwargs_for, rules = RULES[name]
    url = reverse(name, kwargs=kwargs_for(world) if kwargs_for else None)
    client = Client()
    user: User | None = {
        "outsider": world.outsider,
        "student": world.student,
        "assistant": assistant,
        "instructor": world.instructor,
    }.get(role)
    if user is not None:
        client.force_login(user)
    response = client.get(url) if method == "GET" else client.post(url, {})
    expected = rules[method].get(role, rules[method].get("instructor"))
    location = response.get("Location", "")
    if expected == OK:
        assert response.status_code in {200, 302, 303}, (response.status_code, location)
        if response.status_code in {302, 303}:
            assert not location.startswith("/accounts/login/"), location
    elif expected == LOGIN:
        assert response.status_code == 302 and location.startswith("/accounts/login/")
    else:
        assert response.status_code == expected, (response.status_code, location)
