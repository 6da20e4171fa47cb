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
from dataclasses import dataclass

import pytest
from conftest import NAMES, VISIBLE, full_name
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ["admin", "province", "inspector", "caoloc", "dongdang", "hanoi", "inactive", "anonymous"]

#: Roles that may open a page that only shows what is in their scope.
EVERYONE = frozenset({"admin", "province", "inspector", "caoloc", "dongdang", "hanoi"})
#: Roles that write personal records: the inspector only reads.
WRITERS = EVERYONE - {"inspector"}
#: Posts recorded outside their recorder's scope are confirmed by a province's officers.
CONFIRMERS = frozenset({"admin", "province", "hanoi"})
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


#: Import batches kept for three units (see :func:`import_objects`) and who may open each: a
#: batch belongs to the unit whose list it is.
BATCHES_SEEN: dict[str, set[str]] = {
    "caoloc": {"admin", "province", "inspector", "caoloc"},
    "dongdang": {"admin", "province", "inspector", "dongdang"},
    "hanoi": {"admin", "hanoi"},
}
#: A row of a list of legacy Xã Bảo Lâm held for review (is it Lộc Thị Huyền on record?): Bảo
#: Lâm lies in the scopes of the province, Huyện Cao Lộc and new Xã Đồng Đăng.
REVIEWS_SEEN: dict[str, set[str]] = {"baolam": {"admin", "province", "inspector", "caoloc", "dongdang"}}
#: A province's decision on the standards (a commune quota), kept by the province: read by every
#: officer whose scope lies in that province after the merger (the legacy district of Cao Lộc
#: reads upwards to the legacy province, not the new one) ...
DECISIONS_SEEN: dict[str, set[str]] = {
    "langson": {"admin", "province", "inspector", "dongdang"},
    "hanoi": {"admin", "hanoi"},
}
#: ... and changed by the province's own officers.
DECISIONS_CHANGED: dict[str, set[str]] = {"langson": {"admin", "province"}, "hanoi": {"admin", "hanoi"}}
#: Who writes a province's decisions at all.
RULE_EDITORS = frozenset({"admin", "province", "hanoi"})
#: A report drawn up as a job by the officer of new Xã Đồng Đăng, and one by Hà Nội's: a job is
#: seen by the one who asked for it, and by the administrator.
JOBS_SEEN: dict[str, set[str]] = {"dongdang": {"admin", "dongdang"}, "hanoi": {"admin", "hanoi"}}
#: Training plans (issue 13 §7) of Huyện Cao Lộc, new Xã Đồng Đăng and a commune of Hà Nội: read
#: by the roles whose scope holds the unit; approved only by a province's officers.
PLANS_SEEN: dict[str, set[str]] = {
    "caoloc": {"admin", "province", "inspector", "caoloc"},
    "dongdang": {"admin", "province", "inspector", "dongdang"},
    "hanoi": {"admin", "hanoi"},
}
PLAN_APPROVERS = frozenset({"province", "hanoi"})
#: Accounts (the world's users): only the administrator opens them.
ACCOUNTS_SEEN: dict[str, set[str]] = {"dongdang": {"admin"}, "hanoi": {"admin"}}
#: The template workbook: the user's own unit (given), a unit of another scope (refused, 400 — the
#: form offers only the units of the scope). A province's scope is too large to list its communes:
#: its own province (and districts) are offered.
TEMPLATE_UNITS: dict[str, tuple[str, str | None]] = {
    "admin": ("p20", None),
    "province": ("p20", "hn"),
    "caoloc": ("caoloc", "dongdang"),
    "dongdang": ("dongdang", "caoloc"),
    "hanoi": ("hn", "p20"),
}


