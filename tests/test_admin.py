"""The Vietnamese admin (issue 2 §7) respects the logged-in user's scope, and
every change it makes is recorded with who, when, before and after.

Every request goes through Django's test client, as a browser would."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib import admin
from django.forms.models import _get_foreign_key, model_to_dict
from django.urls import reverse

from canbo.conduct.models import Discipline, Evaluation
from canbo.registry.models import Assignment, Person, Qualification
from canbo.training.models import TrainingEnrolment

ADMIN_ROLES = ["admin", "province", "inspector", "caoloc", "dongdang", "hanoi"]
MODELS = [Person, Assignment, Qualification, Evaluation, Discipline, TrainingEnrolment]
#: A free-text field of each model that a test edits.
TEXT_FIELD = {
    Person: "home_town",
    Assignment: "decision_number",
    Qualification: "institution",
    Evaluation: "note",
    Discipline: "reason",
    TrainingEnrolment: "result",
}
#: (user role, person key) pairs where the record is outside the user's scope.
OUT_OF_SCOPE = [("dongdang", "thanhloa"), ("caoloc", "dongdang"), ("hanoi", "baolam"), ("province", "hanoi")]
#: (user role, person key) pairs where the user may change the record.
IN_SCOPE_WRITE = [
    ("dongdang", "baolam"),
    ("caoloc", "thanhloa"),
    ("province", "kylua"),
    ("admin", "hanoi"),
    ("hanoi", "hanoi"),
]


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def obj_of(world, model, key):
    return world.people[key] if model is Person else world.records[model][key][0]


def form_data(obj, **changes) -> dict:
    """What the admin change form would post for ``obj`` (with ``changes``):
    the model's editable fields plus an empty management form for each inline."""
    data = {}
    for name, value in model_to_dict(obj).items():
        if value is None:
            value = ""
        elif isinstance(value, bool):
            if not value:
                continue
            value = "on"
        elif isinstance(value, date):
            value = value.isoformat()
        data[name] = value
    model = type(obj)
    for inline in admin.site._registry[model].inlines:
        fk = _get_foreign_key(model, inline.model, fk_name=inline.fk_name)
        prefix = fk.remote_field.get_accessor_name(model=inline.model).replace("+", "")
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(changes)
    return data


@pytest.fixture
def login(client, world):
    def as_role(role):
        client.force_login(world.users[role])
        return client

    return as_role


# --------------------------------------------------------------------------- lists


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_changelist_shows_only_records_in_scope(login, world, role):
    client = login(role)
    for model in MODELS:
        response = client.get(url(model, "changelist"))
        assert response.status_code == 200, model.__name__
        html = response.content.decode()
        for key in world.people:
            shown = world.name(key) in html
            assert shown is (key in world.visible(role)), (
                f"{model.__name__}: {world.name(key)} ({key}) shown={shown}"
            )


def test_admin_index_lists_the_apps_for_an_officer(login):
    response = login("dongdang").get(reverse("admin:index"))
    assert response.status_code == 200
    assert url(Person, "changelist") in response.content.decode()


def test_person_autocomplete_is_scoped(login, world):
    """The person picker of the assignment form offers only people in scope."""
    response = login("dongdang").get(
        reverse("admin:autocomplete"),
        {"app_label": "registry", "model_name": "assignment", "field_name": "person", "term": ""},
    )
    assert response.status_code == 200
    got = {r["text"] for r in response.json()["results"]}
    assert got == {world.name(k) for k in world.visible("dongdang")}


def test_unit_autocomplete_is_scoped(login, world):
    """The unit picker of the person form offers the new commune and the five old
    communes merged into it — nothing else."""
    u = world.units
    response = login("dongdang").get(
        reverse("admin:autocomplete"),
        {"app_label": "registry", "model_name": "person", "field_name": "managing_unit", "term": ""},
    )
    assert response.status_code == 200
    got = {int(r["id"]) for r in response.json()["results"]}
    predecessors = set(u.dongdang.predecessor_links.values_list("predecessor_id", flat=True))
    assert len(predecessors) == 5 and {u.dongdang_old.pk, u.baolam.pk} <= predecessors
    assert got == {u.dongdang.pk} | predecessors


