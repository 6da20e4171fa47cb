"""The web application's person page and its editing (issue 10 §1 "person page", §2, §3, §5).

Real database, the world of tests/conftest.py. What is checked: the page's content per role (the
sensitive parts left out for the inspector, also in the change history), the log of reading,
editing with history, the refusal of a concurrent edit (nothing overwritten, the other's change
shown), Vietnamese validation messages, forged requests answered 4xx, out-of-scope 404, and a
number of queries that does not grow with the size of the file.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def url(person) -> str:
    return f"/people/{person.pk}/"


def edit_url(person) -> str:
    return f"/people/{person.pk}/edit/"


def form_data(response) -> dict:
    """What the browser would send back for the form as shown."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            data[name] = "unknown" if name == "is_party_member" else ""
        elif isinstance(value, bool):
            data[name] = "true" if value else "false"
        elif isinstance(value, date):
            data[name] = value.strftime("%d/%m/%Y")
        else:
            data[name] = str(value)
    return data


def text(response) -> str:
    return response.content.decode()


# --------------------------------------------------------------------------- the page


def test_page_shows_the_file(world):
    person = world.people["dongdang"]
    response = client_for(world.users["dongdang"]).get(url(person))
    assert response.status_code == 200
    page = text(response)
    assert "Hoàng Văn Thắng" in page
    # The standards at the top, before the profile.
    assert page.index("Kiểm tra tiêu chuẩn") < page.index("Sơ yếu lý lịch")
    assert "data-criterion=" in page
    assert "Luật 80/2025/QH15" in page  # the legal reference of a finding
    # Posts and qualifications on one timeline; the unit linked to its page.
    assert 'class="timeline"' in page
    assert world.titles["CV_TP"].name in page
    assert "ĐH Luật" in page
    assert f'href="/units/{world.units.dongdang.pk}/"' in page
    # Profile: birth date, ethnic group by name, ID number.
    assert "01/03/1976" in page
    assert "Nùng" in page
    assert person.identity_number in page
    # Trainings, evaluations, discipline, succession.
    assert "Trung cấp lý luận chính trị - hành chính" in page
    assert "2024" in page and "Hoàn thành tốt nhiệm vụ" in page
    assert "1-QĐ/UBKT" in page
    assert world.titles["CT_UBND"].name in page
    # The breadcrumbs lead back to the list.
    assert 'href="/people/"' in page


def test_page_on_a_date(world):
    """On a date before the post began, no post is held; an unreadable or out-of-range date is
    a 400 with a Vietnamese message."""
    person = world.people["dongdang"]
    c = client_for(world.users["dongdang"])
    page = text(c.get(url(person), {"on": "01/01/2020"}))
    assert "Không giữ chức danh nào vào ngày 01/01/2020" in page
    for bad in ("31/12/9999", "31/02/2020", "hôm qua", "01/01/1990"):
        response = c.get(url(person), {"on": bad})
        assert response.status_code == 400, bad
        assert "dd/mm/yyyy" in text(response) or "nằm ngoài khoảng" in text(response)


def test_sensitive_parts_hidden_for_the_inspector(world):
    """The inspector sees neither the religion field nor its value — nor its change in the
    history; the province's officer sees both. Party and discipline stay visible to both."""
    person = world.people["dongdang"]
    province = client_for(world.users["province"])
    shown = province.get(edit_url(person))
    data = form_data(shown)
    data["religion"] = "Phật giáo Hòa Hảo"
    assert province.post(edit_url(person), data).status_code == 302

    seen = text(province.get(url(person)))
    assert "Phật giáo Hòa Hảo" in seen
    assert "Tôn giáo" in seen

    inspector = text(client_for(world.users["inspector"]).get(url(person)))
    assert "Hoàng Văn Thắng" in inspector
    assert "Phật giáo Hòa Hảo" not in inspector
    assert "Tôn giáo" not in inspector
    assert "1-QĐ/UBKT" in inspector  # discipline: the inspector's work needs it
    assert "Ngày vào Đảng" not in inspector or "Đảng viên" in inspector
    assert "Đảng viên" in inspector


