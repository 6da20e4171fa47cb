"""The installation a backup test backs up (tests/test_backup.py), built by this program in a
separate process against ``DATABASE_URL`` and ``CANBO_HOME`` — a real database and a real
MEDIA_ROOT that the ``canbo backup`` and ``canbo restore`` subprocesses see too (pytest-django's
test database is invisible to them).

It migrates, loads the units of provinces 1 and 20, writes the ``world`` of tests/conftest.py
(one person per place, one record of every kind, one user per role), then adds what the world
lacks so that every table of the project holds rows: unit classes, area flags and statistics,
the province's decisions, an edit (history ``~`` rows), the résumé's records (generated, and one
of each with its history), an Excel import through the import
service (the uploaded file kept in MEDIA_ROOT, a row held for review, rows without an ID
number), an access-log entry, a group with permissions, an admin log entry, a failed and a
successful login (django-axes' attempts and log, a session), an API token, a finished report job
with its file and a queued one, and two job results in MEDIA_ROOT (one empty, one with a
Vietnamese name), and a training plan with an attendance. ``python backup_source.py`` from the tests directory.
"""

from __future__ import annotations

import random
import sys
import tempfile
from datetime import date
from pathlib import Path

#: The system administrator's password in the built installation.
ADMIN = "quantri"
PASSWORD = "sao-luu-khoi-phuc-2026"
#: The job results written to MEDIA_ROOT (relative path → bytes).
RESULTS = {
    "results/2026/báo cáo chất lượng quý 4.xlsx": random.Random(2026).randbytes(150_000),
    "results/2026/trống.txt": b"",
}


def build() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.admin.models import ADDITION, LogEntry
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    from conftest import build_world, find_units
    from import_lists import good_people, person_row, write_list

    from canbo.access.models import FileAccess
    from canbo.imports import services
    from canbo.registry.models import (
        Person,
        Title,
        UnitAreaFlag,
        UnitClassification,
        UnitLineage,
        UnitStatistics,
    )
    from canbo.registry.reference import load_reference
    from canbo.standards.demo import ensure_demo_decisions
    from canbo.standards.models import ProvincialDecision

    load_reference({1, 20})
    world = build_world(find_units(), {t.code: t for t in Title.objects.all()})
    units = world.units
    admin = world.users["admin"]
    assert admin.username == ADMIN
    admin.set_password(PASSWORD)
    admin.save()
    # The reference data is loaded in bulk, without history: one edit each gives them some.
    units.baolam.save()
    Title.objects.order_by("pk").first().save()
    UnitLineage.objects.order_by("pk").first().save()

    UnitClassification.objects.create(unit=units.baolam, unit_class="class_2", valid_from=date(2017, 1, 1))
    UnitAreaFlag.objects.create(unit=units.baolam, flag="border", valid_from=date(2005, 1, 1))
    UnitStatistics.objects.create(unit=units.baolam, year=2024, population=6812)
    ensure_demo_decisions("20")
    decision = ProvincialDecision.objects.order_by("pk").first()
    decision.decision_number += " (sửa đổi)"
    decision.save()
    # An edit: the person's history gains a "~" row after the "+" one.
    person = world.people["dongdang"]
    person.ethnicity = "01"
    person.save()
    # The résumé's records (issue 15): a salary change, an award, an organisation, a relative.
    from canbo.registry.generate import fill_resume_items

    fill_resume_items(seed=2005, end=date(2026, 11, 27))
    from canbo.registry.models import Award, FamilyMember, OrganisationMembership, SalaryStep

    SalaryStep.objects.create(person=person, valid_from=date(2016, 1, 1), rank_code="01.003", step=5)
    Award.objects.create(person=person, decided_on=date(2021, 12, 20), form="certificate", level="province")
    OrganisationMembership.objects.create(person=person, organisation="farmers", joined_on=date(2010, 1, 1))
    FamilyMember.objects.create(person=person, relation="sibling", full_name="Hoàng Văn Em", birth_year=1980)

    # An import through the service, as from the web page: the file is kept in MEDIA_ROOT.
    settings.MEDIA_ROOT = Path(settings.MEDIA_ROOT)
    officer = world.users["province"]
    existing = world.people["baolam"]
    rows = [
        *good_people(),
        # No ID number: linked to the person it creates by its row key (ImportedRow).
        person_row(
            "Hà", "Văn", "Khải", date(1979, 2, 3), "male", "Bảo Lâm", "Văn phòng - thống kê", number=False
        ),
        # A namesake of a person on record, no ID number: held for review (ImportReview).
        person_row(
            "Lộc", "Thị", "Huyền", existing.birth_date, "female", "Bảo Lâm", "Phó Chủ tịch UBND", number=False
        ),
    ]
    sheet = write_list(Path(tempfile.mkdtemp()) / "danh sách Cao Lộc.xlsx", rows)
    batch = services.copy_into_batch(sheet, units.caoloc, date(2024, 12, 31), officer)
    sheet.unlink()
    preview = services.prepare(batch, officer, today=date(2026, 11, 27))
    assert preview.ok, [p.message_vi for p in preview.errors]
    services.commit(batch, preview, officer)

    FileAccess.objects.create(
        user=officer,
        username=officer.username,
        action=FileAccess.Action.VIEW,
        person=existing,
        what="hồ sơ",
        address="10.20.0.7",
    )
    group = Group.objects.create(name="Văn thư")
    group.permissions.add(Permission.objects.get(codename="view_person"))
    admin.groups.add(group)
    admin.user_permissions.add(Permission.objects.get(codename="change_person"))
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(Person),
        object_id=str(existing.pk),
        object_repr=str(existing),
        action_flag=ADDITION,
        change_message="Tạo hồ sơ",
    )
    browser = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR="10.20.0.9")
    browser.post("/login/", {"username": "sonoivu_langson", "password": "sai-mat-khau"})
    response = browser.post("/login/", {"username": ADMIN, "password": PASSWORD})
    assert response.status_code == 302, response.status_code

    # An API token (and its history row), a report drawn up at once (a finished job with its file
    # in MEDIA_ROOT) and one left in the queue (a row of django-tasks-db's table).
    from canbo.access import tokens
    from canbo.jobs import services as jobs

    tokens.create(admin, "phần mềm tổng hợp của Sở")
    done = jobs.submit_report(
        admin, report="quality", unit=units.caoloc, on=date(2024, 12, 31), fmt="xlsx", inline=True
    )
    assert done.status == "done" and done.result_file, (done.status, done.message)
    jobs.submit_report(
        admin, report="staffing", unit=units.caoloc, on=date(2024, 12, 31), fmt="pdf", inline=False
    )

    # A training plan (issue 13 §5) with one planned attendance, and their history rows.
    from canbo.training.models import Course, PlannedAttendance, TrainingPlan

    plan = TrainingPlan.objects.create(
        unit=units.caoloc, planned_on=date(2026, 1, 1), start_year=2026, years=5, created_by=officer
    )
    PlannedAttendance.objects.create(
        plan=plan, person=person, course=Course.objects.order_by("code").first(), start_year=2026
    )

    for relative, data in RESULTS.items():
        path = Path(settings.MEDIA_ROOT) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    build()
