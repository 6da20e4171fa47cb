"""Inserting many records *with their history entries* fast: one ``executemany`` per table.

Why not ``bulk_create`` (and django-simple-history's ``bulk_create_with_history``)? Measured on
the 200,000-row import benchmark (``bench/import.py``: 200,000 people, 200,000 posts, 836,857
qualifications and as many history rows), Django spent 240 s building the INSERT statements in
Python — the database itself needed 4 s. Writing the same rows as plain tuples with one
``executemany`` per table takes about 30 s. This module does exactly what those two functions
do, for the models an import writes, and nothing more:

* every record gets an explicit primary key, reserved first: on PostgreSQL from the table's own
  sequence (``nextval`` for each row), on SQLite after the transaction has taken the database's
  write lock (:func:`lock`), as the next numbers after the table's largest id;
* every record gets its history row (``history_type`` "+", the acting user, the change reason
  naming the batch, one timestamp for the whole import) — the same row
  ``bulk_create_with_history`` writes, so the record's page shows who created it and when;
* values the caller does not give take the field's default; dates are written the way the
  backend stores them.

The caller validates (the import reader and :mod:`canbo.imports.services` do) and calls this
inside its transaction, so a failure leaves nothing behind. JSON fields are prepared by the
field itself (the person's unread columns); models whose rows are mostly JSON (reviews) go
through ``bulk_create_with_history``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import Enum
from itertools import islice
from operator import itemgetter
from typing import cast

from django.db import connection, models
from simple_history.utils import get_history_model_for_model

__all__ = ["insert_with_history", "lock"]

CHUNK = 20_000


def lock(model: type[models.Model], pk: int) -> None:
    """On SQLite, take the write lock now (a no-op update of one row), so that the ids read
    next cannot be taken by another writer before this transaction ends. PostgreSQL reserves
    ids from sequences and needs no lock."""
    if connection.vendor == "sqlite":
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET id = id WHERE id = %s", [pk])


def _reserve_ids(model: type[models.Model], n: int) -> list[int]:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n]
            )
            return [r[0] for r in cursor.fetchall()]
        cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")
        start = (cursor.fetchone()[0] or 0) + 1
        return list(range(start, start + n))


def _plain(v):
    """A default as the driver takes it (choices enums → their value)."""
    return v.value if isinstance(v, Enum) else v


def _insert(cursor, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    q = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        q(table), ", ".join(q(c) for c in columns), ", ".join(["%s"] * len(columns))
    )
    for start in range(0, len(rows), CHUNK):
        cursor.executemany(sql, rows[start : start + CHUNK])


def insert_with_history(
    model: type[models.Model],
    records: Iterable[dict],
    *,
    user_id: int | None,
    reason: str,
    when: datetime,
    keep_ids: bool = True,
) -> list[int]:
    """Insert ``records`` (dicts keyed by field *attname*: ``person_id``, ``birth_date`` …) of
    ``model`` and one history row each; return the new ids in the records' order (an empty
    list with ``keep_ids=False``: a million qualification ids nobody reads are 40 MB).

    ``records`` may be a generator: it is consumed one chunk at a time (ids reserved, rows and
    history rows built and written per chunk), so a caller that yields its records never holds
    them all in memory."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    names = [f.attname for f in fields]
    plain_defaults = [_plain(defaults[n]) for n in names]
    sqlite = connection.vendor == "sqlite"
    # SQLite stores dates as ISO text; PostgreSQL takes date objects as they are.
    date_positions = (
        [
            i
            for i, f in enumerate(fields)
            if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField)
        ]
        if sqlite
        else []
    )
    # JSON values (a person's unread columns, few and mostly None) as the backend takes them.
    json_fields = [(i, f) for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    historical = get_history_model_for_model(model)
    stamp = connection.ops.adapt_datetimefield_value(when) if sqlite else when
    extra = {
        "history_date": stamp,
        "history_change_reason": reason[:100],
        "history_type": "+",
        "history_user_id": user_id,
    }
    # Each history row is the record's row followed by the history fields, picked in the
    # historical table's column order by one itemgetter.
    position = {"id": 0, **{n: i + 1 for i, n in enumerate(names)}}
    extra_names = list(extra)
    h_columns, picks = [], []
    for f in historical._meta.concrete_fields:
        if f.attname == "history_id":
            continue  # the database numbers history rows itself
        h_columns.append(f.column)
        picks.append(
            position[f.attname] if f.attname in position else len(names) + 1 + extra_names.index(f.attname)
        )
    tail = tuple(extra[n] for n in extra_names)
    pick = itemgetter(*picks)
    # A concrete field always has a column (the stubs allow None for the others).
    columns = [cast(str, f.column) for f in (model._meta.pk, *fields)]
    # The rows and their history rows are built and written one chunk at a time, so that only
    # one chunk's tuples are alive at once (a 200,000-row import writes about a million
    # qualification rows and as many history rows; they need not all be in memory together).
    ids: list[int] = []
    source = iter(records)
    with connection.cursor() as cursor:
        while chunk := list(islice(source, CHUNK)):
            unknown = set().union(*chunk) - defaults.keys()  # a dict iterates its keys
            if unknown:
                raise ValueError(f"{model.__name__}: unknown fields {sorted(unknown)}")
            chunk_ids = _reserve_ids(model, len(chunk))
            if keep_ids:
                ids += chunk_ids
            rows = []
            for pk, record in zip(chunk_ids, chunk):
                values = [record.get(n, d) for n, d in zip(names, plain_defaults)]
                for i in date_positions:
                    v = values[i]
                    if v is not None:
                        values[i] = v.isoformat()
                for i, f in json_fields:
                    if values[i] is not None:
                        values[i] = f.get_db_prep_save(values[i], connection)
                rows.append((pk, *values))
            _insert(cursor, model._meta.db_table, columns, rows)
            _insert(cursor, historical._meta.db_table, h_columns, [pick(row + tail) for row in rows])
    return ids
