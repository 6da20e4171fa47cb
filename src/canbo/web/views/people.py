"""The people list: filters, diacritics-blind search, Vietnamese order, pages, xlsx export (issue 10 §1).

The filtering is :mod:`canbo.web.people_query` (shared with every count that links here); this
module shows one page of it, or writes all of it to xlsx. A page costs a bounded number of
queries whatever the number of people: the count, the page's people, their posts on the date, one
snapshot of the standards engine for the page's people (or the candidates', when a status filter
needed it), and the choices of the form.
"""

from __future__ import annotations

import io
from datetime import date
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from canbo.access import scope
from canbo.core.formatting import fmt_date
from canbo.core.standards.present import CATEGORY_LABELS, CRITERION_LABELS
from canbo.core.text import name_key
from canbo.registry.models import Person, Sex, Title, Unit, ethnicity_choices
from canbo.web import bounds
from canbo.web import people_query as pq
from canbo.web.views.common import log_access, page

#: The most rows one export writes; a longer list is refused (narrow the filters).
MAX_EXPORT = 50_000
#: A unit select longer than this lists only provinces and districts (the system administrator's
#: whole country); the chosen unit is always listed.
MAX_UNIT_OPTIONS = 800
AGE_BANDS = ["-29", "30-39", "40-49", "50-59", "60-"]


def _age_label(band: str) -> str:
    low, _sep, high = band.partition("-")
    if not low:
        return _("Dưới %(n)s tuổi") % {"n": int(high) + 1}
    if not high:
        return _("Từ %(n)s tuổi trở lên") % {"n": low}
    return _("%(a)s–%(b)s tuổi") % {"a": low, "b": high}


def _unit_options(user, chosen: Unit | None) -> list[tuple[int, str]]:
    """(id, label) of the units in ``user``'s scope, current units first, then the units that
    ended (before the 2025 merger), each in Vietnamese order of its name, with its parent (when
    in scope too) to tell apart namesakes. Only units in scope: no label of another scope's unit."""
    units = scope.restrict(Unit.objects.select_related("parent"), user, scope.VIEW)
    if units.count() > MAX_UNIT_OPTIONS:
        units = units.filter(level__in=["province", "district"])
    rows = list(units.only("pk", "name", "level", "valid_to", "parent__name"))
    shown = {u.pk for u in rows}
    if chosen is not None and chosen.pk not in {u.pk for u in rows}:
        rows.append(chosen)
    level_order = {"province": 0, "district": 1, "commune_level": 2}

    def key(u: Unit):
        return (u.valid_to is not None, level_order.get(u.level, 3), name_key(u.name), u.pk)

    out = []
    for u in sorted(rows, key=key):
        label = u.name
        if u.level == "commune_level" and u.parent_id in shown and u.parent is not None:
            label += f" — {u.parent.name}"
        if u.valid_to is not None:
            label += " " + _("(đến %(d)s)") % {"d": fmt_date(u.valid_to)}
        out.append((u.pk, label))
    return out


def _title_options() -> list[tuple[str, str]]:
    out = []
    for t in Title.objects.order_by("valid_to", "sort_order", "code"):
        label = t.name
        if t.valid_to is not None:
            label += " " + _("(đến %(d)s)") % {"d": fmt_date(t.valid_to)}
        out.append((t.code, label))
    return out


def _rows(
    people: list[Person], f: pq.Filters, verdicts: dict[int, str] | None, stamp: str | None = None
) -> list[dict]:
    """What the list shows of each person: posts and units held on the date, and the verdict.
    One query for the posts, one snapshot of the engine for the verdicts when not yet known."""
    ids = [p.pk for p in people]
    posts: dict[int, list] = {}
    for i in range(0, len(ids), pq.CHUNK):
        for a in (
            pq.posts_on(f.on)
            .filter(person_id__in=ids[i : i + pq.CHUNK])
            .select_related("title", "unit")
            .order_by("person_id", "-title__is_leadership", "title__sort_order", "start", "pk")
        ):
            posts.setdefault(a.person_id, []).append(a)
    if verdicts is None:
        holders = [pid for pid in ids if pid in posts]
        verdicts = pq.compute_verdicts(pq.findings_for(holders, f.on, stamp), f.unit_ids)
    sexes = dict(Sex.choices)
    ethnic = dict(ethnicity_choices())
    out = []
    for p in people:
        held = posts.get(p.pk, [])
        status = verdicts.get(p.pk) if held else None
        if held and status is None:
            status = "unknown"  # no standard checked at all: unknown, as the reports count
        out.append(
            {
                "person": p,
                "name": p.full_name,
                "birth": p.birth_date_display,
                "sex": str(sexes.get(p.sex, p.sex)),
                "ethnicity": ethnic.get(p.ethnicity, p.ethnicity),
                "posts": [
                    {"title": a.title.name, "unit": a.unit.name, "concurrent": a.is_concurrent, "post": a}
                    for a in held
                ],
                "in_post": bool(held),
                "managing_unit": str(p.managing_unit),
                "status": status,
                "status_label": pq.status_label(status),
            }
        )
    return out


