"""The access helpers answer a visitor who is not logged in as they answer an outsider."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from readings.access import find_pending_import_for_user, get_seminar_for_user
from tests.factories import SeminarFactory

pytestmark = pytest.mark.django_db


def test_a_visitor_not_logged_in_gets_no_seminar() -> None:
    seminar = SeminarFactory()
    with pytest.raises(Http404, match="No such seminar"):
        get_seminar_for_user(AnonymousUser(), seminar.pk)


def test_a_visitor_not_logged_in_or_an_empty_key_finds_no_preview(django_user_model) -> None:
    user = django_user_model.objects.create_user("reader", password="x" * 12)
    assert find_pending_import_for_user(AnonymousUser(), "some-key") is None
    assert find_pending_import_for_user(user, "") is None
