"""Whether this server can send the password-reset e-mail at all."""

from __future__ import annotations

from typing import Any

from django.conf import settings

SMTP = "django.core.mail.backends.smtp.EmailBackend"
DUMMY = "django.core.mail.backends.dummy.EmailBackend"


def reset_mail_can_be_sent() -> bool:
    """False when no mail can reach anyone: the SMTP backend with no EMAIL_HOST (production's
    default; Django would try localhost and only log the failure) or the dummy backend. The
    console backend of development counts: the link appears where the server runs."""
    mailer: dict[str, Any] = settings.MAILERS["default"]
    backend = mailer.get("BACKEND", SMTP)
    if backend == DUMMY:
        return False
    options: dict[str, Any] = mailer.get("OPTIONS", {})
    return backend != SMTP or bool(options.get("host"))
