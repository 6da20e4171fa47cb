"""Who may call which operation of the REST API, on which object (issue 11 §3): exactly the pages'
permissions.

Every role of ``conftest.world`` (and an anonymous caller) × every operation of ``/api/`` × every
person or unit of the world the operation can be asked about → the answer, each role with its own
token (``Authorization: Bearer``):

* 401 without a token, and with the token of a deactivated account;
* 403 for a role whose pages may not do it (the inspector writes nothing);
* 404 for an object outside the caller's scope — as the pages (``test_web_matrix``);
* 200 / 201 otherwise, and the answer never names a person the caller may not see.

The expectations are the web matrix's, written by hand (``PEOPLE_SEEN``, ``UNITS_SEEN``,
``EVERYONE``, ``WRITERS``). An operation added to the API without a line in ``OPERATIONS`` fails
:func:`test_every_operation_of_the_api_is_in_the_matrix`. Writes are rolled back after each role.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.test import Client
from test_web_matrix import (
    EVERYONE,
    PEOPLE_SEEN,
    PLAN_APPROVERS,
    PLANS_SEEN,
    ROLES,
    UNIT_KEYS,
    UNITS_SEEN,
    WRITERS,
    hidden_names,
)

pytestmark = pytest.mark.django_db

#: People and units enough to be in and out of every scope (the slow operations).
SOME_PEOPLE = ("baolam", "dongdang", "kylua", "hanoi")
SOME_UNITS = ("baolam", "dongdang", "caoloc", "kylua", "hn_commune")
#: People whose post is still open (new-era communes): the post-ending operation's objects.
OPEN_POSTS = ("dongdang", "kylua", "hanoi")


@pytest.fixture
def tokens_by_role(world) -> dict[str, str]:
    """A token of every role of the world; the deactivated account's was made while it worked."""
    from canbo.access import tokens
    from canbo.access.models import ApiToken

    out = {}
    for role, user in world.users.items():
        if role == "inactive":
            secret = tokens.PREFIX + "inactive-account-token-0000000000000000000000"
            ApiToken.objects.create(user=user, name="cũ", prefix=secret[:12], digest=tokens.digest(secret))
            out[role] = secret
        else:
            out[role] = tokens.create(user, f"thử {role}")[1]
    return out


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Report files of the job operations under a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


def call(client: Client, token: str | None, method: str, url: str, body=None, **headers):
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    if body is None:
        return getattr(client, method)(url, **headers)
    if isinstance(body, Multipart):
        return getattr(client, method)(url, data=dict(body), **headers)
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", **headers)


class Multipart(dict):
    """A body sent as ``multipart/form-data`` (an upload)."""


@dataclass(frozen=True)
class Op:
    """One operation as the matrix asks it: who may call it, what object (``person``, ``unit``,
    ``post`` or none) its path names, how to build the path and the body, the status of a
    success."""

    method: str
    path: str  # with {id} for the object
    may: frozenset[str]
    obj: str | None = None
    keys: tuple[str, ...] | None = None
    ok: int = 200
    body: Callable | None = field(default=None, compare=False)
    #: The status for an object outside the scope (404 as the pages; a body naming a unit of
    #: another scope is the form's refusal, 422).
    out: int = 404


def person_patch(world, key, role):
    from canbo.web.views.person import editable_fields, make_token

    person = world.people[key]
    return {"version": make_token(person, editable_fields(world.users[role])), "notes": f"sửa bởi {role}"}


def post_body(world, key, role):
    post = world.records[type_of("Assignment")][key][0]
    return {
        "title": post.title.code,
        "unit": post.unit_id,
        "start": post.start.isoformat(),
        "end": (post.start + timedelta(days=30)).isoformat(),
        "start_reason": "recruited",
        "end_reason": "transfer",
        "is_concurrent": True,
    }


def end_body(world, key, role):
    from canbo.registry.services import post_version

    post = world.records[type_of("Assignment")][key][0]
    return {"end": "2025-12-31", "end_reason": "transfer", "version": post_version(post.pk)}


def qualification_body(world, key, role):
    return {"dimension": "it", "level": "basic", "obtained_on": "2012-05-01", "original_text": "Tin học A"}


