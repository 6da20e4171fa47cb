"""A place as the résumé writes it (items 4 and 5 of Mẫu 2C-BNV/2008, Quyết định
02/2008/QĐ-BNV: "Xã …, Huyện …, Tỉnh …"), from an administrative unit of any era.

A unit abolished by a rearrangement keeps its own name and parents (a 1970 birthplace in a
district abolished on 1/7/2025 stays that district); the unit that holds its territory today
is found through the lineage (:class:`~canbo.registry.models.UnitLineage`, the primary link of
each step) and written after it: "(nay là Xã …, Tỉnh …)".
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from canbo.registry.models import Unit, UnitLineage


def chain(unit: Unit) -> str:
    """The unit and its parents, commune first: "Xã Bảo Lâm, Huyện Cao Lộc, Tỉnh Lạng Sơn"."""
    parts = []
    current: Unit | None = unit
    while current is not None:
        parts.append(current.name)
        current = current.parent if current.parent_id else None
    return ", ".join(parts)


def successor_today(unit: Unit, today: date | None = None) -> Unit | None:
    """The unit holding ``unit``'s territory today through its primary lineage links, or None
    when ``unit`` is still in force (or has no successor recorded)."""
    seen = set()
    current = unit
    while current.valid_to is not None and (today is None or current.valid_to < today):
        if current.pk in seen:
            return None
        seen.add(current.pk)
        link = (
            UnitLineage.objects.filter(predecessor=current)
            .select_related("successor")
            .order_by("-is_primary", "date", "pk")
            .first()
        )
        if link is None:
            return None
        current = link.successor
    return None if current.pk == unit.pk else current


def unit_place(unit: Unit | None, text: str = "") -> str:
    """The place as the résumé prints it: the unit's chain (and what it is now), then the text as
    written; either alone when the other is missing."""
    if unit is None:
        return text
    out = chain(unit)
    now = successor_today(unit)
    if now is not None:
        out += " " + _("(nay là %(place)s)") % {"place": chain(now)}
    if text and text not in out:
        out = f"{text} — {out}"
    return out
