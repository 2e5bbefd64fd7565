"""Who may try a password now, and who may ask for a reset link: limits no attacker can turn
against the person (issue 19).

Log-in failures are counted three ways, in the cache (accounts/ratelimit.py):

- per account and *source*, with a wait that doubles past the fifth failure (`Backoff`). The
  source is the browser when it carries a device cookie of this account (set at every log-in
  and sign-up), otherwise the address. A classmate guessing behind the same campus address
  therefore never locks the person's own browser, and an attacker elsewhere never their usual
  address.
- per account, from *unfamiliar* sources only: addresses the account never logged in from
  (`KnownAddress`) by a browser without its cookie. Many addresses guessing one account
  make these wait, never the person at home or in their own browser.
- per address, across accounts, for accounts new to it: a ceiling against one address trying
  many accounts, high enough for a class behind one NAT, and never for an account that has
  logged in from there before.

A success clears the account's count for its source (and its unfamiliar count, when the success
came from an unfamiliar source); the address count is never cleared, so an attacker cannot buy
more guesses with an account of their own. Every failure that starts a wait is logged as a
lockout on the `accounts.lockout` logger at WARNING, with the account and the address.

django-axes was considered: its current release (8.3.1) does not declare Django 6.1, and it has
no notion of an account's usual address or browser, which is the point here.
"""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import KnownAddress
from accounts.ratelimit import (
    Backoff,
    Limit,
    attempt_failed,
    attempt_retry_after,
    attempts_clear,
    backoff_failed,
    backoff_retry_after,
    client_ip,
)

logger = logging.getLogger("accounts.lockout")

DEVICE_COOKIE = "counterpoint_device"
DEVICE_SALT = "accounts.throttle.device"
DEVICE_MAX_AGE = 180 * 24 * 3600
DEVICE_ACCOUNTS = 8  # accounts one browser remembers (a shared family computer)
KNOWN_ADDRESSES = 20  # per account; the oldest is forgotten first


def address_of(request: HttpRequest) -> str:
    return client_ip(request.META, trusted_proxies=settings.COUNTERPOINT_TRUSTED_PROXY_COUNT)


def _per_source() -> Backoff:
    return Backoff(
        free=settings.COUNTERPOINT_LOGIN_FAILURES_BEFORE_WAIT,
        first=60,
        longest=settings.COUNTERPOINT_LOGIN_LONGEST_WAIT,
        window=3600,
    )


def _per_account() -> Backoff:
    return Backoff(
        free=settings.COUNTERPOINT_LOGIN_UNFAMILIAR_FAILURES_BEFORE_WAIT,
        first=60,
        longest=settings.COUNTERPOINT_LOGIN_LONGEST_WAIT,
        window=3600,
    )


def _per_address() -> Limit:
    return Limit(attempts=settings.COUNTERPOINT_LOGIN_FAILURES_PER_ADDRESS, window=15 * 60)


def _digest(address: str) -> str:
    return salted_hmac("accounts.throttle.address", address, algorithm="sha256").hexdigest()


# The browser's device cookie --------------------------------------------------------------


@dataclass(frozen=True)
class Device:
    token: str
    accounts: tuple[int, ...]


def _device(request: HttpRequest) -> Device | None:
    value = request.get_signed_cookie(
        DEVICE_COOKIE, default=None, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE
    )
    if not value:
        return None
    try:
        data = json.loads(value)
        return Device(str(data["d"]), tuple(int(pk) for pk in data["u"]))
    except (ValueError, KeyError, TypeError):
        return None


