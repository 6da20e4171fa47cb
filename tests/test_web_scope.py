"""Who sees whom (issue 10 §2): the officers of a unit see the people who held posts in it,
including before the 2025 merger; a post recorded outside the recorder's scope waits for the
province's confirmation; the sensitive parts of a file by role.

The world is ``conftest.world`` plus, per test, a person kept by new Phường Kỳ Lừa who held a
post in legacy Xã Bảo Lâm before 1/7/2025 (Bảo Lâm lies in Huyện Cao Lộc's scope and, by the
merger, in new Xã Đồng Đăng's). Expectations are written out by hand.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from conftest import LEGACY_END, make_user, record_models
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from canbo.access import scope
from canbo.access.models import FileAccess
from canbo.registry import services
from canbo.registry.models import Assignment, Confirmation, Person, Qualification, Unit

ROLES = ["admin", "province", "inspector", "caoloc", "dongdang", "hanoi", "inactive"]

#: Who sees the mover (kept by Kỳ Lừa, a post in legacy Bảo Lâm until 30/06/2025).
SEES_MOVER = {"admin", "province", "inspector", "caoloc", "dongdang"}
#: Who may change the mover's file: only where the managing unit (Kỳ Lừa) is in scope.
CHANGES_MOVER = {"admin", "province"}


def pks(qs) -> set[int]:
    return set(qs.values_list("pk", flat=True))


@pytest.fixture
def mover(world):
    """Lăng Thị Hoa, kept by new Phường Kỳ Lừa; Công chức Tư pháp – Hộ tịch of legacy Xã Bảo Lâm
    from 2012 until the merger, with one record of each kind hanging off her."""
    from canbo.conduct.models import Discipline, Evaluation, Inspection
    from canbo.training.models import TrainingEnrolment

    u, t = world.units, world.titles
    person = Person.objects.create(
        family_name="Lăng",
        middle_name="Thị",
        given_name="Hoa",
        birth_date=date(1984, 4, 4),
        sex="female",
        ethnicity="07",
        religion="Phật giáo",
        is_party_member=True,
        party_joined_on=date(2010, 5, 19),
        managing_unit=u.kylua,
    )
    records = {
        Person: person,
        Assignment: Assignment.objects.create(
            person=person,
            unit=u.baolam,
            title=t["TP_HT"],
            start=date(2012, 1, 1),
            end=LEGACY_END,
            start_reason="recruited",
            end_reason="unit_merged",
        ),
        Qualification: Qualification.objects.create(
            person=person, dimension="professional", level="university", field_of_study="law"
        ),
        Evaluation: Evaluation.objects.create(person=person, year=2024, rating="good", note=""),
        TrainingEnrolment: TrainingEnrolment.objects.create(
            person=person,
            course_name="Bồi dưỡng",
            kind="political_theory",
            target_dimension="political_theory",
            target_level="intermediate",
            start=date(2021, 9, 1),
            end=date(2022, 6, 30),
            status="completed",
        ),
    }
    inspection = Inspection.objects.create(
        person=person, authority="UBKT", subject="Kiểm tra", started_on=date(2019, 3, 1)
    )
    records[Inspection] = inspection
    records[Discipline] = Discipline.objects.create(
        person=person,
        track="party",
        form="reprimand",
        severity="less_serious",
        decided_on=date(2019, 5, 2),
        authority="UBKT",
        decision_number="9-QĐ/UBKT",
        inspection=inspection,
    )
    return records


# --------------------------------------------------------------------------- who held posts here


@pytest.mark.parametrize("role", ROLES)
def test_the_officers_of_a_unit_see_who_held_posts_in_it_before_the_merger(world, mover, role):
    user = world.users[role]
    for model, obj in mover.items():
        seen = obj.pk in pks(scope.restrict(model.objects.all(), user, "view"))
        assert seen == (role in SEES_MOVER), f"{model.__name__} / {role}"
        for action in ("change", "delete"):
            writable = obj.pk in pks(scope.restrict(model.objects.all(), user, action))
            assert writable == (role in CHANGES_MOVER), f"{model.__name__} / {role} / {action}"
    # Nobody else's file opens with the mover's: the world's expectations are unchanged.
    others = pks(scope.restrict(Person.objects.all(), user, "view")) - {mover[Person].pk}
    assert others == world.expected(Person, role)


def test_a_post_in_scope_opens_the_file_but_not_the_log_of_its_readers(world, mover):
    """The log of reading a file follows the file's keeper (managing unit) only."""
    entry = FileAccess.objects.create(
        user=world.users["province"], username="sonoivu_langson", action="view", person=mover[Person]
    )
    assert entry.pk not in pks(scope.restrict(FileAccess.objects.all(), world.users["dongdang"], "view"))
    assert entry.pk in pks(scope.restrict(FileAccess.objects.all(), world.users["province"], "view"))


