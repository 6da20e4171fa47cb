"""What each kind of job does (:data:`HANDLERS`): the same services the pages and commands call,
with the job's progress.

* ``import_preview`` — read and check an uploaded list and decide what committing would do
  (:func:`canbo.imports.services.prepare`: nothing written but the batch's preview);
* ``import_commit`` — write a previewed list into the records, all or nothing
  (:func:`canbo.imports.flow.commit_batch`: read again, refused if the file or the records
  changed since the preview);
* ``report`` — draw up a report and keep its file (:mod:`canbo.reports.services`), for the
  requester to download from the job's page;
* ``resumes`` — the résumés (Mẫu 2C-BNV/2008) of a commune's people in one zip
  (:mod:`canbo.registry.resume`), each print recorded in the access log.

Each handler checks again, when it runs, that the requester may still do it (their account or
scope may have changed since they asked): if not, the job fails with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from canbo.access import scope
from canbo.core.formatting import fmt_date
from canbo.registry.models import Unit

from .models import Job, JobKind
from .progress import Progress
from .runner import JobFailed, Outcome


def _unit_in_scope(job: Job) -> None:
    user, unit = job.user, job.unit
    if user is None or not scope.restrict(Unit.objects.filter(pk=unit.pk), user, scope.VIEW).exists():
        raise JobFailed(
            _("Đơn vị “%(u)s” không còn trong phạm vi được phân quyền của người yêu cầu; không làm gì.")
            % {"u": unit.name}
        )


def _may_import(job: Job) -> None:
    from canbo.imports import flow

    _unit_in_scope(job)
    if job.batch is None or not flow.may_import(job.user) or not scope.can(job.user, scope.VIEW, job.batch):
        raise JobFailed(_("Tài khoản không (còn) được phép nhập danh sách này; không ghi gì."))


def _import_counts(batch) -> dict:
    from canbo.imports import services

    summary = batch.summary or {}
    keys = (*services.PREVIEW_COUNTS, *services.WRITTEN_COUNTS)
    return {k: summary[k] for k in keys if k in summary}


def import_preview(job: Job, progress: Progress) -> Outcome:
    """Read and check the batch's file; the preview is kept on the batch."""
    from canbo.imports import services

    _may_import(job)
    batch = job.batch
    assert batch is not None
    progress.steps(2)
    preview = services.prepare(batch, job.user, progress=progress.say)
    counts = _import_counts(batch)
    if not preview.ok:
        return Outcome(
            _(
                "Tệp có %(e)s lỗi nên chưa ghi gì. Xem các lỗi theo trang, dòng, cột rồi sửa tệp và tải lên lại."
            )
            % {"e": counts.get("errors", 0)},
            {"level": "error", "counts": counts},
        )
    return Outcome(
        _(
            "Đã kiểm tra %(n)s dòng hợp lệ (%(w)s cảnh báo); chưa ghi gì vào hồ sơ. Xem bản xem trước "
            "rồi bấm “Ghi vào hồ sơ”."
        )
        % {"n": counts.get("rows", 0), "w": counts.get("warnings", 0)},
        {"level": "success", "counts": counts},
    )


#: The steps of a commit: read, match, then the writer's (start, people, posts, qualifications).
COMMIT_STEPS = 6


def import_commit(job: Job, progress: Progress) -> Outcome:
    """Write the batch as its preview showed it (the fingerprint the officer saw)."""
    from canbo.imports import flow

    _may_import(job)
    batch = job.batch
    assert batch is not None
    progress.steps(COMMIT_STEPS)
    # A step beyond the count (an update, posts ended) keeps the bar short of the end until done.
    outcome = flow.commit_batch(batch, job.user, job.params.get("shown"), progress=progress.say)
    batch.refresh_from_db()
    counts = _import_counts(batch)
    if outcome.level == "error":
        raise JobFailed(outcome.message, {"counts": counts})
    return Outcome(outcome.message, {"level": outcome.level, "counts": counts})


def _visible_people(user) -> Callable[[set[int]], set[int] | None]:
    from canbo.reports.views import _visible_people

    return _visible_people(user)


def report(job: Job, progress: Progress) -> Outcome:
    """Draw up the report and keep its file on the job."""
    from canbo.core.reports import trend
    from canbo.reports import services

    _unit_in_scope(job)
    name, fmt, on = job.params["report"], job.params["format"], date.fromisoformat(job.params["on"])
    unit, user = job.unit, job.user
    lang = "en" if job.language.startswith("en") else "vi"
    points: Callable[[date, int], None] | None = None
    if name == "trend":
        dates = trend.points_dates(on)
        steps = len(dates) + 1  # each year's figures, then the file
        progress.step(_("Tính các chỉ tiêu vào 31/12 từng năm"), 0, steps)
        seen: list[date] = []

        def points(d: date, _people: int) -> None:
            seen.append(d)
            progress.label = _("Tính các chỉ tiêu vào 31/12 từng năm: đã xong %(d)s") % {"d": fmt_date(d)}
            progress.advance(len(seen))

    else:
        progress.steps(2)
        progress.step(_("Đối chiếu tiêu chuẩn của từng người, tính các chỉ tiêu"))
    try:
        built = services.build(
            name,
            unit,
            on,
            lang,
            visible_people=_visible_people(user),
            progress=points,
            party_names=scope.sensitive_allowed(user, "party"),
        )
    except services.DateOutOfRange as e:
        raise JobFailed(e.message_en if lang == "en" else e.message_vi) from e
    writing = _("Ghi tệp %(f)s") % {"f": services.FORMATS[fmt][1]}
    if name == "trend":
        progress.step(writing, steps - 1, steps)
    else:
        progress.step(writing)
    content = services.render(built, fmt)
    filename = services.filename(name, unit, on, fmt)
    job.result_file.save(filename, ContentFile(content), save=False)
    job.result_name = filename
    return Outcome(
        _("Đã lập báo cáo “%(r)s” của %(u)s tính đến ngày %(d)s.")
        % {"r": services.REPORTS[name], "u": unit.name, "d": fmt_date(on)},
        {"level": "success", "size": len(content), "format": fmt},
    )


