"""Who may open which page of the web application, on which object (issue 10 §2, §4).

Every role of ``conftest.world`` (and an anonymous visitor) × every route of the ``web``
namespace × every person or unit of the world the route can be asked about → the answer:

* 302 to the login page for an anonymous visitor and for a deactivated account;
* 403 for a role that may not open the page at all (whatever the object);
* 404 for an object outside the user's scope (it is not shown to exist);
* 200 otherwise — and the answer (HTML, or the cells of a workbook) never carries the name of a
  person the user may not see.

The expectations are written out by hand from the policy (USERS.md, issue 10): ``MAY_OPEN`` per
route, ``conftest.VISIBLE`` for people and ``UNITS_SEEN`` below for units — never computed by
:mod:`canbo.access.scope`. A route added to ``canbo.web.urls`` without a line in ``ROUTES`` fails
:func:`test_every_route_of_the_web_app_is_in_the_matrix`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pytest
from conftest import NAMES, VISIBLE, full_name
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ["admin", "province", "inspector", "caoloc", "dongdang", "hanoi", "inactive", "anonymous"]

#: Roles that may open a page that only shows what is in their scope.
EVERYONE = frozenset({"admin", "province", "inspector", "caoloc", "dongdang", "hanoi"})
#: Roles that write personal records: the inspector only reads.
WRITERS = EVERYONE - {"inspector"}
#: Accounts are managed by the system administrator only.
ADMIN = frozenset({"admin"})

#: The unit keys of ``conftest.Units``.
UNIT_KEYS = [
    "p20",
    "p20_old",
    "caoloc",
    "dongdang",
    "dongdang_old",
    "baolam",
    "thanhloa",
    "xuatle",
    "kylua",
    "dinhlap",
    "hn",
    "hn_commune",
]
LANG_SON = {
    "p20",
    "p20_old",
    "caoloc",
    "dongdang",
    "dongdang_old",
    "baolam",
    "thanhloa",
    "xuatle",
    "kylua",
    "dinhlap",
}
#: Which of those units each role may open: a province's officers see all of the province, old
#: and new; the legacy district of Cao Lộc its own communes (Thị trấn Đồng Đăng among them) and
#: nothing after the merger; the new commune of Đồng Đăng itself and the old communes merged into
#: it (Thị trấn Đồng Đăng, Xã Bảo Lâm), not the district above them nor its other communes.
UNITS_SEEN: dict[str, set[str]] = {
    "admin": set(UNIT_KEYS),
    "province": LANG_SON,
    "inspector": LANG_SON,
    "caoloc": {"caoloc", "dongdang_old", "baolam", "thanhloa", "xuatle"},
    "dongdang": {"dongdang", "dongdang_old", "baolam"},
    "hanoi": {"hn", "hn_commune"},
    "inactive": set(),
    "anonymous": set(),
}
PEOPLE_SEEN: dict[str, set[str]] = {**VISIBLE, "anonymous": set()}


@dataclass(frozen=True)
class Route:
    """One route of the web app as the matrix asks it: who may open it, and what object (a
    ``person`` or a ``unit`` of the world, or none) its URL names."""

    may_open: frozenset[str]
    obj: str | None = None
    query: dict = field(default_factory=dict)


#: Every route of the ``web`` namespace, by URL name. The account routes are in
#: :data:`ACCOUNT_ROUTES` (their answers differ: the login page is for the anonymous).
ROUTES: dict[str, Route] = {
    "dashboard": Route(EVERYONE),
    "unit": Route(EVERYONE, "unit"),
    "people": Route(EVERYONE),
    "people_export": Route(EVERYONE),
    "person": Route(EVERYONE, "person"),
    "person_edit": Route(WRITERS, "person"),
    "person_post_add": Route(WRITERS, "person"),
    "person_post_end": Route(WRITERS, "person"),
    "person_qualification_add": Route(WRITERS, "person"),
    "imports": Route(WRITERS),
    "reports": Route(EVERYONE),
    "rules": Route(EVERYONE),
    "users": Route(ADMIN),
    # The province confirms the posts recorded in its units (issue 10 §2).
    "confirmations": Route(frozenset({"admin", "province", "hanoi"})),
}
ACCOUNT_ROUTES = {"login", "logout", "password_change"}


def web_route_names() -> set[str]:
    """The names of every route of the ``web`` namespace, found by walking the URL conf."""
    found: set[str] = set()

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and namespace == "web" and p.name:
                found.add(p.name)

    walk(get_resolver().url_patterns, None)
    return found


def test_every_route_of_the_web_app_is_in_the_matrix():
    names = web_route_names()
    assert "dashboard" in names and "people" in names  # the walk itself works
    missing = names - set(ROUTES) - ACCOUNT_ROUTES
    assert not missing, f"routes of the web app missing from the matrix in {__file__}: {sorted(missing)}"
    gone = set(ROUTES) - names
    assert not gone, f"routes in the matrix that the web app no longer has: {sorted(gone)}"


def client_for(world, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        # A deactivated account's session is not honoured: it is treated as anonymous.
        client.force_login(world.users[role], backend="django.contrib.auth.backends.ModelBackend")
    return client


def answer_text(response) -> str:
    """What a user receives: the page's HTML, or every cell of a workbook."""
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in kind:
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c
        )
    return body.decode("utf-8", errors="replace")


