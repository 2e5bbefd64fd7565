"""The backup parser is pure Python and names the models' vocabularies itself: they must not
drift apart. At the merges of issues 20 and 21 each of them was missing a new value (the
"not part of the text" kind, the teaching assistant, reference sets) until it was added by hand,
and a backup holding one would have been refused."""

from __future__ import annotations

from annotations.interchange.imports import backup
from annotations.models import AnnotationSet
from readings.models import Membership, PassageKind


def test_the_backup_parser_knows_every_value_the_models_allow() -> None:
    assert set(PassageKind.values) == backup.KINDS
    assert set(Membership.Role.values) == backup.ROLES
    assert set(AnnotationSet.Kind.values) == backup.SET_KINDS
    assert set(AnnotationSet.Visibility.values) == backup.VISIBILITIES