def report_body(world, key, role):
    unit = getattr(world.units, key)
    on = min(date(2025, 12, 31), unit.valid_to or date(2025, 12, 31))
    return {"report": "quality", "unit": unit.pk, "on": on.isoformat(), "format": "xlsx"}


def upload_body(world, key, role):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from import_lists import person_row, write_list

    unit = getattr(world.units, key)
    row = person_row("Triệu", "Văn", "Sơn", date(1982, 4, 9), "male", unit.name, "Chủ tịch UBND", serial=11)
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        content = write_list(Path(tmp) / "ds.xlsx", [row]).read_bytes()
    return Multipart(file=SimpleUploadedFile("ds.xlsx", content), unit=unit.pk, as_of="2025-12-31")


def plan_body(world, key, role):
    unit = getattr(world.units, key)
    return {"unit": unit.pk, "start_year": 2026, "years": 3, "time_limit": 5}


#: Those who import lists: the writers of personal records (the inspector reads only).
IMPORTERS = WRITERS


def type_of(name: str):
    from canbo.registry import models

    return getattr(models, name)


OPERATIONS: dict[str, tuple[Op, ...]] = {
    "me": (Op("get", "/api/me", EVERYONE),),
    "units_list": (
        Op("get", "/api/units/", EVERYONE),
        Op("get", "/api/units/?level=commune_level&q=dong", EVERYONE),
    ),
    "unit_detail": (Op("get", "/api/units/{id}", EVERYONE, "unit"),),
    "unit_staffing": (
        Op("get", "/api/units/{id}/staffing?on=2025-12-31", EVERYONE, "unit", keys=SOME_UNITS),
    ),
    "titles_list": (Op("get", "/api/titles/", EVERYONE),),
    "people_list": (
        Op("get", "/api/people/", EVERYONE),
        Op("get", "/api/people/?in_post=true&q=thi", EVERYONE),
    ),
    "person_detail": (Op("get", "/api/people/{id}", EVERYONE, "person"),),
    "person_findings": (
        Op("get", "/api/people/{id}/findings?on=2025-12-31", EVERYONE, "person", keys=SOME_PEOPLE),
    ),
    "person_update": (
        Op("patch", "/api/people/{id}", WRITERS, "person", keys=SOME_PEOPLE, body=person_patch),
    ),
    "post_add": (
        Op("post", "/api/people/{id}/posts/", WRITERS, "person", keys=SOME_PEOPLE, ok=201, body=post_body),
    ),
    "post_end": (
        Op("post", "/api/people/{id}/posts/{post}/end", WRITERS, "person", keys=OPEN_POSTS, body=end_body),
    ),
    "qualification_add": (
        Op(
            "post",
            "/api/people/{id}/qualifications/",
            WRITERS,
            "person",
            keys=SOME_PEOPLE,
            ok=201,
            body=qualification_body,
        ),
    ),
    # Creating a file: in a unit of one's scope (201), or of another scope — refused by the form
    # (the unit is not among the choices): 422, nothing written.
    "person_create": (Op("post", "/api/people/", WRITERS, "home_unit", ok=201, out=422),),
    # Jobs: a report or an import for a unit of one's scope answers 202 with the job; outside it
    # 404 (nothing queued). The file and the job: one's own (the administrator: anyone's).
    "report_submit": (
        Op("post", "/api/reports/", EVERYONE, "unit", keys=SOME_UNITS, ok=202, body=report_body),
    ),
    "import_submit": (
        Op("post", "/api/imports/", IMPORTERS, "unit", keys=("dongdang", "kylua"), ok=202, body=upload_body),
    ),
    # No such batch: 404 to whoever may import (the gate first: 403 to the others).
    "import_commit": (
        Op("post", "/api/imports/999999999/commit", IMPORTERS, ok=404, body=lambda world, key, role: {}),
    ),
    # Training plans (issue 13 §7): asked for a commune of one's scope (202, the job runs at once
    # here) or outside it (404); read in scope; approved by a province role (its scope).
    "training_plan_submit": (
        Op(
            "post",
            "/api/training/plans/",
            WRITERS,
            "unit",
            keys=("dongdang", "kylua"),
            ok=202,
            body=plan_body,
        ),
    ),
    "training_plans_list": (Op("get", "/api/training/plans/", EVERYONE),),
    "training_plan_detail": (Op("get", "/api/training/plans/{id}", EVERYONE, "plan"),),
    "training_plan_approve": (Op("post", "/api/training/plans/{id}/approve", PLAN_APPROVERS, "plan"),),
    "jobs_list": (Op("get", "/api/jobs/", EVERYONE),),
    "job_detail": (Op("get", "/api/jobs/{id}", EVERYONE, "job"),),
    "job_file": (Op("get", "/api/jobs/{id}/file", EVERYONE, "job"),),
}