def hidden_names(role: str) -> list[str]:
    return [full_name(k) for k in NAMES if k not in PEOPLE_SEEN[role]]


def expected_status(route: Route, role: str, seen: bool) -> int:
    if role in ("anonymous", "inactive"):
        return 302
    if role not in route.may_open:
        return 403
    return 200 if seen else 404


def check(client, url: str, role: str, want: int, what: str) -> str:
    response = client.get(url)
    assert response.status_code == want, f"{role} GET {url} ({what}): {response.status_code}, expected {want}"
    if want == 302:
        assert response["Location"].startswith(reverse("web:login")), response["Location"]
        return ""
    text = answer_text(response)
    leaked = [n for n in hidden_names(role) if n in text]
    assert not leaked, f"{role} GET {url} ({what}) shows people outside the scope: {leaked}"
    return text


PLAIN = [n for n, r in ROUTES.items() if r.obj is None]
ON_PERSON = [n for n, r in ROUTES.items() if r.obj == "person"]
ON_UNIT = [n for n, r in ROUTES.items() if r.obj == "unit"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", PLAIN)
def test_pages_without_an_object(world, name, role):
    route = ROUTES[name]
    client = client_for(world, role)
    check(client, reverse(f"web:{name}"), role, expected_status(route, role, True), "page")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ON_PERSON)
def test_pages_on_a_person_in_and_out_of_scope(world, name, role):
    route = ROUTES[name]
    client = client_for(world, role)
    for key, person in world.people.items():
        seen = key in PEOPLE_SEEN[role]
        want = expected_status(route, role, seen)
        text = check(client, reverse(f"web:{name}", args=[person.pk]), role, want, f"person {key}")
        if want == 200:
            assert person.family_name in text and person.given_name in text, (name, role, key)
    # A person that does not exist at all answers as one out of scope does.
    missing = max(p.pk for p in world.people.values()) + 1000
    check(client, reverse(f"web:{name}", args=[missing]), role, expected_status(route, role, False), "no one")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ON_UNIT)
def test_pages_on_a_unit_in_and_out_of_scope(world, name, role):
    route = ROUTES[name]
    client = client_for(world, role)
    for key in UNIT_KEYS:
        unit = getattr(world.units, key)
        want = expected_status(route, role, key in UNITS_SEEN[role])
        url = reverse(f"web:{name}", args=[unit.pk])
        if name == "unit" and want == 200 and unit.level != "commune_level":
            # A district's or province's page is its dashboard (the commune page is for communes).
            response = client.get(url)
            assert response.status_code == 302, (role, key, response.status_code)
            assert response["Location"].startswith(f"{reverse('web:dashboard')}?unit={unit.pk}&on="), (
                role,
                key,
            )
            continue
        check(client, url, role, want, f"unit {key}")