def test_can_and_ensure_in_scope_follow_the_split(world, mover):
    officer = world.users["dongdang"]
    person = mover[Person]
    assert scope.can(officer, "view", person)
    assert not scope.can(officer, "change", person)
    with pytest.raises(PermissionDenied):
        scope.ensure_in_scope(officer, person, "change")


def test_restrict_is_one_query_with_a_subquery(world, mover):
    """Efficient: the people who held posts are a subquery, not a list of ids read first."""
    officer = world.users["dongdang"]
    scope.scope_unit_ids(officer)  # the scope itself is computed once per request
    for model in record_models():
        with CaptureQueriesContext(connection) as ctx:
            list(scope.restrict(model.objects.all(), officer, "view"))
        assert len(ctx.captured_queries) == 1, model.__name__
        sql = ctx.captured_queries[0]["sql"]
        if scope.person_prefix(model) is not None:
            # one subquery: the people kept there UNION those who held posts there
            assert re.search(r"IN \(\(?SELECT", sql) and "UNION" in sql, sql


@pytest.mark.parametrize("role", ROLES)
def test_the_rule_for_a_few_records_is_the_same_rule(world, mover, role):
    """``restrict(…, few=True)`` (an EXISTS per record, for pages that name their records) lets
    through exactly what ``restrict`` does (one UNION subquery, for lists), for every kind of
    record and action."""
    user = world.users[role]
    for model in record_models():
        every = pks(model.objects.all())
        for action in ("view", "change"):
            few = scope.restrict(model.objects.filter(pk__in=every), user, action, few=True)
            assert pks(few) == pks(scope.restrict(model.objects.all(), user, action)), (
                model.__name__,
                action,
            )


def test_a_post_elsewhere_does_not_open_someone_elses_people(world):
    """An officer cannot pull a person outside their scope into it by recording a post in
    their own unit: the post must belong to a file they may change."""
    officer = world.users["dongdang"]
    outsider = world.people["kylua"]
    with pytest.raises(PermissionDenied):
        services.record_earlier_post(
            officer, outsider, world.units.baolam, world.titles["TP_HT"], date(2010, 1, 1), date(2011, 1, 1)
        )
    assert not Assignment.objects.filter(person=outsider, unit=world.units.baolam).exists()
    assert outsider.pk not in pks(scope.restrict(Person.objects.all(), officer, "view"))


# --------------------------------------------------------------------------- earlier posts, confirmed


@pytest.fixture
def hanoi_legacy_commune(units):
    """A legacy commune of Hà Nội (outside Lạng Sơn's scope, inside Hà Nội's)."""
    return (
        Unit.objects.filter(level="commune_level", valid_to=LEGACY_END, parent__parent__code="01")
        .order_by("code")
        .first()
    )


def record_in_hanoi(world, commune, user_key="dongdang"):
    return services.record_earlier_post(
        world.users[user_key],
        world.people["dongdang"],
        commune,
        world.titles["TP_HT"],
        date(2016, 3, 1),
        date(2019, 12, 31),
        start_reason="recruited",
        end_reason="transfer",
    )


def test_a_post_outside_the_recorders_scope_is_pending(world, hanoi_legacy_commune):
    post = record_in_hanoi(world, hanoi_legacy_commune)
    assert post.confirmation == Confirmation.PENDING == "pending"
    assert post.confirmed_by is None and post.confirmed_at is None
    last = post.history.latest()
    assert last.history_user == world.users["dongdang"]
    assert last.history_change_reason == "Ghi quá trình công tác"
    # The recorder sees and may change it (it belongs to a file they keep) …
    assert scope.can(world.users["dongdang"], "change", post)
    # … Hà Nội's officers do not see the person before they confirm it.
    assert not scope.can(world.users["hanoi"], "view", world.people["dongdang"])
    assert pks(scope.posts_to_confirm(world.users["hanoi"])) == {post.pk}


def test_a_post_inside_the_recorders_scope_needs_no_confirmation(world):
    post = services.record_earlier_post(
        world.users["dongdang"],
        world.people["dongdang"],
        world.units.baolam,  # merged into Đồng Đăng: in scope
        world.titles["TP_HT"],
        date(2008, 1, 1),
        date(2012, 12, 31),
        end_reason="transfer",
    )
    assert post.confirmation == ""
    assert not scope.posts_to_confirm(world.users["province"]).filter(pk=post.pk).exists()


