"""In a real browser, a province officer reads a person's check against the standard of their
post — with the legal reference — picks an earlier date, and sees the commune's thừa/thiếu/yếu."""

from datetime import date

import pytest

from canbo.access.models import Role, User
from canbo.registry.models import Assignment, Person, Qualification, Title, Unit, UnitClassification
from canbo.registry.reference import load_reference

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setting():
    load_reference({20})
    province = Unit.objects.get(level="province", code="20", valid_to=date(2025, 6, 30))
    commune = Unit.objects.get(level="commune_level", code="06193", valid_to=date(2025, 6, 30))
    UnitClassification.objects.create(unit=commune, unit_class="class_3", valid_from=date(2005, 1, 1))
    person = Person.objects.create(
        family_name="Hoàng",
        middle_name="Văn",
        given_name="Tư",
        sex="male",
        birth_date=date(1985, 2, 1),
        ethnicity="02",
        managing_unit=commune,
    )
    Assignment.objects.create(
        person=person,
        unit=commune,
        title=Title.objects.get(code="TP_HT"),
        start=date(2010, 3, 1),
        start_reason="recruited",
    )
    Qualification.objects.create(person=person, dimension="general_education", level="upper_secondary")
    Qualification.objects.create(
        person=person,
        dimension="professional",
        level="university",
        field_of_study="economics",
        obtained_on=date(2008, 6, 30),
    )
    User.objects.create_user(
        "sonoivu", password="pw-sonoivu-123", role=Role.PROVINCE_OFFICER, scope_unit=province, is_staff=True
    )
    return {"person": person, "commune": commune}


def test_person_findings_and_commune_staffing(page, live_server, setting):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "sonoivu")
    page.fill("#id_password", "pw-sonoivu-123")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    person = setting["person"]
    page.goto(f"{live_server.url}/admin/registry/person/{person.pk}/change/?on=2024-12-31")
    section = page.locator("text=Kiểm tra tiêu chuẩn").first
    section.wait_for()
    text = page.content()
    # An economics degree does not meet the law field of the justice post (Decree 33/2023 Art. 10).
    assert "Chưa đạt" in text and "NĐ 33/2023, Điều 10" in text and "Luật" in text
    # The day before Decree 33/2023 took effect, Circular 13/2019 applied.
    page.goto(f"{live_server.url}/admin/registry/person/{person.pk}/change/?on=2023-07-31")
    assert "TT 13/2019" in page.content()

    page.goto(f"{live_server.url}/admin/registry/unit/{setting['commune'].pk}/change/?on=2024-12-31")
    page.locator("text=Chức danh còn trống").first.wait_for()
    text = page.content()
    assert "NĐ 33/2023, Điều 6" in text  # the quota's reference
    assert "Hoàng Văn Tư" in text  # listed among the people below standard