@pytest.mark.parametrize("role", ROLES)
def test_account_routes(world, role):
    client = client_for(world, role)
    login = client.get(reverse("web:login"))
    password = client.get(reverse("web:password_change"))
    if role in ("anonymous", "inactive"):
        assert login.status_code == 200
        assert "Đăng nhập" in login.content.decode()
        assert password.status_code == 302 and password["Location"].startswith(reverse("web:login"))
    else:
        # Already logged in: the login page leads home; the password page opens.
        assert login.status_code == 302 and login["Location"] == reverse("web:dashboard")
        assert password.status_code == 200
    # Logging out is a POST (a link cannot log anyone out); it leads to the login page.
    assert client.get(reverse("web:logout")).status_code == 405
    out = client.post(reverse("web:logout"))
    assert out.status_code == 302 and out["Location"] == reverse("web:login")
    assert client.get(reverse("web:dashboard")).status_code == 302


@pytest.mark.parametrize("role", ["province", "caoloc", "dongdang", "hanoi"])
def test_forged_unit_parameters_show_no_one_outside_the_scope(world, role):
    """A unit id of another scope typed into a page's query string is refused or shows nothing
    of it — never its people."""
    client = client_for(world, role)
    outside = [k for k in UNIT_KEYS if k not in UNITS_SEEN[role]]
    for name in PLAIN:
        if role not in ROUTES[name].may_open:
            continue
        for key in outside:
            unit = getattr(world.units, key)
            url = f"{reverse(f'web:{name}')}?unit={unit.pk}"
            response = client.get(url)
            assert response.status_code in (200, 400, 404), (url, response.status_code)
            text = answer_text(response)
            leaked = [n for n in hidden_names(role) if n in text]
            assert not leaked, f"{role} GET {url} shows people outside the scope: {leaked}"


#: Who may open the file of a person kept by Phường Kỳ Lừa who held a post in legacy Xã Bảo Lâm
#: until the merger: the officers of every unit she worked in read it (Bảo Lâm lies in the scope
#: of Huyện Cao Lộc and, by the merger, of new Xã Đồng Đăng) ...
SEES_MOVER = {"admin", "province", "inspector", "caoloc", "dongdang"}
#: ... but only the keeper of her file (Kỳ Lừa lies in the province's scope) changes it.
CHANGES_MOVER = {"admin", "province"}


@pytest.mark.parametrize("role", ROLES)
def test_a_file_is_read_where_the_person_worked_and_changed_only_where_it_is_kept(world, role):
    from datetime import date

    from canbo.registry.models import Assignment, Person

    mover = Person.objects.create(
        family_name="Lăng",
        middle_name="Thị",
        given_name="Hoa",
        birth_date=date(1984, 4, 4),
        sex="female",
        ethnicity="07",
        managing_unit=world.units.kylua,
    )
    Assignment.objects.create(
        person=mover,
        unit=world.units.baolam,
        title=world.titles["TP_HT"],
        start=date(2012, 1, 1),
        end=date(2025, 6, 30),
        start_reason="recruited",
        end_reason="unit_merged",
    )
    client = client_for(world, role)
    view = client.get(reverse("web:person", args=[mover.pk]))
    edit = client.get(reverse("web:person_edit", args=[mover.pk]))
    if role in ("anonymous", "inactive"):
        assert view.status_code == edit.status_code == 302
        return
    assert view.status_code == (200 if role in SEES_MOVER else 404), role
    if role in SEES_MOVER:
        assert "Lăng Thị Hoa" in answer_text(view)
    if role in CHANGES_MOVER:
        assert edit.status_code == 200, role
    else:
        # Refused: not found for whom the file is out of scope; not found or forbidden for whom
        # reads it (the inspector may open no edit page at all).
        assert edit.status_code in ((403, 404) if role in SEES_MOVER else (404,)), (role, edit.status_code)
        assert "Lăng Thị Hoa" not in answer_text(edit)
