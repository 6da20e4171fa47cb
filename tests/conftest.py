"""Shared fixtures of the Django-level tests (permissions, validation, admin).

Reference data. ``reference`` loads the real administrative units of legacy
province 20 (Lạng Sơn) and 1 (Hà Nội — the out-of-scope province) with their
2025 successors and lineage, plus the title catalogue, once per test module,
outside the per-test transactions, and removes them again when the module is
done — so tests elsewhere still start from an empty database. (If units are
already present when it starts, it neither loads nor removes anything.)

The world. ``world`` builds, inside the test's transaction, one person per
interesting place with one record of every kind hanging off them, and one
user per role:

=================  ==================================================  =============
person key         managing unit                                        seen by
=================  ==================================================  =============
``dongdang``       new Xã Đồng Đăng (06184, from 01/07/2025)            province, inspector, dongdang
``baolam``         legacy Xã Bảo Lâm (06190, Cao Lộc → new Đồng Đăng)   province, inspector, caoloc, dongdang
``thanhloa``       legacy Xã Thanh Lòa (06193, Cao Lộc → new Cao Lộc)   province, inspector, caoloc
``caoloc``         legacy Huyện Cao Lộc (183) itself                    province, inspector, caoloc
``kylua``          new Phường Kỳ Lừa (06187)                            province, inspector
``dinhlap``        a legacy commune of Huyện Đình Lập (189)             province, inspector
``hanoi``          a new commune of Hà Nội                              hanoi
=================  ==================================================  =============

The system administrator sees everyone; anonymous and inactive users see nobody.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

REFORM = date(2025, 7, 1)
LEGACY_END = date(2025, 6, 30)

#: Which person keys each role may see (the expectation every test checks against).
VISIBLE: dict[str, set[str]] = {
    "admin": {"dongdang", "baolam", "thanhloa", "caoloc", "kylua", "dinhlap", "hanoi"},
    "province": {"dongdang", "baolam", "thanhloa", "caoloc", "kylua", "dinhlap"},
    "inspector": {"dongdang", "baolam", "thanhloa", "caoloc", "kylua", "dinhlap"},
    "caoloc": {"baolam", "thanhloa", "caoloc"},
    "dongdang": {"dongdang", "baolam"},
    "hanoi": {"hanoi"},
    "inactive": set(),
}
ROLES = list(VISIBLE)

NAMES: dict[str, tuple[str, str, str]] = {
    "dongdang": ("Hoàng", "Văn", "Thắng"),
    "baolam": ("Lộc", "Thị", "Huyền"),
    "thanhloa": ("Vi", "Văn", "Quyết"),
    "caoloc": ("Nông", "Thị", "Mai"),
    "kylua": ("Lăng", "Văn", "Tùng"),
    "dinhlap": ("Chu", "Thị", "Nguyệt"),
    "hanoi": ("Nguyễn", "Văn", "Bình"),
}


def full_name(key: str) -> str:
    return " ".join(NAMES[key])


@pytest.fixture(scope="module")
def reference(django_db_setup, django_db_blocker):
    """Units of legacy provinces 1 and 20 and of their 2025 successors, their
    lineage and the title catalogue — loaded once per module."""
    from canbo.registry.models import Title, Unit, UnitLineage
    from canbo.registry.reference import load_reference

    with django_db_blocker.unblock():
        owned = not Unit.objects.exists()
        if owned:
            load_reference({1, 20})
    yield
    if owned:
        with django_db_blocker.unblock():
            UnitLineage.objects.all().delete()
            Title.objects.all().delete()
            for level in ("commune_level", "district", "province"):
                Unit.objects.filter(level=level).delete()


@dataclass
class Units:
    """The administrative units the tests talk about, by key."""

    p20: object  # new Tỉnh Lạng Sơn (from 01/07/2025)
    p20_old: object  # legacy Tỉnh Lạng Sơn (to 30/06/2025)
    caoloc: object  # legacy Huyện Cao Lộc
    dongdang: object  # new Xã Đồng Đăng
    dongdang_old: object  # legacy Thị trấn Đồng Đăng
    baolam: object  # legacy Xã Bảo Lâm
    thanhloa: object  # legacy Xã Thanh Lòa
    xuatle: object  # legacy Xã Xuất Lễ (Cao Lộc)
    kylua: object  # new Phường Kỳ Lừa
    dinhlap: object  # a legacy commune of Huyện Đình Lập
    hn: object  # new Thành phố Hà Nội
    hn_commune: object  # a new commune of Hà Nội


@pytest.fixture
def units(reference, db) -> Units:
    return find_units()


def find_units() -> Units:
    """The units of :class:`Units` in the database (loaded by ``reference``, or by
    ``load_reference({1, 20})`` in a database of one's own: tests/backup_source.py)."""
    from canbo.registry.models import Unit

    def legacy(code, level="commune_level"):
        return Unit.objects.get(code=code, level=level, valid_to=LEGACY_END)

    def new(code, level="commune_level"):
        return Unit.objects.get(code=code, level=level, valid_from=REFORM)

    hn = new("01", "province")
    return Units(
        p20=new("20", "province"),
        p20_old=legacy("20", "province"),
        caoloc=legacy("183", "district"),
        dongdang=new("06184"),
        dongdang_old=legacy("06184"),
        baolam=legacy("06190"),
        thanhloa=legacy("06193"),
        xuatle=legacy("06202"),
        kylua=new("06187"),
        dinhlap=Unit.objects.filter(parent__code="189", parent__level="district").order_by("code").first(),
        hn=hn,
        hn_commune=Unit.objects.filter(parent=hn).order_by("code").first(),
    )


@pytest.fixture
def titles(reference, db) -> dict:
    from canbo.registry.models import Title

    return {t.code: t for t in Title.objects.all()}


@dataclass
class World:
    units: Units
    titles: dict
    people: dict = field(default_factory=dict)
    #: model class → {person key: [objects]}
    records: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)

    def add(self, key, obj):
        self.records.setdefault(type(obj), {}).setdefault(key, []).append(obj)
        return obj

    def expected(self, model, role) -> set[int]:
        """Primary keys of ``model`` that ``role`` may see."""
        from canbo.registry.models import Person

        if model is Person:
            return {self.people[k].pk for k in VISIBLE[role]}
        return {o.pk for k in VISIBLE[role] for o in self.records.get(model, {}).get(k, [])}

    def all_of(self, model) -> set[int]:
        return self.expected(model, "admin")

    def visible(self, role) -> set[str]:
        return VISIBLE[role]

    def name(self, key) -> str:
        return full_name(key)


