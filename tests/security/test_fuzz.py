"""A fuzz pass over every endpoint that takes a POST, and every page's query string (issue 19):
whatever is sent, the answer is 2xx, 3xx or 4xx, never a 5xx, and the view raises nothing.

Each POST endpoint is posted by the member who may use it, in a small seminar, with values
Hypothesis makes: text with odd Unicode and controls, numbers in every shape, huge strings,
empty values, and files of random bytes (or random JSON, XML, zips) with the right extension.
An endpoint that takes a POST and has no entry in FIELDS fails the first test, so a new form
cannot ship unfuzzed. The Django admin (staff only, Django's own forms) is left out.
"""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from collections.abc import Callable
from xml.sax.saxutils import escape as xml_escape

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.interchange.exports import w3c
from annotations.interchange.exports.backup import seminar_backup
from annotations.interchange.exports.collect import set_record, theme_records
from annotations.interchange.exports.qdc import codebook_xml
from annotations.interchange.exports.qdpx import qdpx
from tests.factories import SeminarWorld, UserFactory, seminar_world
from tests.test_url_authorization import OK, RULES, _walk, all_url_names

pytestmark = pytest.mark.django_db

# Examples per endpoint: the whole pass within a minute. COUNTERPOINT_FUZZ_EXAMPLES=200 digs
# deeper (the query strings get half as many).
EXAMPLES = int(os.environ.get("COUNTERPOINT_FUZZ_EXAMPLES", "12"))

# Values -----------------------------------------------------------------------------------

ODD = [
    "",
    " ",
    "\x00",
    "\x0b\x1b",
    "\r\n",
    "²",  # str.isdigit() says yes, int() says no
    "٣",  # an Arabic-Indic digit: int() reads it
    "-1",
    "0",
    "1",
    "1.5",
    "1e9",
    "NaN",
    str(2**31),
    str(2**63),
    str(2**64),
    "9" * 5000,  # more digits than int() converts
    "<script>alert(1)</script>",
    "\u202eevil",
    "Ｋelvin \u212a",
    "#1f77b4",
    "#1f77b4\n",
    "supports",
    "on",
    "true",
    "x" * 100_000,
]
TEXT = st.one_of(st.sampled_from(ODD), st.text(max_size=40), st.integers().map(str))


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "type",
                    "items",
                    "first",
                    "body",
                    "target",
                    "selector",
                    "exact",
                    "value",
                    "rows",
                    "uri",
                    "text",
                    "tags",
                    "format",
                    "version",
                    "seminar",
                    "title",
                    "sets",
                    "themes",
                    "readings",
                    "members",
                    "passages",
                    "purpose",
                    "label",
                    "start",
                    "end",
                ]
            )
            | TEXT,
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
).map(lambda value: json.dumps(value).encode())
XML = st.builds(
    lambda name, body: (
        f'<?xml version="1.0"?><{name} xmlns="urn:QDA-XML:project:1.0" name="{body}">'
        f'<Codes><Code guid="c" name="{body}" isCodable="true"/></Codes></{name}>'
    ).encode("utf-8", "ignore"),
    st.sampled_from(["Project", "CodeBook", "Other"]),
    st.text(alphabet="ab<>&\"'1", max_size=10),
)
BYTES = st.one_of(st.binary(max_size=2000), JSON, XML)
ZIPS = st.dictionaries(
    st.sampled_from(["project.qde", "word/document.xml", "[Content_Types].xml", "sources/a.txt"]),
    BYTES,
    max_size=3,
).map(_zip)


def files(*extensions: str) -> st.SearchStrategy[SimpleUploadedFile]:
    return st.builds(
        lambda ext, data: SimpleUploadedFile(f"fuzz.{ext}", data),
        st.sampled_from(extensions),
        st.one_of(BYTES, ZIPS),
    )


def ids(world: SeminarWorld) -> st.SearchStrategy[str]:
    """Real ids of the seminar's objects, and anything else."""
    real = [
        world.themes[0].pk,
        world.documents[0].pk,
        world.documents[0].passages.values_list("pk", flat=True)[0],
        world.key.pk,
    ]
    return st.one_of(st.sampled_from([str(pk) for pk in real]), TEXT)


# Real files of the seminar, each changed in a few places: deeper than random bytes get.


def _leaves(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, (*path, index))
    yield path


