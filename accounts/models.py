from __future__ import annotations

from django.conf import settings
from django.db import models


class KnownAddress(models.Model):
    """An address an account has logged in from: its person's usual places (issue 19).

    The log-in throttle lets an account in from here even while it is attacked from elsewhere,
    or while this address has failed too often for accounts new to it (a campus NAT). Stored
    as a keyed digest (accounts/throttle.py), never in clear; rotating SECRET_KEY forgets them.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="known_addresses"
    )
    digest = models.CharField(max_length=64)
    last_login_at = models.DateTimeField()

    class Meta:
        ordering = ["user_id", "-last_login_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "digest"], name="known_address_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} from {self.digest[:8]}…"