def test_search_ignores_diacritics_within_scope(login, world):
    client = login("province")
    html = client.get(url(Person, "changelist"), {"q": "hoang van thang"}).content.decode()
    assert world.name("dongdang") in html
    assert world.name("baolam") not in html
    html = client.get(url(Person, "changelist"), {"q": "nguyen van binh"}).content.decode()
    assert world.name("hanoi") not in html  # out of scope even when searched for


# --------------------------------------------------------------------------- out of scope


@pytest.mark.parametrize(("role", "key"), OUT_OF_SCOPE)
def test_out_of_scope_change_page_is_not_shown(login, world, role, key):
    client = login(role)
    for model in MODELS:
        obj = obj_of(world, model, key)
        for view in ("change", "history", "delete"):
            response = client.get(url(model, view, obj.pk))
            where = f"{model.__name__} {view}"
            assert response.status_code in (302, 403, 404), where
            assert world.name(key) not in response.content.decode(), where
            if response.status_code == 302:
                assert response["Location"] == reverse("admin:index"), where


@pytest.mark.parametrize(("role", "key"), OUT_OF_SCOPE)
def test_out_of_scope_post_changes_nothing(login, world, role, key):
    client = login(role)
    for model in MODELS:
        obj = obj_of(world, model, key)
        field = TEXT_FIELD[model]
        before = getattr(obj, field)
        response = client.post(url(model, "change", obj.pk), form_data(obj, **{field: "SỬA TRÁI PHÉP"}))
        assert response.status_code != 200 or "errornote" in response.content.decode(), model.__name__
        obj.refresh_from_db()
        assert getattr(obj, field) == before, model.__name__
        # Deleting is refused too.
        client.post(url(model, "delete", obj.pk), {"post": "yes"})
        assert model.objects.filter(pk=obj.pk).exists(), model.__name__


@pytest.mark.parametrize(("role", "key"), IN_SCOPE_WRITE)
def test_in_scope_post_changes_the_record(login, world, role, key):
    """The control for the test above: the same POST by a user in scope works."""
    client = login(role)
    for model in MODELS:
        obj = obj_of(world, model, key)
        field = TEXT_FIELD[model]
        response = client.post(url(model, "change", obj.pk), form_data(obj, **{field: "Đã sửa"}))
        assert response.status_code == 302, (model.__name__, response.content.decode()[:3000])
        obj.refresh_from_db()
        assert getattr(obj, field) == "Đã sửa", model.__name__


def test_bulk_delete_reaches_only_records_in_scope(login, world):
    """The changelist's "delete selected" action with ids picked from outside
    the scope deletes nothing there."""
    client = login("dongdang")
    targets = [world.people[k].pk for k in ("thanhloa", "hanoi", "baolam")]
    response = client.post(
        url(Person, "changelist"), {"action": "delete_selected", "_selected_action": targets, "post": "yes"}
    )
    assert response.status_code == 302
    assert Person.objects.filter(pk=world.people["thanhloa"].pk).exists()
    assert Person.objects.filter(pk=world.people["hanoi"].pk).exists()
    assert not Person.objects.filter(pk=world.people["baolam"].pk).exists()  # the one in scope is gone
    # The inspector is not offered the action at all.
    response = login("inspector").post(
        url(Person, "changelist"),
        {"action": "delete_selected", "_selected_action": targets[:1], "post": "yes"},
    )
    assert Person.objects.filter(pk=world.people["thanhloa"].pk).exists()


# --------------------------------------------------------------------------- inspector


