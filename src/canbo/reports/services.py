"""Reports for the adapters (``canbo report`` and the admin's download page): the one place
that composes

    services.check (the standards engine on the unit's snapshot) → a core report → a writer

so that a report's figures are those of the engine, the unit page and ``canbo standards check`` /
``canbo standards staffing`` (DESIGN.md principle 5). The reports themselves are computed in
:mod:`canbo.core.reports`; this module only loads what they need from the database: the
engine's result (:func:`canbo.standards.services.check`), the title names, Party membership
(which the snapshot does not carry) and, for the trend, the units to evaluate each year.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import polars as pl
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from canbo.common.dates import out_of_range
from canbo.core.reports import pdf, quality, staffing, trend, xlsx
from canbo.core.reports.layout import Report
from canbo.core.reports.people import PARTY_SCHEMA
from canbo.core.standards.snapshot import Snapshot
from canbo.core.text import fold
from canbo.registry.models import Person, Title, Unit
from canbo.standards import services as standards

__all__ = [
    "FORMATS",
    "REPORTS",
    "DateOutOfRange",
    "build",
    "default_date",
    "filename",
    "lineage_roots",
    "party_frame",
    "render",
]

#: The reports: name → label.
REPORTS = {
    "quality": _("Số lượng, chất lượng cán bộ, công chức cấp xã"),
    "staffing": _("Biên chế: thừa, thiếu, yếu và danh sách chưa đạt chuẩn"),
    "trend": _("Diễn biến các chỉ tiêu chính qua các năm"),
}
#: Formats: name → (MIME type, label).
FORMATS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (xlsx)"),
    "pdf": ("application/pdf", "PDF"),
}
#: File names: report name → Vietnamese slug.
SLUGS = {"quality": "chat-luong", "staffing": "bien-che", "trend": "dien-bien"}
#: Above this many units, Party membership is read for the whole country and filtered in memory.
_PARTY_UNIT_FILTER = 2000


def default_date(today: date | None = None) -> date:
    """31 December of the current year if that day has come, otherwise today — in practice
    today, except that on 31 December both are the same (``docs/reports.md``)."""
    today = today or timezone.localdate()
    year_end = date(today.year, 12, 31)
    return year_end if year_end <= today else today


def titles() -> dict[str, str]:
    return dict(Title.objects.values_list("code", "name"))


def party_frame(snapshot: Snapshot, on: date) -> pl.DataFrame:
    """person_id, party_joined_on, party_left_on of the Party members among the people in post
    in the snapshot (joined on or before ``on``): one query."""
    units = snapshot.posts["unit_id"].unique().to_list()
    qs = Person.objects.filter(party_joined_on__isnull=False, party_joined_on__lte=on)
    if len(units) <= _PARTY_UNIT_FILTER:
        qs = qs.filter(
            Q(assignments__unit_id__in=units)
            & Q(assignments__start__lte=on)
            & (Q(assignments__end__isnull=True) | Q(assignments__end__gte=on))
        ).distinct()
    rows = list(qs.values_list("pk", "party_joined_on", "party_left_on"))
    frame = pl.DataFrame(rows, schema=PARTY_SCHEMA, orient="row")
    return frame.join(snapshot.posts.select("person_id").unique(), on="person_id", how="semi")


def lineage_roots(unit: Unit, dates: list[date]) -> dict[date, list[int]]:
    """For each date, the units whose snapshots together cover ``unit`` on that day: the unit
    itself while it exists; before it was formed, the units merged into it or into the units
    below it (by lineage, transitively — :func:`canbo.access.scope.expand_scope`), the highest
    of them existing on that day (a legacy province rather than its communes)."""
    from canbo.access.scope import expand_scope

    ids = expand_scope([unit.pk])
    rows = list(
        Unit.objects.filter(pk__in=ids).values_list("pk", "parent_id", "valid_from", "valid_to", "code")
    )
    parent = {pk: p for pk, p, *_ in rows}
    out: dict[date, list[int]] = {}
    for d in dates:
        valid = {pk: code for pk, _p, a, b, code in rows if (a is None or a <= d) and (b is None or b >= d)}
        out[d] = sorted((pk for pk in valid if parent[pk] not in valid), key=lambda pk: (valid[pk], pk))
    return out


def _quality(
    unit: Unit,
    on: date,
    lang: str,
    visible_people: Callable[[set[int]], set[int] | None] | None = None,
    party_names: bool = True,
    **_kw,
) -> Report:
    result = standards.check(on, unit=unit)
    party = party_frame(result.snapshot, on)
    visible = None
    if visible_people is not None:
        people = quality.counted(result.snapshot, result.findings, on, party)
        visible = visible_people(set(people["person_id"].to_list()))
    return quality.report(
        result.snapshot,
        result.findings,
        on,
        unit.pk,
        lang,
        party=party,
        titles=titles(),
        visible_people=visible,
        party_names=party_names,
    )


def _staffing(
    unit: Unit,
    on: date,
    lang: str,
    visible_people: Callable[[set[int]], set[int] | None] | None = None,
    **_kw,
) -> Report:
    result = standards.check(on, unit=unit)
    analysis = standards.staffing(result)
    visible = None
    if visible_people is not None:
        # Everyone the report may name: part 2 (below standard) and the list behind the counts.
        listed = set(analysis.people["person_id"].to_list()) | set(analysis.counted["person_id"].to_list())
        visible = visible_people(listed)
    return staffing.report(analysis, result.snapshot, result.findings, on, unit.pk, titles(), lang, visible)


#: Seconds a trend point's figures stay cached (the data stamp makes stale ones unreachable).
TREND_CACHE_SECONDS = 6 * 3600


def _trend(
    unit: Unit, on: date, lang: str, progress: Callable[[date, int], None] | None = None, **_kw
) -> Report:
    """One engine evaluation per point (31/12 of each year, then ``on``) of the units covering
    ``unit`` that day. Each point's figures are cached under (unit, date, data stamp —
    :func:`canbo.web.dashboard_data.data_stamp`, which changes with any record the figures
    read): a past year's figures are computed once, not at every download."""
    from django.core.cache import cache

    from canbo.web.dashboard_data import data_stamp

    dates = trend.points_dates(on)
    stamp = data_stamp()
    keys = {d: f"canbo:report:trend:{unit.pk}:{d.isoformat()}:{stamp}" for d in dates}
    found = cache.get_many(list(keys.values()))
    missing = [d for d in dates if keys[d] not in found]
    roots = lineage_roots(unit, missing) if missing else {}
    units = Unit.objects.in_bulk({pk for pks in roots.values() for pk in pks})
    rows = []
    for d in dates:
        row = found.get(keys[d])
        if row is None:
            parts = [
                (r.snapshot, r.findings) for r in (standards.check(d, unit=units[pk]) for pk in roots[d])
            ]
            snapshot, findings = trend.combine(parts)
            row = trend.point_row(trend.TrendPoint(d, snapshot, findings))
            cache.set(keys[d], row, TREND_CACHE_SECONDS)
        rows.append(row)
        if progress is not None:
            progress(d, row["people"])
    subject = {"level": unit.level, "name": unit.name}
    return trend.report_of_table(trend.table_of(rows), subject, lang)


