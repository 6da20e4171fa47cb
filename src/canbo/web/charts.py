"""The web pages' charts: :mod:`canbo.core.charts` (pure SVG geometry, every text escaped) with
the figures written in the language of the request (``1.234`` in Vietnamese) and the markup
marked safe for the templates."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from canbo.core import charts as core
from canbo.core.charts import Part
from canbo.core.formatting import fmt_decimal, fmt_int, lang_of

__all__ = ["Part", "column_chart", "line_chart", "stacked_bars"]


def _lang() -> str:
    return lang_of(translation.get_language())


def _safe(svg: str) -> SafeString:
    return mark_safe(svg)


def stacked_bars(rows: Sequence[tuple[str, Sequence[Part]]], title: str, desc: str) -> SafeString:
    lang = _lang()
    return _safe(core.stacked_bars(rows, title, desc, fmt=lambda v: fmt_int(v, lang)))


def column_chart(
    categories: Sequence[str],
    values: Sequence[int | None],
    title: str,
    desc: str,
    hrefs: Sequence[str | None] | None = None,
) -> SafeString:
    lang = _lang()
    return _safe(
        core.column_chart(categories, values, title, desc, fmt=lambda v: fmt_int(v, lang), hrefs=hrefs)
    )


def line_chart(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    title: str,
    desc: str,
    y_max: float | None = None,
    unit: str = "",
) -> SafeString:
    lang = _lang()
    return _safe(
        core.line_chart(
            categories,
            series,
            title,
            desc,
            fmt=lambda v: fmt_decimal(v, 1, lang),
            y_max=y_max,
            unit=unit,
            fmt_tick=lambda t: fmt_int(int(t), lang) if t == int(t) else fmt_decimal(t, 1, lang),
        )
    )