def test_the_province_officer_of_the_unit_confirms(world, hanoi_legacy_commune):
    post = record_in_hanoi(world, hanoi_legacy_commune)
    for refused in ("dongdang", "caoloc", "inspector", "province"):  # province: Lạng Sơn's
        with pytest.raises(PermissionDenied):
            services.confirm_post(world.users[refused], post)
    post.refresh_from_db()
    assert post.confirmation == "pending"
    done = services.confirm_post(world.users["hanoi"], post)
    post.refresh_from_db()
    assert post.confirmation == "confirmed" == done.confirmation
    assert post.confirmed_by == world.users["hanoi"] and post.confirmed_at is not None
    assert post.history.latest().history_change_reason == "Tỉnh xác nhận quá trình công tác"
    assert post.history.latest().history_user == world.users["hanoi"]
    # Confirmed: it now opens the file to the officers of the unit it was held in.
    assert scope.can(world.users["hanoi"], "view", world.people["dongdang"])
    assert not scope.can(world.users["hanoi"], "change", world.people["dongdang"])
    with pytest.raises(ValidationError) as refused_twice:
        services.confirm_post(world.users["hanoi"], post)
    assert "đã được xác nhận" in " ".join(refused_twice.value.messages)
    assert not scope.posts_to_confirm(world.users["hanoi"]).exists()


def test_the_province_officer_rejects(world, hanoi_legacy_commune):
    post = record_in_hanoi(world, hanoi_legacy_commune)
    pk = post.pk
    services.reject_post(world.users["hanoi"], post)
    assert not Assignment.objects.filter(pk=pk).exists()
    gone = Assignment.history.filter(id=pk).latest()
    assert gone.history_type == "-" and gone.history_user == world.users["hanoi"]
    assert gone.history_change_reason == "Tỉnh không xác nhận quá trình công tác"


def test_the_admin_confirms_anything_and_records_without_confirmation(world, hanoi_legacy_commune):
    post = record_in_hanoi(world, hanoi_legacy_commune, user_key="admin")
    assert post.confirmation == ""
    pending = record_in_hanoi(world, hanoi_legacy_commune)
    assert pks(scope.posts_to_confirm(world.users["admin"])) == {pending.pk}
    services.confirm_post(world.users["admin"], pending)


@pytest.mark.parametrize(
    ("start", "end", "field", "words"),
    [
        (date(2099, 1, 1), None, "start", "tương lai"),
        (date(2016, 1, 1), date(2099, 1, 1), "end", "tương lai"),
        (date(2019, 1, 1), date(2016, 1, 1), "end", "không được trước"),
        (date(2025, 8, 1), None, "unit", "không tồn tại"),  # the legacy commune ended 30/06/2025
        (date(2016, 1, 1), date(2018, 1, 1), "end_reason", "lý do kết thúc"),
    ],
)
def test_record_earlier_post_explains_in_vietnamese(world, hanoi_legacy_commune, start, end, field, words):
    with pytest.raises(ValidationError) as caught:
        services.record_earlier_post(
            world.users["dongdang"],
            world.people["dongdang"],
            hanoi_legacy_commune,
            world.titles["TP_HT"],
            start,
            end,
        )
    messages = caught.value.message_dict[field]
    assert any(words in m for m in messages), messages
    assert not Assignment.objects.filter(unit=hanoi_legacy_commune).exists()


def test_a_pending_post_is_not_counted_in_the_units_findings(world, hanoi_legacy_commune):
    """Data to confirm: the staffing of the unit where it was held leaves it out until the
    province has confirmed it."""
    from canbo.standards.services import findings_for_person, findings_for_unit

    on = date(2018, 6, 1)
    post = record_in_hanoi(world, hanoi_legacy_commune)
    assert findings_for_unit(hanoi_legacy_commune, on).height == 0
    assert findings_for_person(world.people["dongdang"], on).height == 0
    services.confirm_post(world.users["hanoi"], post)
    held = findings_for_unit(hanoi_legacy_commune, on)
    assert held.height > 0
    assert set(held["person_id"].to_list()) == {world.people["dongdang"].pk}
    assert findings_for_person(world.people["dongdang"], on).height > 0


def test_a_unit_officer_can_not_confirm_even_in_scope(world, hanoi_legacy_commune):
    from canbo.access.models import Role

    commune_officer = make_user("xa_hanoi", Role.UNIT_OFFICER, hanoi_legacy_commune)
    post = record_in_hanoi(world, hanoi_legacy_commune)
    assert not scope.posts_to_confirm(commune_officer).exists()
    with pytest.raises(PermissionDenied):
        services.confirm_post(commune_officer, post)


# --------------------------------------------------------------------------- the /confirmations/ page


