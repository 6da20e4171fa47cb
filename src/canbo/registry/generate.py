"""Storing the synthetic data of :mod:`canbo.core.synth` (``canbo generate``).

Two scales:

* ``demo`` — Lạng Sơn: every old commune of its 11 former districts (194) from
  2005, merged into its 65 new communes on 1/7/2025 — about 10,000 people over
  2005–today. The former Cao Lộc district's 22 communes (the story) come first
  and are the same as when simulated alone (``districts={"183"}``).
* ``national`` — every legacy commune of the country (10,051), each province
  group merged into its new communes; about 206,000 people in post on any
  date and half a million over 2005–today. For benchmarks (``bench/``).

The core returns plain rows with explicit ids; this adapter maps unit codes
and title codes to database ids and writes each province group with one
``executemany`` per table inside one transaction, so a country fits in
minutes on SQLite. Bulk-generated rows carry no change-history entries (they
were never edited by anybody); every later change is recorded as usual.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max

from canbo.conduct.models import Discipline, Evaluation, Inspection
from canbo.core import synth
from canbo.succession.models import SuccessionEntry
from canbo.training.models import TrainingEnrolment

from .models import (
    Assignment,
    Person,
    Qualification,
    Title,
    Unit,
    UnitAreaFlag,
    UnitClassification,
    UnitLevel,
    UnitStatistics,
)
from .reference import LEGACY_END, REFORM_DATE, load_reference

DEMO_PROVINCE = synth.DEMO_PROVINCE
DEMO_DISTRICT = synth.DEMO_DISTRICT
DEFAULT_SEED = 2005

TABLES: dict[str, type[models.Model]] = {
    "person": Person,
    "assignment": Assignment,
    "qualification": Qualification,
    "enrolment": TrainingEnrolment,
    "evaluation": Evaluation,
    "inspection": Inspection,
    "discipline": Discipline,
    "succession": SuccessionEntry,
    "classification": UnitClassification,
    "area_flag": UnitAreaFlag,
    "statistics": UnitStatistics,
}
#: Insert order: referenced tables first.
ORDER = (
    "person",
    "assignment",
    "qualification",
    "enrolment",
    "evaluation",
    "inspection",
    "discipline",
    "succession",
    "classification",
    "area_flag",
    "statistics",
)
FIELD = {"managing_unit_key": "managing_unit", "unit_key": "unit", "title_code": "title"}


class AlreadyGenerated(Exception):
    pass


def _unit_ids() -> dict[tuple[str, str], int]:
    ids = {}
    for uid, code, valid_to, valid_from in Unit.objects.filter(level=UnitLevel.COMMUNE).values_list(
        "id", "code", "valid_to", "valid_from"
    ):
        if valid_to == LEGACY_END:
            ids[(code, "legacy")] = uid
        elif valid_from == REFORM_DATE:
            ids[(code, "new")] = uid
    return ids


def _start_ids() -> dict[str, int]:
    return {
        table: (model._default_manager.aggregate(m=Max("id"))["m"] or 0) + 1
        for table, model in TABLES.items()
        if "id" in synth.COLUMNS[table]
    }


def _column(model: type[models.Model], name: str) -> str:
    """The database column of ``model``'s concrete field ``name``."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column, (model, name)
    return field.column


def write(dataset: synth.Dataset, unit_ids: dict, title_ids: dict) -> dict[str, int]:
    """Insert the dataset's rows, one executemany per table."""
    sqlite = connection.vendor == "sqlite"
    counts = {}
    with connection.cursor() as cursor:
        for table in ORDER:
            rows = dataset.rows[table]
            if not rows:
                continue
            model = TABLES[table]
            columns = synth.COLUMNS[table]
            db_columns = [_column(model, FIELD.get(c, c)) for c in columns]
            unit_i = [i for i, c in enumerate(columns) if c.endswith("unit_key")]
            title_i = [i for i, c in enumerate(columns) if c == "title_code"]
            converted = []
            for raw in rows:
                row = list(raw)
                for i in unit_i:
                    row[i] = unit_ids[row[i]]
                for i in title_i:
                    row[i] = title_ids[row[i]]
                if sqlite:
                    row = [v.isoformat() if isinstance(v, date) else v for v in row]
                converted.append(row)
            sql = "INSERT INTO {} ({}) VALUES ({})".format(
                connection.ops.quote_name(model._meta.db_table),
                ", ".join(connection.ops.quote_name(c) for c in db_columns),
                ", ".join(["%s"] * len(db_columns)),
            )
            for start in range(0, len(converted), 50_000):
                cursor.executemany(sql, converted[start : start + 50_000])
            counts[table] = len(rows)
    return counts