def resumes(job: Job, progress: Progress) -> Outcome:
    """The résumés (Mẫu 2C-BNV/2008) of the people whose file the commune keeps, one file each in
    a zip kept on the job; each print recorded in the access log (a person the requester may no
    longer print is left out and counted)."""
    import zipfile
    from io import BytesIO

    from canbo.access.models import FileAccess
    from canbo.core.resume.docx import docx_bytes
    from canbo.core.resume.pdf import pdf_bytes
    from canbo.core.text import fold
    from canbo.registry import resume
    from canbo.registry.models import Person

    _unit_in_scope(job)
    unit, user, fmt = job.unit, job.user, job.params["format"]
    people = list(
        Person.objects.filter(managing_unit_id__in=scope.expand_scope([unit.pk]))
        .select_related("managing_unit")
        .order_by("sort_name", "pk")
    )
    progress.step(_("In sơ yếu lý lịch từng người"), 0, len(people) + 1)
    buffer = BytesIO()
    printed = skipped = 0
    now = timezone.localtime()
    stamp = _("In từ canbo bởi %(u)s lúc %(t)s") % {
        "u": user.get_username() if user else "",
        "t": f"{fmt_date(now.date())} {now:%H:%M}",
    }
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for i, person in enumerate(people, start=1):
            if not resume.may_print(user, person):
                skipped += 1
                continue
            data = resume.build(person, user, printed_by=stamp)
            body = docx_bytes(data) if fmt == "docx" else pdf_bytes(data)
            slug = re.sub(r"[^a-z0-9]+", "-", fold(person.full_name)).strip("-")
            archive.writestr(f"{i:04d}-{slug}-{person.pk}.{fmt}", body)
            FileAccess.objects.create(
                user=user,
                username=user.get_username() if user else "",
                action=FileAccess.Action.PRINT,
                person=person,
                what=f"Sơ yếu lý lịch Mẫu 2C ({fmt}), in cả xã: công việc #{job.pk}",
            )
            printed += 1
            progress.advance(i)
    content = buffer.getvalue()
    filename = (
        f"so-yeu-ly-lich-{unit.code}-{re.sub(r'[^a-z0-9]+', '-', fold(unit.name)).strip('-')}-{fmt}.zip"
    )
    job.result_file.save(filename, ContentFile(content), save=False)
    job.result_name = filename
    return Outcome(
        _("Đã in sơ yếu lý lịch của %(n)s người của %(u)s.") % {"n": printed, "u": unit.name},
        {
            "level": "warning" if skipped else "success",
            "size": len(content),
            "printed": printed,
            "skipped": skipped,
        },
    )


def training_plan(job: Job, progress: Progress) -> Outcome:
    """Solve a training plan (issue 13 §7) of the job's unit and store it as a draft
    (:func:`canbo.training.plans.solve_plan`); the result names the plan."""
    from canbo.training.plans import PlanParameters, solve_plan

    _unit_in_scope(job)
    if not scope.may_open(job.user, "training_plan_new"):
        raise JobFailed(_("Tài khoản không (còn) được phép lập kế hoạch đào tạo; không lập gì."))
    p = job.params
    params = PlanParameters(
        start_year=p["start_year"],
        years=p["years"],
        degree_seats=p.get("degree_seats"),
        budget_vnd=p.get("budget_vnd"),
        away_share=p.get("away_share", 0.2),
        time_limit=p.get("time_limit", 60.0),
    )
    lang = "en" if job.language.startswith("en") else "vi"

    def step(pct: int, text: str) -> None:
        progress.step(text, pct, 100)

    plan = solve_plan(job.unit, params, user=job.user, progress=step, lang=lang)
    return Outcome(
        _("Đã lập kế hoạch đào tạo %(a)s–%(b)s của %(u)s: %(n)s lượt, còn %(o)s nhu cầu chưa đáp ứng.")
        % {
            "a": plan.start_year,
            "b": plan.end_year,
            "u": job.unit.name,
            "n": plan.attendances.count(),
            "o": len(plan.open_needs),
        },
        {"level": "success", "plan": plan.pk},
    )


#: The handler of each kind of job.
HANDLERS: dict[str, Callable[[Job, Progress], Outcome]] = {
    JobKind.IMPORT_PREVIEW: import_preview,
    JobKind.IMPORT_COMMIT: import_commit,
    JobKind.REPORT: report,
    JobKind.RESUMES: resumes,
    JobKind.TRAINING_PLAN: training_plan,
}
