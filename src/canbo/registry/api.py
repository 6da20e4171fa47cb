"""The registry in the REST API (issue 11 §3): units, titles, people, a person's file; creating
and changing a person, adding and ending a post, adding a qualification.

Every operation is the web page's twin, through the same code:

* who may call it: the page's gate (:func:`canbo.api.common.gate`, :data:`canbo.access.scope.PAGES`)
  → 403; which records: :func:`canbo.access.scope.restrict` → 404 outside the scope;
* the people list: :mod:`canbo.web.people_query` (the same filters, so a count of the dashboard is
  the ``count`` of the list) and the list page's rows (:func:`canbo.web.views.people._rows`: posts
  on the date and the standards verdict);
* a person's file: the person page's sensitive-field rule (:func:`canbo.web.forms.hidden_fields`:
  a field the user may not see is left out of the answer and named in ``hidden_fields``), and
  every opening logged (:func:`canbo.web.views.common.log_access`);
* writes: the web forms (:class:`canbo.web.forms.PersonForm`, ``PostForm``, ``QualificationForm``:
  the same Vietnamese messages) and services (:func:`canbo.registry.services.record_earlier_post`,
  :func:`~canbo.registry.services.end_post`), checked against the scope inside their transaction,
  the history naming the API's user. No lost update: a change of a person carries the version
  token its file was read with (``If-Match`` or ``version``, 409 when the file changed since, as
  the edit page); ending a post carries the post's version.

Dates are ISO 8601 (``YYYY-MM-DD``) in the API, dd/mm/yyyy on the pages.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from django.db import transaction
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from canbo.access import scope
from canbo.api.common import (
    LIMIT,
    MAX_ID,
    MAX_LIMIT,
    MAX_OFFSET,
    Id,
    PageInfo,
    UnitRef,
    gate,
    on_date,
    unit_ref,
)
from canbo.api.errors import COMMON, ApiError, Error, form_errors, invalid
from canbo.core.text import fold
from canbo.registry.models import Assignment, Person, Qualification, Title, Unit
from canbo.registry.services import PostChanged, end_post, post_version, record_earlier_post
from canbo.web import bounds
from canbo.web import people_query as pq
from canbo.web.forms import (
    PROFILE_FIELDS,
    RESUME_FIELDS,
    UNIT_FIELDS,
    EndPostForm,
    PersonForm,
    PostForm,
    QualificationForm,
    hidden_fields,
)
from canbo.web.views import people as people_page
from canbo.web.views import person as person_page
from canbo.web.views import units as unit_page
from canbo.web.views.common import get_visible, log_access

router = Router(tags=["Đăng ký hồ sơ (registry)"])

Level = Literal["province", "district", "commune_level"]
Precision = Literal["day", "month", "year"]


# =========================================================================== units


class UnitOut(Schema):
    """An administrative unit: official code, level, kind, parent, period of validity."""

    id: int
    code: str
    name: str
    level: str
    kind: str
    parent: UnitRef | None
    valid_from: date | None = Field(description="Ngày bắt đầu hiệu lực (trống: từ trước khi có số liệu).")
    valid_to: date | None = Field(description="Ngày hết hiệu lực (trống: còn hiệu lực).")


class UnitPage(PageInfo):
    items: list[UnitOut]


class Coded(Schema):
    code: str
    label: str


class LineageOut(Schema):
    """One link of the unit's lineage: the other unit, the date of the arrangement, its kind."""

    unit: UnitRef
    date: date
    kind: str
    legal_reference: str


class UnitDetail(UnitOut):
    """A unit on a date (``on``): its class and area flags then, the latest population and area
    figures up to that year, and the units merged into it or that it was merged into."""

    on: date
    exists_on_date: bool
    unit_class: Coded | None
    area_flags: list[Coded]
    statistics_year: int | None
    population: int | None
    natural_area_km2: float | None
    predecessors: list[LineageOut]
    successors: list[LineageOut]