def test_inspector_views_but_cannot_change(login, world):
    client = login("inspector")
    for model in MODELS:
        obj = obj_of(world, model, "baolam")
        field = TEXT_FIELD[model]
        before = getattr(obj, field)
        response = client.get(url(model, "change", obj.pk))
        assert response.status_code == 200, model.__name__
        html = response.content.decode()
        assert world.name("baolam") in html, model.__name__
        assert 'name="_save"' not in html, model.__name__
        response = client.post(url(model, "change", obj.pk), form_data(obj, **{field: "THANH TRA SỬA"}))
        assert response.status_code == 403, model.__name__
        obj.refresh_from_db()
        assert getattr(obj, field) == before, model.__name__
        assert client.get(url(model, "add")).status_code == 403, model.__name__
        assert client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403, model.__name__
        assert model.objects.filter(pk=obj.pk).exists(), model.__name__


def test_inspector_cannot_change_through_the_history_revert_form(login, world):
    """django-simple-history's "revert to this version" form is a second way to
    write; it must not let a read-only user save."""
    person = world.people["baolam"]
    person.home_town = "Bảo Lâm, Cao Lộc"
    person.save()
    version = person.history.last()  # the original version
    client = login("inspector")
    response = client.get(url(Person, "simple_history", person.pk, version.history_id))
    assert response.status_code == 200
    response = client.post(
        url(Person, "simple_history", person.pk, version.history_id),
        form_data(person, home_town="THANH TRA SỬA"),
    )
    assert response.status_code in (302, 403)
    person.refresh_from_db()
    assert person.home_town == "Bảo Lâm, Cao Lộc"


