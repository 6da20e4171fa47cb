"""The provincial layer (admin: *Quyết định của tỉnh về tiêu chuẩn*): a province may be
stricter than the national rules, never looser (Decree 33/2023 Art. 8(5), Art. 10(2);
QĐ 759/QĐ-TTg for commune quotas from 1/7/2025), and only the province's own officers write
its decisions, while every officer and inspector of the province reads them.

The validation tests use a small rule folder of their own (``test_rules``), so that they do not
depend on the national files being edited; one test runs the same check on the national rules.
"""

from __future__ import annotations

import textwrap
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from canbo.access import scope
from canbo.standards.models import ProvincialDecision

RULES = textwrap.dedent("""\
    instrument:
      code: nd-test
      name_vi: "Nghị định thử"
      name_en: "Test decree"
      short_vi: "NĐ thử"
      issued: 2023-06-10
      in_force: 2023-08-01
      source: "tests"
    standards:
      - id: nd-test.cs.professional
        titles: [VP_TK, TP_HT]
        criterion: professional
        minimum: university
        valid_from: 2023-08-01
        valid_to: 2025-06-30
        reference: {article: 10, clause: 1, point: c}
        message: {vi: "Đại học trở lên", en: "University or higher"}
        exceptions:
          - kind: difficult_area
            minimum: intermediate
            areas: [mountainous, border]
            requires_provincial_decision: true
            reference: {article: 10, clause: 2}
            message: {vi: "Trung cấp ở miền núi, biên giới", en: "Intermediate in mountain and border areas"}
      - id: nd-test.tp-ht.field
        titles: [TP_HT]
        criterion: field_of_study
        accepted: [law, public_administration]
        minimum: university
        valid_from: 2023-08-01
        valid_to: 2025-06-30
        reference: {article: 10, clause: 1, point: c}
        message: {vi: "Ngành luật hoặc hành chính", en: "Law or public administration"}
    quotas:
      - id: nd-test.quota.commune
        unit_kinds: [commune, ward, township]
        counts: [cadre, civil_servant]
        by_class: {class_1: 22, class_2: 20, class_3: 18}
        valid_from: 2023-08-01
        valid_to: 2025-06-30
        reference: {article: 6}
        message: {vi: "Định biên theo loại xã", en: "Quota by class"}
      - id: nd-test.quota.province-sets
        unit_kinds: [commune, ward, special_zone]
        counts: [cadre, civil_servant, job_position]
        set_by_province: true
        valid_from: 2025-07-01
        reference: {article: 7}
        message: {vi: "Tỉnh quyết định số lượng", en: "The province sets the number"}
    """)

NATIONAL_FIELDS = "NĐ thử, Điều 10, khoản 1, điểm c"
NATIONAL_EXCEPTION = "NĐ thử, Điều 10, khoản 2"
NATIONAL_QUOTA = "NĐ thử, Điều 6"
DECISION = "Quyết định số 12/2024/QĐ-UBND ngày 15/01/2024"


@pytest.fixture
def test_rules(tmp_path, settings):
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "nd-test.yaml").write_text(RULES, encoding="utf-8")
    settings.CANBO_RULES_DIRS = [folder]
    return folder


def decision(world, **kw) -> ProvincialDecision:
    """An unsaved decision of legacy Lạng Sơn for 2024, with ``kw`` changed."""
    t = world.titles
    values = dict(
        province=world.units.p20_old,
        kind="accepted_fields",
        title=t["TP_HT"],
        dimension="professional",
        accepted_fields=["law"],
        decision_number=DECISION,
        valid_from=date(2024, 1, 15),
        valid_to=date(2025, 6, 30),
    )
    values.update(kw)
    return ProvincialDecision(**values)


def errors_of(d: ProvincialDecision) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        d.full_clean()
    return caught.value.message_dict


def ok(d: ProvincialDecision) -> None:
    try:
        d.full_clean()
    except ValidationError as refused:
        pytest.fail(f"the decision was refused: {refused.message_dict}")


# --------------------------------------------------------------------------- looser is refused, stricter accepted


def test_fields_outside_the_national_list_are_refused(world, test_rules):
    errors = errors_of(decision(world, accepted_fields=["law", "economics"]))
    (message,) = errors["accepted_fields"]
    assert DECISION in message and NATIONAL_FIELDS in message  # cites both
    assert "economics" in message and "không được nới lỏng" in message


