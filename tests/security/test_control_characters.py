"""Control characters and lone surrogates are removed at the door, from every text field of
every form (config/forms.py), on SQLite and on PostgreSQL.

PostgreSQL refuses U+0000 in text, and a Word handout refuses every control character but
tab, line feed and carriage return; what a person sends is stored without them instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver, reverse

from annotations.codebook.forms import ThemeForm, ThemeMergeForm
from annotations.compare.forms import PositionSummaryForm
from annotations.interchange.forms import SetImportForm, UploadForm
from annotations.models import AnnotationSet, PositionSummary, Tag, Theme
from annotations.palette import PALETTE
from annotations.reader.forms import TagAddForm, TagUpdateForm
from annotations.sets.forms import AnnotationSetCreateForm, AnnotationSetSettingsForm
from config.forms import CleanTextMixin, is_text_field
from readings.models import Document, Passage, Seminar
from tests.clients import client_for
from tests.factories import PASSWORD, SeminarWorld, TagFactory, seminar_world
from tests.readings.preview import preview_and_save

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse


pytestmark = pytest.mark.django_db

User = get_user_model()

# Each payload reads "Control" once cleaned.
PAYLOADS = {
    "nul": "Con\x00trol",
    "vt-esc": "Con\x0b\x1btrol",
}
CLEAN = "Control"
SURROGATES = "Con\ud800tr\udfffol"


def _project_forms() -> set[type[forms.BaseForm]]:
    get_resolver().url_patterns  # noqa: B018  # imports every view, and so every form
    found: set[type[forms.BaseForm]] = set()
    todo: list[type[forms.BaseForm]] = [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in {"accounts", "readings", "annotations", "config"}:
                found.add(sub)
    return found


def test_every_form_of_the_app_cleans_its_text() -> None:
    found = _project_forms()
    assert {ThemeForm, TagAddForm, SetImportForm} <= found
    missing = sorted(
        f"{f.__module__}.{f.__name__}" for f in found if not issubclass(f, CleanTextMixin)
    )
    assert not missing, f"forms without CleanTextMixin: {missing}"


# Every form, unbound from any view: lone surrogates (which no browser can send, but a script
# can) and controls leave every text field; passwords stay as typed.


def _form_builders(world: SeminarWorld) -> dict[type[forms.BaseForm], Callable]:
    from accounts.forms import (
        ChangePasswordForm,
        LoginForm,
        NewPasswordForm,
        ResetPasswordForm,
        SignUpForm,
    )
    from annotations.lifecycle.forms import SeminarCopyForm
    from annotations.roster.forms import (
        AddPeopleForm,
        RemoveMemberForm,
        RoleForm,
        RosterImportForm,
    )
    from readings.corrections.forms import (
        DocumentDeleteForm,
        PassageKindForm,
        PassageSplitForm,
        PassageTextForm,
    )
    from readings.forms import (
        DocumentConfirmForm,
        DocumentSourceForm,
        DueDateForm,
        JoinForm,
        SeminarForm,
    )

    theme, document = world.themes[0], world.documents[0]
    passage = document.passages.order_by("position")[0]
    return {
        LoginForm: lambda data: LoginForm(None, data=data),
        SignUpForm: SignUpForm,
        NewPasswordForm: lambda data: NewPasswordForm(world.student, data),
        ChangePasswordForm: lambda data: ChangePasswordForm(world.student, data),
        ResetPasswordForm: ResetPasswordForm,
        DocumentSourceForm: DocumentSourceForm,
        DocumentConfirmForm: DocumentConfirmForm,
        SeminarForm: SeminarForm,
        JoinForm: JoinForm,
        ThemeForm: ThemeForm,
        ThemeMergeForm: lambda data: ThemeMergeForm(data, source=theme),
        TagUpdateForm: TagUpdateForm,
        TagAddForm: lambda data: TagAddForm(data, themes=world.themes),
        PositionSummaryForm: lambda data: PositionSummaryForm(data, theme=theme, document=document),
        AnnotationSetCreateForm: lambda data: AnnotationSetCreateForm(
            data, copyable=[], is_instructor=True
        ),
        AnnotationSetSettingsForm: lambda data: AnnotationSetSettingsForm(data, is_instructor=True),
        UploadForm: UploadForm,
        SetImportForm: lambda data: SetImportForm(data, seminar=world.seminar),
        PassageKindForm: PassageKindForm,
        PassageTextForm: PassageTextForm,
        PassageSplitForm: lambda data: PassageSplitForm(data, passage=passage),
        DocumentDeleteForm: DocumentDeleteForm,
        DueDateForm: DueDateForm,
        AddPeopleForm: AddPeopleForm,
        RosterImportForm: RosterImportForm,
        RoleForm: RoleForm,
        RemoveMemberForm: RemoveMemberForm,
        SeminarCopyForm: SeminarCopyForm,
    }


def test_every_form_is_checked_below() -> None:
    world = seminar_world()
    concrete = {f for f in _project_forms() if f.__name__ != "DocumentMetadataForm"}
    assert concrete <= set(_form_builders(world))


# Forms of choices, files and passwords only.
NO_TEXT_FIELDS = {
    "ThemeMergeForm",
    "UploadForm",
    "NewPasswordForm",
    "ChangePasswordForm",
    "PassageKindForm",
    "PassageSplitForm",
    "DocumentDeleteForm",
    "DueDateForm",
    "RosterImportForm",
    "RoleForm",
    "RemoveMemberForm",
}


@pytest.mark.parametrize("payload", [SURROGATES, *PAYLOADS.values()], ids=["surrogates", *PAYLOADS])
def test_every_text_field_of_every_form_is_cleaned(payload: str) -> None:
    world = seminar_world()
    for form_class, build in _form_builders(world).items():
        fields = build(None).fields
        text = [name for name, field in fields.items() if is_text_field(field)]
        passwords = [name for name in fields if name not in text and "password" in name]
        form = build({**dict.fromkeys(fields, payload), **dict.fromkeys(passwords, PASSWORD)})
        form.is_valid()
        for name in text:
            assert form[name].value() == CLEAN, (form_class.__name__, name)
        for name in passwords:
            assert form[name].value() == PASSWORD  # hashed as typed, never shown
        assert text or form_class.__name__ in NO_TEXT_FIELDS, form_class


# Through the web, into the database -------------------------------------------------------


@dataclass
class Sent:
    response: TestResponse
    stored: Callable[[], list[str]]  # the stored values, read after the request
    status: int = 302


def _seminar_create(w: SeminarWorld, p: str) -> Sent:
    response = client_for(w.instructor).post(
        "/seminars/new/", {"title": p, "term": p, "description": p}
    )
    seminar = Seminar.objects.order_by("pk").last
    return Sent(response, lambda: [getattr(seminar(), f) for f in ("title", "term", "description")])


def _seminar_edit(w: SeminarWorld, p: str) -> Sent:
    response = client_for(w.instructor).post(
        reverse("readings:seminar_edit", args=[w.seminar.pk]),
        {"title": p, "term": p, "description": p},
    )
    s = w.seminar
    return Sent(
        response,
        lambda: [
            getattr(Seminar.objects.get(pk=s.pk), f) for f in ("title", "term", "description")
        ],
    )


def _join(w: SeminarWorld, p: str) -> Sent:
    code = w.seminar.join_code or ""
    response = client_for(w.outsider).post("/join/", {"code": code[:3] + p[3:-4] + code[3:]})
    return Sent(
        response,
        lambda: ["Control"] if w.seminar.memberships.filter(user=w.outsider).exists() else [],
    )


METADATA = ("title", "subtitle", "authors", "publication", "published", "language", "source_note")


def _document_import(w: SeminarWorld, p: str) -> Sent:
    client = client_for(w.instructor)
    source = {"pasted": f"{p}, the first paragraph.\n\nThe second paragraph.", "title": p}
    response = preview_and_save(client, source, **dict.fromkeys(METADATA, p))
    document = Document.objects.order_by("pk").last

    def stored() -> list[str]:
        d = document()
        assert d is not None
        first = d.passages.get(position=0).text
        return [getattr(d, f) for f in METADATA if f != "authors"] + [*d.authors, first[:7]]

    return Sent(response, stored)


def _theme_create(w: SeminarWorld, p: str) -> Sent:
    response = client_for(w.instructor).post(
        reverse("annotations:theme_list", args=[w.seminar.pk]),
        {"name": p, "guiding_question": p, "description": p, "colour": PALETTE[5][0] + p[3:-4]},
    )
    theme = Theme.objects.order_by("pk").last

    def stored() -> list[str]:
        t = theme()
        assert t is not None and t.colour == PALETTE[5][0]
        return [t.name, t.guiding_question, t.description]

    return Sent(response, stored)


def _theme_edit(w: SeminarWorld, p: str) -> Sent:
    theme = w.themes[0]
    response = client_for(w.instructor).post(
        reverse("annotations:theme_edit", args=[w.seminar.pk, theme.pk]),
        {"name": p, "guiding_question": p, "description": p, "colour": theme.colour},
    )
    return Sent(
        response,
        lambda: [
            getattr(Theme.objects.get(pk=theme.pk), f)
            for f in ("name", "guiding_question", "description")
        ],
    )


def _set_create(w: SeminarWorld, p: str) -> Sent:
    response = client_for(w.student).post(
        reverse("annotations:set_create", args=[w.seminar.pk]),
        {"title": p, "visibility": "seminar", "start_from": "0"},
    )
    return Sent(response, lambda: [AnnotationSet.objects.latest("pk").title])


def _set_settings(w: SeminarWorld, p: str) -> Sent:
    response = client_for(w.student).post(
        reverse("annotations:set_settings", args=[w.seminar.pk, w.student_set.pk]),
        {"title": p, "visibility": "seminar"},
    )
    return Sent(response, lambda: [AnnotationSet.objects.get(pk=w.student_set.pk).title])


def _passage(w: SeminarWorld) -> Passage:
    return w.documents[0].passages.filter(kind=Passage.Kind.PARAGRAPH)[0]


def _tag_add(w: SeminarWorld, p: str) -> Sent:
    passage = _passage(w)
    response = client_for(w.student).post(
        reverse("annotations:tag_add", args=[w.seminar.pk, w.student_set.pk, passage.pk]),
        {"theme": w.themes[0].pk, "stance": "supports", "note": p},
    )
    return Sent(response, lambda: [Tag.objects.get(annotation_set=w.student_set).note])


def _tag_update(w: SeminarWorld, p: str) -> Sent:
    passage = _passage(w)
    tag = TagFactory(annotation_set=w.student_set, passage=passage, theme=w.themes[0])
    response = client_for(w.student).post(
        reverse(
            "annotations:tag_update", args=[w.seminar.pk, w.student_set.pk, passage.pk, tag.pk]
        ),
        {"stance": "opposes", "note": p},
    )
    return Sent(response, lambda: [Tag.objects.get(pk=tag.pk).note])


def _summary_edit(w: SeminarWorld, p: str) -> Sent:
    theme, document = w.themes[0], w.documents[0]
    response = client_for(w.student).post(
        reverse(
            "annotations:summary_edit", args=[w.seminar.pk, w.student_set.pk, theme.pk, document.pk]
        ),
        {"text": p},
    )
    return Sent(
        response, lambda: [PositionSummary.objects.get(theme=theme, document=document).text]
    )


def _set_import(w: SeminarWorld, p: str) -> Sent:
    passage = _passage(w)
    annotation = {
        "type": "Annotation",
        "body": [{"type": "TextualBody", "purpose": "tagging", "value": w.themes[0].name}],
        "target": {
            "source": "urn:x",
            "selector": {"type": "TextQuoteSelector", "exact": passage.text},
        },
    }
    upload = SimpleUploadedFile("set.json", json.dumps(annotation).encode())
    response = client_for(w.student).post(
        reverse("annotations:set_import", args=[w.seminar.pk]),
        {"file": upload, "format": "w3c", "title": p},
    )
    return Sent(response, lambda: [AnnotationSet.objects.latest("pk").title], status=200)


def _sign_up(w: SeminarWorld, p: str) -> Sent:
    response = Client().post(
        "/accounts/signup/",
        {
            "username": f"new{p}",
            "email": f"new{p}@example.org",
            "password1": "a long and unguessable passphrase",
            "password2": "a long and unguessable passphrase",
        },
    )

    def stored() -> list[str]:
        user = User.objects.get(email__startswith="new")
        return [user.username.removeprefix("new"), user.email.removeprefix("new").split("@")[0]]

    return Sent(response, stored)


def _log_in(w: SeminarWorld, p: str) -> Sent:
    username = w.student.username
    response = Client().post(
        "/accounts/login/",
        {"username": username[:1] + p[3:-4] + username[1:], "password": PASSWORD},
    )
    return Sent(response, lambda: ["Control"] if "_auth_user_id" in response.client.session else [])


def _password_reset(w: SeminarWorld, p: str) -> Sent:
    response = Client().post("/accounts/password/reset/", {"email": w.student.email + p[3:-4]})
    return Sent(response, lambda: ["Control"] if response["Location"].endswith("/sent/") else [])


FLOWS: dict[str, Callable[[SeminarWorld, str], Sent]] = {
    "seminar-create": _seminar_create,
    "seminar-edit": _seminar_edit,
    "join": _join,
    "document-import": _document_import,
    "theme-create": _theme_create,
    "theme-edit": _theme_edit,
    "set-create": _set_create,
    "set-settings": _set_settings,
    "tag-add": _tag_add,
    "tag-update": _tag_update,
    "summary": _summary_edit,
    "set-import": _set_import,
    "sign-up": _sign_up,
    "log-in": _log_in,
    "password-reset": _password_reset,
}


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS)
@pytest.mark.parametrize("flow", FLOWS)
def test_text_sent_through_a_form_is_stored_without_controls(flow: str, payload: str) -> None:
    sent = FLOWS[flow](seminar_world(), payload)
    body = sent.response.content.decode()[:2000]
    assert sent.response.status_code == sent.status, body
    stored = sent.stored()
    assert stored and all(value == CLEAN for value in stored), stored
