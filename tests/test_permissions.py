"""Row-level permissions (issue 2 §3): one mechanism, :mod:`canbo.access.scope`,
restricts every query to the user's scope; an out-of-scope user can neither
read nor change a record.

The expectations are written out by hand in ``conftest.VISIBLE`` (which
person each role sees) and, for units, computed from the unit tree and the
1/7/2025 lineage with plain queries — not with the code under test.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from canbo.access import scope
from canbo.access.models import Role, User
from canbo.registry.models import (
    Person,
    Title,
    Unit,
    UnitAreaFlag,
    UnitClassification,
    UnitLineage,
    UnitStatistics,
)

ROLES = ["admin", "province", "inspector", "caoloc", "dongdang", "hanoi", "inactive"]
ACTIONS = ["view", "add", "change", "delete"]

#: Roles that may write personal records (within their scope).
WRITERS = {"admin", "province", "caoloc", "dongdang", "hanoi"}


def pks(qs) -> set[int]:
    return set(qs.values_list("pk", flat=True))


# --------------------------------------------------------------------------- personal records


@pytest.mark.parametrize("role", ROLES)
def test_restrict_returns_exactly_the_records_in_scope(world, models_of_records, role):
    user = world.users[role]
    for action in ACTIONS:
        may_act = (action == "view" and role != "inactive") or role in WRITERS
        for model in models_of_records:
            got = pks(scope.restrict(model.objects.all(), user, action))
            want = world.expected(model, role) if may_act else set()
            assert got == want, f"{model.__name__} / {role} / {action}"
    # A sanity check on the fixture itself: every record kind has one row per person.
    assert all(len(world.all_of(m)) == 7 for m in models_of_records)


def test_scope_follows_lineage_backwards_not_forwards(world):
    """The officer of a new commune sees the records kept by the old communes it
    absorbed; the officer of a legacy district does not see its successors."""
    u = world.units
    assert {u.dongdang.pk, u.dongdang_old.pk, u.baolam.pk} <= scope.scope_unit_ids(world.users["dongdang"])
    assert u.thanhloa.pk not in scope.scope_unit_ids(world.users["dongdang"])
    assert u.dongdang.pk not in scope.scope_unit_ids(world.users["caoloc"])
    assert u.kylua.pk not in scope.scope_unit_ids(world.users["caoloc"])


@pytest.mark.parametrize(
    ("role", "person", "expected"),
    [
        ("hanoi", "baolam", False),
        ("hanoi", "hanoi", True),
        ("province", "hanoi", False),
        ("province", "dinhlap", True),
        ("caoloc", "dongdang", False),
        ("caoloc", "kylua", False),
        ("caoloc", "thanhloa", True),
        ("dongdang", "thanhloa", False),
        ("dongdang", "baolam", True),
        ("admin", "hanoi", True),
    ],
)
def test_can_read_and_change_only_in_scope(world, models_of_records, role, person, expected):
    user = world.users[role]
    for model in models_of_records:
        obj = world.people[person] if model is Person else world.records[model][person][0]
        for action in ACTIONS:
            assert scope.can(user, action, obj) is expected, f"{model.__name__} {action}"
        assert scope.in_scope(user, obj) is expected


def test_inspector_reads_but_never_writes(world, models_of_records):
    inspector = world.users["inspector"]
    for model in models_of_records:
        obj = world.records[model]["baolam"][0] if model is not Person else world.people["baolam"]
        assert scope.can(inspector, "view", obj)
        for action in ("add", "change", "delete"):
            assert not scope.can(inspector, action, obj)
            assert not scope.allowed(inspector, action, model)
    # Not even a new record in scope.
    new = Person(family_name="Hà", given_name="An", sex="male", managing_unit=world.units.baolam)
    assert not scope.can(inspector, "add", new)


def test_new_records_are_judged_by_the_unit_they_would_belong_to(world):
    u = world.units
    caoloc = world.users["caoloc"]

    def person(unit):
        return Person(family_name="Hà", given_name="An", sex="male", managing_unit=unit)

    assert scope.can(caoloc, "add", person(u.thanhloa))
    assert scope.can(caoloc, "add", person(u.caoloc))
    assert not scope.can(caoloc, "add", person(u.dongdang))  # the successor is not below the district
    assert not scope.can(caoloc, "add", person(u.hn_commune))
    assert not scope.can(caoloc, "add", Person(family_name="Hà", given_name="An", sex="male"))  # no unit yet
    assert scope.can(world.users["admin"], "add", person(u.hn_commune))


@pytest.mark.parametrize("user_kind", ["anonymous", "inactive", "no_role_scope"])
def test_anonymous_and_inactive_users_get_nothing(world, models_of_records, user_kind):
    if user_kind == "anonymous":
        user = AnonymousUser()
    elif user_kind == "inactive":
        user = world.users["inactive"]
    else:  # a unit officer whose scope was never set
        user = User.objects.create(username="chua_phan_quyen", role=Role.UNIT_OFFICER, is_staff=True)
    # A scope-less officer still reads the national title catalogue, nothing else.
    catalogue = [] if user_kind == "no_role_scope" else [Title]
    for model in [*models_of_records, Unit, UnitLineage, User, *catalogue]:
        for action in ACTIONS:
            assert not scope.restrict(model.objects.all(), user, action).exists(), (model.__name__, action)
    if user_kind != "no_role_scope":
        assert scope.scope_unit_ids(user) == frozenset()
        assert not scope.can(user, "view", world.people["baolam"])
        assert not scope.can(user, "view", Title)
        assert not scope.allowed(user, "view", Title)


def test_ensure_in_scope_rolls_back_a_write_that_leaves_the_scope(world):
    """A unit officer moving a file to another province: the re-check after
    the save raises and the transaction is rolled back."""
    officer = world.users["dongdang"]
    person = world.people["baolam"]
    scope.ensure_in_scope(officer, person)  # in scope: no error
    with pytest.raises(PermissionDenied), transaction.atomic():
        person.managing_unit = world.units.hn_commune
        person.save()
        scope.ensure_in_scope(officer, person)
    person.refresh_from_db()
    assert person.managing_unit == world.units.baolam
    with pytest.raises(PermissionDenied):
        scope.ensure_in_scope(world.users["inspector"], person, "change")
    with pytest.raises(PermissionDenied):
        scope.ensure_in_scope(world.users["hanoi"], person, "view")


# --------------------------------------------------------------------------- units


def province_20_units() -> set[int]:
    """Every unit of Lạng Sơn, legacy and new, found by walking parents."""
    provinces = Unit.objects.filter(code="20", level="province")
    return pks(
        Unit.objects.filter(Q(pk__in=provinces) | Q(parent__in=provinces) | Q(parent__parent__in=provinces))
    )


def expected_units(role, world) -> set[int] | None:
    u = world.units
    if role == "admin":
        return pks(Unit.objects.all())
    if role in ("province", "inspector"):
        return province_20_units()
    if role == "caoloc":
        return {u.caoloc.pk} | pks(Unit.objects.filter(parent=u.caoloc))
    if role == "dongdang":
        # The new commune and the five it absorbed on 1/7/2025 (official conversion table).
        olds = pks(
            Unit.objects.filter(
                code__in=["06184", "06190", "06205", "06208", "06214"], valid_to__isnull=False
            )
        )
        assert len(olds) == 5
        return {u.dongdang.pk} | olds
    if role == "hanoi":
        return pks(
            Unit.objects.filter(
                Q(code="01", level="province")
                | Q(parent__code="01", parent__level="province")
                | Q(parent__parent__code="01", parent__parent__level="province")
            )
        )
    return set()


def test_unit_scope_of_each_role(world):
    for role in ROLES:
        want = expected_units(role, world)
        assert pks(scope.restrict(Unit.objects.all(), world.users[role], "view")) == want, role
    # The Lạng Sơn and Hà Nội scopes are disjoint and large enough to mean something.
    assert len(expected_units("province", world)) > 200
    assert not expected_units("province", world) & expected_units("hanoi", world)
    assert scope.scope_unit_ids(world.users["province"]) == expected_units("province", world)


@pytest.mark.parametrize(
    ("role", "actions"),
    [
        ("admin", {"view", "add", "change", "delete"}),
        ("province", {"view", "add", "change"}),
        ("inspector", {"view"}),
        ("caoloc", {"view"}),
        ("dongdang", {"view"}),
        ("hanoi", {"view", "add", "change"}),
        ("inactive", set()),
    ],
)
def test_units_and_their_facts_are_written_by_province_officers_only(world, role, actions):
    u = world.units
    UnitClassification.objects.create(unit=u.baolam, unit_class="class_3")
    UnitClassification.objects.create(unit=u.hn_commune, unit_class="class_1")
    UnitAreaFlag.objects.create(unit=u.baolam, flag="border")
    UnitAreaFlag.objects.create(unit=u.kylua, flag="mountainous")
    UnitStatistics.objects.create(unit=u.dongdang, year=2025, population=21000)
    UnitStatistics.objects.create(unit=u.hn_commune, year=2025, population=50000)
    user = world.users[role]
    scope_ids = expected_units(role, world)
    for action in ACTIONS:
        for model, path in [
            (Unit, "pk"),
            (UnitLineage, "successor"),
            (UnitClassification, "unit"),
            (UnitAreaFlag, "unit"),
            (UnitStatistics, "unit"),
        ]:
            got = pks(scope.restrict(model.objects.all(), user, action))
            want = pks(model.objects.filter(**{f"{path}__in": scope_ids})) if action in actions else set()
            assert got == want, (model.__name__, action)
    # A new commune under the province: only a province officer of that province may add it.
    new_unit = Unit(
        code="99999",
        name="Xã Thử",
        level="commune_level",
        kind="commune",
        parent=u.p20,
        valid_from=u.p20.valid_from,
    )
    assert scope.can(user, "add", new_unit) is (role in ("admin", "province"))


def test_unit_officer_cannot_change_own_unit_province_officer_can(world):
    u = world.units
    assert not scope.can(world.users["dongdang"], "change", u.dongdang)
    assert scope.can(world.users["dongdang"], "view", u.dongdang)
    assert scope.can(world.users["province"], "change", u.dongdang)
    assert not scope.can(world.users["province"], "delete", u.dongdang)
    assert not scope.can(world.users["province"], "change", u.hn_commune)
    assert not scope.can(world.users["province"], "view", u.hn_commune)


# --------------------------------------------------------------------------- catalogue and accounts


@pytest.mark.parametrize("role", ROLES)
def test_titles_readable_by_all_writable_by_the_administrator(world, role):
    user = world.users[role]
    n = Title.objects.count()
    assert n > 20
    title = world.titles["CT_UBND"]
    active = role != "inactive"
    assert scope.restrict(Title.objects.all(), user, "view").count() == (n if active else 0)
    assert scope.can(user, "view", title) is active
    for action in ("add", "change", "delete"):
        assert scope.restrict(Title.objects.all(), user, action).count() == (n if role == "admin" else 0)
        assert scope.can(user, action, title) is (role == "admin")
        assert scope.can(user, action, Title) is (role == "admin")


@pytest.mark.parametrize("role", ROLES)
def test_only_the_administrator_manages_accounts(world, role):
    user = world.users[role]
    for action in ACTIONS:
        got = pks(scope.restrict(User.objects.all(), user, action))
        assert got == (pks(User.objects.all()) if role == "admin" else set())


def test_scope_cache_is_per_user_object(world):
    """The scope is cached on the user object for one request; a fresh object
    (the next request) sees a changed scope unit."""
    officer = world.users["caoloc"]
    assert world.units.thanhloa.pk in scope.scope_unit_ids(officer)
    User.objects.filter(pk=officer.pk).update(scope_unit=world.units.dongdang)
    fresh = User.objects.get(pk=officer.pk)
    assert world.units.thanhloa.pk not in scope.scope_unit_ids(fresh)
    assert world.units.baolam.pk in scope.scope_unit_ids(fresh)
