"""Bounds on every input (issue 10 §3, "Bad input"): names refuse markup and control characters;
no text cell of any workbook canbo writes is a formula; an ID field never shows the label of an
object outside the user's scope, nor does the admin's autocomplete; request bodies are bounded;
a date out of range is refused by the report download and the command line; forged or malformed
requests against the pages get a 4xx answer in Vietnamese — never a 500, never another scope's
data.
"""

from __future__ import annotations

import ast
import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from conftest import NAMES, VISIBLE, full_name
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

import canbo

SRC = Path(canbo.__file__).parent

#: Text cells that a spreadsheet would run as formulas if written carelessly.
FORMULAS = ["=1+2", '=HYPERLINK("http://example.invalid","x")', "+SUM(1,2)", "-2+3", "@SUM(1,2)"]


def client_of(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def hidden_names(role: str) -> list[str]:
    return [full_name(k) for k in NAMES if k not in VISIBLE[role]]


# --------------------------------------------------------------------------- names


BAD_NAMES = [
    ("<b>Hùng</b>", "<, >"),
    ("Hùng<script>", "<, >"),
    ("Hù\x07ng", "U+0007"),
    ("Hùng\u202e", "U+202E"),  # right-to-left override (makes a name read backwards)
    ("Hù\u200bng", "U+200B"),  # zero-width space
]


@pytest.mark.parametrize(("value", "shown"), BAD_NAMES)
@pytest.mark.parametrize("field", ["family_name", "middle_name", "given_name", "home_town"])
def test_a_persons_names_refuse_markup_and_control_characters(world, field, value, shown):
    person = world.people["dongdang"]
    setattr(person, field, value)
    with pytest.raises(ValidationError) as refused:
        person.full_clean()
    messages = refused.value.message_dict[field]
    assert any("Không được chứa ký tự đánh dấu" in m and shown in m for m in messages), messages


def test_ordinary_vietnamese_names_pass(world):
    person = world.people["dongdang"]
    person.family_name, person.middle_name, person.given_name = "Nguyễn", "Thị Ngọc", "Ánh"
    person.home_town = "Xã Đồng Đăng, huyện Cao Lộc, tỉnh Lạng Sơn (nay là xã Đồng Đăng)"
    person.full_clean()  # raises ValidationError if a name were refused
    person.save()
    person.refresh_from_db()
    assert (person.full_name, person.home_town) == (
        "Nguyễn Thị Ngọc Ánh",
        "Xã Đồng Đăng, huyện Cao Lộc, tỉnh Lạng Sơn (nay là xã Đồng Đăng)",
    )


@pytest.mark.parametrize("field", ["first_name", "last_name", "username"])
def test_a_users_names_refuse_markup(world, field):
    user = world.users["dongdang"]
    setattr(user, field, "<img src=x>")
    with pytest.raises(ValidationError) as refused:
        user.full_clean()
    assert field in refused.value.message_dict


def test_the_admin_and_web_forms_carry_the_validator(world):
    """The forms are built from the model fields: the admin's person form refuses a bad name."""
    from django.contrib import admin
    from django.test import RequestFactory

    from canbo.registry.models import Person

    request = RequestFactory().get("/admin/registry/person/add/")
    request.user = world.users["dongdang"]
    form_class = admin.site._registry[Person].get_form(request)
    form = form_class(data={"family_name": "<b>", "given_name": "An\x00"})
    form.is_valid()
    assert "Không được chứa ký tự đánh dấu" in " ".join(form.errors.get("family_name", []))
    assert form.errors.get("given_name")


def test_the_import_reports_a_bad_name_as_a_problem_of_its_row(world, tmp_path, settings):
    """Not a crash, not a write: a row problem with the row number, in Vietnamese."""
    from import_lists import good_people, person_row, write_list

    from canbo.imports import services
    from canbo.registry.models import Person

    settings.MEDIA_ROOT = tmp_path / "media"
    people = good_people()
    people.append(
        person_row(
            "Đinh", "<b>Văn</b>", "Lực", date(1985, 1, 2), "male", "Xã Bảo Lâm", "Chủ tịch UBND", serial=9
        )
    )
    path = write_list(tmp_path / "ds.xlsx", people)
    user = world.users["province"]
    batch = services.copy_into_batch(path, world.units.caoloc, date(2024, 12, 31), user)
    preview = services.prepare(batch, user, today=date(2026, 11, 27))
    bad = [p for p in preview.problems if p.code == "bad_characters"]
    assert len(bad) == 1, [(p.code, p.message_vi) for p in preview.problems]
    assert bad[0].severity == "error" and "ký tự đánh dấu" in bad[0].message_vi
    assert bad[0].row is not None
    assert not Person.objects.filter(middle_name__contains="<").exists()


# --------------------------------------------------------------------------- formulas in workbooks


def xlsxwriter_calls() -> list[str]:
    """Every place in src that opens an xlsxwriter workbook or has polars write one."""
    found = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                f = node.func
                name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
                if name in ("Workbook", "write_excel"):
                    found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def test_every_workbook_is_opened_the_safe_way():
    """Only canbo.core.spreadsheet opens an xlsxwriter workbook (with strings_to_formulas off);
    a writer added elsewhere fails here."""
    calls = xlsxwriter_calls()
    assert calls and all(c.startswith("core/spreadsheet.py:") for c in calls), calls


def formula_cells(data: bytes) -> list[str]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [
        f"{ws.title}!{c.coordinate}={c.value!r}"
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]


def string_cells(data: bytes) -> dict[str, str]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {
        c.value: c.data_type
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    }


def test_a_report_workbook_keeps_formula_text_as_text():
    from canbo.core.reports import layout, xlsx

    table = layout.Table(
        name="T",
        title="=1+1",
        headers=(layout.Column("name", "Họ và tên", kind="text", width=20), layout.Column("n", "Số")),
        rows=tuple(layout.Row("data", {"name": v, "n": 1}) for v in FORMULAS),
    )
    report = layout.Report(
        code="test",
        lang="vi",
        issuer=("=UBND",),
        nation=("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"),
        title="-Báo cáo",
        as_of=date(2024, 12, 31),
        as_of_line="@31/12/2024",
        tables=(table,),
        signature=layout.Signature(left=("+A",), right=("=B",), place_date="-Lạng Sơn"),
    )
    data = xlsx.xlsx_bytes(report)
    assert formula_cells(data) == []
    cells = string_cells(data)
    for v in FORMULAS:
        assert cells.get(v) == "s", (v, cells.get(v))


def test_a_standards_table_keeps_formula_text_as_text(tmp_path):
    import polars as pl

    from canbo.core.standards.output import Column, Sheet, write_xlsx

    frame = pl.DataFrame({"name": FORMULAS})
    path = tmp_path / "t.xlsx"
    write_xlsx(path, "=tiêu đề", [Sheet("=S", [Column("name", "Họ tên", "Name")], frame, subtitle="+x")])
    data = path.read_bytes()
    assert formula_cells(data) == []
    cells = string_cells(data)
    assert all(cells.get(v) == "s" for v in FORMULAS), cells


def test_the_import_template_keeps_formula_text_as_text():
    from canbo.core.importing.model import TitleRef, UnitRef
    from canbo.core.importing.template import write_template

    units = [UnitRef(f"0{i}", v, None, None) for i, v in enumerate(FORMULAS)]
    titles = [TitleRef(f"T{i}", v, None, None) for i, v in enumerate(FORMULAS)]
    buf = io.BytesIO()
    write_template(buf, units, titles, as_of=date(2024, 12, 31))
    data = buf.getvalue()
    cells = string_cells(data)
    assert all(cells.get(v) == "s" for v in FORMULAS), {v: cells.get(v) for v in FORMULAS}
    # The template's own drop-down formulas are data validations, not cells: no cell is a formula
    # made of a unit's or title's name.
    assert not [f for f in formula_cells(data) if any(v[1:] in f for v in FORMULAS)]


# --------------------------------------------------------------------------- ID fields and autocomplete


def test_an_id_field_never_shows_the_label_of_an_object_outside_the_scope(world):
    """``?predecessor=<id>`` in the address of an add form pre-fills an ID field; the label next
    to it names the object only if it lies in the user's scope."""
    u = world.units
    client = client_of(world.users["province"])  # province officers add lineage links
    outside = client.get(f"/admin/registry/unitlineage/add/?predecessor={u.hn_commune.pk}")
    assert outside.status_code == 200
    assert u.hn_commune.name not in outside.content.decode()
    inside = client.get(f"/admin/registry/unitlineage/add/?predecessor={u.baolam.pk}")
    assert u.baolam.name in inside.content.decode()


def test_an_id_field_of_a_record_shows_no_one_outside_the_scope(world):
    from canbo.conduct.models import Inspection

    hanoi = world.records[Inspection]["hanoi"][0]
    mine = world.records[Inspection]["dongdang"][0]
    client = client_of(world.users["dongdang"])
    outside = client.get(f"/admin/conduct/discipline/add/?inspection={hanoi.pk}")
    assert outside.status_code == 200
    html = outside.content.decode()
    assert full_name("hanoi") not in html and str(hanoi) not in html
    inside = client.get(f"/admin/conduct/discipline/add/?inspection={mine.pk}").content.decode()
    assert str(mine) in inside
    # Saving with the other scope's id is refused by the field (not a 500, not a write).
    before = world.records[Inspection]["hanoi"][0].disciplines.count()
    client.post(
        "/admin/conduct/discipline/add/", {"inspection": hanoi.pk, "person": world.people["dongdang"].pk}
    )
    assert world.records[Inspection]["hanoi"][0].disciplines.count() == before


@pytest.mark.parametrize("role", ["dongdang", "caoloc", "hanoi", "inspector"])
def test_the_admins_autocomplete_answers_within_the_scope(world, role):
    client = client_of(world.users[role])
    for key, (_family, _middle, given) in NAMES.items():
        answer = client.get(
            "/admin/autocomplete/",
            {"term": given, "app_label": "registry", "model_name": "assignment", "field_name": "person"},
        )
        assert answer.status_code in (200, 403), answer.status_code
        if answer.status_code == 200:
            labels = [r["text"] for r in answer.json()["results"]]
            assert all(t in {full_name(k) for k in VISIBLE[role]} for t in labels), (role, labels)
            if key in VISIBLE[role]:
                assert full_name(key) in labels
    units = client.get(
        "/admin/autocomplete/",
        {"term": "Xã", "app_label": "registry", "model_name": "person", "field_name": "managing_unit"},
    )
    if units.status_code == 200:
        got = {r["text"] for r in units.json()["results"]}
        assert world.units.hn_commune.name not in " ".join(got) or role == "hanoi"


# --------------------------------------------------------------------------- request bodies


def test_a_huge_post_is_answered_400_in_vietnamese(world, settings):
    body = "x=" + "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)
    checked = Client(enforce_csrf_checks=True)
    checked.get("/login/")  # the CSRF cookie: the check then reads the body for the token
    for client, url in (
        (Client(), "/login/"),  # before anyone has logged in
        (checked, "/login/"),
        (client_of(world.users["province"]), "/confirmations/"),
    ):
        answer = client.post(url, body, content_type="application/x-www-form-urlencoded")
        assert answer.status_code == 400, url
        html = answer.content.decode()
        assert "quá lớn" in html and "<html" in html


def test_too_many_fields_are_answered_400_in_vietnamese(world, settings):
    client = client_of(world.users["province"])
    fields = {f"f{i}": "1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 5)}
    answer = client.post("/confirmations/", fields)
    assert answer.status_code == 400
    assert "quá nhiều" in answer.content.decode()


def test_a_post_without_its_csrf_token_is_refused_in_vietnamese(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["province"], backend="django.contrib.auth.backends.ModelBackend")
    answer = client.post("/confirmations/", {"post": "1", "action": "confirm"})
    assert answer.status_code == 403
    html = answer.content.decode()
    assert "Phiên làm việc đã hết hạn" in html
    logout = client.post(reverse("web:logout"))
    assert logout.status_code == 403


# --------------------------------------------------------------------------- dates out of range


@pytest.mark.parametrize("on", ["9999-01-01", "1900-01-01", "2004-12-31"])
def test_the_admin_report_download_refuses_a_date_out_of_range(world, on):
    client = client_of(world.users["province"])
    answer = client.get(
        "/admin/reports/", {"report": "trend", "unit": world.units.p20.pk, "on": on, "format": "xlsx"}
    )
    assert answer.status_code == 200  # the form again, with the message
    assert "spreadsheetml" not in answer.get("Content-Type", "")
    assert "nằm ngoài khoảng cho phép" in answer.content.decode()


def test_the_command_line_refuses_a_trend_to_year_9999(world, tmp_path):
    with pytest.raises(CommandError) as refused:
        call_command(
            "report", "trend", "--unit", "20", "--date", "9999-01-01", "--output", str(tmp_path / "t.xlsx")
        )
    assert "nằm ngoài khoảng cho phép" in str(refused.value)
    assert not (tmp_path / "t.xlsx").exists()


def test_a_trend_for_year_9999_is_not_computable(world):
    from canbo.reports import services

    with pytest.raises(services.DateOutOfRange) as refused:
        services.build("trend", world.units.p20, date(9999, 1, 1))
    assert "01/01/9999" in refused.value.message_vi


# --------------------------------------------------------------------------- forged and malformed requests


#: The account routes are tried by their own tests (tests/test_web_matrix.py, e2e).
ACCOUNT = {"login", "logout", "password_change"}


def web_routes() -> dict[str, bool]:
    """Every route of the ``web`` namespace → whether its address takes a ``pk``: found by walking
    the URL conf, so that a page added later is tried too."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: dict[str, bool] = {}

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and namespace == "web" and p.name and p.name not in ACCOUNT:
                found[p.name] = "<int:pk>" in str(p.pattern)

    walk(get_resolver().url_patterns, None)
    return found


ROUTES = web_routes()
PLAIN = sorted(n for n, pk in ROUTES.items() if not pk)
WITH_PK = sorted(n for n, pk in ROUTES.items() if pk)


def kind_of(name: str) -> str:
    """What a route's ``pk`` names: a person, a unit, a user, or something the world has none of."""
    if name == "person" or name.startswith("person_"):
        return "person"
    if name == "unit":
        return "unit"
    if name.startswith("user_"):
        return "user"
    return "other"


def objects_for(world, name: str, role: str) -> list[tuple[str, int, bool]]:
    """(label, pk, in the user's scope) of the objects a route is tried on."""
    kind = kind_of(name)
    if kind == "person":
        return [(k, p.pk, k in VISIBLE[role]) for k, p in world.people.items()]
    if kind == "unit":
        return [(k, getattr(world.units, k).pk, None) for k in ("dongdang", "kylua", "hn_commune", "p20")]
    if kind == "user":
        return [(k, u.pk, None) for k, u in world.users.items() if k in ("dongdang", "hanoi")]
    return []


#: Ids that name nothing, or overflow a database integer.
NO_SUCH_IDS = ["0", "999999", "2147483648", "99999999999999999999"]

#: Malformed query strings: wrong types, negative or huge numbers, impossible or out-of-range
#: dates, an overlong or control-character search, repeated parameters, other scopes' units.
MALFORMED = [
    "unit=abc",
    "unit=-1",
    "unit=99999999999999999999",
    "unit=1e3",
    "page=-1",
    "page=abc",
    "page=0",
    "page=99999999999",
    "size=100000",
    "size=-5",
    "on=31/02/2024",
    "on=9999-01-01",
    "on=01/01/1900",
    "on=abc",
    "on=" + "1" * 300,
    "q=" + "a" * 5000,
    "q=%00%01",
    "status=__all__",
    "category=<script>",
    "age=abc-xyz",
    "retiring=-12",
    "title=%27%3B--",
    "unit=1&unit=2&unit=abc",
    "sex=%3Cb%3E",
    "report=../../etc/passwd&format=exe",
]

#: Roles the malformed requests are tried as: a commune officer and the inspector (the province's
#: scope, reading only). The matrix of tests/test_web_matrix.py tries every role on every page.
TRIED = ["dongdang", "inspector"]


def answer_of(response) -> tuple[str, str]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        wb = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        text = "\n".join(
            str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c
        )
    elif "pdf" in kind or "octet-stream" in kind:
        text = ""
    else:
        text = body.decode("utf-8", errors="replace")
    return kind, text


def check_answer(response, role: str, what: str) -> None:
    """4xx or a normal answer, never a 500; an error page in Vietnamese; no name outside the scope."""
    status = response.status_code
    assert status < 500, (what, status)
    assert status in (200, 302, 400, 403, 404, 405), (what, status)
    kind, text = answer_of(response)
    if status in (400, 403, 404) and "html" in kind:
        assert 'lang="vi"' in text and "<h1>" in text, what
    leaked = [n for n in hidden_names(role) if n in text]
    assert not leaked, f"{role} {what}: {leaked}"


def _main(html: str) -> str:
    """The page's main content, without the header (which names the user's own unit)."""
    start = html.find('<main id="main">')
    return html[start:] if start >= 0 else html


def test_every_route_is_tried():
    """The walk finds the pages (and the tests below try each of them)."""
    assert {"dashboard", "people", "person", "unit", "confirmations"} <= set(ROUTES)


@pytest.mark.parametrize("name", PLAIN)
def test_malformed_query_strings_on_pages_without_an_object(world, name):
    """Each malformed query string against each page, as each role: 200 (ignored), 302, 400 with a
    Vietnamese message, 403 or 404 — never a 500, never a name outside the scope."""
    url = reverse(f"web:{name}")
    for role in TRIED:
        client = client_of(world.users[role])
        for query in MALFORMED:
            check_answer(client.get(f"{url}?{query}"), role, f"GET {url}?{query}")


@pytest.mark.parametrize("name", WITH_PK)
def test_malformed_query_strings_and_ids_on_pages_with_an_object(world, name):
    role = "dongdang"
    client = client_of(world.users[role])
    for label, pk, _inside in objects_for(world, name, role)[:1]:
        url = reverse(f"web:{name}", args=[pk])
        for query in MALFORMED:
            check_answer(client.get(f"{url}?{query}"), role, f"GET {url}?{query} ({label})")
    for raw in NO_SUCH_IDS:
        url = reverse(f"web:{name}", args=[1]).replace("/1/", f"/{raw}/")
        response = client.get(url)
        assert response.status_code in (403, 404, 405), (role, url, response.status_code)
        check_answer(response, role, f"GET {url}")


@pytest.mark.parametrize("name", sorted(n for n in WITH_PK if kind_of(n) == "person"))
def test_other_scopes_people_are_not_shown_to_exist(world, name):
    """A person outside the scope answers as one who does not exist: 404 (or 403 for a role that
    may not open the page, 405 for a page that is only posted to)."""
    for role in TRIED:
        client = client_of(world.users[role])
        for label, pk, inside in objects_for(world, name, role):
            response = client.get(reverse(f"web:{name}", args=[pk]))
            if not inside:
                assert response.status_code in (403, 404, 405), (role, name, label, response.status_code)
            check_answer(response, role, f"GET {name} {label}")


@pytest.mark.parametrize("name", PLAIN)
def test_other_units_ids_in_the_query_show_nothing_of_them(world, name):
    role = "dongdang"
    client = client_of(world.users[role])
    url = reverse(f"web:{name}")
    for key in ("kylua", "dinhlap", "hn_commune", "hn", "p20", "caoloc", "thanhloa"):
        unit = getattr(world.units, key)
        for query in (f"unit={unit.pk}", f"unit={unit.pk}&on=31/12/2024", f"unit={unit.pk}&in_post=1"):
            response = client.get(f"{url}?{query}")
            check_answer(response, role, f"GET {url}?{query}")
            kind, text = answer_of(response)
            if response.status_code == 200 and "html" in kind:
                # The page may name the unit in a list of choices the user may not pick, never
                # show it as the subject (its name in a heading).
                main = _main(text)
                assert f"<h1>{unit.name}" not in main and f"— {unit.name}</h1>" not in main, (url, query)


#: Pages that take a date (``?on=``): an impossible or out-of-range date is a 400 with the reason.
DATED = ["dashboard", "people", "people_export", "unit", "person"]


@pytest.mark.parametrize("name", DATED)
@pytest.mark.parametrize(
    ("on", "words"),
    [
        ("31/02/2024", "không phải là một ngày hợp lệ"),
        ("9999-01-01", "nằm ngoài khoảng cho phép"),
        ("31/12/2004", "nằm ngoài khoảng cho phép"),
    ],
)
def test_a_page_asked_about_an_impossible_date_answers_400(world, name, on, words):
    client = client_of(world.users["dongdang"])
    if name == "unit":
        url = reverse("web:unit", args=[world.units.dongdang.pk])
    elif name == "person":
        url = reverse("web:person", args=[world.people["dongdang"].pk])
    else:
        url = reverse(f"web:{name}")
    response = client.get(url, {"on": on})
    assert response.status_code == 400, (url, on, response.status_code)
    assert words in response.content.decode()


JUNK_POSTS = [
    {},
    {"family_name": "<script>", "given_name": "x\x00", "managing_unit": "99999999999"},
    {"post": "abc", "action": "confirm", "unit": "-1", "on": "31/02/2024", "start": "99/99/9999"},
    {
        "version": "forged",
        "title": "'; DROP TABLE x;--",
        "unit_code": "<b>",
        "report": "trend",
        "format": "exe",
    },
    {"id": ["1", "2", "abc"], "role": "system_admin", "is_superuser": "on", "scope_unit": "1"},
]


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_forged_posts_are_refused_without_a_500(world, name):
    """Junk posted to every route, as a commune officer and as the inspector, on an object in and
    out of scope: a 4xx or a form with its errors — never a 500, never another scope's names, and
    never a write by the inspector."""
    from canbo.registry.models import Assignment, Person

    before = (Person.objects.count(), Assignment.objects.count())
    for role in ("dongdang", "inspector"):
        client = client_of(world.users[role])
        if ROUTES[name]:
            # An object in the commune officer's scope (dongdang) and one outside it.
            targets = [
                reverse(f"web:{name}", args=[pk])
                for label, pk, _i in objects_for(world, name, role)
                if label in ("dongdang", "kylua", "hanoi")
            ][:2]
            targets = targets or [reverse(f"web:{name}", args=[999999])]
        else:
            targets = [reverse(f"web:{name}")]
        for url in targets:
            for data in JUNK_POSTS:
                check_answer(client.post(url, data), role, f"POST {url} {sorted(data)}")
    if name not in ("person_post_add", "person_qualification_add", "person_edit"):
        assert (Person.objects.count(), Assignment.objects.count()) == before, name


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_a_post_without_a_csrf_token_is_refused_on_every_route(world, name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["province"], backend="django.contrib.auth.backends.ModelBackend")
    args = [world.people["dongdang"].pk] if kind_of(name) == "person" else []
    if ROUTES[name] and not args:
        args = [world.units.dongdang.pk] if kind_of(name) == "unit" else [world.users["dongdang"].pk]
    url = reverse(f"web:{name}", args=args)
    response = client.post(url, {"anything": "1"})
    assert response.status_code == 403, (url, response.status_code)
    assert "Phiên làm việc đã hết hạn" in response.content.decode()