class UnitFilters(Schema):
    """The filters of the units list."""

    level: Level | None = Field(None, description="Cấp: province, district, commune_level.")
    parent: int | None = Field(None, ge=1, le=MAX_ID, description="Chỉ các đơn vị trực thuộc đơn vị này.")
    on: date | None = Field(None, description="Chỉ các đơn vị còn hiệu lực vào ngày này (YYYY-MM-DD).")
    q: str | None = Field(
        None, max_length=bounds.MAX_QUERY, description="Tên (không phân biệt dấu, hoa thường) hoặc mã."
    )
    limit: int = Field(LIMIT, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def _unit(u: Unit) -> dict:
    return {
        "id": u.pk,
        "code": u.code,
        "name": u.name,
        "level": u.level,
        "kind": u.kind,
        "parent": unit_ref(u.parent) if u.parent_id else None,
        "valid_from": u.valid_from,
        "valid_to": u.valid_to,
    }


def _in_force(on: date) -> tuple[Q, Q]:
    return (
        Q(valid_from__isnull=True) | Q(valid_from__lte=on),
        Q(valid_to__isnull=True) | Q(valid_to__gte=on),
    )


@router.get(
    "/units/",
    response={200: UnitPage, **COMMON},
    summary="Danh sách đơn vị hành chính trong phạm vi",
    operation_id="units_list",
)
def units_list(request: HttpRequest, filters: Query[UnitFilters]):
    """The units of the user's scope (the scope unit, the units below it and those merged into
    them), in order of code and start of validity."""
    gate(request, "units")
    level, parent, on, q = filters.level, filters.parent, filters.on, filters.q
    limit, offset = filters.limit, filters.offset
    qs = scope.restrict(Unit.objects.select_related("parent"), request.user, scope.VIEW)
    if level:
        qs = qs.filter(level=level)
    if parent is not None:
        qs = qs.filter(parent_id=parent)
    if on is not None:
        qs = qs.filter(*_in_force(on_date(on)))
    text = (q or "").strip()
    if text:
        if any(ord(c) < 32 for c in text):
            raise bounds.BadInput(_("Từ khóa tìm kiếm có ký tự điều khiển."))
        if text.isdigit():
            qs = qs.filter(code__startswith=text)
        else:
            # The unit table has no folded column: the names of the scope are folded in memory
            # (cached by fold), as the users page's unit search does.
            wanted = fold(text)
            qs = qs.filter(pk__in=[pk for pk, name in qs.values_list("pk", "name") if wanted in fold(name)])
    total = qs.count()
    rows = qs.order_by("code", "valid_from", "pk")[offset : offset + limit]
    return {"count": total, "limit": limit, "offset": offset, "items": [_unit(u) for u in rows]}


@router.get(
    "/units/{unit_id}",
    response={200: UnitDetail, **COMMON},
    summary="Một đơn vị hành chính vào một ngày",
    operation_id="unit_detail",
)
def unit_detail(
    request: HttpRequest,
    unit_id: Id,
    on: Annotated[
        date | None,
        Query(description="Ngày (YYYY-MM-DD); mặc định hôm nay, hoặc ngày cuối của đơn vị đã giải thể."),
    ] = None,
):
    gate(request, "units")
    unit = get_visible(request, Unit.objects.select_related("parent__parent"), pk=unit_id)
    day = on_date(on, unit_page.default_date(unit))
    head = unit_page.header(request.user, unit, day)
    links = unit_page.lineage(request.user, unit, day)
    stats = head["statistics"]

    def link(row: dict) -> dict:
        return {
            "unit": unit_ref(row["unit"]),
            "date": row["link"].date,
            "kind": row["link"].kind,
            "legal_reference": row["link"].legal_reference,
        }

    cls = head["unit_class"]
    return {
        **_unit(unit),
        "on": day,
        "exists_on_date": unit.is_valid_on(day),
        "unit_class": {"code": cls.unit_class, "label": cls.get_unit_class_display()} if cls else None,
        "area_flags": [{"code": f.flag, "label": f.get_flag_display()} for f in head["area_flags"]],
        "statistics_year": stats.year if stats else None,
        "population": stats.population if stats else None,
        "natural_area_km2": float(stats.natural_area_km2)
        if stats and stats.natural_area_km2 is not None
        else None,
        "predecessors": [link(r) for r in links["predecessors"]],
        "successors": [link(r) for r in links["successors"]],
    }


# =========================================================================== titles


class TitleOut(Schema):
    """A title (chức danh) or, from 01/07/2025, a job position of a commune-level unit."""

    id: int
    code: str
    name: str
    kind: str
    is_leadership: bool
    legal_reference: str
    valid_from: date | None
    valid_to: date | None


@router.get(
    "/titles/",
    response={200: list[TitleOut], **COMMON},
    summary="Danh mục chức danh",
    operation_id="titles_list",
)
def titles_list(
    request: HttpRequest,
    on: Annotated[
        date | None, Query(description="Chỉ các chức danh có hiệu lực vào ngày này (YYYY-MM-DD).")
    ] = None,
):
    """The national catalogue of titles (read by every role), in the catalogue's order."""
    if not scope.allowed(request.user, scope.VIEW, Title):
        raise ApiError(403, _("Vai trò của bạn không được phép làm việc này."))
    qs = Title.objects.order_by("sort_order", "code")
    if on is not None:
        qs = qs.filter(*_in_force(on_date(on)))
    return [
        {
            "id": t.pk,
            "code": t.code,
            "name": t.name,
            "kind": t.kind,
            "is_leadership": t.is_leadership,
            "legal_reference": t.legal_reference,
            "valid_from": t.valid_from,
            "valid_to": t.valid_to,
        }
        for t in qs
    ]


# =========================================================================== people


class PostOnDate(Schema):
    """A post held on the list's date."""

    id: int
    title_code: str
    title_name: str
    unit: UnitRef
    start: date
    end: date | None
    is_concurrent: bool


class PersonRow(Schema):
    """A person as the people list shows them on its date."""

    id: int
    full_name: str
    family_name: str
    middle_name: str
    given_name: str
    birth_date: date | None
    birth_date_precision: str
    sex: str
    ethnicity: str
    managing_unit: UnitRef
    posts: list[PostOnDate] = Field(description="Chức danh đang giữ vào ngày của danh sách.")
    status: Literal["met", "not_met", "unknown"] | None = Field(
        description="Đánh giá tiêu chuẩn vào ngày đó (trống: không giữ chức danh)."
    )


class PeoplePage(PageInfo):
    on: date
    description: str = Field(description="Bộ lọc bằng lời (như tiêu đề danh sách trên trang).")
    items: list[PersonRow]


class PeopleFilters(Schema):
    """The filters of the people list: the same parameters as ``/people/?…`` of the web app
    (``canbo.web.people_query``), dates in ISO 8601."""

    on: date | None = Field(None, description="Ngày (YYYY-MM-DD); mặc định hôm nay.")
    unit: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="Đơn vị (kể cả đơn vị trực thuộc, đơn vị đã nhập vào); phải trong phạm vi.",
    )
    in_post: bool | None = Field(
        None, description="true: đang giữ chức danh (như báo cáo đếm); false: không."
    )
    title: str | None = Field(None, max_length=40, description="Mã chức danh đang giữ.")
    status: Literal["met", "not_met", "unknown"] | None = None
    criterion: str | None = Field(
        None, max_length=40, description="Mã tiêu chí (professional, political_theory, …)."
    )
    category: Literal["below_standard", "field_mismatch", "missing_data"] | None = None
    sex: Literal["male", "female"] | None = None
    ethnicity: str | None = Field(None, pattern=r"^\d{2}$", description="Mã dân tộc hai chữ số.")
    age: str | None = Field(None, pattern=r"^\d{0,3}-\d{0,3}$", description="Nhóm tuổi: 30-39, 60-, -29.")
    retiring: Literal[12, 24] | None = Field(
        None, description="Đến tuổi nghỉ hưu trong 12 hoặc 24 tháng tới."
    )
    q: str | None = Field(
        None, max_length=bounds.MAX_QUERY, description="Tên (không dấu cũng được) hoặc số định danh."
    )
    limit: int = Field(LIMIT, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def params(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.on is not None:
            out["on"] = self.on.isoformat()
        if self.unit is not None:
            out["unit"] = str(self.unit)
        if self.in_post is not None:
            out["in_post"] = "1" if self.in_post else "0"
        for name in ("title", "status", "criterion", "category", "sex", "ethnicity", "age", "q"):
            value = getattr(self, name)
            if value:
                out[name] = str(value)
        if self.retiring:
            out["retiring"] = str(self.retiring)
        return out


def _post_on_date(a: Assignment) -> dict:
    return {
        "id": a.pk,
        "title_code": a.title.code,
        "title_name": a.title.name,
        "unit": unit_ref(a.unit),
        "start": a.start,
        "end": a.end,
        "is_concurrent": a.is_concurrent,
    }


@router.get(
    "/people/",
    response={200: PeoplePage, **COMMON},
    summary="Danh sách cán bộ, công chức (bộ lọc như trang danh sách)",
    operation_id="people_list",
)
def people_list(request: HttpRequest, filters: Query[PeopleFilters]):
    """The people of the user's scope on a date, filtered exactly as the web app's list (the
    people behind every count of the dashboard, the commune page and the reports), in Vietnamese
    order of names, ``limit`` at a time from ``offset``; ``count`` is the number of all of them."""
    gate(request, "people")
    f = pq.parse(request.user, filters.params())
    result = pq.run(request.user, {}, filters=f)
    total = result.count()
    chosen = result.people(filters.offset, filters.offset + filters.limit)
    rows = people_page._rows(chosen, f, result.verdicts, result.stamp)
    items = []
    for row in rows:
        p = row["person"]
        items.append(
            {
                "id": p.pk,
                "full_name": p.full_name,
                "family_name": p.family_name,
                "middle_name": p.middle_name,
                "given_name": p.given_name,
                "birth_date": p.birth_date,
                "birth_date_precision": p.birth_date_precision,
                "sex": p.sex,
                "ethnicity": p.ethnicity,
                "managing_unit": unit_ref(p.managing_unit),
                "posts": [_post_on_date(x["post"]) for x in row["posts"]],
                "status": row["status"],
            }
        )
    return {
        "count": total,
        "limit": filters.limit,
        "offset": filters.offset,
        "on": f.on,
        "description": result.description,
        "items": items,
    }


# --------------------------------------------------------------------------- one person


class PostOut(Schema):
    """A post of a person's file. ``version`` is what ending it must carry (no lost update);
    ``confirmation``: ``pending`` — recorded outside the recorder's scope, waiting for the
    province (not counted anywhere yet), ``confirmed``, or empty (nothing to confirm)."""

    id: int
    title_code: str
    title_name: str
    unit: UnitRef
    start: date
    end: date | None
    start_reason: str
    end_reason: str
    is_concurrent: bool
    decision_number: str
    confirmation: str
    version: int


class QualificationOut(Schema):
    """A qualification: a level on one dimension's scale (codes of ``canbo.core.scales``)."""

    id: int
    dimension: str
    level: str
    label: str
    field_of_study: str
    institution: str
    study_mode: str
    is_remedial: bool
    obtained_on: date | None
    original_text: str


class PersonOut(Schema):
    """A person's file as the person page shows it to the user. The sensitive fields the user may
    not see (religion, Party membership and its dates — :data:`canbo.access.scope.SENSITIVE`) are
    left out of the answer and named in ``hidden_fields``. ``version`` is the token a change must
    carry (also sent as the ``ETag`` header)."""

    id: int
    full_name: str
    family_name: str
    middle_name: str
    given_name: str
    birth_date: date | None
    birth_date_precision: str
    sex: str
    ethnicity: str
    identity_number: str | None
    home_town: str
    religion: str | None = None
    managing_unit: UnitRef
    is_party_member: bool | None = None
    party_joined_on: date | None = None
    party_joined_on_precision: str | None = None
    party_confirmed_on: date | None = None
    party_confirmed_on_precision: str | None = None
    party_left_on: date | None = None
    party_left_reason: str | None = None
    notes: str
    posts: list[PostOut]
    qualifications: list[QualificationOut]
    hidden_fields: list[str] = Field(description="Trường nhạy cảm không hiện với vai trò của bạn.")
    version: str = Field(description="Mã phiên bản: gửi lại khi sửa (If-Match hoặc version).")


def _posts(person: Person) -> list[dict]:
    posts = list(
        Assignment.objects.filter(person=person).select_related("title", "unit").order_by("start", "pk")
    )
    versions = dict(
        Assignment.history.filter(id__in=[p.pk for p in posts])
        .values("id")
        .annotate(v=Max("history_id"))
        .values_list("id", "v")
    )
    return [
        {
            **_post_on_date(p),
            "start_reason": p.start_reason,
            "end_reason": p.end_reason,
            "decision_number": p.decision_number,
            "confirmation": p.confirmation,
            "version": versions.get(p.pk, 0),
        }
        for p in posts
    ]


def _qualification(q: Qualification) -> dict:
    return {
        "id": q.pk,
        "dimension": q.dimension,
        "level": q.level,
        "label": str(q),
        "field_of_study": q.field_of_study,
        "institution": q.institution,
        "study_mode": q.study_mode,
        "is_remedial": q.is_remedial,
        "obtained_on": q.obtained_on,
        "original_text": q.original_text,
    }


#: The profile fields of an answer, with ``managing_unit`` given as a unit.
#: The résumé's fields (issue 15) are not in the API: its schemas do not declare them.
_ANSWER_FIELDS = [
    n
    for n in PROFILE_FIELDS
    if n not in ("family_name", "middle_name", "given_name", "managing_unit", *RESUME_FIELDS, *UNIT_FIELDS)
]


def person_answer(request: HttpRequest, person: Person, response: HttpResponse | None = None) -> dict:
    """The person's file for ``request.user`` (sensitive fields left out as on the page)."""
    hidden = hidden_fields(request.user, person)
    version = person_page.make_token(person, person_page.editable_fields(request.user))
    out: dict[str, Any] = {
        "id": person.pk,
        "full_name": person.full_name,
        "family_name": person.family_name,
        "middle_name": person.middle_name,
        "given_name": person.given_name,
        "managing_unit": unit_ref(person.managing_unit),
    }
    for name in _ANSWER_FIELDS:
        if name not in hidden:
            out[name] = getattr(person, name)
    out["posts"] = _posts(person)
    out["qualifications"] = [
        _qualification(q) for q in Qualification.objects.filter(person=person).order_by("obtained_on", "pk")
    ]
    # The fields of this answer left out (the résumé's sensitive fields are not in the API at all).
    out["hidden_fields"] = sorted(hidden & set(_ANSWER_FIELDS))
    out["version"] = version
    if response is not None:
        response["ETag"] = f'"{version}"'
    return out


@router.get(
    "/people/{person_id}",
    response={200: PersonOut, **COMMON},
    exclude_unset=True,
    summary="Hồ sơ một người: lý lịch, quá trình công tác, trình độ",
    operation_id="person_detail",
)
def person_detail(request: HttpRequest, response: HttpResponse, person_id: Id):
    """A person's file, if the user may see it (kept in their scope, or the person held a post in
    it). Every call is logged as an opening of the file (who, when, from where)."""
    gate(request, "person")
    person = get_visible(request, Person.objects.select_related("managing_unit"), pk=person_id)
    log_access(request, "view", person=person, what="API")
    return person_answer(request, person, response)


# --------------------------------------------------------------------------- writing a person


class PersonIn(Schema):
    """A person's profile as the web form takes it (dates ISO 8601). Unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")

    family_name: str = Field(..., max_length=50)
    middle_name: str = Field("", max_length=80)
    given_name: str = Field(..., max_length=50)
    birth_date: date | None = None
    birth_date_precision: Precision = Field(
        "day", description="day, month hoặc year: ngày sinh biết đến đâu."
    )
    sex: str = Field(..., max_length=8, json_schema_extra={"enum": ["male", "female"]})
    ethnicity: str = Field("01", max_length=2, description="Mã dân tộc hai chữ số (01: Kinh).")
    identity_number: str | None = Field(None, max_length=12, description="Số định danh cá nhân, 12 chữ số.")
    home_town: str = Field("", max_length=200)
    religion: str = Field("Không", max_length=80)
    managing_unit: int = Field(
        ..., ge=1, le=MAX_ID, description="Đơn vị quản lý hồ sơ; trong phạm vi của bạn."
    )
    is_party_member: bool | None = None
    party_joined_on: date | None = None
    party_joined_on_precision: Precision = "day"
    party_confirmed_on: date | None = None
    party_confirmed_on_precision: Precision = "day"
    party_left_on: date | None = None
    party_left_reason: str = Field(
        "", max_length=16, json_schema_extra={"enum": ["", "expelled", "struck_off", "other"]}
    )
    notes: str = Field("", max_length=5000)


class PersonPatch(Schema):
    """Fields to change; the others keep their values. ``version``: the token of the file as read
    (or the ``If-Match`` header)."""

    model_config = ConfigDict(extra="forbid")

    version: str | None = Field(None, max_length=person_page.MAX_TOKEN)
    family_name: str | None = Field(None, max_length=50)
    middle_name: str | None = Field(None, max_length=80)
    given_name: str | None = Field(None, max_length=50)
    birth_date: date | None = None
    birth_date_precision: Precision | None = None
    sex: str | None = Field(None, max_length=8, json_schema_extra={"enum": ["male", "female"]})
    ethnicity: str | None = Field(None, max_length=2)
    identity_number: str | None = Field(None, max_length=12)
    home_town: str | None = Field(None, max_length=200)
    religion: str | None = Field(None, max_length=80)
    managing_unit: int | None = Field(None, ge=1, le=MAX_ID)
    is_party_member: bool | None = None
    party_joined_on: date | None = None
    party_joined_on_precision: Precision | None = None
    party_confirmed_on: date | None = None
    party_confirmed_on_precision: Precision | None = None
    party_left_on: date | None = None
    party_left_reason: str | None = Field(None, max_length=16)
    notes: str | None = Field(None, max_length=5000)


def _form_value(value):
    """A value as the web form would receive it typed (dates ISO, nothing for empty)."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return value


class _NewPersonForm(PersonForm):
    """The profile form of the web app for a new person: no version (there is nothing to
    conflict with)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("version", None)


def _refuse_hidden(given: dict, hidden: set[str]) -> None:
    refused = sorted(set(given) & hidden)
    if refused:
        raise invalid(
            [
                {
                    "loc": ["body", n],
                    "message": _("Vai trò của bạn không được xem, sửa trường này."),
                    "type": "forbidden",
                }
                for n in refused
            ]
        )


def _nullable_boolean(value):
    # NullBooleanSelect reads True / False / "" (unknown).
    return value if isinstance(value, bool) else ""


@router.post(
    "/people/",
    response={201: PersonOut, **COMMON},
    exclude_unset=True,
    summary="Tạo hồ sơ một người",
    operation_id="person_create",
)
def person_create(request: HttpRequest, response: HttpResponse, body: PersonIn):
    """A new file, kept by ``managing_unit`` (a unit of the user's scope), validated as the web
    form validates a profile (identity number against birth year and sex, Party dates …)."""
    gate(request, "person_edit")
    if not scope.allowed(request.user, scope.ADD, Person):
        raise ApiError(403, _("Vai trò của bạn không được phép làm việc này."))
    given = body.model_dump(exclude_unset=True)
    _refuse_hidden(given, hidden_fields(request.user))
    data = {k: _form_value(v) for k, v in body.model_dump().items()}
    data["is_party_member"] = _nullable_boolean(body.is_party_member)
    form = _NewPersonForm(data, instance=Person(), user=request.user)
    if not form.is_valid():
        raise invalid(form_errors(form.errors))
    with transaction.atomic():
        person = form.save()
        scope.ensure_in_scope(request.user, person, scope.ADD)
    person = Person.objects.select_related("managing_unit").get(pk=person.pk)
    response["Location"] = f"/api/people/{person.pk}"
    return Status(201, person_answer(request, person, response))


class ChangeOut(Schema):
    """A field that changed since the version was read: what it was, what it is now."""

    field: str
    old: str
    new: str


class HistoryOut(Schema):
    when: str
    who: str
    kind: str
    changes: list[ChangeOut]


class Conflict(Error):
    """409: the file changed since it was read. Nothing was written; ``changes`` says what changed,
    ``history`` who changed it and when, ``version`` is the current token to retry with."""

    changes: list[ChangeOut]
    history: list[HistoryOut]
    version: str


def _history_rows(entries) -> list[dict]:
    return [
        {
            "when": e.when,
            "who": e.who,
            "kind": e.kind,
            "changes": [
                {"field": str(c.get("field", "")), "old": str(c.get("old", "")), "new": str(c.get("new", ""))}
                for c in e.changes
            ],
        }
        for e in entries
    ]


def _version_of(request: HttpRequest, body_version: str | None) -> dict:
    raw = request.headers.get("If-Match") or body_version
    if not raw:
        raise ApiError(
            428,
            _(
                "Thiếu mã phiên bản hồ sơ: gửi lại mã “version” đọc được cùng hồ sơ (tiêu đề If-Match "
                "hoặc trường version), để không ghi đè thay đổi của người khác."
            ),
        )
    raw = raw.strip()
    if raw.startswith("W/"):
        raw = raw[2:]
    raw = raw.strip('"')
    try:
        return person_page.parse_token(raw)
    except bounds.BadInput:
        raise bounds.BadInput(
            _("Mã phiên bản hồ sơ không hợp lệ; hãy đọc lại hồ sơ để lấy mã mới.")
        ) from None


@router.patch(
    "/people/{person_id}",
    response={200: PersonOut, 409: Conflict, 428: Error, **COMMON},
    exclude_unset=True,
    summary="Sửa lý lịch một người (không ghi đè thay đổi của người khác)",
    operation_id="person_update",
)
def person_update(
    request: HttpRequest,
    response: HttpResponse,
    body: PersonPatch,
    person_id: Id,
):
    """Change the fields given; the others keep their values. Refused (409, nothing written) when
    a field of the profile changed since the file was read — as the web edit page."""
    gate(request, "person_edit")
    person = get_visible(
        request, Person.objects.select_related("managing_unit"), action=scope.CHANGE, pk=person_id
    )
    given = body.model_dump(exclude_unset=True)
    given.pop("version", None)
    _refuse_hidden(given, hidden_fields(request.user, person))
    token = _version_of(request, body.version)
    names = person_page.editable_fields(request.user)
    with transaction.atomic():
        locked = get_visible(
            request, Person.objects.select_for_update(of=("self",)), action=scope.CHANGE, pk=person_id
        )
        now = person_page.snapshot(locked, names)
        if now != token["s"]:
            raise ApiError(
                409,
                _(
                    "Hồ sơ đã được thay đổi kể từ khi bạn đọc; không có gì được ghi. Hãy đọc lại hồ sơ rồi sửa lại."
                ),
                changes=[
                    {"field": str(c["field"]), "old": str(c["old"]), "new": str(c["new"])}
                    for c in person_page.differences(token["s"], now, names)
                ],
                history=_history_rows(person_page.person_history(person_id, request.user, after=token["v"])),
                version=person_page.make_token(locked, names),
            )
        data = {n: _form_value(v) for n, v in now.items()}
        for name, value in given.items():
            data[name] = _form_value(value)
        if "is_party_member" in data:
            current = given.get("is_party_member", locked.is_party_member)
            data["is_party_member"] = _nullable_boolean(current)
        data["version"] = "api"
        form = PersonForm(data, instance=locked, user=request.user)
        if not form.is_valid():
            raise invalid(form_errors(form.errors))
        if [n for n in form.changed_data if n != "version"]:
            saved = form.save()
            scope.ensure_in_scope(request.user, saved, scope.CHANGE)
    person = Person.objects.select_related("managing_unit").get(pk=person_id)
    return person_answer(request, person, response)


# --------------------------------------------------------------------------- posts and qualifications


class PostIn(Schema):
    """A post the person holds or held. The unit: ``unit`` (a commune of your scope) or
    ``unit_code`` (the code of a commune elsewhere — the post then waits for the province's
    confirmation)."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(..., max_length=40, description="Mã chức danh (xem /api/titles/).")
    unit: int | None = Field(None, ge=1, le=MAX_ID)
    unit_code: str | None = Field(None, max_length=10)
    start: date
    end: date | None = None
    start_reason: str = Field("", max_length=16)
    end_reason: str = Field("", max_length=16)
    is_concurrent: bool = False
    decision_number: str = Field("", max_length=100)


def _writable_person(request: HttpRequest, person_id: int) -> Person:
    gate(request, "person_edit")
    return get_visible(
        request, Person.objects.select_related("managing_unit"), action=scope.CHANGE, pk=person_id
    )


@router.post(
    "/people/{person_id}/posts/",
    response={201: PostOut, **COMMON},
    summary="Thêm quá trình công tác",
    operation_id="post_add",
)
def post_add(request: HttpRequest, response: HttpResponse, body: PostIn, person_id: Id):
    """As the web page *Thêm quá trình công tác*: a post in a unit outside your scope is recorded
    pending the province's confirmation."""
    person = _writable_person(request, person_id)
    title = Title.objects.filter(code=body.title).first()
    data = {
        "title": title.pk if title else body.title,
        "unit": body.unit or "",
        "unit_code": body.unit_code or "",
        "start": body.start.isoformat(),
        "end": body.end.isoformat() if body.end else "",
        "start_reason": body.start_reason,
        "end_reason": body.end_reason,
        "decision_number": body.decision_number,
    }
    if body.is_concurrent:
        data["is_concurrent"] = "on"
    form = PostForm(data, instance=Assignment(person=person), user=request.user)
    if not form.is_valid():
        raise invalid(form_errors(form.errors))
    d = form.cleaned_data
    post = record_earlier_post(
        request.user,
        person,
        d["unit"],
        d["title"],
        d["start"],
        d.get("end"),
        start_reason=d.get("start_reason") or "",
        end_reason=d.get("end_reason") or "",
        is_concurrent=bool(d.get("is_concurrent")),
        decision_number=d.get("decision_number") or "",
    )
    response["Location"] = f"/api/people/{person.pk}"
    return Status(201, next(p for p in _posts(person) if p["id"] == post.pk))


class PostEndIn(Schema):
    """The end of a post: its last day, why, and the post's ``version`` as read."""

    model_config = ConfigDict(extra="forbid")

    end: date
    end_reason: str = Field(..., max_length=16)
    version: int = Field(..., ge=0, le=MAX_ID)


class PostConflict(Error):
    """409: the post changed since it was read (or has ended). ``version``: its current version."""

    history: list[HistoryOut]
    version: int
    post: PostOut


@router.post(
    "/people/{person_id}/posts/{post_id}/end",
    response={200: PostOut, 409: PostConflict, **COMMON},
    summary="Kết thúc một chức danh đang giữ",
    operation_id="post_end",
)
def post_end(
    request: HttpRequest,
    body: PostEndIn,
    person_id: Id,
    post_id: Id,
):
    person = _writable_person(request, person_id)
    own = scope.restrict(Assignment.objects.filter(person=person), request.user, scope.CHANGE)
    post = get_visible(request, own, action=scope.CHANGE, pk=post_id)
    form = EndPostForm(
        {"post": post.pk, "version": body.version, "end": body.end.isoformat(), "end_reason": body.end_reason}
    )
    if not form.is_valid():
        raise invalid(form_errors(form.errors))
    try:
        saved = end_post(
            request.user,
            post,
            end=form.cleaned_data["end"],
            end_reason=form.cleaned_data["end_reason"],
            version=form.cleaned_data["version"],
        )
    except PostChanged as e:
        current = next(p for p in _posts(person) if p["id"] == post.pk)
        raise ApiError(
            409,
            _("Chức danh này đã được thay đổi (hoặc đã kết thúc) kể từ khi bạn đọc; không có gì được ghi."),
            history=_history_rows(person_page._post_changes(post.pk, e.version)),
            version=post_version(post.pk),
            post=current,
        ) from None
    return next(p for p in _posts(person) if p["id"] == saved.pk)


class QualificationIn(Schema):
    """A qualification the person gained (codes of ``canbo.core.scales``)."""

    model_config = ConfigDict(extra="forbid")

    dimension: str = Field(..., max_length=24)
    level: str = Field(..., max_length=24)
    field_of_study: str = Field("", max_length=40)
    institution: str = Field("", max_length=200)
    study_mode: str = Field("", max_length=16)
    is_remedial: bool = False
    obtained_on: date | None = None
    original_text: str = Field("", max_length=300)


@router.post(
    "/people/{person_id}/qualifications/",
    response={201: QualificationOut, **COMMON},
    summary="Thêm văn bằng, trình độ",
    operation_id="qualification_add",
)
def qualification_add(
    request: HttpRequest,
    response: HttpResponse,
    body: QualificationIn,
    person_id: Id,
):
    person = _writable_person(request, person_id)
    data: dict[str, Any] = {k: _form_value(v) for k, v in body.model_dump().items()}
    if body.is_remedial:
        data["is_remedial"] = "on"
    else:
        data.pop("is_remedial")
    form = QualificationForm(data, instance=Qualification(person=person))
    if not form.is_valid():
        raise invalid(form_errors(form.errors))
    with transaction.atomic():
        saved = form.save()
        scope.ensure_in_scope(request.user, saved, scope.CHANGE)
    response["Location"] = f"/api/people/{person.pk}"
    return Status(201, _qualification(saved))