_BUILDERS: dict[str, Callable[..., Report]] = {"quality": _quality, "staffing": _staffing, "trend": _trend}


def build(
    name: str,
    unit: Unit,
    on: date,
    lang: str = "vi",
    *,
    visible_people: Callable[[set[int]], set[int] | None] | None = None,
    progress: Callable[[date, int], None] | None = None,
    party_names: bool = True,
) -> Report:
    """The report ``name`` (:data:`REPORTS`) about ``unit`` on ``on``, in ``lang``.
    ``visible_people`` narrows a set of person ids to those the reader may see (the lists of
    names show only them); ``progress`` is told of each point of the trend; ``party_names``:
    whether the list of the quality report shows each person's Party membership (a sensitive
    part of a file, :data:`canbo.access.scope.SENSITIVE`). A date outside
    [01/01/2005, 31/12 of next year] is refused with :class:`DateOutOfRange` before anything is
    computed (a trend to year 9999 would evaluate eight thousand years)."""
    refused = out_of_range(on)
    if refused:
        raise DateOutOfRange(*refused)
    return _BUILDERS[name](
        unit, on, lang, visible_people=visible_people, progress=progress, party_names=party_names
    )


class DateOutOfRange(ValueError):
    """A report asked about a date outside the bounds: ``message_vi``, ``message_en``."""

    def __init__(self, message_vi: str, message_en: str):
        super().__init__(message_vi)
        self.message_vi, self.message_en = message_vi, message_en


def render(report: Report, fmt: str) -> bytes:
    """The report as an xlsx workbook or a PDF."""
    if fmt == "xlsx":
        return xlsx.xlsx_bytes(report)
    if fmt == "pdf":
        return pdf.pdf_bytes(report)
    raise ValueError(fmt)


def _ascii(text: str) -> str:
    """``text`` folded (:func:`canbo.core.text.fold`) into an ASCII slug."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def filename(name: str, unit: Unit, on: date, fmt: str) -> str:
    """bao-cao-chat-luong-20-lang-son-2024-12-31.xlsx (ASCII, safe in a download header)."""
    return f"bao-cao-{SLUGS[name]}-{_ascii(unit.code)}-{_ascii(unit.name)}-{on.isoformat()}.{fmt}"
