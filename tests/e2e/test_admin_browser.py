"""A unit officer works in the Vietnamese admin in a real browser: logs in,
finds a person by name typed without diacritics, sees nobody outside the
commune's scope, is stopped with a Vietnamese message on an impossible date,
and saves a change that the history records; an inspector only reads."""

from datetime import date

import pytest

from canbo.access.models import Role, User
from canbo.core.identity import make_identity_number
from canbo.registry.models import Person, Unit
from canbo.registry.reference import load_reference

pytestmark = pytest.mark.django_db(transaction=True)


def unit(code, era):
    qs = Unit.objects.filter(code=code, level="commune_level")
    return qs.get(valid_from=date(2025, 7, 1)) if era == "new" else qs.get(valid_to=date(2025, 6, 30))


@pytest.fixture
def setting():
    load_reference({20})
    dongdang = unit("06184", "new")
    baolam = unit("06190", "legacy")  # merged into the new Đồng Đăng on 1/7/2025
    kylua = unit("06187", "new")  # another new ward: out of scope
    inside = Person.objects.create(
        family_name="Lộc",
        middle_name="Thị",
        given_name="Huyền",
        sex="female",
        birth_date=date(1980, 3, 4),
        ethnicity="07",
        managing_unit=baolam,
        identity_number=make_identity_number(20, 1980, "female", 1234),
    )
    outside = Person.objects.create(
        family_name="Lộc",
        middle_name="Văn",
        given_name="Hùng",
        sex="male",
        birth_date=date(1979, 5, 6),
        ethnicity="02",
        managing_unit=kylua,
    )
    officer = User.objects.create_user(
        "dongdang", password="pw-dongdang-123", role=Role.UNIT_OFFICER, scope_unit=dongdang, is_staff=True
    )
    inspector = User.objects.create_user(
        "thanhtra", password="pw-thanhtra-123", role=Role.INSPECTOR, scope_unit=dongdang, is_staff=True
    )
    return {"inside": inside, "outside": outside, "officer": officer, "inspector": inspector}


def login(page, live_server, username, password):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def test_unit_officer_searches_edits_and_is_audited(page, live_server, setting):
    login(page, live_server, "dongdang", "pw-dongdang-123")
    # Vietnamese even though the browser asks for English.
    assert "Hồ sơ cán bộ, công chức" in page.content()
    page.goto(f"{live_server.url}/admin/registry/person/?q=loc")
    names = page.locator("#result_list tbody th a").all_inner_texts()
    assert names == ["Lộc Thị Huyền"]  # Lộc Văn Hùng of Kỳ Lừa is outside the scope

    page.click("text=Lộc Thị Huyền")
    # An impossible birth date is refused with a Vietnamese message; nothing is saved.
    page.fill("#id_birth_date", "01/01/2090")
    page.click("input[name=_save]")
    page.locator(".errornote").wait_for()
    errors = " ".join(page.locator(".errorlist").all_inner_texts())
    assert "Ngày sinh 01/01/2090 ở tương lai" in errors
    assert "chữ số thứ 5–6 là '80' nhưng năm sinh ghi là 2090" in errors  # the ID number no longer agrees
    setting["inside"].refresh_from_db()
    assert setting["inside"].birth_date == date(1980, 3, 4)

    page.fill("#id_birth_date", "04/03/1980")
    page.fill("#id_home_town", "Xã Bảo Lâm, huyện Cao Lộc")
    page.click("input[name=_save]")
    page.locator(".messagelist .success").wait_for()
    person = Person.objects.get(pk=setting["inside"].pk)
    assert person.home_town == "Xã Bảo Lâm, huyện Cao Lộc"
    last = person.history.first()
    assert last.history_user == setting["officer"]
    changes = {c.field: (c.old, c.new) for c in last.diff_against(last.prev_record).changes}
    assert changes["home_town"][1] == "Xã Bảo Lâm, huyện Cao Lộc"

    # The out-of-scope person's page is not reachable by typing its address.
    page.goto(f"{live_server.url}/admin/registry/person/{setting['outside'].pk}/change/")
    assert "Lộc Văn Hùng" not in page.content()


def test_language_can_be_switched_to_english_and_back(page, live_server, setting):
    login(page, live_server, "dongdang", "pw-dongdang-123")
    assert "Trang chủ" in page.content() or "Hồ sơ cán bộ, công chức" in page.content()
    page.select_option("select[name=language]", "en")
    page.wait_for_load_state()
    page.locator("text=Cadre and civil servant records").first.wait_for()
    page.select_option("select[name=language]", "vi")
    page.locator("text=Hồ sơ cán bộ, công chức").first.wait_for()


def test_inspector_reads_but_cannot_save(page, live_server, setting):
    login(page, live_server, "thanhtra", "pw-thanhtra-123")
    page.goto(f"{live_server.url}/admin/registry/person/{setting['inside'].pk}/change/")
    assert "Lộc Thị Huyền" in page.content()
    assert page.locator("input[name=_save]").count() == 0