def test_a_narrower_field_list_is_accepted(world, test_rules):
    ok(decision(world, accepted_fields=["law"]))


def test_a_field_decision_needs_a_national_field_standard(world, test_rules):
    errors = errors_of(decision(world, title=world.titles["VP_TK"]))
    assert "Không có tiêu chuẩn quốc gia về ngành đào tạo" in errors["title"][0]


def test_exception_areas_outside_the_national_exception_are_refused(world, test_rules):
    d = decision(
        world,
        kind="difficult_area_exception",
        title=world.titles["VP_TK"],
        accepted_fields=[],
        areas=["mountainous", "island"],
        minimum="intermediate",
    )
    message = " ".join(errors_of(d)["areas"])
    assert DECISION in message and NATIONAL_EXCEPTION in message and "island" in message


def test_exception_minimum_below_the_national_exception_is_refused(world, test_rules):
    d = decision(
        world,
        kind="difficult_area_exception",
        title=world.titles["VP_TK"],
        accepted_fields=[],
        areas=["mountainous"],
        minimum="elementary",
    )
    message = " ".join(errors_of(d)["minimum"])
    assert DECISION in message and NATIONAL_EXCEPTION in message
    assert "Sơ cấp" in message and "Trung cấp" in message


@pytest.mark.parametrize("minimum", ["intermediate", "college"])
def test_exception_within_the_national_exception_is_accepted(world, test_rules, minimum):
    ok(
        decision(
            world,
            kind="difficult_area_exception",
            title=world.titles["VP_TK"],
            accepted_fields=[],
            areas=["border"],
            minimum=minimum,
        )
    )


def test_stricter_minimum_below_the_national_one_is_refused(world, test_rules):
    d = decision(world, kind="stricter_minimum", accepted_fields=[], minimum="college")
    message = " ".join(errors_of(d)["minimum"])
    assert DECISION in message and NATIONAL_FIELDS in message
    assert "Cao đẳng" in message and "Đại học" in message


@pytest.mark.parametrize("minimum", ["university", "master"])
def test_stricter_or_equal_minimum_is_accepted(world, test_rules, minimum):
    ok(decision(world, kind="stricter_minimum", accepted_fields=[], minimum=minimum))


def test_commune_quota_before_1_july_2025_is_refused(world, test_rules):
    d = decision(
        world,
        kind="commune_quota",
        title=None,
        accepted_fields=[],
        unit=world.units.baolam,
        quota=25,
        valid_from=date(2025, 1, 1),
    )
    message = " ".join(errors_of(d)["valid_from"])
    assert DECISION in message and NATIONAL_QUOTA in message and "không được quy định khác" in message


def test_commune_quota_from_1_july_2025_is_accepted(world, test_rules):
    ok(
        decision(
            world,
            province=world.units.p20,
            kind="commune_quota",
            title=None,
            accepted_fields=[],
            unit=world.units.dongdang,
            quota=25,
            valid_from=date(2025, 7, 15),
            valid_to=None,
            decision_number="Quyết định số 30/2025/QĐ-UBND ngày 15/07/2025",
        )
    )


def test_looser_fields_are_refused_on_the_national_rules_too(world):
    """The same check against the national rule files, whatever fields they list."""
    from canbo.standards.rules_cache import national_rules

    on = date(2024, 1, 15)
    national = [
        s
        for s in national_rules().standards
        if s.criterion == "field_of_study" and "TP_HT" in s.titles and s.in_force(on)
    ]
    if not national:
        pytest.skip("no national field-of-study standard for TP_HT on 15/01/2024")
    from canbo.core.scales import FIELDS_OF_STUDY

    outside = next(f for f in FIELDS_OF_STUDY if all(f not in s.accepted for s in national))
    inside = sorted(national[0].accepted)[:1]
    d = decision(world, accepted_fields=[*inside, outside], valid_to=national[0].valid_to)
    message = " ".join(errors_of(d)["accepted_fields"])
    assert DECISION in message and national[0].reference.render("vi") in message and outside in message


# --------------------------------------------------------------------------- what the core cannot check


def test_level_must_exist_on_the_dimension(world, test_rules):
    d = decision(world, kind="stricter_minimum", accepted_fields=[], dimension="it", minimum="university")
    assert "không tồn tại trong thang 'Tin học'" in " ".join(errors_of(d)["minimum"])