def test_every_view_is_logged(world):
    from canbo.access.models import FileAccess

    person = world.people["baolam"]
    user = world.users["dongdang"]
    before = FileAccess.objects.count()
    client_for(user).get(url(person))
    client_for(user).get(url(person), {"on": "01/01/2020"})
    rows = list(FileAccess.objects.order_by("-pk")[:2])
    assert FileAccess.objects.count() == before + 2
    assert all(r.user_id == user.pk and r.person_id == person.pk and r.action == "view" for r in rows)


@pytest.mark.parametrize("role", ["dongdang", "caoloc", "hanoi"])
def test_out_of_scope_is_404(world, role):
    user = world.users[role]
    c = client_for(user)
    for key, person in world.people.items():
        status = c.get(url(person)).status_code
        assert status == (200 if key in world.visible(role) else 404), (role, key)
        status = c.get(edit_url(person)).status_code
        assert status == (200 if key in world.visible(role) else 404), (role, key)
    assert c.get("/people/99999999999999999999/").status_code == 404
    assert c.get("/people/2147483648/edit/").status_code == 404


def test_inspector_may_not_edit(world):
    person = world.people["dongdang"]
    c = client_for(world.users["inspector"])
    assert c.get(edit_url(person)).status_code == 403
    assert c.post(edit_url(person), {"given_name": "X"}).status_code == 403
    assert "Sửa hồ sơ" not in text(c.get(url(person)))


def test_anonymous_goes_to_login(world):
    response = Client().get(url(world.people["dongdang"]))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


# --------------------------------------------------------------------------- editing


def test_edit_saves_with_history(world):
    from canbo.registry.models import Person

    person = world.people["dongdang"]
    user = world.users["dongdang"]
    c = client_for(user)
    shown = c.get(edit_url(person))
    assert shown.status_code == 200
    data = form_data(shown)
    assert data["birth_date"] == "01/03/1976"  # shown as typed, dd/mm/yyyy
    data["birth_date"] = "16/03/1976"
    data["home_town"] = "Xã Hồng Phong, huyện Bình Gia"
    response = c.post(edit_url(person), data)
    assert response.status_code == 302
    assert response["Location"] == url(person)

    person.refresh_from_db()
    assert person.birth_date == date(1976, 3, 16)
    assert person.home_town == "Xã Hồng Phong, huyện Bình Gia"
    last = Person.history.filter(id=person.pk).latest("history_id")
    assert last.history_user_id == user.pk

    page = text(c.get(url(person)))
    assert "Lịch sử thay đổi" in page
    assert "Ngày sinh</strong>: 01/03/1976 → 16/03/1976" in page
    assert "Quê quán</strong>: (trống) → Xã Hồng Phong, huyện Bình Gia" in page
    assert "Đã lưu hồ sơ" in page


def test_date_known_to_the_year(world):
    person = world.people["dongdang"]
    c = client_for(world.users["dongdang"])
    data = form_data(c.get(edit_url(person)))
    data["birth_date"] = "1976"
    assert c.post(edit_url(person), data).status_code == 302
    person.refresh_from_db()
    assert (person.birth_date, person.birth_date_precision) == (date(1976, 1, 1), "year")
    data = form_data(c.get(edit_url(person)))
    assert data["birth_date"] == "1976"
    assert '<dd data-field="birth_date">1976</dd>' in text(c.get(url(person)))