@dataclass(frozen=True)
class Route:
    """One route of the web app as the matrix asks it: who may open it; what object (a
    ``person``, ``unit``, import ``batch`` or ``review``, ``job``, or none) it is asked about, in its path
    or in the query parameter ``param``; the rest of the query string; the form POSTed (else a
    GET); the status of a success (``ok``) and of an object outside the scope (``out``)."""

    may_open: frozenset[str]
    obj: str | None = None
    param: str | None = None
    query: str = ""
    post: dict | None = None
    ok: int = 200
    out: int = 404
    #: Only these objects of the kind (a page slow to build: enough for in and out of every scope).
    keys: tuple[str, ...] | None = None


#: Every route of the ``web`` namespace, by URL name, with the ways the matrix asks it. The
#: account routes are in :data:`ACCOUNT_ROUTES` (the login page is for the anonymous).
#: People and units enough to be in and out of every scope (for the pages slower to build).
SOME_PEOPLE = ("baolam", "dongdang", "kylua", "hanoi")
SOME_UNITS = ("baolam", "dongdang", "caoloc", "kylua", "hn_commune")

ROUTES: dict[str, tuple[Route, ...]] = {
    "dashboard": (Route(EVERYONE), Route(EVERYONE, "unit", param="unit", keys=SOME_UNITS)),
    "unit": (Route(EVERYONE, "unit"),),
    # The résumés of a commune's people, a background job: back to the job's page.
    "unit_resumes": (
        Route(EVERYONE, "unit", post={"format": "pdf"}, ok=302, keys=("dongdang", "kylua", "hn_commune")),
    ),
    "people": (Route(EVERYONE),),
    "people_export": (Route(EVERYONE),),
    "person": (Route(EVERYONE, "person"),),
    "person_edit": (Route(WRITERS, "person", keys=SOME_PEOPLE),),
    "person_post_add": (Route(WRITERS, "person", keys=SOME_PEOPLE),),
    "person_post_end": (Route(WRITERS, "person", keys=SOME_PEOPLE),),
    "person_qualification_add": (Route(WRITERS, "person", keys=SOME_PEOPLE),),
    "person_salary_add": (Route(WRITERS, "person", keys=SOME_PEOPLE),),
    "person_award_add": (Route(WRITERS, "person", keys=SOME_PEOPLE),),
    "person_membership_add": (Route(WRITERS, "person", keys=SOME_PEOPLE),),
    "person_family_add": (Route(WRITERS, "person", keys=SOME_PEOPLE),),
    # The résumé (Mẫu 2C) of a file the user keeps; outside the scope: 404, recorded.
    "person_resume": (Route(EVERYONE, "person", query="format=docx", keys=SOME_PEOPLE),),
    # The posts recorded elsewhere, waiting for the province: the province's officers confirm.
    "confirmations": (Route(CONFIRMERS),),
    "imports": (Route(WRITERS),),
    "import_upload": (Route(WRITERS),),
    "import_template": (Route(WRITERS, "template_unit", param="unit", out=400),),
    "import_batch": (Route(WRITERS, "batch"),),
    # A commit with a fingerprint that is not the preview's: refused, back to the batch's page.
    "import_commit": (Route(WRITERS, "batch", post={"fingerprint": "0" * 64}, ok=302),),
    "import_file": (Route(WRITERS, "batch"),),
    "import_reviews": (Route(WRITERS),),
    "import_review": (Route(WRITERS, "review"),),
    "reports": (Route(EVERYONE), Route(EVERYONE, "unit", param="unit", keys=SOME_UNITS)),
    "report_download": (
        Route(EVERYONE, "unit", param="unit", query="report=quality&format=xlsx", keys=SOME_UNITS),
        Route(EVERYONE, "unit", param="unit", query="report=staffing&format=xlsx", keys=SOME_UNITS),
    ),
    "rules": (Route(EVERYONE), Route(EVERYONE, query="on=01/01/2020")),
    "decision_new": (Route(RULE_EDITORS),),
    "decision_detail": (Route(EVERYONE, "decision"),),
    "decision_edit": (Route(RULE_EDITORS, "decision_change"),),
    # Ending is a POST; a GET leads back to the decision's page.
    "decision_end": (Route(RULE_EDITORS, "decision_change", ok=302),),
    "users": (Route(ADMIN),),
    "user_new": (Route(ADMIN),),
    "user_units": (Route(ADMIN, query="unit_q=dong"),),
    "user_detail": (Route(ADMIN, "account"),),
    "user_edit": (Route(ADMIN, "account"),),
    # Reactivating an active account changes nothing; back to the account's page.
    "user_active": (Route(ADMIN, "account", post={"active": "1"}, ok=302),),
    # A new temporary password, shown once.
    "user_reset": (Route(ADMIN, "account", post={}),),
    # Background jobs (issue 11 §2): one's own; the administrator's, everyone's.
    "jobs": (Route(EVERYONE),),
    "job": (Route(EVERYONE, "job"),),
    "job_status": (Route(EVERYONE, "job"),),
    "job_file": (Route(EVERYONE, "job"),),
    # Cancelling a finished job: told so, back to its page.
    "job_cancel": (Route(EVERYONE, "job", post={}, ok=302),),
    # A job that went well is not run again: 400, saying why.
    "job_again": (Route(EVERYONE, "job", post={}, ok=400),),
    # Training plans (issue 13 §7): the list and a plan for every role in its scope; a new plan
    # for the roles that write records; approval (a POST, back to the plan) by a province role.
    "training_plans": (Route(EVERYONE),),
    "training_plan_new": (Route(WRITERS),),
    "training_plan": (Route(EVERYONE, "plan"),),
    "training_plan_approve": (Route(PLAN_APPROVERS, "plan", post={}, ok=302),),
    # One's own tokens of the API (issue 11 §3): every role.
    "api_tokens": (Route(EVERYONE),),
}
#: Revoking a token is asked of one's own tokens only: tested in test_api.py.
ACCOUNT_ROUTES = {"login", "logout", "password_change", "api_token_revoke"}


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
        # (Read afresh, without the mark of a reset: the administrator's turn may have reset
        # this account's password, which logs it out and sends it to the password page.)
        model = type(world.users[role])
        model.objects.filter(pk=world.users[role].pk).update(must_change_password=False)
        user = model.objects.get(pk=world.users[role].pk)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def answer_text(response) -> str:
    """What a user receives: the page's HTML, or every cell of a workbook, or the text of a Word
    document."""
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in kind:
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c
        )
    if "wordprocessingml" in kind:
        import docx

        document = docx.Document(io.BytesIO(body))
        return "\n".join(
            [p.text for p in document.paragraphs]
            + [c.text for t in document.tables for row in t.rows for c in row.cells]
        )
    return body.decode("utf-8", errors="replace")