#: The unit each role creates a file in (in its scope), and one outside it.
HOME_UNITS = {
    "admin": ("kylua", None),
    "province": ("kylua", "hn_commune"),
    "caoloc": ("baolam", "kylua"),
    "dongdang": ("dongdang", "kylua"),
    "hanoi": ("hn_commune", "dongdang"),
}


def expected(op: Op, role: str, seen: bool) -> int:
    if role in ("anonymous", "inactive"):
        return 401
    if role not in op.may:
        return 403
    if op.path == "/api/imports/" and role == "admin":
        # As the import page: the system administrator's upload form offers no unit (422).
        return 422
    return op.ok if seen else op.out


def objects(op: Op, world, role: str) -> list[tuple[str, object, bool]]:
    if op.obj == "person":
        return [(k, world.people[k], k in PEOPLE_SEEN[role]) for k in op.keys or world.people]
    if op.obj == "unit":
        return [(k, getattr(world.units, k), k in UNITS_SEEN[role]) for k in op.keys or UNIT_KEYS]
    if op.obj == "home_unit":
        inside, outside = HOME_UNITS.get(role, ("kylua", "hn_commune"))
        return [(inside, getattr(world.units, inside), True)] + (
            [(outside, getattr(world.units, outside), False)] if outside else []
        )
    if op.obj == "plan":
        return [(k, plan_of(world, k), role in PLANS_SEEN[k]) for k in PLANS_SEEN]
    if op.obj == "job":
        return [("own", job_of(world, role), True)] + (
            [] if role == "admin" else [("other", job_of(world, "admin"), False)]
        )
    return [("", None, True)]


def plan_of(world, key: str):
    """A draft training plan of Huyện Cao Lộc, new Xã Đồng Đăng or a commune of Hà Nội."""
    from canbo.training.models import TrainingPlan

    unit = getattr(world.units, {"hanoi": "hn_commune"}.get(key, key))
    found = TrainingPlan.objects.filter(unit=unit, status="draft").first()
    return found or TrainingPlan.objects.create(
        unit=unit, planned_on=date(2026, 1, 1), start_year=2026, years=5
    )


def job_of(world, role: str):
    """A finished report job of ``role``'s user (the admin's for the callers without an account)."""
    from django.core.files.base import ContentFile

    from canbo.jobs.models import Job

    user = world.users.get(role) or world.users["admin"]
    job = Job.objects.create(
        kind="report",
        user=user,
        unit=getattr(
            world.units, {"caoloc": "caoloc", "dongdang": "dongdang", "hanoi": "hn"}.get(role, "p20")
        ),
        params={"report": "quality", "on": "2025-12-31", "format": "pdf"},
        status="done",
        result_name="bao-cao.pdf",
    )
    job.result_file.save("bao-cao.pdf", ContentFile(b"%PDF-1.4 thu"), save=True)
    return job


def new_person_body(unit) -> dict:
    return {
        "family_name": "Đinh",
        "middle_name": "Văn",
        "given_name": "Mới",
        "birth_date": "1990-02-03",
        "sex": "male",
        "ethnicity": "07",
        "managing_unit": unit.pk,
    }


def url_of(op: Op, world, key: str, obj) -> str:
    path = op.path
    if obj is not None and op.obj in ("person", "unit", "job", "plan"):
        path = path.replace("{id}", str(obj.pk))
    if "{post}" in path:
        post = world.records[type_of("Assignment")][key][0]
        path = path.replace("{post}", str(post.pk))
    return path