def test_concurrent_edit_is_refused(world):
    """Two officers open the form; the first saves; the second is refused, sees who changed
    what and when, keeps their own input, and nothing of the first is overwritten. Saving
    again after reading is then deliberate and goes through."""
    from canbo.registry.models import Person

    person = world.people["baolam"]
    first = client_for(world.users["dongdang"])
    second = client_for(world.users["caoloc"])
    mine = form_data(first.get(edit_url(person)))
    theirs = form_data(second.get(edit_url(person)))

    mine["home_town"] = "Thôn Nà Pàn"
    assert first.post(edit_url(person), mine).status_code == 302

    theirs["home_town"] = "Thôn Khòn Khuyên"
    theirs["given_name"] = "Huyền Trang"
    refused = second.post(edit_url(person), theirs)
    assert refused.status_code == 409
    page = text(refused)
    assert "người khác sửa" in page
    assert "xa_dongdang" in page  # who
    assert "Quê quán</strong>: (trống) → Thôn Nà Pàn" in page  # what, before → after
    assert (
        '<tr data-field="home_town"><td>Quê quán</td><td>(trống)</td><td><strong>Thôn Nà Pàn</strong></td></tr>'
        in page
    )
    assert "/20" in page  # when, dd/mm/yyyy
    # Only the change made since the form was opened is listed, not the file's creation.
    assert page.count("<tr data-history=") == 1
    assert 'value="Thôn Khòn Khuyên"' in page  # the officer's own input kept
    assert 'value="Huyền Trang"' in page

    person.refresh_from_db()
    assert person.home_town == "Thôn Nà Pàn"
    assert person.given_name == "Huyền"
    assert Person.history.filter(id=person.pk, history_user=world.users["caoloc"]).count() == 0

    again = refused.context["form"]
    resubmitted = dict(theirs, version=str(again["version"].value()))
    assert second.post(edit_url(person), resubmitted).status_code == 302
    person.refresh_from_db()
    assert (person.home_town, person.given_name) == ("Thôn Khòn Khuyên", "Huyền Trang")


def test_no_conflict_without_a_change(world):
    """Saving an unchanged form writes nothing; a form opened before it still saves."""
    from canbo.registry.models import Person

    person = world.people["dongdang"]
    first = client_for(world.users["dongdang"])
    second = client_for(world.users["province"])
    mine = form_data(first.get(edit_url(person)))
    theirs = form_data(second.get(edit_url(person)))
    count = Person.history.filter(id=person.pk).count()
    response = first.post(edit_url(person), mine, follow=True)
    assert "Không có thay đổi nào để lưu." in text(response)
    assert Person.history.filter(id=person.pk).count() == count
    assert second.post(edit_url(person), dict(theirs, home_town="Thôn Mới")).status_code == 302
    person.refresh_from_db()
    assert person.home_town == "Thôn Mới"


def test_a_change_without_history_is_caught_too(world):
    """A change written without a history entry (an update in bulk) is caught by the values the
    form carries: refused, the difference shown."""
    from canbo.registry.models import Person

    person = world.people["dongdang"]
    c = client_for(world.users["dongdang"])
    data = form_data(c.get(edit_url(person)))
    Person.objects.filter(pk=person.pk).update(home_town="Bản Lạ")
    refused = c.post(edit_url(person), dict(data, notes="ghi chú mới"))
    assert refused.status_code == 409
    assert "<td>(trống)</td><td><strong>Bản Lạ</strong></td>" in text(refused)
    person.refresh_from_db()
    assert (person.home_town, person.notes) == ("Bản Lạ", "")


def test_vietnamese_validation_messages(world):
    from canbo.registry.models import Person

    person = world.people["dongdang"]
    c = client_for(world.users["dongdang"])
    base = form_data(c.get(edit_url(person)))
    count = Person.history.filter(id=person.pk).count()

    response = c.post(edit_url(person), dict(base, birth_date="31/02/1980"))
    assert response.status_code == 200
    assert "“31/02/1980” không phải là một ngày có thật" in text(response)

    response = c.post(edit_url(person), dict(base, identity_number="12345"))
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số." in text(response)

    # Twelve digits, but the century-and-sex digit says a woman born in the 1900s for a man
    # born in 1976 (Circular 59/2021/TT-BCA).
    wrong = base["identity_number"][:3] + "1" + base["identity_number"][4:]
    response = c.post(edit_url(person), dict(base, identity_number=wrong))
    assert 'id="id_identity_number_errors"' in text(response)
    assert "giới tính" in text(response).lower() or "nữ" in text(response).lower()

    response = c.post(edit_url(person), dict(base, birth_date="01/01/2999"))
    assert "nằm ngoài khoảng cho phép" in text(response)

    response = c.post(edit_url(person), dict(base, given_name="<script>x</script>"))
    assert "Không được có ký hiệu" in text(response)

    response = c.post(edit_url(person), dict(base, family_name=""))
    assert 'id="id_family_name_errors"' in text(response)

    person.refresh_from_db()
    assert person.birth_date == date(1976, 3, 1)
    assert Person.history.filter(id=person.pk).count() == count


