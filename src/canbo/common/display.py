"""A stored value as an officer reads it, for the admin's pages (the change history above all):
a choice by its label (``Nùng``, ``Nữ``), a date dd/mm/yyyy to its precision (``1979`` for a
birth date known only to the year), yes/no as ``Có``/``Không``, none as ``(trống)``, the
other columns of a list as ``header: value``. The words and the writing of dates are
:mod:`canbo.core.formatting`'s; the labels are the model's choices, which come from
:mod:`canbo.core.vocab` and :mod:`canbo.core.ethnicity`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import models
from django.utils import timezone, translation

from canbo.core.formatting import fmt_bool, fmt_date, fmt_missing, lang_of
from canbo.core.text import fold

__all__ = ["current_lang", "field_display", "precision_field", "value_display"]


def current_lang() -> str:
    """``"vi"`` or ``"en"``: the language of the page being rendered."""
    return lang_of(translation.get_language())


def precision_field(model: type[models.Model], name: str) -> str | None:
    """The name of the field keeping the precision of date field ``name`` (``birth_date`` →
    ``birth_date_precision``), or None when the model keeps none."""
    candidate = f"{name}_precision"
    try:
        model._meta.get_field(candidate)
    except Exception:  # noqa: BLE001 — FieldDoesNotExist: a date kept to the day
        return None
    return candidate


def sorted_items(mapping: dict) -> list[tuple[Any, Any]]:
    """A mapping's items in alphabetical order of their keys, diacritics folded (a JSON
    column's keys come back in insertion order from SQLite but reordered by PostgreSQL's jsonb:
    one order on every database)."""
    return sorted(mapping.items(), key=lambda kv: (fold(str(kv[0])), str(kv[0])))


def value_display(value: Any, lang: str | None = None) -> str:
    """A value with no field to tell its kind: a date dd/mm/yyyy, yes/no, a mapping as
    ``key: value; …``, a list comma-separated, none or empty as ``(trống)``."""
    lang = lang or current_lang()
    if value is None or value == "" or value == {} or value == []:
        return fmt_missing(lang)
    if isinstance(value, bool):
        return fmt_bool(value, lang)
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{fmt_date(local.date(), lang)} {local:%H:%M}"
    if isinstance(value, date):
        return fmt_date(value, lang)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {value_display(v, lang)}" for k, v in sorted_items(value))
    if isinstance(value, (list, tuple)):
        return ", ".join(value_display(v, lang) for v in value)
    return str(value)


def field_display(
    field: models.Field, value: Any, *, precision: str | None = None, lang: str | None = None
) -> str:
    """``value`` of model ``field`` as an officer reads it. ``precision`` (``day``, ``month``,
    ``year``) is the precision the record keeps for a date field."""
    lang = lang or current_lang()
    if value is None or value == "":
        return fmt_missing(lang)
    if field.choices:
        labels = dict(field.flatchoices)
        if value in labels:
            return str(labels[value])
        return str(value)
    if isinstance(field, models.BooleanField):
        return fmt_bool(bool(value), lang)
    if isinstance(field, models.DateTimeField):
        return value_display(value, lang)
    if isinstance(field, models.DateField) and isinstance(value, date):
        return fmt_date(value, lang, precision=precision or "day")
    if isinstance(field, models.ForeignKey) and isinstance(value, (int, str)):
        # A key (not the object): its record by name, when it still exists.
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    return value_display(value, lang)