def test_area_and_field_codes_must_exist(world, test_rules):
    errors = errors_of(decision(world, accepted_fields=["law", "astrology"]))
    assert "astrology" in " ".join(errors["accepted_fields"])
    d = decision(
        world,
        kind="difficult_area_exception",
        title=world.titles["VP_TK"],
        accepted_fields=[],
        areas=["desert"],
        minimum="intermediate",
    )
    assert "desert" in " ".join(errors_of(d)["areas"])


def test_each_kind_takes_only_its_own_values(world, test_rules):
    errors = errors_of(decision(world, areas=["mountainous"], quota=3, minimum="college"))
    assert set(errors) >= {"areas", "quota", "minimum"}
    errors = errors_of(
        decision(
            world,
            kind="commune_quota",
            accepted_fields=[],
            unit=None,
            quota=None,
            province=world.units.p20,
            valid_from=date(2025, 7, 15),
            valid_to=None,
        )
    )
    assert set(errors) >= {"title"}


def test_quota_commune_must_belong_to_the_province_and_exist(world, test_rules):
    u = world.units
    base = dict(
        province=u.p20,
        kind="commune_quota",
        title=None,
        accepted_fields=[],
        quota=25,
        valid_from=date(2025, 7, 15),
        valid_to=None,
    )
    assert "không thuộc" in " ".join(errors_of(decision(world, unit=u.hn_commune, **base))["unit"])
    assert "không tồn tại vào ngày 15/07/2025" in " ".join(
        errors_of(decision(world, unit=u.baolam, **base))["unit"]
    )
    assert errors_of(decision(world, unit=u.caoloc, **base))["unit"]
    ok(decision(world, unit=u.kylua, **base))


def test_the_province_must_exist_for_the_whole_period(world, test_rules):
    errors = errors_of(decision(world, valid_to=None))  # legacy Lạng Sơn ended on 30/06/2025
    assert "30/06/2025" in " ".join(errors["valid_to"])
    errors = errors_of(decision(world, province=world.units.p20))  # new Lạng Sơn starts on 01/07/2025
    assert "không tồn tại vào ngày 15/01/2024" in " ".join(errors["valid_from"])


def test_period_must_not_end_before_it_starts(world, test_rules):
    errors = errors_of(decision(world, valid_from=date(2024, 6, 1), valid_to=date(2024, 5, 1)))
    assert "valid_to" in errors


def test_two_decisions_on_the_same_thing_may_not_overlap(world, test_rules):
    first = decision(world)
    first.full_clean()
    first.save()
    errors = errors_of(decision(world, valid_from=date(2025, 1, 1), decision_number="QĐ 2"))
    assert DECISION in " ".join(errors["valid_from"])
    ok(
        decision(
            world, title=world.titles["VP_TK"], kind="stricter_minimum", accepted_fields=[], minimum="master"
        )
    )
    first.full_clean()  # a decision does not overlap itself


def test_to_core(world, test_rules):
    d = decision(
        world,
        kind="difficult_area_exception",
        title=world.titles["VP_TK"],
        accepted_fields=[],
        areas=["border", "mountainous"],
        minimum="intermediate",
    )
    d.save()
    core = d.to_core()
    assert core.kind == "difficult_area_exception" and core.province_id == world.units.p20_old.pk
    assert core.title_code == "VP_TK" and core.minimum == "intermediate" and core.decision == DECISION
    assert core.areas == frozenset({"border", "mountainous"}) and core.fields == frozenset()
    assert (core.valid_from, core.valid_to) == (date(2024, 1, 15), date(2025, 6, 30))
    q = decision(
        world,
        province=world.units.p20,
        kind="commune_quota",
        title=None,
        accepted_fields=[],
        unit=world.units.kylua,
        quota=21,
        valid_from=date(2025, 7, 15),
        valid_to=None,
    ).to_core()
    assert (q.unit_id, q.unit_kind, q.quota, q.title_code, q.minimum) == (
        world.units.kylua.pk,
        "ward",
        21,
        None,
        None,
    )


def test_english_messages_when_english_is_active(world, test_rules):
    from django.utils import translation

    with translation.override("en"):
        message = " ".join(
            errors_of(decision(world, accepted_fields=["law", "economics"]))["accepted_fields"]
        )
    assert "a province may be stricter, never looser" in message and "NĐ thử, Art. 10(1)(c)" in message