def test_forged_requests(world):
    from canbo.registry.models import Person

    person = world.people["dongdang"]
    user = world.users["dongdang"]
    c = client_for(user)
    base = form_data(c.get(edit_url(person)))

    # Another province's unit as managing unit: refused as a choice, nothing saved.
    response = c.post(edit_url(person), dict(base, managing_unit=str(world.units.hn_commune.pk)))
    assert response.status_code == 200
    assert 'id="id_managing_unit_errors"' in text(response)
    assert world.units.hn_commune.name not in text(response)
    # Wrong types.
    for bad in ({"managing_unit": "abc"}, {"sex": "robot"}, {"ethnicity": "999"}):
        response = c.post(edit_url(person), dict(base, **bad))
        assert response.status_code == 200, bad
        assert "errorlist" in text(response)
    # A missing or forged version token.
    for version in ("", "abc", "1" * 40):
        response = c.post(edit_url(person), dict(base, version=version))
        assert response.status_code == 400, version
        assert "mã phiên bản" in text(response)
    # Another unit's person.
    other = world.people["kylua"]
    assert c.post(edit_url(other), base).status_code == 404
    # No CSRF token.
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    response = strict.post(edit_url(person), dict(base, home_town="CSRF"))
    assert response.status_code == 403
    # GET only on the page.
    assert c.post(url(person), {}).status_code == 405
    person.refresh_from_db()
    assert person.home_town == ""
    assert person.managing_unit_id == world.units.dongdang.pk
    assert Person.history.filter(id=person.pk).count() == 1


# --------------------------------------------------------------------------- speed


def test_queries_do_not_grow_with_the_file(world):
    """Twice as many posts, qualifications, evaluations, trainings and history entries: the same
    number of queries."""
    from canbo.conduct.models import Evaluation
    from canbo.registry.models import Assignment, Qualification
    from canbo.training.models import TrainingEnrolment

    person = world.people["dongdang"]
    c = client_for(world.users["province"])
    c.get(url(person))  # warm the caches of the process (rules, catalogues)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url(person)).status_code == 200
        return len(ctx.captured_queries)

    def grow(n: int) -> None:
        for i in range(n):
            year = 2000 + Evaluation.objects.filter(person=person).count()
            Evaluation.objects.create(person=person, year=year, rating="good")
            Qualification.objects.create(
                person=person, dimension="it", level="basic", obtained_on=date(2001 + i, 1, 1)
            )
            TrainingEnrolment.objects.create(
                person=person, course_name=f"Tin học {i}", kind="it", start=date(2005 + i, 1, 1)
            )
            Assignment.objects.create(
                person=person,
                unit=world.units.dongdang_old,
                title=world.titles["TP_HT"],
                start=date(2010 + i, 1, 1),
                end=date(2010 + i, 12, 31),
                end_reason="transfer",
            )
        person.home_town = f"Thôn {n}"
        person.save()

    grow(2)
    small = count()
    grow(4)
    large = count()
    assert large == small
    assert small < 40


# --------------------------------------------------------------------------- posts and qualifications


def post_url(person, what: str) -> str:
    return f"/people/{person.pk}/{what}/"