def make_user(username, role, scope_unit=None, *, superuser=False, active=True):
    from canbo.access.models import User

    user = User(
        username=username,
        role=role,
        scope_unit=scope_unit,
        is_superuser=superuser,
        is_staff=True,
        is_active=active,
    )
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def world(units, titles) -> World:
    return build_world(units, titles)


def build_world(units: Units, titles: dict) -> World:
    """The world of the module docstring, written to the current database."""
    from canbo.access.models import Role
    from canbo.conduct.models import Discipline, Evaluation, Inspection
    from canbo.core.identity import make_identity_number
    from canbo.registry.models import Assignment, Person, Qualification
    from canbo.succession.models import SuccessionEntry
    from canbo.training.models import TrainingEnrolment

    w = World(units=units, titles=titles)
    homes = {
        "dongdang": units.dongdang,
        "baolam": units.baolam,
        "thanhloa": units.thanhloa,
        "caoloc": units.caoloc,
        "kylua": units.kylua,
        "dinhlap": units.dinhlap,
        "hanoi": units.hn_commune,
    }
    for serial, (key, home) in enumerate(homes.items(), start=1):
        sex = "female" if NAMES[key][1] == "Thị" else "male"
        born = date(1975 + serial, 3, serial)
        family, middle, given = NAMES[key]
        person = Person.objects.create(
            identity_number=make_identity_number(1 if key == "hanoi" else 20, born.year, sex, 100 + serial),
            family_name=family,
            middle_name=middle,
            given_name=given,
            birth_date=born,
            sex=sex,
            ethnicity="07",  # Nùng
            managing_unit=home,
        )
        w.people[key] = person
        new_era = home.valid_from == REFORM
        # Where the person works: their commune, or a commune of the district they are kept by.
        post_unit = units.xuatle if key == "caoloc" else home
        if new_era:
            w.add(
                key,
                Assignment.objects.create(
                    person=person, unit=post_unit, title=titles["CV_TP"], start=REFORM, start_reason="placed"
                ),
            )
        else:
            w.add(
                key,
                Assignment.objects.create(
                    person=person,
                    unit=post_unit,
                    title=titles["TP_HT"],
                    start=date(2015, 1, 1),
                    end=LEGACY_END,
                    start_reason="recruited",
                    end_reason="unit_merged",
                ),
            )
        w.add(
            key,
            Qualification.objects.create(
                person=person,
                dimension="professional",
                level="university",
                field_of_study="law",
                obtained_on=date(2010, 6, 30),
                original_text="ĐH Luật",
            ),
        )
        w.add(key, Evaluation.objects.create(person=person, year=2024, rating="good", note=""))
        inspection = w.add(
            key,
            Inspection.objects.create(
                person=person,
                authority="UBKT Huyện ủy",
                subject="Kiểm tra dấu hiệu vi phạm",
                started_on=date(2019, 3, 1),
            ),
        )
        w.add(
            key,
            Discipline.objects.create(
                person=person,
                track="party",
                form="reprimand",
                severity="less_serious",
                decided_on=date(2019, 5, 2),
                authority="UBKT Huyện ủy",
                decision_number=f"{serial}-QĐ/UBKT",
                inspection=inspection,
            ),
        )
        w.add(
            key,
            TrainingEnrolment.objects.create(
                person=person,
                course_name="Trung cấp lý luận chính trị - hành chính",
                kind="political_theory",
                target_dimension="political_theory",
                target_level="intermediate",
                start=date(2021, 9, 1),
                end=date(2022, 6, 30),
                status="completed",
                result="Khá",
            ),
        )
        w.add(
            key,
            SuccessionEntry.objects.create(
                person=person,
                title=titles["CT_UBND"],
                unit=home,
                term_start_year=2026,
                term_end_year=2031,
                tier="tier_1",
                added_on=date(2025, 10, 1),
            ),
        )

    w.users = {
        "admin": make_user("quantri", Role.SYSTEM_ADMIN, superuser=True),
        "province": make_user("sonoivu_langson", Role.PROVINCE_OFFICER, units.p20),
        "inspector": make_user("thanhtra_langson", Role.INSPECTOR, units.p20),
        "caoloc": make_user("caoloc_huyen", Role.UNIT_OFFICER, units.caoloc),
        "dongdang": make_user("xa_dongdang", Role.UNIT_OFFICER, units.dongdang),
        "hanoi": make_user("sonoivu_hanoi", Role.PROVINCE_OFFICER, units.hn),
        "inactive": make_user("sonoivu_nghi", Role.PROVINCE_OFFICER, units.p20, active=False),
    }
    return w