# --------------------------------------------------------------------------- permissions, every role


ROLES = ["admin", "province", "inspector", "caoloc", "dongdang", "hanoi", "inactive"]


@pytest.fixture
def decisions(world):
    u, t = world.units, world.titles
    made = {
        "p20_old": ProvincialDecision.objects.create(
            province=u.p20_old,
            kind="accepted_fields",
            title=t["TP_HT"],
            accepted_fields=["law"],
            decision_number="QĐ 1/2024 Lạng Sơn",
            valid_from=date(2024, 1, 1),
            valid_to=date(2025, 6, 30),
        ),
        "p20": ProvincialDecision.objects.create(
            province=u.p20,
            kind="commune_quota",
            unit=u.dongdang,
            quota=24,
            decision_number="QĐ 30/2025 Lạng Sơn",
            valid_from=date(2025, 7, 15),
        ),
        "hn": ProvincialDecision.objects.create(
            province=u.hn,
            kind="commune_quota",
            unit=u.hn_commune,
            quota=30,
            decision_number="QĐ 40/2025 Hà Nội",
            valid_from=date(2025, 7, 15),
        ),
    }
    return made


#: Which decisions each role sees: those of the provinces its scope lies in (read upwards).
SEES = {
    "admin": {"p20_old", "p20", "hn"},
    "province": {"p20_old", "p20"},
    "inspector": {"p20_old", "p20"},
    "caoloc": {"p20_old"},  # a legacy district: the legacy province only
    "dongdang": {"p20_old", "p20"},  # the new commune and the legacy communes it absorbed
    "hanoi": {"hn"},
    "inactive": set(),
}
#: Which decisions each role may add, change and delete.
WRITES = {
    "admin": ({"p20_old", "p20", "hn"}, {"p20_old", "p20", "hn"}),
    "province": ({"p20_old", "p20"}, set()),
    "hanoi": ({"hn"}, set()),
}


@pytest.mark.parametrize("role", ROLES)
def test_restrict_per_role(world, decisions, role):
    user = world.users[role]
    by_pk = {d.pk: k for k, d in decisions.items()}

    def keys(action):
        return {
            by_pk[pk]
            for pk in scope.restrict(ProvincialDecision.objects.all(), user, action).values_list(
                "pk", flat=True
            )
        }

    assert keys("view") == SEES[role]
    change, delete = WRITES.get(role, (set(), set()))
    assert keys("change") == change
    assert keys("add") == change
    assert keys("delete") == delete
    for key, d in decisions.items():
        assert scope.can(user, "view", d) is (key in SEES[role])
        assert scope.can(user, "change", d) is (key in change)


@pytest.mark.parametrize("role", ROLES)
def test_who_may_add_a_decision_for_lang_son(world, role):
    new = ProvincialDecision(
        province=world.units.p20, kind="commune_quota", decision_number="x", valid_from=date(2025, 8, 1)
    )
    assert scope.can(world.users[role], "add", new) is (role in ("admin", "province"))
    assert scope.allowed(world.users[role], "add", ProvincialDecision) is (
        role in ("admin", "province", "hanoi")
    )


def admin_url(view, *args):
    return reverse(f"admin:standards_provincialdecision_{view}", args=args)