def hidden_names(role: str) -> list[str]:
    return [full_name(k) for k in NAMES if k not in PEOPLE_SEEN[role]]


def expected_status(route: Route, role: str, seen: bool) -> int:
    if role in ("anonymous", "inactive"):
        return 302
    if role not in route.may_open:
        return 403
    return route.ok if seen else route.out


def check(client, route: Route, url: str, role: str, want: int, what: str) -> str:
    response = client.post(url, route.post) if route.post is not None else client.get(url)
    method = "POST" if route.post is not None else "GET"
    assert response.status_code == want, (
        f"{role} {method} {url} ({what}): {response.status_code}, expected {want}"
    )
    if want == 302:
        to_login = response["Location"].startswith(reverse("web:login"))
        assert to_login is (role in ("anonymous", "inactive")), (role, url, response["Location"])
        return ""
    text = answer_text(response)
    leaked = [n for n in hidden_names(role) if n in text]
    assert not leaked, f"{role} {method} {url} ({what}) shows people outside the scope: {leaked}"
    return text


@pytest.fixture
def import_objects(world, tmp_path, settings):
    """Import batches of Huyện Cao Lộc (31/12/2024), new Xã Đồng Đăng and a commune of Hà Nội
    (31/12/2025), read; and a row of a Bảo Lâm list held for review (same person as Lộc Thị
    Huyền on record, or not?)."""
    from datetime import date

    from import_lists import good_people, person_row, write_list

    from canbo.imports import flow, services
    from canbo.imports.models import ImportReview

    settings.MEDIA_ROOT = tmp_path / "media"
    u, users = world.units, world.users
    batches = {}
    for key, unit, as_of in [
        ("caoloc", u.caoloc, date(2024, 12, 31)),
        ("dongdang", u.dongdang, date(2025, 12, 31)),
        ("hanoi", u.hn_commune, date(2025, 12, 31)),
    ]:
        path = write_list(tmp_path / f"{key}.xlsx", good_people())
        batches[key] = services.copy_into_batch(path, unit, as_of, users[key])
        services.prepare(batches[key], users[key])
    huyen = world.people["baolam"]
    row = person_row(
        "Lộc", "Thị", "Huyền", huyen.birth_date, "female", "Bảo Lâm", "Phó Chủ tịch UBND", number=False
    )
    path = write_list(tmp_path / "baolam.xlsx", [row])
    batch = services.copy_into_batch(path, u.baolam, date(2024, 12, 31), users["dongdang"])
    services.prepare(batch, users["dongdang"])
    flow.commit_batch(batch, users["dongdang"], None)
    review = ImportReview.objects.get(batch=batch)
    assert review.candidate == huyen
    return {"batch": batches, "review": {"baolam": review}}