def client_of(user):
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_confirmations_page_lists_the_pending_posts_of_the_province(world, hanoi_legacy_commune):
    post = record_in_hanoi(world, hanoi_legacy_commune)
    page = client_of(world.users["hanoi"]).get("/confirmations/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Hoàng Văn Thắng" in html and hanoi_legacy_commune.name in html
    assert "xa_dongdang" in html  # who recorded it
    assert f'name="post" value="{post.pk}"' in html
    # Lạng Sơn's province officer: the post is not in their units.
    other = client_of(world.users["province"]).get("/confirmations/")
    assert other.status_code == 200 and f'value="{post.pk}"' not in other.content.decode()
    assert "Không có quá trình công tác nào chờ xác nhận" in other.content.decode()
    for role in ("dongdang", "caoloc", "inspector"):
        assert client_of(world.users[role]).get("/confirmations/").status_code == 403, role


def test_confirming_on_the_page(world, hanoi_legacy_commune):
    post = record_in_hanoi(world, hanoi_legacy_commune)
    # Another province's officer cannot confirm it: not shown to exist.
    forged = client_of(world.users["province"]).post(
        "/confirmations/", {"post": post.pk, "action": "confirm"}
    )
    assert forged.status_code == 404
    post.refresh_from_db()
    assert post.confirmation == "pending"
    client = client_of(world.users["hanoi"])
    done = client.post("/confirmations/", {"post": post.pk, "action": "confirm"}, follow=True)
    assert done.status_code == 200
    assert "Đã xác nhận: Hoàng Văn Thắng" in done.content.decode()
    post.refresh_from_db()
    assert post.confirmation == "confirmed" and post.confirmed_by == world.users["hanoi"]
    again = client.post("/confirmations/", {"post": post.pk, "action": "confirm"}, follow=True)
    assert "đã được xử lý" in again.content.decode()
    for bad in ({"post": "abc", "action": "confirm"}, {"post": post.pk, "action": "drop"}, {}):
        answer = client.post("/confirmations/", bad)
        assert answer.status_code == 400, bad
        assert "không hợp lệ" in answer.content.decode()


def test_rejecting_on_the_page(world, hanoi_legacy_commune):
    post = record_in_hanoi(world, hanoi_legacy_commune)
    done = client_of(world.users["hanoi"]).post(
        "/confirmations/", {"post": post.pk, "action": "reject"}, follow=True
    )
    assert "Đã không xác nhận và xóa" in done.content.decode()
    assert not Assignment.objects.filter(pk=post.pk).exists()


# --------------------------------------------------------------------------- sensitive parts


#: Which parts each role sees on the files it keeps (written out from the review in scope.py).
SENSITIVE_BY_ROLE = {
    "admin": {"religion", "party", "discipline", "health", "family"},
    "province": {"religion", "party", "discipline", "health", "family"},
    "caoloc": {"religion", "party", "discipline", "health", "family"},
    "dongdang": {"religion", "party", "discipline", "health", "family"},
    "hanoi": {"religion", "party", "discipline", "health", "family"},
    "inspector": {"party", "discipline", "family"},
    "inactive": set(),
}
PARTS = ["religion", "party", "discipline", "health", "family"]


@pytest.mark.parametrize("role", ROLES)
def test_sensitive_parts_by_role(world, role):
    user = world.users[role]
    assert {p for p in PARTS if scope.sensitive_allowed(user, p)} == SENSITIVE_BY_ROLE[role]
    own = {"dongdang": "dongdang", "caoloc": "thanhloa", "hanoi": "hanoi"}.get(role, "kylua")
    person = world.people[own]
    want = SENSITIVE_BY_ROLE[role] if role != "inactive" else set()
    assert {p for p in PARTS if scope.sensitive_allowed(user, p, person)} == want


@pytest.mark.parametrize("role", ["caoloc", "dongdang"])
def test_a_file_read_through_a_post_shows_no_sensitive_part(world, mover, role):
    """The officers of Bảo Lâm's successors read the mover's file (she worked there) but not her
    religion, Party membership or discipline: they do not keep her file."""
    user = world.users[role]
    person = mover[Person]
    assert not any(scope.sensitive_allowed(user, p, person) for p in PARTS)
    page = client_of(user).get(f"/people/{person.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Lăng Thị Hoa" in html and world.units.baolam.name in html
    assert "Phật giáo" not in html and "9-QĐ/UBKT" not in html and "19/05/2010" not in html


def test_the_keepers_see_the_sensitive_parts_the_inspector_some(world, mover):
    person = mover[Person]
    province = client_of(world.users["province"]).get(f"/people/{person.pk}/").content.decode()
    assert "Phật giáo" in province and "9-QĐ/UBKT" in province and "19/05/2010" in province
    inspector = client_of(world.users["inspector"]).get(f"/people/{person.pk}/").content.decode()
    assert "Phật giáo" not in inspector
    assert "9-QĐ/UBKT" in inspector and "19/05/2010" in inspector
