"""Counterpoint settings: one file, driven by environment variables.

Development: `DEBUG=1` (the run command sets it) and a SQLite file under var/.
Production: `DEBUG` unset, `SECRET_KEY` (long and random), `ALLOWED_HOSTS` and `DATABASE_URL`
required.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def split_networks(hosts: list[str]) -> tuple[list[str], list[str]]:
    """ALLOWED_HOSTS may name networks (`127.0.0.0/8`, `[fd00::/64]`), which Django's own list
    cannot: they are set apart for config.middleware.AllowedNetworksMiddleware."""
    names, networks = [], []
    for host in hosts:
        if "/" in host:
            try:
                networks.append(str(ipaddress.ip_network(host.strip("[]"), strict=False)))
            except ValueError:
                raise ImproperlyConfigured(f"ALLOWED_HOSTS: {host!r} is not a network.") from None
        else:
            names.append(host)
    return names, networks


def env_required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set when DEBUG is off (see README.md, 'Production deployment')."
        )
    return value


DEBUG = env_bool("DEBUG")

if DEBUG:
    # A fixed development key: DEBUG is never on in production, where the key is required.
    SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-counterpoint-development-only"
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or ["127.0.0.1", "localhost", "[::1]"]
else:
    SECRET_KEY = env_required("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        env_required("ALLOWED_HOSTS")
    # It signs sessions, CSRF tokens and password-reset links: refuse what the deployment
    # check (`manage.py check --deploy`) would only warn about.
    if (
        len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH
        or len(set(SECRET_KEY)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or SECRET_KEY.startswith(SECRET_KEY_INSECURE_PREFIX)
    ):
        raise ImproperlyConfigured(
            f"SECRET_KEY is too weak for production: it needs {SECRET_KEY_MIN_LENGTH} characters "
            f"or more, {SECRET_KEY_MIN_UNIQUE_CHARACTERS} different ones at least, and not "
            f"Django's “{SECRET_KEY_INSECURE_PREFIX}” placeholder. Make one with "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )

# Networks among the allowed hosts (bin/serve allows the loopback network): Django checks
# nothing itself ("*") and the first middleware checks names and networks alike.
ALLOWED_HOSTS, COUNTERPOINT_ALLOWED_NETWORKS = split_networks(ALLOWED_HOSTS)
COUNTERPOINT_ALLOWED_NAMES = ALLOWED_HOSTS
if COUNTERPOINT_ALLOWED_NETWORKS:
    ALLOWED_HOSTS = ["*"]

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "accounts",
    "readings",
    "annotations",
    "jobs",
]

MIDDLEWARE = [
    "config.middleware.AllowedNetworksMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Inside the header middleware, so that its 503 page carries the same security headers.
    "config.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Writes into an archived seminar are refused here, whatever the view.
    "readings.archive.ArchivedSeminarReadOnlyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # Tag libraries that live in a feature folder rather than an app's templatetags/.
            "libraries": {"agreement": "annotations.agreement.cells"},
        },
    },
]

# SQLite in a git-ignored directory unless DATABASE_URL names another database.
VAR_DIR = Path(os.environ.get("COUNTERPOINT_VAR_DIR", BASE_DIR / "var"))
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'counterpoint.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several people tagging at once: wait for the write lock instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if not os.environ.get("DATABASE_URL"):
        VAR_DIR.mkdir(parents=True, exist_ok=True)

# A database cache: shared by every worker and app server (nothing kept in process memory),
# used for login rate limits. Its table is made by `manage.py createcachetable` (bin/run does).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "counterpoint_cache",
        # Room for many rate-limit counters, so a flood of addresses cannot push them out.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
    # Rendered compare and overview pages, keyed by the seminar's revision, so never stale
    # (annotations/pagecache/fragments.py). Files shared by the server's workers: a page is
    # rendered once per revision, not once per worker; each server of several keeps its own.
    "fragments": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "fragments"),
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
# How many proxies in front append to X-Forwarded-For; 0 trusts only REMOTE_ADDR. Behind one
# TLS proxy set 1, or every log-in would share the proxy's address in the rate limit.
COUNTERPOINT_TRUSTED_PROXY_COUNT = env_int("COUNTERPOINT_TRUSTED_PROXY_COUNT", 0)
# Log-in and reset limits (accounts/throttle.py). Wrong passwords for one account from one
# address or browser before the wait starts (1 minute, doubling up to the longest wait); for
# one account from places it never logged in from; from one address in 15 minutes for
# accounts new to it (a class of 200 behind one campus NAT mistyping twice each stays below).
COUNTERPOINT_LOGIN_FAILURES_BEFORE_WAIT = env_int("COUNTERPOINT_LOGIN_FAILURES_BEFORE_WAIT", 5)
COUNTERPOINT_LOGIN_UNFAMILIAR_FAILURES_BEFORE_WAIT = env_int(
    "COUNTERPOINT_LOGIN_UNFAMILIAR_FAILURES_BEFORE_WAIT", 10
)
COUNTERPOINT_LOGIN_FAILURES_PER_ADDRESS = env_int("COUNTERPOINT_LOGIN_FAILURES_PER_ADDRESS", 500)
COUNTERPOINT_LOGIN_LONGEST_WAIT = env_int("COUNTERPOINT_LOGIN_LONGEST_WAIT", 15 * 60)
# Password-reset requests per hour, per address and per e-mail address typed.
COUNTERPOINT_PASSWORD_RESETS_PER_ADDRESS = env_int("COUNTERPOINT_PASSWORD_RESETS_PER_ADDRESS", 30)
COUNTERPOINT_PASSWORD_RESETS_PER_ACCOUNT = env_int("COUNTERPOINT_PASSWORD_RESETS_PER_ACCOUNT", 3)


AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it, even before collectstatic
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names need `collectstatic`; development and tests serve from source.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("COUNTERPOINT_STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Where the seed corpus lives; it is read from there, never copied into the repository.
COUNTERPOINT_SEEDS_DIR = Path(
    os.environ.get("COUNTERPOINT_SEEDS_DIR", BASE_DIR.parent / "shared" / "seeds")
)
# What the seminar page shows besides its readings and members, from the apps above it:
# dotted paths of functions taking the viewer's SeminarAccess and returning context. readings/
# imports nothing from annotations/; annotations/ plugs its sets and themes in here.
COUNTERPOINT_SEMINAR_PAGE_PANELS = ["annotations.sets.panels.seminar_page_panels"]
# What follows a passage when its owner corrects the reading (merge, split, text fix): modules
# that count and move the rows attached to passages (readings/corrections/follow.py).
COUNTERPOINT_PASSAGE_FOLLOWERS = ["annotations.corrections.follow"]
# Where a member lands on joining (given the Membership): a student's own set is made there.
COUNTERPOINT_MEMBER_ARRIVAL = "annotations.roster.services.arrival_url"

# Largest document a person may upload or paste, in bytes.
COUNTERPOINT_MAX_UPLOAD_BYTES = env_int("COUNTERPOINT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = COUNTERPOINT_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = COUNTERPOINT_MAX_UPLOAD_BYTES + 1024 * 1024
# How long an import's preview waits on the server to be saved (readings.models.PendingImport).
COUNTERPOINT_PENDING_IMPORT_HOURS = env_int("COUNTERPOINT_PENDING_IMPORT_HOURS", 24)

# Background work (issue 22): Django's Tasks framework with the database backend, so no other
# server is needed. `manage.py jobs_worker` (db_worker, with a sweep of stalled jobs) runs a
# worker: bin/run starts one beside the development server, bin/serve beside gunicorn. More
# workers, on this machine or others sharing the database, take jobs in parallel. The tests
# use the same backend and run the queued tasks in-process (tests/jobs/worker.py).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("COUNTERPOINT_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# What each kind of job runs: a function taking jobs.runner.JobRun, returning an Outcome.
COUNTERPOINT_JOB_KINDS = {
    "seminar_backup": "annotations.interchange.background.seminar_backup_job",
    "seminar_restore": "annotations.interchange.background.seminar_restore_job",
    "set_import": "annotations.interchange.background.set_import_job",
    "document_import": "readings.background.document_import_job",
    "handout": "annotations.handouts.background.handout_job",
}
# The longest a job may run (checked by the job between its steps), how long a running job
# may go without a heartbeat before its worker is taken for dead, how many times such a job is
# started again before it is failed, and how long its file is kept to download again.
COUNTERPOINT_JOB_SECONDS = env_int("COUNTERPOINT_JOB_SECONDS", 15 * 60)
COUNTERPOINT_JOB_STALE_SECONDS = env_int("COUNTERPOINT_JOB_STALE_SECONDS", 120)
COUNTERPOINT_JOB_ATTEMPTS = env_int("COUNTERPOINT_JOB_ATTEMPTS", 2)
# How often each worker (manage.py jobs_worker) looks for such jobs.
COUNTERPOINT_JOB_SWEEP_SECONDS = env_int("COUNTERPOINT_JOB_SWEEP_SECONDS", 30)
COUNTERPOINT_JOB_KEEP_HOURS = env_int("COUNTERPOINT_JOB_KEEP_HOURS", 24)

# Security headers. No inline script or style anywhere, so the policy needs no 'unsafe-*'.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Production serves over HTTPS behind a TLS-terminating proxy. COUNTERPOINT_HTTPS=0 is for
# trying production mode on plain http://127.0.0.1 (the test suite and the benchmarks do).
HTTPS = not DEBUG and env_bool("COUNTERPOINT_HTTPS", True)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Password-reset mails: the console in development, SMTP in production (EMAIL_BACKEND overrides).
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
        "OPTIONS": {
            key: value
            for key, value in {
                "host": os.environ.get("EMAIL_HOST"),
                "port": env_int("EMAIL_PORT", 0) or None,
                "username": os.environ.get("EMAIL_HOST_USER"),
                "password": os.environ.get("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS") or None,
            }.items()
            if value
        },
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "counterpoint@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # A damaged upload is refused with a message to the person; pypdf's own chatter is noise.
    "loggers": {"pypdf": {"level": "ERROR"}, "weasyprint": {"level": "WARNING"}},
}