#: The kinds of personal record, for loops over "every model kind".
def record_models():
    from canbo.conduct.models import Discipline, Evaluation, Inspection
    from canbo.registry.models import Assignment, Person, Qualification
    from canbo.succession.models import SuccessionEntry
    from canbo.training.models import TrainingEnrolment

    return [
        Person,
        Assignment,
        Qualification,
        Evaluation,
        Inspection,
        Discipline,
        TrainingEnrolment,
        SuccessionEntry,
    ]


@pytest.fixture
def models_of_records():
    return record_models()


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Caches that key on ids (the dashboard's data stamp, the people list's findings, the commune
    page's checks, the unit tree's fingerprint) could see
    the same ids again after a test's rollback: each test starts with them empty."""
    from django.core.cache import cache

    from canbo.access import scope
    from canbo.web import dashboard_data, people_query

    cache.clear()
    scope._TREE = None
    people_query.clear_memo()
    dashboard_data.clear_memo()
    yield


#: Django's immediate backend: a task runs at once, in the caller's process and transaction.
IMMEDIATE = {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}


@pytest.fixture(autouse=True)
def _jobs_run_at_once(settings):
    """Background jobs (canbo.jobs) run at once in the tests of the pages: the immediate backend
    of django.tasks, in the test's own transaction. The tests of the worker itself
    (tests/test_jobs_worker.py) put the database backend back and start real workers."""
    settings.TASKS = {"default": IMMEDIATE, "inline": IMMEDIATE}
