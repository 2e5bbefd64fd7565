"""The demo seminar for tests, as `manage.py load_demo` leaves it in an empty database.

Loading it takes a second or more (two readings split, 170 tags through the services, each with
its revision bump). The first test of a process that asks for it (the `demo_loaded` fixture)
loads it for real and keeps the rows the load wrote; the next ones get the same rows written
back, one INSERT per table. Each test still has its own copy, gone with its transaction (or
its flush), and a test that does not ask for the demo never sees it. A database that already
holds rows of those tables gets the real load, and its rows are not kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import StringIO
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model

from annotations.demo.load import DemoAccount, demo_read
from readings.models import Seminar


@dataclass(frozen=True)
class LoadedDemo:
    """What the load made (the fields of annotations.demo.load.DemoResult) and printed."""

    seminar: Seminar
    accounts: tuple[DemoAccount, ...]
    output: str


@dataclass(frozen=True)
class _Rows:
    tables: tuple[tuple[type[Model], tuple[dict[str, Any], ...]], ...]
    seminar_pk: int
    output: str


# Per process: per pytest-xdist worker, and per database.
_kept: list[_Rows] = []


def demo_seminar_load() -> LoadedDemo:
    content = demo_read()
    if _kept and _restore(_kept[0]):
        rows = _kept[0]
        return LoadedDemo(Seminar.objects.get(pk=rows.seminar_pk), content.accounts, rows.output)
    assert (settings.COUNTERPOINT_SEEDS_DIR / "corpus.toml").exists(), "The seed corpus is missing"
    tables = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]
    before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in tables}
    out = StringIO()
    call_command("load_demo", stdout=out, stderr=StringIO())
    loaded = LoadedDemo(Seminar.objects.get(title=content.title), content.accounts, out.getvalue())
    written = []
    for model in tables:
        new = model._base_manager.exclude(pk__in=before[model])
        if new.exists():
            if before[model]:  # the demo's rows beside others: not what an empty database gets
                return loaded
            fields = [field.attname for field in model._meta.concrete_fields]
            written.append((model, tuple(new.order_by("pk").values(*fields))))
    if not _kept:
        _kept.append(_Rows(tuple(written), loaded.seminar.pk, loaded.output))
    return loaded


def _restore(rows: _Rows) -> bool:
    """Write the rows the real load wrote, if the database holds none of their kind."""
    models = [model for model, _ in rows.tables]
    if any(model._base_manager.exists() for model in models):
        return False
    with transaction.atomic():  # the foreign keys are checked at the end, whatever the order
        for model, values in rows.tables:
            model._base_manager.bulk_create([model(**row) for row in values])
    # PostgreSQL: sequences past the restored keys, should a flush have reset them since.
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    return True
