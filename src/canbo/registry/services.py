"""Writing a person's posts from the web application (issue 10 §2).

An officer keeps the files of the people of their scope; a person's *earlier* posts were often
held elsewhere — another commune, another province — in units outside that scope. The officer
records them here; a post in a unit outside the recorder's scope is *pending* until an officer
of the province whose scope holds the unit confirms it (:func:`confirm_post`) or rejects it
(:func:`reject_post`). Who may do what is decided in :mod:`canbo.access.scope`
(:func:`~canbo.access.scope.needs_confirmation`, :func:`~canbo.access.scope.may_confirm`).

Every write goes through the model's validation (Vietnamese messages), is checked against the
user's scope inside its transaction, and leaves a history row naming the user and the reason.

What a pending post counts for: it is part of the person's file (their page lists it, marked
"chờ tỉnh xác nhận") but not of the unit's staffing — the findings and reports on the unit where
it was held leave it out (:func:`counted_posts`), and it does not open the person's file to that
unit's officers. Once confirmed, it counts like any other post.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from canbo.access import scope
from canbo.registry.models import Assignment, Confirmation, Person, Title, Unit

#: The reasons written to the history of the posts (django-simple-history's change reason).
REASON_RECORD = "Ghi quá trình công tác"
REASON_CONFIRM = "Tỉnh xác nhận quá trình công tác"
REASON_REJECT = "Tỉnh không xác nhận quá trình công tác"


def counted_posts(queryset: models.QuerySet | None = None) -> models.QuerySet:
    """``queryset`` of Assignments (all of them by default) without the posts still pending the
    province's confirmation: the posts a unit's staffing, findings and reports count."""
    qs = Assignment.objects.all() if queryset is None else queryset
    return qs.exclude(confirmation=Confirmation.PENDING)


def record_earlier_post(
    user,
    person: Person,
    unit: Unit,
    title: Title,
    start: date,
    end: date | None = None,
    *,
    start_reason: str = "",
    end_reason: str = "",
    is_concurrent: bool = False,
    decision_number: str = "",
) -> Assignment:
    """Record that ``person`` held ``title`` in ``unit`` from ``start`` to ``end``.

    ``user`` must be allowed to change ``person``'s file (the person's managing unit is in their
    scope). The unit may lie anywhere: when it is outside ``user``'s scope the post is saved as
    *pending* the confirmation of the province whose scope holds it. Raises
    ``PermissionDenied`` (out of scope) or ``ValidationError`` (Vietnamese messages by field:
    dates, a unit or title not in force, ages — the model's own checks)."""
    if not scope.can(user, scope.CHANGE, person):
        raise PermissionDenied(_("Hồ sơ của người này nằm ngoài phạm vi được phân quyền của bạn."))
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if start and start > today:
        errors.setdefault("start", []).append(
            _("Quá trình công tác trước đây không thể bắt đầu ở tương lai.")
        )
    if end and end > today:
        errors.setdefault("end", []).append(_("Quá trình công tác trước đây không thể kết thúc ở tương lai."))
    if errors:
        raise ValidationError(errors)
    post = Assignment(
        person=person,
        unit=unit,
        title=title,
        start=start,
        end=end,
        start_reason=start_reason,
        end_reason=end_reason,
        is_concurrent=is_concurrent,
        decision_number=decision_number,
        confirmation=Confirmation.PENDING if scope.needs_confirmation(user, unit.pk) else "",
    )
    post.full_clean()
    with transaction.atomic():
        post._history_user = user  # type: ignore[attr-defined]  # django-simple-history's hooks
        post._change_reason = REASON_RECORD  # type: ignore[attr-defined]
        post.save()
        scope.ensure_in_scope(user, post, scope.CHANGE)
    return post


class PostChanged(Exception):
    """A post to end changed since the version the caller read (or has ended already): nothing
    was written; ``post`` is the post as it is now."""

    def __init__(self, post: Assignment, version: int):
        super().__init__(f"post {post.pk} changed since version {version}")
        self.post = post
        self.version = version


def post_version(post_id: int) -> int:
    """The id of the post's latest history entry: the version a form to end it carries."""
    return Assignment.history.filter(id=post_id).aggregate(v=models.Max("history_id"))["v"] or 0


def end_post(user, post: Assignment, *, end: date, end_reason: str, version: int) -> Assignment:
    """End the open ``post`` on ``end`` (its last day) for ``end_reason`` — the web page's *Kết thúc
    chức danh* and the API alike. ``user`` must be allowed to change it (the person's file is kept
    in their scope). No lost update: ``version`` is the post's latest history entry the caller
    read (:func:`post_version`); when the post changed since, or has already ended,
    :class:`PostChanged` is raised and nothing is written. The model's own checks (the end after
    the start, within the unit's life, a reason) raise ``ValidationError`` (Vietnamese)."""
    with transaction.atomic():
        locked = (
            scope.restrict(Assignment.objects.filter(pk=post.pk), user, scope.CHANGE)
            .select_for_update(of=("self",))
            .select_related("title", "unit", "person")
            .first()
        )
        if locked is None:
            raise PermissionDenied(_("Hồ sơ của người này nằm ngoài phạm vi được phân quyền của bạn."))
        if post_version(locked.pk) != version or locked.end is not None:
            raise PostChanged(locked, version)
        locked.end = end
        locked.end_reason = end_reason
        locked.full_clean()
        locked._history_user = user  # django-simple-history's hook (restrict() is untyped: no ignore)
        locked.save()
        scope.ensure_in_scope(user, locked, scope.CHANGE)
    return locked


def _decide(user, post: Assignment) -> Assignment:
    """The pending ``post`` locked for a decision by ``user``, or the refusal."""
    if not scope.may_confirm(user, post.unit_id):
        raise PermissionDenied(
            _("Chỉ cán bộ cấp tỉnh quản lý đơn vị “%(u)s” mới xác nhận được quá trình công tác này.")
            % {"u": post.unit.name}
        )
    current = Assignment.objects.select_for_update().select_related("unit").get(pk=post.pk)
    if current.confirmation != Confirmation.PENDING:
        if current.confirmation == Confirmation.CONFIRMED:
            who = str(current.confirmed_by) if current.confirmed_by_id else "…"
            when = (
                timezone.localtime(current.confirmed_at).strftime("%d/%m/%Y %H:%M")
                if current.confirmed_at
                else "…"
            )
            message = _("Quá trình công tác này đã được xác nhận (%(who)s, %(when)s).") % {
                "who": who,
                "when": when,
            }
        else:
            message = _("Quá trình công tác này không cần tỉnh xác nhận.")
        raise ValidationError(message)
    return current


def confirm_post(user, post: Assignment) -> Assignment:
    """Confirm the pending ``post``: ``user`` must be a province officer whose scope holds the
    post's unit (or the system administrator). Raises ``PermissionDenied`` or, when the post is
    not pending (already confirmed, or never needed it), ``ValidationError``."""
    with transaction.atomic():
        current = _decide(user, post)
        current.confirmation = Confirmation.CONFIRMED
        current.confirmed_by = user
        current.confirmed_at = timezone.now()
        current._history_user = user  # type: ignore[attr-defined]
        current._change_reason = REASON_CONFIRM  # type: ignore[attr-defined]
        current.save(update_fields=["confirmation", "confirmed_by", "confirmed_at"])
    return current


def reject_post(user, post: Assignment) -> None:
    """Reject the pending ``post``: it is deleted (its history keeps what was recorded, by whom,
    and who rejected it). Same rights as :func:`confirm_post`."""
    with transaction.atomic():
        current = _decide(user, post)
        current._history_user = user  # type: ignore[attr-defined]
        current._change_reason = REASON_REJECT  # type: ignore[attr-defined]
        current.delete()
