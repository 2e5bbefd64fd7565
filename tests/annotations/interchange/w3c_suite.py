"""The W3C Web Annotation test suite's MUST assertions, run offline against a document.

The suite (../shared/standards/w3c-web-annotation/web-annotation-tests) is a set of draft-04
JSON Schemas: each `.test` file lists the assertion schemas that make up a test
(annotationMusts, collectionMusts, pageMusts), and the assertions `$ref` shared schemas in
definitions/ by bare file name. Every file is registered under one flat base IRI so those refs
resolve locally, and the formats the schemas use ("uri", "date-time") are checked here rather
than silently passed (jsonschema checks them only with optional extra packages).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT4

STANDARDS = Path(__file__).resolve().parents[4] / "shared" / "standards"
SUITE = STANDARDS / "w3c-web-annotation" / "web-annotation-tests"
BASE = "https://web-annotation-tests.invalid/"

TESTS = {
    "annotationMusts": SUITE / "annotations" / "annotationMusts.test",
    "collectionMusts": SUITE / "collections" / "collectionMusts.test",
    "pageMusts": SUITE / "collections" / "pages" / "pageMusts.test",
}

# RFC 3986 absolute URI (scheme ":" hier-part), without spaces or control characters.
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`\x00-\x1f]*$")
# RFC 3339 date-time, as JSON Schema's "date-time" format means.
_DATE_TIME = re.compile(
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)"
    r"(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$"
)

FORMATS = FormatChecker(formats=())


@FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or bool(_URI.match(value))


@FORMATS.checks("date-time")
def _is_date_time(value: object) -> bool:
    return not isinstance(value, str) or bool(_DATE_TIME.match(value))


@cache
def _registry() -> Registry:
    resources = []
    for path in SUITE.rglob("*.json"):
        if "tools" in path.parts:
            continue
        # Each file's bare "id" would otherwise become its base IRI, which refs cannot reach.
        schema = json.loads(path.read_text(encoding="utf-8")) | {"id": BASE + path.name}
        resources.append((BASE + path.name, DRAFT4.create_resource(schema)))
    return Registry().with_resources(resources)


@cache
def assertions(test: str) -> tuple[tuple[str, Draft4Validator], ...]:
    listing = json.loads(TESTS[test].read_text(encoding="utf-8"))
    registry = _registry()
    result = []
    for relative in listing["assertions"]:
        name = relative.rsplit("/", 1)[-1]
        # Entered by reference, so the assertion is resolved at its own IRI: a draft-04 "$ref"
        # beside "id" (as in 3.1-annotationIdValidated.json) hides that id from the resolver.
        entry = {"$ref": BASE + name}
        result.append((name, Draft4Validator(entry, registry=registry, format_checker=FORMATS)))
    return tuple(result)


@dataclass(frozen=True)
class Failure:
    assertion: str
    message: str


def check(test: str, document: Any) -> list[Failure]:
    """Every MUST assertion of `test` the document fails (empty when it conforms)."""
    failures = []
    for name, validator in assertions(test):
        errors = list(validator.iter_errors(document))
        if errors:
            failures.append(Failure(name, "; ".join(e.message[:200] for e in errors[:3])))
    return failures