@pytest.mark.parametrize("role", ["admin", "province", "inspector", "caoloc", "dongdang", "hanoi"])
def test_admin_pages_per_role(client, world, decisions, test_rules, role):
    client.force_login(world.users[role])
    response = client.get(admin_url("changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    for key, d in decisions.items():
        assert (d.decision_number in html) is (key in SEES[role]), key
    assert client.get(admin_url("add")).status_code == (
        200 if role in ("admin", "province", "hanoi") else 403
    )
    d = decisions["p20"]
    response = client.get(admin_url("change", d.pk))
    if "p20" in SEES[role]:
        assert response.status_code == 200
        assert ('name="_save"' in response.content.decode()) is (role in ("admin", "province"))
    else:
        assert response.status_code in (302, 403, 404)
    # Writing: only the province's officers (and the administrator).
    data = form_data(d, quota="26")
    response = client.post(admin_url("change", d.pk), data)
    d.refresh_from_db()
    if role in ("admin", "province"):
        assert response.status_code == 302, response.content.decode()[:3000]
        assert d.quota == 26
    else:
        assert response.status_code in (302, 403, 404)
        assert d.quota == 24


def test_anonymous_sees_nothing(client, world, decisions):
    from django.contrib.auth.models import AnonymousUser

    assert not scope.restrict(ProvincialDecision.objects.all(), AnonymousUser(), "view").exists()
    assert client.get(admin_url("changelist")).status_code == 302


# --------------------------------------------------------------------------- through the admin


def form_data(d: ProvincialDecision | None = None, **changes) -> dict:
    data = {
        "province": "",
        "kind": "",
        "decision_number": "",
        "valid_from": "",
        "valid_to": "",
        "title": "",
        "dimension": "professional",
        "minimum": "",
        "unit": "",
        "quota": "",
        "note": "",
    }
    if d is not None:
        data.update(
            {
                "province": d.province_id,
                "kind": d.kind,
                "decision_number": d.decision_number,
                "valid_from": d.valid_from.isoformat(),
                "valid_to": d.valid_to.isoformat() if d.valid_to else "",
                "title": d.title_id or "",
                "dimension": d.dimension,
                "minimum": d.minimum,
                "unit": d.unit_id or "",
                "quota": "" if d.quota is None else d.quota,
                "note": d.note,
                "areas": list(d.areas),
                "accepted_fields": list(d.accepted_fields),
            }
        )
    data.update(changes)
    return data


def test_admin_refuses_a_looser_decision_and_writes_nothing(client, world, test_rules):
    client.force_login(world.users["province"])
    data = form_data(
        province=world.units.p20_old.pk,
        kind="accepted_fields",
        decision_number=DECISION,
        valid_from="2024-01-15",
        valid_to="2025-06-30",
        title=world.titles["TP_HT"].pk,
        accepted_fields=["law", "economics"],
    )
    response = client.post(admin_url("add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "errornote" in html and NATIONAL_FIELDS in html and "economics" in html
    assert not ProvincialDecision.objects.exists()
    assert not ProvincialDecision.history.exists()


def test_admin_shows_areas_and_fields_as_check_boxes(client, world):
    client.force_login(world.users["province"])
    html = client.get(admin_url("add")).content.decode()
    assert 'type="checkbox" name="areas" value="mountainous"' in html
    assert 'type="checkbox" name="accepted_fields" value="law"' in html
    assert "Miền núi" in html and "Luật" in html


def test_admin_refuses_another_provinces_decision(client, world, test_rules):
    client.force_login(world.users["hanoi"])
    data = form_data(
        province=world.units.p20_old.pk,
        kind="accepted_fields",
        decision_number=DECISION,
        valid_from="2024-01-15",
        valid_to="2025-06-30",
        title=world.titles["TP_HT"].pk,
        accepted_fields=["law"],
    )
    response = client.post(admin_url("add"), data)
    assert response.status_code == 200 and "errornote" in response.content.decode()
    assert not ProvincialDecision.objects.exists()


def test_history_records_who_before_and_after(client, world, test_rules):
    officer = world.users["province"]
    client.force_login(officer)
    data = form_data(
        province=world.units.p20_old.pk,
        kind="accepted_fields",
        decision_number=DECISION,
        valid_from="2024-01-15",
        valid_to="2025-06-30",
        title=world.titles["TP_HT"].pk,
        accepted_fields=["law", "public_administration"],
    )
    response = client.post(admin_url("add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    d = ProvincialDecision.objects.get()
    assert d.accepted_fields == ["law", "public_administration"]
    response = client.post(admin_url("change", d.pk), form_data(d, accepted_fields=["law"], note="Thu hẹp"))
    assert response.status_code == 302, response.content.decode()[:3000]
    after, before = d.history.order_by("-history_date", "-history_id")[:2]
    assert after.history_user == officer and before.history_user == officer
    assert before.accepted_fields == ["law", "public_administration"] and after.accepted_fields == ["law"]
    changed = {c.field for c in after.diff_against(before).changes}
    assert changed == {"accepted_fields", "note"}
    assert client.get(admin_url("history", d.pk)).status_code == 200


def test_a_stricter_minimum_needs_a_national_standard_to_raise(world, test_rules):
    d = decision(world, kind="stricter_minimum", accepted_fields=[], dimension="it", minimum="advanced")
    assert "Không có tiêu chuẩn quốc gia về Tin học" in " ".join(errors_of(d)["title"])
