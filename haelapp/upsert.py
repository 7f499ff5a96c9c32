"""The write rule shared by everything a patient logs from a phone that may be offline."""

from datetime import datetime
from functools import lru_cache

from django.db import connections, router, transaction
from django.db.models import Model
from django.utils import timezone

from .prepared import prepared_cursor


def upsert_latest_wins(
    model: type[Model], *, key: dict, values: dict, recorded_at: datetime
) -> tuple[Model, bool]:
    """Create the row for `key`, or update it if this write was recorded later than the
    stored one. Replays change nothing, arrival order does not matter (an offline phone may
    send an older edit last), and concurrent writes end in one row. Returns (row, created).

    `key` must be the fields of a unique constraint of `model`, which needs a `recorded_at`
    field."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor == "postgresql":
        return _upsert_postgresql(model, connection, key, values, recorded_at)
    return _upsert_orm(model, key, values, recorded_at)


def _upsert_orm(model, key, values, recorded_at):
    # Portable (SQLite for development): the row lock plus the unique key serialise writers.
    with transaction.atomic():
        row, created = model.objects.select_for_update().get_or_create(
            **key, defaults={**values, "recorded_at": recorded_at}
        )
        if not created and recorded_at > row.recorded_at:
            for field, value in values.items():
                setattr(row, field, value)
            row.recorded_at = recorded_at
            row.save(update_fields=[*values, "recorded_at", "updated_at"])
    return row, created


def _upsert_postgresql(model, connection, key, values, recorded_at):
    """One statement instead of five (BEGIN, SELECT ... FOR UPDATE, INSERT or UPDATE, COMMIT):
    the diary PUT is the request every patient makes every morning.

    INSERT ... ON CONFLICT DO UPDATE is atomic in PostgreSQL: it either inserts, or locks the
    existing row (waiting for a concurrent writer of the same key) and evaluates the WHERE on
    its latest version, so two racing writes end in one row holding the later `recorded_at`,
    with no transaction of our own around it. `xmax = 0` holds only for a row version this
    statement inserted (an updated version carries the updating transaction's id), which is
    how PostgreSQL tells us which of the two happened in the same round trip."""
    sql, fields = _statement(model, connection.alias, tuple(key), tuple(values))
    given = {**key, **values, "recorded_at": recorded_at}
    now = timezone.now()  # for the auto_now and auto_now_add fields, as save() would set them
    params = []
    for field in fields:
        value = given.get(field.name, now)
        value = value.pk if isinstance(value, Model) else value
        params.append(field.get_db_prep_save(value, connection))
    returned = model._meta.concrete_fields
    while True:
        with prepared_cursor(connection) as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchone()
        if found is not None:
            *row, created = found
            return model.from_db(connection.alias, [f.attname for f in returned], row), created
        # A replay or an older write: the WHERE kept the stored row, which DO UPDATE then
        # does not return. Read it; it is committed by now (the statement waited for any
        # concurrent writer of the key). Only if a DELETE won the race in between is there
        # nothing to read, and then the write is simply made again.
        try:
            return model.objects.using(connection.alias).get(**key), False
        except model.DoesNotExist:
            continue


@lru_cache(maxsize=32)
def _statement(model, alias: str, key: tuple[str, ...], values: tuple[str, ...]):
    """The INSERT ... ON CONFLICT statement and the fields of its parameters, in order: built
    once per model and set of fields, not on every request."""
    meta = model._meta
    fields = [meta.get_field(name) for name in (*key, *values, "recorded_at")]
    fields += [
        field
        for field in meta.concrete_fields
        if (getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
        and field not in fields
    ]
    # Updated on a later write: the values, recorded_at and auto_now fields; never the key,
    # the primary key or the creation time.
    updated = [
        field
        for field in fields
        if field.name not in key and not getattr(field, "auto_now_add", False)
    ]
    quote = connections[alias].ops.quote_name
    table = quote(meta.db_table)
    recorded = quote(meta.get_field("recorded_at").column)
    names = ", ".join(quote(f.column) for f in fields)
    conflict = ", ".join(quote(meta.get_field(name).column) for name in key)
    assignments = ", ".join(f"{quote(f.column)} = EXCLUDED.{quote(f.column)}" for f in updated)
    # Only quoted names from the model's own metadata go into the text; values are parameters.
    sql = (
        f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))}) "  # noqa: S608  # nosec B608
        f"ON CONFLICT ({conflict}) DO UPDATE SET {assignments} "
        f"WHERE {table}.{recorded} < EXCLUDED.{recorded} "
        f"RETURNING {', '.join(quote(f.column) for f in meta.concrete_fields)}, (xmax = 0)"
    )
    return sql, fields