def _mark(options, current: str | None) -> list[tuple[str, str, bool]]:
    """(value, label, selected) for a select."""
    return [(str(v), str(label), str(v) == (current or "")) for v, label in options]


def _query_string(f: pq.Filters, **extra) -> str:
    params = f.query()
    params.update({k: str(v) for k, v in extra.items() if v not in (None, "")})
    return urlencode(params)


@page("people")
def people(request):
    f = pq.parse(request.user, request.GET)
    number = bounds.page_number(request)
    size = bounds.page_size(request)
    result = pq.run(request.user, request.GET, filters=f)
    total = result.count()
    pages = max(1, -(-total // size))
    number = min(number, pages)
    chosen = result.people((number - 1) * size, number * size)
    rows = _rows(chosen, f, result.verdicts, result.stamp)
    size_param = size if size != bounds.PAGE_SIZE else None

    def link(n: int) -> str:
        return "?" + _query_string(f, page=n if n > 1 else None, size=size_param)

    window = list(range(max(1, number - 3), min(pages, number + 3) + 1))
    person_query = urlencode({"on": fmt_date(f.on)})
    for i, row in enumerate(rows, start=(number - 1) * size + 1):
        row["index"] = i
        row["url"] = reverse("web:person", args=[row["person"].pk]) + "?" + person_query
    current = f.query()
    context = {
        "f": f,
        "params": f.query(),
        "rows": rows,
        "total": total,
        "page": number,
        "pages": pages,
        "size": size,
        "first_link": link(1),
        "prev_link": link(number - 1) if number > 1 else "",
        "next_link": link(number + 1) if number < pages else "",
        "last_link": link(pages),
        "window": [(n, link(n)) for n in window],
        "export_link": reverse("web:people_export") + "?" + _query_string(f),
        "can_export": scope.may_open(request.user, "export"),
        "reset_link": reverse("web:people") + "?" + urlencode({"on": fmt_date(f.on)}),
        "description": result.description,
        "filtered": any(k != "on" for k in f.query()),
        "on_text": fmt_date(f.on),
        "unit_options": _mark(_unit_options(request.user, f.unit), current.get("unit")),
        "title_options": _mark(_title_options(), current.get("title")),
        "in_post_options": _mark(
            [("1", _("Đang giữ chức danh")), ("0", _("Không giữ chức danh"))], current.get("in_post")
        ),
        "status_options": _mark([(s, pq.status_label(s)) for s in pq.STATUSES], current.get("status")),
        "category_options": _mark(
            [(c, CATEGORY_LABELS[c][0]) for c in pq.CATEGORIES], current.get("category")
        ),
        "criterion_options": _mark(
            [(c, labels[0]) for c, labels in CRITERION_LABELS.items()], current.get("criterion")
        ),
        "sex_options": _mark(list(Sex.choices), current.get("sex")),
        "ethnicity_options": _mark(ethnicity_choices(), current.get("ethnicity")),
        "age_options": _mark([(b, _age_label(b)) for b in AGE_BANDS], current.get("age")),
        "retiring_options": _mark(
            [(str(n), _("Trong %(n)s tháng tới") % {"n": n}) for n in pq.RETIRING], current.get("retiring")
        ),
    }
    return render(request, "web/people.html", context)


# --------------------------------------------------------------------------- export


def export_workbook(rows: list[dict], description: str, who: str, on: date) -> bytes:
    """The list as an xlsx workbook: two title rows (what and as of when, the filters), a header
    row, one row per person. Every text is written as a string (a name starting with ``=`` stays
    text, never a formula); birth dates known to the day as Excel dates (dd/mm/yyyy)."""
    from canbo.core.spreadsheet import workbook

    buffer = io.BytesIO()
    wb = workbook(buffer, {"in_memory": True, "default_date_format": "dd/mm/yyyy"})
    title_fmt = wb.add_format({"bold": True, "font_size": 14})
    sub_fmt = wb.add_format({"italic": True})
    head_fmt = wb.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1}
    )
    text_fmt = wb.add_format({"valign": "top", "text_wrap": True})
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy", "valign": "top", "align": "left"})
    wb.set_properties({"title": _("Danh sách cán bộ, công chức"), "author": "canbo"})
    ws = wb.add_worksheet(_("Danh sách"))
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(3)
    headers = [
        (_("STT"), 6),
        (_("Họ và tên"), 28),
        (_("Ngày sinh"), 12),
        (_("Giới tính"), 9),
        (_("Dân tộc"), 12),
        (_("Chức danh"), 34),
        (_("Đơn vị công tác"), 28),
        (_("Đơn vị quản lý hồ sơ"), 28),
        (_("Đánh giá tiêu chuẩn"), 18),
    ]
    last = len(headers) - 1
    ws.merge_range(0, 0, 0, last, "", title_fmt)
    ws.write_string(0, 0, _("DANH SÁCH CÁN BỘ, CÔNG CHỨC TẠI NGÀY %(d)s") % {"d": fmt_date(on)}, title_fmt)
    ws.merge_range(1, 0, 1, last, "", sub_fmt)
    ws.write_string(1, 0, description, sub_fmt)
    ws.merge_range(2, 0, 2, last, "", sub_fmt)
    ws.write_string(
        2,
        0,
        _("Số người: %(n)s. Xuất lúc %(t)s bởi %(u)s.")
        % {"n": len(rows), "t": timezone.localtime().strftime("%H:%M %d/%m/%Y"), "u": who},
        sub_fmt,
    )
    for col, (text, width) in enumerate(headers):
        ws.set_column(col, col, width)
        ws.write_string(3, col, text, head_fmt)
    ws.freeze_panes(4, 2)
    r = 4
    for row in rows:
        p = row["person"]
        ws.write_number(r, 0, row["index"], text_fmt)
        ws.write_string(r, 1, row["name"], text_fmt)
        if p.birth_date and p.birth_date_precision == "day":
            ws.write_datetime(r, 2, p.birth_date, date_fmt)
        else:
            ws.write_string(r, 2, row["birth"], text_fmt)
        ws.write_string(r, 3, row["sex"], text_fmt)
        ws.write_string(r, 4, str(row["ethnicity"]), text_fmt)
        if row["posts"]:
            titles = "\n".join(
                x["title"] + (" " + _("(kiêm nhiệm)") if x["concurrent"] else "") for x in row["posts"]
            )
            ws.write_string(r, 5, titles, text_fmt)
            ws.write_string(r, 6, "\n".join(x["unit"] for x in row["posts"]), text_fmt)
        else:
            ws.write_string(r, 5, _("Không giữ chức danh"), text_fmt)
            ws.write_string(r, 6, "", text_fmt)
        ws.write_string(r, 7, row["managing_unit"], text_fmt)
        ws.write_string(r, 8, row["status_label"] if row["in_post"] else "", text_fmt)
        r += 1
    ws.autofilter(3, 0, max(r - 1, 3), last)
    wb.close()
    return buffer.getvalue()


@page("export")
def export(request):
    f = pq.parse(request.user, request.GET)
    result = pq.run(request.user, request.GET, filters=f)
    total = result.count()
    if total > MAX_EXPORT:
        raise bounds.BadInput(
            _("Danh sách có %(n)s người, quá %(max)s người một lần xuất; hãy thu hẹp điều kiện lọc.")
            % {"n": total, "max": MAX_EXPORT}
        )
    people_list = result.people()
    rows = _rows(people_list, f, result.verdicts, result.stamp)
    for i, row in enumerate(rows, start=1):
        row["index"] = i
    log_access(request, "export", what=result.description)
    content = export_workbook(rows, result.description, request.user.get_username(), f.on)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"danh-sach-can-bo-{f.on.strftime('%Y%m%d')}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