def _replaced(document, changes: list[tuple[int, object]]):
    document = json.loads(json.dumps(document))
    for which, value in changes:
        paths = [p for p in _leaves(document) if p]
        *parents, last = paths[which % len(paths)]
        node = document
        for step in parents:
            node = node[step]
        node[last] = value
    return json.dumps(document).encode()


def mutated_json(document) -> st.SearchStrategy[bytes]:
    value = st.one_of(TEXT, st.integers(), st.none(), st.just([]), st.just({}), st.booleans())
    changes = st.lists(st.tuples(st.integers(0, 10**6), value), min_size=1, max_size=3)
    return changes.map(lambda found: _replaced(document, found))


def _xml_replaced(data: bytes, changes: list[tuple[int, str]]) -> bytes:
    text = data.decode()
    for which, value in changes:
        spots = list(re.finditer(r'="([^"]*)"|>([^<]+)<', text))
        spot = spots[which % len(spots)]
        group = 1 if spot.group(1) is not None else 2
        text = text[: spot.start(group)] + xml_escape(value) + text[spot.end(group) :]
    return text.encode("utf-8", "surrogatepass")


def mutated_xml(data: bytes) -> st.SearchStrategy[bytes]:
    changes = st.lists(st.tuples(st.integers(0, 10**6), TEXT), min_size=1, max_size=3)
    return changes.map(lambda found: _xml_replaced(data, found))


