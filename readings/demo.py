"""The demo seminar: accounts and readings a newcomer can open right after setting up."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from readings.corpus import corpus_load

DEMO_PASSWORD = "read-together"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str


DEMO_ACCOUNTS = (DemoAccount("instructor", "instructor"),)


def demo_load() -> list[DemoAccount]:
    """Create the demo accounts and load the seed corpus for them; idempotent."""
    User = get_user_model()
    with transaction.atomic():
        users = {}
        for account in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=account.username,
                defaults={"first_name": account.username.capitalize()},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            users[account.role] = user
        corpus_load(settings.COUNTERPOINT_SEEDS_DIR / "corpus.toml", owner=users["instructor"])
    return list(DEMO_ACCOUNTS)
