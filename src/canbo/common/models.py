"""Abstract bases shared by every canbo model.

* :class:`AuditedModel` records every change (who, when, before, after) with
  django-simple-history — DESIGN principle 6, "nothing is lost" — and declares
  ``scope_path``, the lookup from the model to the administrative unit that
  decides who may see it (used by :func:`canbo.access.scope.restrict`, the one
  place where row-level permissions are enforced).
* :class:`DatedFact` adds ``valid_from`` / ``valid_to`` (DESIGN principle 2,
  "every fact is dated") and refuses a period that ends before it starts.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from canbo.core.formatting import fmt_date


class AuditedModel(models.Model):
    """Base of every stored record: full change history and a scope path."""

    #: Django lookup from this model to the ``Unit`` that scopes it; ``None``
    #: means a national catalogue readable by everybody.
    scope_path: str | None = None

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


def check_period(instance: models.Model, start_field: str, end_field: str) -> None:
    """Raise a field-level ValidationError when the period ends before it starts."""
    start, end = getattr(instance, start_field), getattr(instance, end_field)
    if start and end and end < start:
        raise ValidationError(
            {
                end_field: _("%(end)s (%(end_value)s) không được trước %(start)s (%(start_value)s).")
                % {
                    "end": _verbose_name(instance, end_field),
                    "end_value": fmt_date(end),
                    "start": _verbose_name(instance, start_field),
                    "start_value": fmt_date(start),
                }
            }
        )


def _verbose_name(instance: models.Model, name: str) -> str | Promise:
    """The verbose name of the concrete field ``name`` (a period's bound is a
    column, never a reverse relation, which has no verbose name)."""
    return cast("models.Field[Any, Any]", instance._meta.get_field(name)).verbose_name


class DatedFact(AuditedModel):
    """A fact that holds from ``valid_from`` to ``valid_to`` (both inclusive).

    ``valid_from`` empty means "since before our records"; ``valid_to`` empty
    means "still true".
    """

    valid_from = models.DateField(_("hiệu lực từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến ngày"), null=True, blank=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        check_period(self, "valid_from", "valid_to")

    def is_valid_on(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on <= self.valid_to
        )