def objects_of(route: Route, world, request, role: str) -> list[tuple[str, object, bool]]:
    """The objects a route is asked about: (key, object, may ``role`` see it)."""
    kind = route.obj
    if kind == "person":
        return [(k, world.people[k], k in PEOPLE_SEEN[role]) for k in route.keys or world.people]
    if kind == "unit":
        return [(k, getattr(world.units, k), k in UNITS_SEEN[role]) for k in route.keys or UNIT_KEYS]
    if kind == "template_unit":
        inside, outside = TEMPLATE_UNITS.get(role, ("p20", "hn"))
        pairs = [(inside, True)] + ([(outside, False)] if outside else [])
        return [(k, getattr(world.units, k), seen) for k, seen in pairs]
    if kind == "account":
        return [(k, world.users[k], role in ACCOUNTS_SEEN[k]) for k in ACCOUNTS_SEEN]
    if kind == "plan":
        made = request.getfixturevalue("plan_objects")
        return [(k, obj, role in PLANS_SEEN[k]) for k, obj in made.items()]
    if kind == "job":
        made = request.getfixturevalue("job_objects")
        return [(k, obj, role in JOBS_SEEN[k]) for k, obj in made.items()]
    if kind in ("decision", "decision_change"):
        made = request.getfixturevalue("decisions")
        seen_by = DECISIONS_SEEN if kind == "decision" else DECISIONS_CHANGED
    else:
        made = request.getfixturevalue("import_objects")[kind or ""]
        seen_by = BATCHES_SEEN if kind == "batch" else REVIEWS_SEEN
    return [(k, obj, role in seen_by[k]) for k, obj in made.items()]


@pytest.fixture
def job_objects(world, tmp_path, settings):
    """The quality report of new Xã Đồng Đăng asked for by its officer, and of a commune of Hà
    Nội by Hà Nội's: drawn up (jobs run at once in these tests)."""
    from datetime import date

    from canbo.jobs import services

    settings.MEDIA_ROOT = tmp_path / "media"
    made = {}
    for key, unit in [("dongdang", world.units.dongdang), ("hanoi", world.units.hn_commune)]:
        made[key] = services.submit_report(
            world.users[key], report="quality", unit=unit, on=date(2025, 12, 31), fmt="xlsx"
        )
        assert made[key].status == "done", made[key].message
    return made