def check_answer(response, role: str, want: int, what: str) -> None:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == want, (
        f"{role} {what}: {response.status_code}, expected {want}: {content[:300]!r}"
    )
    if response.streaming:  # a job's file
        assert response["Content-Type"] == "application/pdf" and content.startswith(b"%PDF"), (role, what)
        return
    assert response["Content-Type"].startswith("application/json"), (role, what, response["Content-Type"])
    body = response.json()
    if want >= 400:
        assert isinstance(body.get("detail"), str) and body["detail"], (role, what, body)
    text = content.decode()
    leaked = [n for n in hidden_names(role) if n in text]
    assert not leaked, f"{role} {what} names people outside the scope: {leaked}"


CASES = [(name, i) for name, ops in OPERATIONS.items() for i in range(len(ops))]


@pytest.mark.parametrize(("name", "variant"), CASES)
def test_each_operation_for_each_role_in_and_out_of_scope(world, tokens_by_role, name, variant):
    op = OPERATIONS[name][variant]
    failures = []
    for role in ROLES:
        token = tokens_by_role.get(role)
        client = Client()
        for key, obj, seen in objects(op, world, role):
            want = expected(op, role, seen)
            url = url_of(op, world, key, obj)
            if op.obj == "home_unit":
                body = new_person_body(obj)
            elif op.body is not None:
                body = op.body(world, key, role if role in world.users else "admin")
            else:
                body = None
            what = f"{op.method.upper()} {url} ({op.obj} {key})"
            try:
                with transaction.atomic():
                    response = call(client, token, op.method, url, body)
                    transaction.set_rollback(True)
                check_answer(response, role, want, what)
                if want == 200 and op.obj == "person" and op.method == "get" and "findings" not in url:
                    assert response.json()["full_name"] == world.name(key)
            except AssertionError as e:
                failures.append(str(e))
        if op.obj in ("person", "unit") and op.method == "get":
            # A record that does not exist at all answers as one out of scope does.
            missing = url_of(op, world, "", type("Missing", (), {"pk": 10**12})())
            response = call(client, token, "get", missing)
            want = expected(op, role, False)
            try:
                check_answer(response, role, want, f"GET {missing} (none)")
            except AssertionError as e:
                failures.append(str(e))
    assert not failures, "\n".join(failures)


def test_every_operation_of_the_api_is_in_the_matrix():
    from canbo.api.main import api

    schema = api.get_openapi_schema()
    ids = {op["operationId"] for methods in schema["paths"].values() for op in methods.values()}
    assert "people_list" in ids
    assert ids - set(OPERATIONS) == set(), f"operations missing from the matrix in {__file__}"
    assert set(OPERATIONS) - ids == set(), "operations in the matrix that the API no longer has"


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("anonymous", "inactive")])
def test_the_people_list_is_the_pages_list(world, tokens_by_role, role):
    """The list answers exactly the people the role may see — the web list's people — and its
    count is theirs (the same filter, ``people_query``)."""
    from canbo.web.people_query import people_query

    response = call(Client(), tokens_by_role[role], "get", "/api/people/?limit=200")
    assert response.status_code == 200
    body = response.json()
    names = {item["full_name"] for item in body["items"]}
    assert names == {world.name(k) for k in PEOPLE_SEEN[role]}
    assert body["count"] == len(names)
    for params in (
        {"in_post": "1"},
        {"unit": str(world.units.dongdang.pk)},
        {"status": "not_met", "on": "2025-12-31"},
    ):
        if "unit" in params and "dongdang" not in UNITS_SEEN[role]:
            continue
        query = "&".join(f"{k}={'true' if (k, v) == ('in_post', '1') else v}" for k, v in params.items())
        api_answer = call(Client(), tokens_by_role[role], "get", f"/api/people/?{query}&limit=200").json()
        page_ids = set(people_query(world.users[role], params)[0].values_list("pk", flat=True))
        assert {i["id"] for i in api_answer["items"]} == page_ids, (role, params)
        assert api_answer["count"] == len(page_ids)


def test_a_date_today_is_the_default(world, tokens_by_role):
    body = call(Client(), tokens_by_role["province"], "get", "/api/people/").json()
    from django.utils import timezone

    assert body["on"] == timezone.localdate().isoformat()
    assert date.fromisoformat(body["on"])