def mutated_qdpx(data: bytes) -> st.SearchStrategy[bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    project = next(name for name in members if name.endswith(".qde"))
    return mutated_xml(members[project]).map(lambda qde: _zip({**members, project: qde}))


def seminar_files(world: SeminarWorld) -> dict[str, bytes]:
    """The key set as W3C, Hypothesis-like JSON and REFI-QDA, the codebook and a backup."""
    passage = world.documents[0].passages.filter(kind="paragraph")[0]
    world.key.tags.create(passage=passage, theme=world.themes[0], author=world.instructor)
    record = set_record(world.key, base_url="http://testserver")
    quote = {"type": "TextQuoteSelector", "exact": passage.text}
    hypothesis = {
        "total": 1,
        "rows": [
            {
                "id": "h1",
                "uri": "http://testserver/reading",
                "user": "acct:sam@hypothes.is",
                "text": "A note.",
                "tags": [world.themes[0].name],
                "target": [{"source": "http://testserver/reading", "selector": [quote]}],
            }
        ],
    }
    return {
        "w3c": json.dumps(w3c.collection(record, collection_iri="http://testserver/c")).encode(),
        "hypothesis": json.dumps(hypothesis).encode(),
        "qdpx": qdpx(record),
        "qdc": codebook_xml(theme_records(world.seminar.pk)),
        "backup": json.dumps(seminar_backup(world.seminar)).encode(),
    }


def uploads(name: str, strategy: st.SearchStrategy[bytes]) -> st.SearchStrategy:
    return strategy.map(lambda data: SimpleUploadedFile(name, data))


# Endpoints --------------------------------------------------------------------------------

Fields = Callable[[SeminarWorld], dict[str, st.SearchStrategy]]
METADATA = ["title", "subtitle", "authors", "publication", "published", "language", "source_note"]


def text_fields(*names: str) -> Fields:
    return lambda w: dict.fromkeys(names, TEXT)


def _set_import_fields(w: SeminarWorld) -> dict[str, st.SearchStrategy]:
    real = seminar_files(w)
    return {
        "file": st.one_of(
            files("json", "jsonld", "qdpx"),
            uploads("set.jsonld", mutated_json(json.loads(real["w3c"]))),
            uploads("h.json", mutated_json(json.loads(real["hypothesis"]))),
            uploads("set.qdpx", mutated_qdpx(real["qdpx"])),
        ),
        "format": st.one_of(st.sampled_from(["auto", "w3c", "hypothesis", "qdpx"]), TEXT),
        "title": TEXT,
        "default_theme": ids(w),
        "kind": st.one_of(st.sampled_from(["key", "student", "reference"]), TEXT),
    }


FIELDS: dict[str, Fields] = {
    "login": text_fields("username", "password", "next"),
    "logout": text_fields("next"),
    "signup": text_fields("username", "email", "password1", "password2", "next"),
    "password_change": text_fields("old_password", "new_password1", "new_password2"),
    "password_reset": text_fields("email"),
    "password_reset_confirm": text_fields("new_password1", "new_password2"),
    "readings:document_import": lambda w: {
        **dict.fromkeys([*METADATA, "pasted"], TEXT),
        "seminar": ids(w),
        "file": files("txt", "md", "html", "docx", "pdf", "doc", "exe"),
    },
    "readings:document_import_confirm": text_fields(*METADATA),
    "readings:document_correct": text_fields(*METADATA),
    "readings:passage_correct": text_fields("action", "kind", "at", "text", "confirm"),
    "readings:document_delete": text_fields("confirmed_tags"),
    "readings:document_replace": lambda w: {
        "pasted": TEXT,
        "file": files("txt", "md", "html", "docx", "pdf", "exe"),
    },
    "readings:document_replace_confirm": text_fields("orphans"),
    "readings:seminar_create": text_fields("title", "term", "description"),
    "readings:seminar_edit": text_fields("title", "term", "description"),
    "readings:seminar_reading_add": lambda w: {"document": ids(w)},
    "readings:seminar_reading_move": text_fields("direction"),
    "readings:seminar_reading_remove": text_fields("next"),
    "readings:seminar_join_code": text_fields("action"),
    "readings:member_remove": text_fields("next"),
    "readings:join": text_fields("code"),
    "readings:join_code": text_fields("code", "username", "email", "password1", "password2"),
    "readings:seminar_reading_due": text_fields("due_date"),
    "annotations:roster_add": text_fields("names"),
    "annotations:roster_import": lambda w: {
        "file": st.one_of(
            files("csv", "txt"),
            uploads("class.csv", st.text(max_size=300).map(lambda t: t.encode("utf-8", "replace"))),
        )
    },
    "annotations:roster_password": text_fields("next"),
    "annotations:roster_role": text_fields("role"),
    "annotations:roster_remove": text_fields("sets"),
    "annotations:roster_welcome": text_fields("new_password1", "new_password2"),
    "annotations:seminar_archive": text_fields("archive"),
    "annotations:seminar_delete": text_fields("confirm"),
    "annotations:seminar_copy": text_fields("title", "term"),
    "annotations:set_archive": text_fields("archive"),
    "annotations:set_delete": text_fields("confirm"),
    "annotations:theme_list": text_fields("name", "guiding_question", "description", "colour"),
    "annotations:theme_edit": text_fields("name", "guiding_question", "description", "colour"),
    "annotations:theme_move": text_fields("offset"),
    "annotations:theme_retire": text_fields("next"),
    "annotations:theme_merge": lambda w: {"target": ids(w), "confirm": TEXT},
    "annotations:set_create": lambda w: {
        **dict.fromkeys(["title", "kind", "visibility"], TEXT),
        "start_from": ids(w),
    },
    "annotations:set_settings": text_fields("title", "visibility", "blind", "locked", "kind"),
    "annotations:set_reveal": text_fields("reveal"),
    "annotations:seminar_reveal": text_fields("what"),
    "annotations:reader_changes": lambda w: {
        "d": st.lists(ids(w), max_size=3),
        **dict.fromkeys(["v", "sig", "theme", "only", "quotes", "layout"], TEXT),
    },
    "annotations:tag_add": lambda w: {
        "theme": ids(w),
        **dict.fromkeys(["stance", "note", "span_start", "span_end", "panel", "layout"], TEXT),
    },
    "annotations:tag_update": text_fields("stance", "note", "panel", "layout"),
    "annotations:tag_remove": text_fields("panel", "layout"),
    "annotations:summary_edit": text_fields("text"),
    "annotations:set_import": _set_import_fields,
    "annotations:codebook_import": lambda w: {
        "codebook-file": st.one_of(
            files("qdc", "xml"), uploads("c.qdc", mutated_xml(seminar_files(w)["qdc"]))
        )
    },
    "annotations:seminar_restore": lambda w: {
        "restore-file": st.one_of(
            files("json"),
            uploads("b.json", mutated_json(json.loads(seminar_files(w)["backup"]))),
        )
    },
    "annotations:discussion_pick": lambda w: {"theme": ids(w), "passage": ids(w), "remove": TEXT},
    # Starting a backup and cancelling a job take no field: whatever is sent is ignored.
    "annotations:seminar_backup": lambda w: {"anything": TEXT},
    "jobs:job_cancel": lambda w: {"confirm": TEXT},
}


def _reset_link(w: SeminarWorld) -> dict:
    user = w.instructor
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


def _kwargs(name: str, world: SeminarWorld) -> dict | None:
    if name == "password_reset_confirm":
        return _reset_link(world)
    if name == "annotations:roster_welcome":
        return {"seminar_id": world.seminar.pk, **_reset_link(world)}
    factory = RULES[name][0]
    return factory(world) if factory else None


def _poster(name: str, world: SeminarWorld):
    """The member who may use the endpoint, so that the fuzzing reaches its form."""
    if name in {"login", "signup", "password_reset", "password_reset_confirm"}:
        return None  # a visitor's forms
    posts = RULES[name][1]["POST"]
    role = next(r for r in ("instructor", "student", "outsider") if posts[r] == OK)
    return {"instructor": world.instructor, "student": world.student, "outsider": world.outsider}[
        role
    ]


def _client(user) -> Client:
    client = Client()  # raises what a view raises, so a crash fails the test with its trace
    if user is not None:
        client.force_login(user)
    return client


ANSWERS = {200, 204, 302, 303, 400, 403, 404, 405, 429}


def _assert_answered(response, name: str, sent: dict) -> None:
    """A 2xx, 3xx or 4xx that says something: a page, a file, where to go (htmx gets that in
    HX-Redirect) or which methods to use."""
    assert response.status_code in ANSWERS, (name, response.status_code, sent)
    if response.status_code in {302, 303}:
        assert response["Location"], name
    elif response.status_code == 405:
        assert response["Allow"], name
    elif response.status_code != 204 and not response.has_header("HX-Redirect"):
        content = b"".join(response) if response.streaming else response.content
        assert content, name


def _any_kwargs(route: str) -> dict[str, object]:
    """Values for a route's parameters: a view that refuses POST does so before it looks
    anything up, so any values tell whether it takes one."""
    any_value = {"int": 1, "uuid": "00000000-0000-4000-8000-000000000000"}
    return {
        name: any_value.get(converter, "x")
        for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", route)
    }


def test_every_post_endpoint_is_fuzzed() -> None:
    poster = UserFactory(username="poster")
    taking_post = set()
    for name, route in _walk(get_resolver().url_patterns):
        if name.startswith("admin:"):
            continue
        # A new client each time: one of these posts logs out.
        response = _client(poster).post(reverse(name, kwargs=_any_kwargs(route)), {})
        if response.status_code != 405:
            taking_post.add(name)
    assert {"readings:document_import", "annotations:tag_add"} <= taking_post
    missing = taking_post - set(FIELDS)
    assert not missing, f"Add these POST endpoints to FIELDS, with their fields: {missing}"
    stale = set(FIELDS) - taking_post
    assert not stale, f"FIELDS names endpoints that take no POST: {stale}"


@pytest.mark.parametrize("name", sorted(FIELDS))
def test_no_post_is_a_server_error(name: str) -> None:
    world = seminar_world()
    url = reverse(name, kwargs=_kwargs(name, world))
    user = _poster(name, world)
    strategy = st.fixed_dictionaries(FIELDS[name](world))

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=strategy, htmx=st.booleans())
    def post(data: dict, htmx: bool) -> None:
        for upload in data.values():
            if isinstance(upload, SimpleUploadedFile):
                upload.seek(0)
        headers = {"HX-Request": "true"} if htmx else {}
        # Each example starts from the same seminar: what one removes, the next finds again.
        with transaction.atomic():
            response = _client(user).post(url, data, headers=headers)
            transaction.set_rollback(True)
        _assert_answered(response, name, data)

    post()


# Query strings ----------------------------------------------------------------------------

QUERY_NAMES = [
    "seminar", "source", "min", "theme", "reading", "order-trade", "questions-trade", "title",
    "date", "paper", "format", "built", "summaries", "open", "panel", "only", "quotes",
    "layout", "back", "next", "q", "page",
]  # fmt: skip


@pytest.mark.parametrize("name", sorted(all_url_names()))
def test_no_query_string_is_a_server_error(name: str) -> None:
    world = seminar_world()
    url = reverse(name, kwargs=_kwargs(name, world))
    user = _poster(name, world) if name in FIELDS else world.instructor

    @settings(
        max_examples=EXAMPLES // 2, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(query=st.dictionaries(st.sampled_from(QUERY_NAMES), TEXT, max_size=4))
    def get(query: dict) -> None:
        with transaction.atomic():
            response = _client(user).get(url, {k: v[:3000] for k, v in query.items()})
            transaction.set_rollback(True)
        _assert_answered(response, name, query)

    get()