@pytest.fixture
def plan_objects(world):
    """A draft training plan of Huyện Cao Lộc, of new Xã Đồng Đăng (sending its officer to a
    course) and of a commune of Hà Nội (sending Hà Nội's person): written directly, not solved."""
    from datetime import date

    from canbo.training.models import Course, PlannedAttendance, TrainingPlan

    course = Course.objects.order_by("code").first()
    made = {}
    for key, unit, person in [
        ("caoloc", world.units.caoloc, None),
        ("dongdang", world.units.dongdang, "dongdang"),
        ("hanoi", world.units.hn_commune, "hanoi"),
    ]:
        made[key] = TrainingPlan.objects.create(
            unit=unit, planned_on=date(2026, 1, 1), start_year=2026, years=5
        )
        if person:
            PlannedAttendance.objects.create(
                plan=made[key], person=world.people[person], course=course, start_year=2026
            )
    return made


@pytest.fixture
def decisions(world):
    """A commune quota decided by Lạng Sơn for new Xã Đồng Đăng, one by Hà Nội for its commune."""
    from datetime import date

    from canbo.standards.models import ProvincialDecision

    made = {}
    for key, province, unit in [
        ("langson", world.units.p20, world.units.dongdang),
        ("hanoi", world.units.hn, world.units.hn_commune),
    ]:
        d = ProvincialDecision(
            province=province,
            kind="commune_quota",
            unit=unit,
            quota=25,
            valid_from=date(2025, 7, 15),
            decision_number=f"{len(made) + 1}/QĐ-UBND",
        )
        d.full_clean()
        d.save()
        made[key] = d
    return made


def url_for(name: str, route: Route, obj=None) -> str:
    if obj is None:
        url = reverse(f"web:{name}")
        params = [route.query] if route.query else []
    elif route.param:
        url = reverse(f"web:{name}")
        params = [f"{route.param}={obj.pk}"] + ([route.query] if route.query else [])
    else:
        url = reverse(f"web:{name}", args=[obj.pk])
        params = [route.query] if route.query else []
    return f"{url}?{'&'.join(params)}" if params else url


CASES = [(name, i) for name, routes in ROUTES.items() for i in range(len(routes))]


@pytest.mark.parametrize(("name", "variant"), CASES)
def test_each_page_for_each_role_in_and_out_of_scope(world, request, name, variant):
    """One route for every role (one world for all: building it is the slow part); every
    failure is reported, by role."""
    route = ROUTES[name][variant]
    failures = []
    for role in ROLES:
        client = client_for(world, role)
        try:
            ask(client, route, name, world, request, role)
        except AssertionError as e:
            failures.append(f"{role}: {e}")
    assert not failures, "\n".join(failures)


def ask(client, route: Route, name: str, world, request, role: str) -> None:
    if route.obj is None:
        check(client, route, url_for(name, route), role, expected_status(route, role, True), "page")
        return
    for key, obj, seen in objects_of(route, world, request, role):
        want = expected_status(route, role, seen)
        if name == "unit" and want == 200 and obj.level != "commune_level":
            # A district's or province's page is its dashboard (the commune page is for communes).
            response = client.get(url_for(name, route, obj))
            assert response.status_code == 302, (role, key, response.status_code)
            assert response["Location"].startswith(f"{reverse('web:dashboard')}?unit={obj.pk}&on="), (
                role,
                key,
            )
            continue
        text = check(client, route, url_for(name, route, obj), role, want, f"{route.obj} {key}")
        if want == 200 and route.obj == "person":
            assert obj.family_name in text and obj.given_name in text, (name, role, key)
    if route.obj in ("person", "unit"):
        # An object that does not exist at all answers as one out of scope does.
        model = type(obj)
        missing = model(pk=model.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000)
        check(client, route, url_for(name, route, missing), role, expected_status(route, role, False), "none")


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
    # A commune and a province of another scope.
    outside = [k for k in ("kylua", "hn_commune", "p20", "hn") if k not in UNITS_SEEN[role]][:2]
    for name, routes in ROUTES.items():
        if routes[0].obj is not None or routes[0].post is not None or role not in routes[0].may_open:
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
