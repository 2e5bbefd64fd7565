from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction


@transaction.atomic
def user_sign_up(*, username: str, email: str, password: str) -> User:
    """A new account; the form has checked the name, the address and the password already."""
    return get_user_model().objects.create_user(username=username, email=email, password=password)
