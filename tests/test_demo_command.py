"""``canbo demo`` (the README's first command) prepares the database, the demo
province and one demo user per role, and is safe to run again."""

from io import StringIO

import pytest
from django.core.management import call_command

from canbo.access import scope
from canbo.access.models import Role, User
from canbo.registry.models import Person

pytestmark = pytest.mark.django_db


def test_demo_prepares_data_and_users_and_can_run_again():
    out = StringIO()
    call_command("demo", no_serve=True, stdout=out)
    text = out.getvalue()
    people = Person.objects.count()
    assert people > 800
    users = {u.username: u for u in User.objects.all()}
    assert {u.effective_role for u in users.values()} == set(Role.values)
    for username, user in users.items():
        assert username in text and user.is_staff
    # Each demo user sees the part of the province its role covers.
    visible = {name: scope.restrict(Person.objects.all(), user).count() for name, user in users.items()}
    assert visible["admin"] == visible["sonoivu"] == visible["thanhtra"] == people
    assert 0 < visible["dongdang"] < visible["caoloc"] < people
    assert scope.restrict(Person.objects.all(), users["thanhtra"], scope.CHANGE).count() == 0
    assert users["admin"].check_password("canbo-admin-demo")

    again = StringIO()
    call_command("demo", no_serve=True, stdout=again)
    assert "Dữ liệu đã có sẵn" in again.getvalue()
    assert Person.objects.count() == people