def _set_device(request: HttpRequest, response: HttpResponseBase, user) -> None:
    known = _device(request)
    token = known.token if known else secrets.token_urlsafe(16)
    accounts = [pk for pk in (known.accounts if known else ()) if pk != user.pk]
    accounts = [user.pk, *accounts][:DEVICE_ACCOUNTS]
    response.set_signed_cookie(
        DEVICE_COOKIE,
        json.dumps({"d": token, "u": accounts}, separators=(",", ":")),
        salt=DEVICE_SALT,
        max_age=DEVICE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# Log-in -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    wait: int
    reason: str  # "source", "unfamiliar" or "address"


@dataclass(frozen=True)
class LoginAttempt:
    """One try at a password: for which account (as typed, folded), from where."""

    account: str
    address: str
    user_pk: int | None
    device: str | None  # the browser's token, when it has logged in to this account before
    familiar: bool  # by its browser or its address

    @property
    def source_key(self) -> str:
        if self.device:
            return f"login:device:{self.device}:{self.account}"
        return f"login:pair:{self.account}:{self.address}"

    @property
    def account_key(self) -> str:
        return f"login:unfamiliar:{self.account}"

    @property
    def address_key(self) -> str:
        return f"login:address:{self.address}"


def login_attempt(request: HttpRequest, username: str) -> LoginAttempt:
    address = address_of(request)
    User = get_user_model()
    # The account the password would be checked against (ModelBackend's exact lookup).
    user = User._default_manager.filter(**{User.USERNAME_FIELD: username}).only("pk").first()
    device = _device(request)
    vouched = device is not None and user is not None and user.pk in device.accounts
    known = (
        user is not None
        and KnownAddress.objects.filter(user_id=user.pk, digest=_digest(address)).exists()
    )
    return LoginAttempt(
        account=username.casefold(),
        address=address,
        user_pk=user.pk if user else None,
        device=device.token if vouched and device else None,
        familiar=vouched or known,
    )


def login_refusal(attempt: LoginAttempt) -> Refusal | None:
    """Why this attempt may not be tried now, and for how long; None when it may."""
    waits = [Refusal(backoff_retry_after(attempt.source_key, _per_source()), "source")]
    if not attempt.familiar:
        unfamiliar = backoff_retry_after(attempt.account_key, _per_account())
        waits.append(Refusal(unfamiliar, "unfamiliar"))
        waits.append(Refusal(attempt_retry_after(attempt.address_key, _per_address()), "address"))
    longest = max(waits, key=lambda refusal: refusal.wait)  # the first of equals: the source
    return longest if longest.wait else None


def login_failed(attempt: LoginAttempt) -> None:
    """Count a wrong password; log each wait it starts."""
    wait = backoff_failed(attempt.source_key, _per_source())
    if wait:
        where = "with a browser it used before" if attempt.device else "(unfamiliar)"
        if attempt.familiar and not attempt.device:
            where = "(its usual address)"
        logger.warning(
            "Log-in lockout: account %r from %s %s waits %d s",
            attempt.account,
            attempt.address,
            where,
            wait,
        )
    if not attempt.familiar:
        wait = backoff_failed(attempt.account_key, _per_account())
        if wait:
            logger.warning(
                "Log-in lockout: account %r waits %d s from unfamiliar places "
                "(last failure from %s)",
                attempt.account,
                wait,
                attempt.address,
            )
    limit = _per_address()
    attempt_failed(attempt.address_key, limit)
    wait = attempt_retry_after(attempt.address_key, limit)
    if wait:
        logger.warning(
            "Log-in lockout: address %s waits %d s for every account new to it "
            "(last failure for account %r)",
            attempt.address,
            wait,
            attempt.account,
        )


def login_succeeded(attempt: LoginAttempt) -> None:
    attempts_clear(attempt.source_key)
    if not attempt.familiar:
        attempts_clear(attempt.account_key)


def remember_login(request: HttpRequest, response: HttpResponseBase, user) -> None:
    """`user` logged in here: this address and this browser are familiar from now on."""
    digest = _digest(address_of(request))
    KnownAddress.objects.update_or_create(
        user=user, digest=digest, defaults={"last_login_at": timezone.now()}
    )
    stale = KnownAddress.objects.filter(user=user).order_by("-last_login_at")[KNOWN_ADDRESSES:]
    KnownAddress.objects.filter(pk__in=list(stale.values_list("pk", flat=True))).delete()
    _set_device(request, response, user)


# Password reset ----------------------------------------------------------------------------


def password_reset_refusal(request: HttpRequest, email: str) -> Refusal | None:
    """Refuse a reset request past the address's or the account's limit; otherwise count it.

    Every address typed counts, whether an account has it or not, so the answer tells nothing
    about which accounts exist. The per-account limit is no lockout: the links already sent
    keep working.
    """
    address = address_of(request)
    account = email.strip().casefold()
    limits = [
        (
            f"reset:address:{address}",
            Limit(settings.COUNTERPOINT_PASSWORD_RESETS_PER_ADDRESS, 3600),
            "address",
        ),
        (
            f"reset:account:{account}",
            Limit(settings.COUNTERPOINT_PASSWORD_RESETS_PER_ACCOUNT, 3600),
            "account",
        ),
    ]
    for key, limit, reason in limits:
        wait = attempt_retry_after(key, limit)
        if wait:
            logger.warning(
                "Reset lockout: password reset for account %r from %s refused for %d s (%s limit)",
                account,
                address,
                wait,
                reason,
            )
            return Refusal(wait, reason)
    for key, limit, _ in limits:
        attempt_failed(key, limit)  # "failed" here: one more request counted
    return None
