"""Test clients as a person in the seminar uses the app: logged in, with or without htmx."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

# The header htmx sends with every request it makes: a view answers with a fragment.
HTMX = {"HX-Request": "true"}


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