def test_add_a_post_in_scope(world):
    from canbo.registry.models import Assignment

    person = world.people["dongdang"]
    c = client_for(world.users["dongdang"])
    shown = c.get(post_url(person, "posts/add"))
    assert shown.status_code == 200
    page = text(shown)
    assert world.units.dongdang.name in page
    assert world.units.kylua.name not in page  # no unit label from outside the scope
    response = c.post(
        post_url(person, "posts/add"),
        {
            "title": world.titles["CV_TP"].pk,
            "unit": world.units.dongdang.pk,
            "start": "01/08/2025",
            "start_reason": "appointed",
            "is_concurrent": "on",
            "decision_number": "12/QĐ-UBND",
        },
    )
    assert response.status_code == 302, text(response)
    post = Assignment.objects.get(person=person, decision_number="12/QĐ-UBND")
    assert (post.unit_id, post.start, post.is_concurrent, post.confirmation) == (
        world.units.dongdang.pk,
        date(2025, 8, 1),
        True,
        "",
    )
    page = text(c.get(url(person)))
    assert "12/QĐ-UBND" in page
    # The change history of the file lists the new post: what, who.
    history = page[page.index('id="history"') :]
    assert "Quá trình công tác: " + world.titles["CV_TP"].name in history
    assert "xa_dongdang" in history


def test_an_earlier_post_elsewhere_waits_for_the_province(world):
    from canbo.registry.models import Assignment

    person = world.people["dongdang"]
    c = client_for(world.users["dongdang"])
    data = {
        "title": world.titles["TP_HT"].pk,
        "unit_code": world.units.dinhlap.code,
        "start": "01/01/2008",
        "end": "31/12/2012",
        "end_reason": "transfer",
    }
    response = c.post(post_url(person, "posts/add"), data)
    assert response.status_code == 302, text(response)
    post = Assignment.objects.get(person=person, unit=world.units.dinhlap)
    assert post.confirmation == "pending"
    page = text(c.get(url(person)))
    assert "chờ tỉnh xác nhận" in page

    # The province's officer finds the way to confirm it from the timeline; the commune's does not.
    def timeline(page: str) -> str:
        return page[page.index('id="timeline"') : page.index('id="trainings"')]

    assert 'href="/confirmations/"' not in timeline(page)
    assert 'href="/confirmations/"' in timeline(text(client_for(world.users["province"]).get(url(person))))
    # A code naming no commune on that date, and both a unit and a code.
    response = c.post(post_url(person, "posts/add"), dict(data, unit_code="99999"))
    assert "Không có xã nào mang mã 99999 vào ngày 01/01/2008" in text(response)
    response = c.post(post_url(person, "posts/add"), dict(data, unit=world.units.dongdang.pk))
    assert "không cả hai" in text(response)
    response = c.post(post_url(person, "posts/add"), dict(data, start="31/02/2008"))
    assert "“31/02/2008” không phải là một ngày có thật" in text(response)
    assert Assignment.objects.filter(person=person, unit=world.units.dinhlap).count() == 1


def test_ending_a_post_refuses_a_concurrent_change(world):
    from canbo.registry.models import Assignment

    person = world.people["dongdang"]
    post = Assignment.objects.get(person=person, end__isnull=True)
    first = client_for(world.users["dongdang"])
    second = client_for(world.users["province"])
    mine = form_data_of(first.get(post_url(person, "posts/end")), post)
    theirs = form_data_of(second.get(post_url(person, "posts/end")), post)

    mine.update(end="30/11/2025", end_reason="transfer")
    assert first.post(post_url(person, "posts/end"), mine).status_code == 302
    theirs.update(end="31/12/2025", end_reason="retirement")
    refused = second.post(post_url(person, "posts/end"), theirs)
    assert refused.status_code == 409
    page = text(refused)
    assert "người khác sửa" in page
    assert "xa_dongdang" in page
    assert "30/11/2025" in page
    post.refresh_from_db()
    assert (post.end, post.end_reason) == (date(2025, 11, 30), "transfer")
    history = text(first.get(url(person))).split('id="history"')[1]
    assert "Đến ngày</strong>: (trống) → 30/11/2025" in history
    assert "Lý do kết thúc</strong>: (trống) → Điều động, chuyển công tác" in history
    # An end before the start: the model's message, nothing saved.
    other = Assignment.objects.create(
        person=person, unit=world.units.dongdang, title=world.titles["CV_TP"], start=date(2025, 9, 1)
    )
    data = form_data_of(first.get(post_url(person, "posts/end")), other)
    data.update(end="01/08/2025", end_reason="transfer")
    response = first.post(post_url(person, "posts/end"), data)
    assert response.status_code == 200
    assert "không được trước" in text(response)
    other.refresh_from_db()
    assert other.end is None
    # Another person's post through this person's page: 404.
    foreign = Assignment.objects.get(person=world.people["kylua"])
    response = first.post(post_url(person, "posts/end"), dict(data, post=foreign.pk))
    assert response.status_code == 404


