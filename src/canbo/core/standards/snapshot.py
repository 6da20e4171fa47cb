"""The population snapshot the engine reads: one polars frame per table.

An adapter (``canbo.standards.snapshot`` for the database, :mod:`.cases` for the legal test
cases) fills it with one query per table. The engine never asks for more: a snapshot of one
person is evaluated by exactly the same code as a snapshot of the whole country (DESIGN.md,
principle 5).

Columns (``None`` allowed where marked ``?``):

* ``people``: person_id, full_name, birth_date?, sex?, ethnicity?, first_start? (the start of
  the person's first commune post, for service length and transitions)
* ``posts``: assignment_id, person_id, unit_id, title_code, title_kind, start, end?,
  start_reason, is_concurrent
* ``qualifications``: person_id, dimension, level, field_of_study?, obtained_on?
* ``units``: unit_id, code, name, level, kind, parent_id?, parent_kind?, district_id?,
  province_id?, valid_from?, valid_to?
* ``unit_classes``: unit_id, unit_class, valid_from?, valid_to?
* ``unit_flags``: unit_id, flag, valid_from?, valid_to?
* ``unit_statistics``: unit_id, year, population?, area_km2?
* ``evaluations``: person_id, year, rating
* ``disciplines``: person_id, track, form, decided_on
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date

import polars as pl

__all__ = ["SCHEMAS", "Snapshot"]

SCHEMAS: dict[str, dict[str, type[pl.DataType]]] = {
    "people": {
        "person_id": pl.Int64,
        "full_name": pl.String,
        "birth_date": pl.Date,
        "sex": pl.String,
        "ethnicity": pl.String,
        "first_start": pl.Date,
        # day | month | year (canbo.core.age); null: day
        "birth_precision": pl.String,
    },
    "posts": {
        "assignment_id": pl.Int64,
        "person_id": pl.Int64,
        "unit_id": pl.Int64,
        "title_code": pl.String,
        "title_kind": pl.String,
        "start": pl.Date,
        "end": pl.Date,
        "start_reason": pl.String,
        "is_concurrent": pl.Boolean,
    },
    "qualifications": {
        "person_id": pl.Int64,
        "dimension": pl.String,
        "level": pl.String,
        "field_of_study": pl.String,
        "obtained_on": pl.Date,
    },
    "units": {
        "unit_id": pl.Int64,
        "code": pl.String,
        "name": pl.String,
        "level": pl.String,
        "kind": pl.String,
        "parent_id": pl.Int64,
        "parent_kind": pl.String,
        "district_id": pl.Int64,
        "province_id": pl.Int64,
        "valid_from": pl.Date,
        "valid_to": pl.Date,
    },
    "unit_classes": {
        "unit_id": pl.Int64,
        "unit_class": pl.String,
        "valid_from": pl.Date,
        "valid_to": pl.Date,
    },
    "unit_flags": {"unit_id": pl.Int64, "flag": pl.String, "valid_from": pl.Date, "valid_to": pl.Date},
    "unit_statistics": {
        "unit_id": pl.Int64,
        "year": pl.Int64,
        "population": pl.Int64,
        "area_km2": pl.Float64,
    },
    "evaluations": {"person_id": pl.Int64, "year": pl.Int64, "rating": pl.String},
    "disciplines": {"person_id": pl.Int64, "track": pl.String, "form": pl.String, "decided_on": pl.Date},
}


def _empty(name: str) -> pl.DataFrame:
    return pl.DataFrame(schema=SCHEMAS[name])


@dataclass(frozen=True)
class Snapshot:
    """A population as of some date range: people, their posts and qualifications, the units
    they serve in with their class, area flags and statistics, and their evaluations and
    discipline decisions. Frames follow :data:`SCHEMAS`."""

    people: pl.DataFrame
    posts: pl.DataFrame
    qualifications: pl.DataFrame
    units: pl.DataFrame
    unit_classes: pl.DataFrame
    unit_flags: pl.DataFrame
    unit_statistics: pl.DataFrame
    evaluations: pl.DataFrame
    disciplines: pl.DataFrame

    @classmethod
    def from_rows(cls, **tables: list[tuple] | list[dict] | pl.DataFrame) -> Snapshot:
        """Build a snapshot from rows (tuples in :data:`SCHEMAS` column order, or dicts);
        tables not given are empty. Columns are cast to the schema."""
        frames = {}
        for f in fields(cls):
            schema = SCHEMAS[f.name]
            rows = tables.pop(f.name, None)
            if rows is None:
                frames[f.name] = _empty(f.name)
            elif isinstance(rows, pl.DataFrame):
                frames[f.name] = rows.select(
                    [
                        (pl.col(c) if c in rows.columns else pl.lit(None)).cast(t).alias(c)
                        for c, t in schema.items()
                    ]
                )
            elif rows and isinstance(rows[0], dict):
                frames[f.name] = pl.DataFrame([{c: r.get(c) for c in schema} for r in rows], schema=schema)
            else:  # tuples in schema order; trailing optional columns may be left out
                frames[f.name] = pl.DataFrame(
                    [(*r, *(None,) * (len(schema) - len(r))) for r in rows], schema=schema, orient="row"
                )
        if tables:
            raise TypeError(f"unknown snapshot tables: {sorted(tables)}")
        return cls(**frames)

    def for_people(self, person_ids: list[int]) -> Snapshot:
        """The same snapshot restricted to some people (the single-person view)."""
        keep = pl.col("person_id").is_in(person_ids)
        return replace(
            self,
            people=self.people.filter(keep),
            posts=self.posts.filter(keep),
            qualifications=self.qualifications.filter(keep),
            evaluations=self.evaluations.filter(keep),
            disciplines=self.disciplines.filter(keep),
        )

    def posts_on(self, on: date) -> pl.DataFrame:
        """Posts held on ``on`` (start ≤ on ≤ end, end open)."""
        return self.posts.filter((pl.col("start") <= on) & (pl.col("end").is_null() | (pl.col("end") >= on)))

    def units_on(self, on: date) -> pl.DataFrame:
        """Units in existence on ``on``."""
        return self.units.filter(
            (pl.col("valid_from").is_null() | (pl.col("valid_from") <= on))
            & (pl.col("valid_to").is_null() | (pl.col("valid_to") >= on))
        )

    @staticmethod
    def in_force(frame: pl.DataFrame, on: date) -> pl.DataFrame:
        """Rows of a dated frame (valid_from/valid_to, open ends) in force on ``on``."""
        return frame.filter(
            (pl.col("valid_from").is_null() | (pl.col("valid_from") <= on))
            & (pl.col("valid_to").is_null() | (pl.col("valid_to") >= on))
        )