def test_officer_in_scope_can_revert_to_a_version(login, world):
    """The control: an officer who may change the record may revert it."""
    person = world.people["baolam"]
    version = person.history.first()
    person.home_town = "Nhập nhầm"
    person.save()
    response = login("dongdang").post(
        url(Person, "simple_history", person.pk, version.history_id), form_data(person, home_town="")
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.home_town == ""
    assert person.history.first().history_user == world.users["dongdang"]


def test_out_of_scope_user_cannot_open_a_historical_version(login, world):
    person = world.people["baolam"]
    version = person.history.first()
    response = login("hanoi").get(url(Person, "simple_history", person.pk, version.history_id))
    assert response.status_code in (302, 403, 404)
    assert world.name("baolam") not in response.content.decode()


@pytest.mark.parametrize("role", ["inspector", "caoloc", "dongdang", "province"])
def test_titles_are_read_only_except_for_the_administrator(login, world, role):
    title = world.titles["CT_UBND"]
    client = login(role)
    response = client.get(url(title.__class__, "change", title.pk))
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    response = client.post(url(title.__class__, "change", title.pk), form_data(title, name="Đổi tên"))
    assert response.status_code == 403
    title.refresh_from_db()
    assert title.name == "Chủ tịch Ủy ban nhân dân"


def test_administrator_may_change_a_title(login, world):
    title = world.titles["CT_UBND"]
    response = login("admin").post(
        url(title.__class__, "change", title.pk), form_data(title, legal_reference="NĐ 33/2023 Đ.5")
    )
    assert response.status_code == 302
    title.refresh_from_db()
    assert title.legal_reference == "NĐ 33/2023 Đ.5"


# --------------------------------------------------------------------------- adding


def new_person_data(unit, given="Thử") -> dict:
    return form_data(
        Person(
            family_name="Hà",
            middle_name="Văn",
            given_name=given,
            sex="male",
            ethnicity="02",
            managing_unit=unit,
            birth_date=date(1990, 1, 2),
            religion="Không",
        ),
    )


@pytest.mark.parametrize(
    ("role", "unit", "allowed"),
    [
        ("dongdang", "thanhloa", False),
        ("dongdang", "hn_commune", False),
        ("caoloc", "dongdang", False),
        ("hanoi", "baolam", False),
        ("dongdang", "baolam", True),
        ("caoloc", "thanhloa", True),
        ("province", "kylua", True),
    ],
)
def test_adding_a_person_outside_the_scope_fails(login, world, role, unit, allowed):
    before = Person.objects.count()
    response = login(role).post(
        url(Person, "add"), new_person_data(getattr(world.units, unit), given="Thửnghiệm")
    )
    created = Person.objects.filter(given_name="Thửnghiệm")
    if allowed:
        assert response.status_code == 302, response.content.decode()[:3000]
        assert created.get().managing_unit == getattr(world.units, unit)
    else:
        assert response.status_code == 200
        html = response.content.decode()
        assert "errornote" in html and "errorlist" in html
        assert not created.exists()
        assert Person.objects.count() == before


def test_moving_a_person_out_of_scope_fails(login, world):
    person = world.people["baolam"]
    response = login("dongdang").post(
        url(Person, "change", person.pk), form_data(person, managing_unit=world.units.thanhloa.pk)
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    person.refresh_from_db()
    assert person.managing_unit == world.units.baolam


def test_adding_an_assignment_for_a_person_outside_the_scope_fails(login, world):
    u, t = world.units, world.titles
    data = {
        "person": world.people["thanhloa"].pk,
        "unit": u.dongdang.pk,
        "title": t["CV_TP"].pk,
        "start": "2025-07-01",
        "end": "",
        "start_reason": "placed",
        "end_reason": "",
        "decision_number": "9/QĐ",
    }
    client = login("dongdang")
    response = client.post(url(Assignment, "add"), data)
    assert response.status_code == 200
    assert not Assignment.objects.filter(decision_number="9/QĐ").exists()
    # The same assignment for a person in scope is accepted.
    response = client.post(url(Assignment, "add"), {**data, "person": world.people["dongdang"].pk})
    assert response.status_code == 302
    assert Assignment.objects.filter(decision_number="9/QĐ", person=world.people["dongdang"]).exists()


# --------------------------------------------------------------------------- anonymous


def test_anonymous_is_sent_to_the_login_page(client, world):
    for model in MODELS:
        obj = obj_of(world, model, "baolam")
        for target in (url(model, "changelist"), url(model, "change", obj.pk), url(model, "add")):
            response = client.get(target)
            assert response.status_code == 302, target
            assert response["Location"].startswith(reverse("admin:login")), target
        response = client.post(url(model, "change", obj.pk), form_data(obj, **{TEXT_FIELD[model]: "ẨN DANH"}))
        assert response.status_code == 302
        obj.refresh_from_db()
        assert getattr(obj, TEXT_FIELD[model]) != "ẨN DANH", model.__name__


def test_inactive_user_is_treated_as_anonymous(login, world):
    response = login("inactive").get(url(Person, "changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# --------------------------------------------------------------------------- history


def test_admin_edit_is_recorded_with_who_and_before_after(login, world):
    person = world.people["thanhloa"]
    officer = world.users["caoloc"]
    old_home = person.home_town
    client = login("caoloc")
    response = client.post(
        url(Person, "change", person.pk), form_data(person, home_town="Thanh Lòa, Cao Lộc, Lạng Sơn")
    )
    assert response.status_code == 302
    newest, previous = person.history.all()[:2]
    assert newest.history_user == officer
    assert newest.history_type == "~"
    delta = newest.diff_against(previous)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("home_town", old_home, "Thanh Lòa, Cao Lộc, Lạng Sơn")
    ]
    # The history page shows it, to the officer and to the inspector of the province.
    for role in ("caoloc", "inspector"):
        response = login(role).get(url(Person, "history", person.pk))
        assert response.status_code == 200
        html = response.content.decode()
        assert officer.username in html
        assert "Thanh Lòa, Cao Lộc, Lạng Sơn" in html


def test_every_admin_edit_has_its_author(login, world):
    client = login("dongdang")
    for model in MODELS:
        obj = obj_of(world, model, "dongdang")
        field = TEXT_FIELD[model]
        response = client.post(url(model, "change", obj.pk), form_data(obj, **{field: "Sửa lần 1"}))
        assert response.status_code == 302, model.__name__
        record = obj.history.first()
        assert record.history_user == world.users["dongdang"], model.__name__
        assert getattr(record, field) == "Sửa lần 1", model.__name__
        assert obj.history.count() == 2, model.__name__  # created by the fixture, changed by the officer