def form_data_of(response, post) -> dict:
    for row in response.context["rows"]:
        if row["post"].pk == post.pk:
            form = row["form"]
            return {name: str(form[name].value() or "") for name in form.fields}
    raise AssertionError(f"no form for post {post.pk}")


def test_add_a_qualification(world):
    from canbo.registry.models import Qualification

    person = world.people["baolam"]
    c = client_for(world.users["dongdang"])
    assert c.get(post_url(person, "qualifications/add")).status_code == 200
    data = {
        "dimension": "political_theory",
        "level": "intermediate",
        "obtained_on": "15/06/2022",
        "institution": "Trường Chính trị tỉnh Lạng Sơn",
        "original_text": "TC LLCT",
    }
    response = c.post(post_url(person, "qualifications/add"), data)
    assert response.status_code == 302, text(response)
    q = Qualification.objects.get(person=person, dimension="political_theory")
    assert (q.level, q.obtained_on) == ("intermediate", date(2022, 6, 15))
    assert "TC LLCT" in text(c.get(url(person)))
    # A level of another scale, a date in the future: Vietnamese messages, nothing saved.
    response = c.post(post_url(person, "qualifications/add"), dict(data, dimension="it"))
    assert response.status_code == 200
    assert 'id="id_level_errors"' in text(response)
    response = c.post(post_url(person, "qualifications/add"), dict(data, obtained_on="01/01/2099"))
    assert "nằm ngoài khoảng cho phép" in text(response)
    assert Qualification.objects.filter(person=person, dimension="political_theory").count() == 1
    # The inspector may not; another unit's person is not found.
    assert (
        client_for(world.users["inspector"]).post(post_url(person, "qualifications/add"), data).status_code
        == 403
    )
    assert c.post(post_url(world.people["kylua"], "qualifications/add"), data).status_code == 404


def test_dates_of_the_findings_read_dd_mm_yyyy(world):
    """A birth date known only to the year gives a range of retirement dates: written
    dd/mm/yyyy–dd/mm/yyyy, never ISO."""
    import re

    person = world.people["dongdang"]
    person.birth_date_precision = "year"
    person.save()
    page = text(client_for(world.users["dongdang"]).get(url(person)))
    findings = page[page.index('id="standards"') : page.index('id="profile"')]
    assert 'data-criterion="retirement_age"' in findings
    assert not re.search(r"\d{4}-\d{2}-\d{2}", findings)
    assert re.search(r"\d{2}/\d{2}/\d{4}–\d{2}/\d{2}/\d{4}", findings)


def test_the_administrators_unit_choices_are_the_persons_province(world):
    """The system administrator's scope is the whole country; the edit and add-post forms offer
    the units of the person's province (both eras), not every unit of Viet Nam."""
    person = world.people["dongdang"]
    admin = client_for(world.users["admin"])
    for path in (edit_url(person), f"/people/{person.pk}/posts/add/"):
        response = admin.get(path)
        assert response.status_code == 200
        field = response.context["form"].fields["managing_unit" if path.endswith("edit/") else "unit"]
        offered = set(field.queryset.values_list("pk", flat=True))
        assert world.units.dongdang.pk in offered and world.units.baolam.pk in offered
        assert world.units.hn_commune.pk not in offered
