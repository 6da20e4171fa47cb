"""People sort the Vietnamese way in the database (given, middle, family name,
Vietnamese alphabet and tones) on SQLite and PostgreSQL alike; logins are
throttled."""

from datetime import date

import pytest

from canbo.core.text import vietnamese_sort_key
from canbo.registry.models import Person, Unit

pytestmark = pytest.mark.django_db

NAMES = [
    ("Nguyễn", "Văn", "Đông"),
    ("Trần", "Thị", "Ánh"),
    ("Lê", "", "Anh"),
    ("Hoàng", "Văn", "Ăn"),
    ("Đỗ", "Thị", "Mạ"),
    ("Vi", "Văn", "Ma"),
    ("Lý", "Thị", "Mà"),
    ("Bế", "Văn", "Mác"),
    ("Hà", "Thị Thu", "Hà"),
    ("Lương", "Văn", "Dũng"),
    ("Chu", "Thị", "Ưng"),
    ("Triệu", "Văn", "Út"),
    ("Lăng", "Thị", "Yến"),
    ("Nông", "Văn", "Dung"),
    ("Ma", "Văn", "Ơn"),
]


def test_people_are_ordered_the_vietnamese_way():
    unit = Unit.objects.create(code="99999", name="Xã Thử", level="commune_level", kind="commune")
    for family, middle, given in reversed(NAMES):
        Person.objects.create(
            family_name=family,
            middle_name=middle,
            given_name=given,
            sex="male",
            managing_unit=unit,
            birth_date=date(1980, 1, 1),
        )
    stored = [(p.family_name, p.middle_name, p.given_name) for p in Person.objects.all()]
    assert stored == sorted(NAMES, key=lambda n: vietnamese_sort_key(*n))
    assert stored[0] == ("Lê", "", "Anh") and stored[-1] == ("Lăng", "Thị", "Yến")


def test_logins_are_throttled_after_five_failures(client, django_user_model):
    django_user_model.objects.create_user("canbo1", password="right-password-123", is_staff=True)
    for _ in range(5):
        client.post("/admin/login/", {"username": "canbo1", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    response = client.post(
        "/admin/login/", {"username": "canbo1", "password": "right-password-123"}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
