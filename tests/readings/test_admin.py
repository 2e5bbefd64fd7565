from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory, seminar_world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["document", "passage", "seminar", "membership", "seminarreading"]
)
def test_admin_lists_and_opens_each_readings_model(model: str) -> None:
    world = seminar_world()
    admin_user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin_user)
    changelist = client.get(reverse(f"admin:readings_{model}_changelist"), {"q": "Reading"})
    assert changelist.status_code == 200
    instance = {
        "document": world.documents[0],
        "passage": world.documents[0].passages.first(),
        "seminar": world.seminar,
        "membership": world.seminar.memberships.first(),
        "seminarreading": world.seminar.seminar_readings.first(),
    }[model]
    assert instance is not None
    change = client.get(reverse(f"admin:readings_{model}_change", args=[instance.pk]))
    assert change.status_code == 200


def test_admin_is_closed_to_people_who_are_not_staff() -> None:
    world = seminar_world()
    client = Client()
    client.force_login(world.instructor)
    response = client.get(reverse("admin:readings_seminar_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