def generate(
    scale: str = "demo",
    *,
    seed: int = DEFAULT_SEED,
    end: date | None = None,
    districts: set[str] | None = None,
    progress: Callable[[str], None] = lambda s: None,
) -> dict[str, int]:
    """Load the reference data if needed, then simulate and store ``scale`` (only the old
    ``districts`` given, by three-digit code, if any). Refuses to run twice on the same
    database (nothing is ever overwritten)."""
    if scale not in {"demo", "national"}:
        raise ValueError(f"unknown scale {scale!r}: use demo or national")
    end = end or date.today()
    groups = synth.province_groups(scale, districts)
    if not groups:
        raise ValueError(
            f"Không có xã cũ nào của huyện {', '.join(sorted(districts or ()))} ở quy mô {scale}."
        )
    load_reference(None)
    if Person.objects.exists():
        raise AlreadyGenerated("Cơ sở dữ liệu đã có hồ sơ; không sinh thêm dữ liệu mô phỏng.")
    unit_ids = _unit_ids()
    title_ids = dict(Title.objects.values_list("code", "id"))
    ids = synth.Ids(_start_ids())
    totals: dict[str, int] = {}
    for i, dataset in enumerate(synth.simulate(groups, seed=seed, end=end, ids=ids), start=1):
        with transaction.atomic():
            counts = write(dataset, unit_ids, title_ids)
        for k, v in counts.items():
            totals[k] = totals.get(k, 0) + v
        progress(f"[{i}/{len(groups)}] {len(groups[i - 1][0])} xã: {counts.get('person', 0)} người")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(TABLES.values())):
                cursor.execute(sql)
    if scale == "demo":
        totals.update(fill_resume_items(seed=seed, end=end))
    return totals


# --------------------------------------------------------------------------- the résumé's items


def fill_resume_items(*, seed: int = DEFAULT_SEED, end: date | None = None) -> dict[str, int]:
    """Fill the résumé's fields (Mẫu 2C-BNV/2008) of every generated person and add their family,
    salary history, awards and organisations (:mod:`canbo.core.synth_resume`: a random stream of
    its own, so that the story's figures do not move). Run for the demo; bulk rows carry no
    history entries, as the rest of the generated data."""
    from django.db.models import Max, Min

    from canbo.core import synth_resume

    from .models import Award, FamilyMember, OrganisationMembership, SalaryStep

    end = end or date.today()
    spans = {
        row["person_id"]: (row["first"], row["last"], row["open"])
        for row in Assignment.objects.values("person_id").annotate(
            first=Min("start"), last=Max("end"), open=models.Count("pk", filter=models.Q(end__isnull=True))
        )
    }
    graduates = set(
        Qualification.objects.filter(
            dimension="professional", level__in=["university", "master", "doctorate"]
        ).values_list("person_id", flat=True)
    )
    people = list(Person.objects.order_by("pk"))
    units = {u.pk: u for u in Unit.objects.only("pk", "name", "level", "parent_id")}
    records: dict[type[models.Model], list[models.Model]] = {
        FamilyMember: [],
        SalaryStep: [],
        Award: [],
        OrganisationMembership: [],
    }
    fields: set[str] = set()
    for person in people:
        unit = units[person.managing_unit_id]
        parent = units.get(unit.parent_id) if unit.parent_id else None
        province = parent
        while province is not None and province.level != UnitLevel.PROVINCE:
            province = units.get(province.parent_id) if province.parent_id else None
        first, last, still = spans.get(person.pk, (None, None, 0))
        facts = synth_resume.Facts(
            pid=person.pk,
            sex=person.sex,
            birth=person.birth_date or date(1970, 1, 1),
            family_name=person.family_name,
            first_start=first,
            last_end=None if still else last,
            graduate=person.pk in graduates,
            unit_name=unit.name,
            district_name=parent.name if parent else unit.name,
            province_name=province.name if province else "",
        )
        items = synth_resume.items_for(facts, seed=seed, end=end)
        for name, value in items.profile.items():
            setattr(person, name, value)
        fields.update(items.profile)
        records[FamilyMember] += [FamilyMember(person=person, **row) for row in items.family]
        records[SalaryStep] += [SalaryStep(person=person, **row) for row in items.salary]
        records[Award] += [Award(person=person, **row) for row in items.awards]
        records[OrganisationMembership] += [
            OrganisationMembership(person=person, **row) for row in items.memberships
        ]
    with transaction.atomic():
        # One UPDATE per person through executemany: Django's bulk_update writes a CASE per field
        # and batch, which took over a minute for the demo province's ten thousand people.
        columns: list[models.Field] = []
        for name in sorted(fields):
            field = Person._meta.get_field(name)
            assert isinstance(field, models.Field) and field.column
            columns.append(field)
        sql = "UPDATE {} SET {} WHERE {} = %s".format(
            connection.ops.quote_name(Person._meta.db_table),
            ", ".join(f"{connection.ops.quote_name(str(f.column))} = %s" for f in columns),
            connection.ops.quote_name("id"),
        )
        params = [
            [f.get_db_prep_save(getattr(person, f.attname), connection) for f in columns] + [person.pk]
            for person in people
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)
        for model, rows in records.items():
            model._default_manager.bulk_create(rows, batch_size=2000)
    return {model._meta.model_name or "": len(rows) for model, rows in records.items()}
