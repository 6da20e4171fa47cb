"""``canbo demo`` (the README's first command) prepares the database, the demo
province and one demo user per role, and is safe to run again."""

from datetime import date
from io import StringIO

import polars as pl
import pytest
from django.core.management import call_command

from canbo.access import scope
from canbo.access.models import Role, User
from canbo.registry.models import Person, Unit
from canbo.registry.reference import REFORM_DATE
from canbo.standards.models import ProvincialDecision
from canbo.standards.services import staffing_for_unit

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_demo_prepares_data_and_users_and_can_run_again():
    out = StringIO()
    call_command("demo", no_serve=True, stdout=out)
    text = out.getvalue()
    people = Person.objects.count()
    # The whole province (issue 12): about 10,000 people in its 194 old communes since 2005.
    assert people > 8_000
    users = {u.username: u for u in User.objects.all()}
    assert {u.effective_role for u in users.values()} == set(Role.values)
    for username, user in users.items():
        assert username in text
        # The admin is the system administrator's tool; officers work in the web application.
        assert user.is_staff == (user.effective_role == Role.SYSTEM_ADMIN)
        assert not user.must_change_password
    # Each demo user sees the part of the province its role covers.
    visible = {name: scope.restrict(Person.objects.all(), user).count() for name, user in users.items()}
    assert visible["admin"] == visible["sonoivu"] == visible["thanhtra"] == people
    # The old district's officer sees every file of a person who held a post in its communes
    # (issue 10 §2): Cao Lộc's 22 of the province's 194, so about a ninth of the people.
    assert 0 < visible["dongdang"] < visible["caoloc"] < people / 5
    assert scope.restrict(Person.objects.all(), users["thanhtra"], scope.CHANGE).count() == 0
    assert users["admin"].check_password("canbo-admin-demo")

    # The province's own (synthetic) decisions: the difficult-area exception and, from
    # 1/7/2025, each staffed new commune's number — every one of the 65 is staffed, so every
    # new commune's quota is known.
    decisions = ProvincialDecision.objects.count()
    assert decisions and "quyết định mô phỏng" in text
    assert all("mô phỏng" in d.decision_number for d in ProvincialDecision.objects.all())
    dong_dang = Unit.objects.get(code="06184", valid_from=REFORM_DATE)
    report = staffing_for_unit(dong_dang, date(2026, 1, 1))
    row = report.units.filter(pl.col("unit_id") == dong_dang.pk).row(0, named=True)
    assert row["quota"] == 32 and row["headcount"] > 0
    assert ProvincialDecision.objects.filter(kind="commune_quota").count() == 65
    cao_loc = Unit.objects.get(code="183", level="district")
    districts = staffing_for_unit(cao_loc, date(2024, 12, 31)).units
    assert districts.filter(pl.col("unit_id") == cao_loc.pk)["communes"][0] == 22

    again = StringIO()
    call_command("demo", no_serve=True, stdout=again)
    assert "Dữ liệu đã có sẵn" in again.getvalue()
    assert Person.objects.count() == people
    assert ProvincialDecision.objects.count() == decisions
