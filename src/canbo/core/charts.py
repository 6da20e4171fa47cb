"""Charts drawn on the server as SVG text (issue 10 §1; the web pages use them through
:mod:`canbo.web.charts`): no JavaScript, no library, no font or
file fetched — the markup is part of the page, so a chart works offline, on an intranet and on
paper. Pure functions from numbers and labels to a string of SVG; every text is escaped.

Each chart carries ``role="img"``, a ``<title>`` and a ``<desc>`` (``aria-labelledby``) so that a
screen reader announces it, and the page shows the same figures in a table next to it.

* :func:`stacked_bars` — one horizontal bar per row, split into parts (a standard's criteria:
  met / not met / unknown), each part optionally a link;
* :func:`column_chart` — one vertical bar per category (people in post per year);
* :func:`line_chart` — one or more lines over categories (a share in % per year).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

__all__ = ["Part", "column_chart", "line_chart", "nice_ticks", "stacked_bars"]

#: Colours of the parts of a bar and of lines (readable in print, distinguishable in grey).
COLOURS = {"met": "#1e7b3a", "unmet": "#b3261e", "unknown": "#d9a400", "bar": "#2c5aa0", "line": "#2c5aa0"}
LINE_COLOURS = ["#2c5aa0", "#1e7b3a", "#b3261e", "#8a5a00", "#6b3fa0"]

_ids = itertools.count(1)


def _e(text: object) -> str:
    """``text`` escaped for an SVG text node or attribute value."""
    return escape(str(text), quote=True)


def _num(value: float) -> str:
    """A coordinate: at most one decimal, no trailing zeros."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def nice_ticks(high: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``high`` (``count`` steps or about): 1, 2 or 5 × 10ⁿ."""
    if high <= 0:
        return [0.0, 1.0]
    raw = high / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    n = math.ceil(high / step - 1e-9)
    return [i * step for i in range(n + 1)]


def _open(width: int, height: int, title: str, desc: str, css: str = "chart") -> tuple[str, str]:
    uid = next(_ids)
    tid, did = f"chart-{uid}-t", f"chart-{uid}-d"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{_e(css)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{tid} {did}">'
        f'<title id="{tid}">{_e(title)}</title><desc id="{did}">{_e(desc)}</desc>'
    )
    return head, "</svg>"


def _text(x: float, y: float, text: str, anchor: str = "start", extra: str = "") -> str:
    return f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}"{extra}>{_e(text)}</text>'


def _link(href: str | None, inner: str, label: str) -> str:
    if not href:
        return inner
    return f'<a href="{_e(href)}" aria-label="{_e(label)}">{inner}</a>'


@dataclass(frozen=True)
class Part:
    """One part of a stacked bar: its key (colour: met, unmet, unknown), label (legend), value
    and, optionally, the page listing the people behind it."""

    key: str
    label: str
    value: int
    href: str | None = None


def stacked_bars(
    rows: Sequence[tuple[str, Sequence[Part]]],
    title: str,
    desc: str,
    fmt: Callable[[int], str] = str,
    width: int = 960,
    label_width: int = 300,
    bar_height: int = 20,
    gap: int = 8,
) -> str:
    """Horizontal bars, one per row (label, parts), each as long as the chart (100 % of its
    row's total) split into its parts; a part shows its count when there is room. A legend
    of the parts' labels follows the bars."""
    top = 6
    legend_h = 24
    height = top + len(rows) * (bar_height + gap) + legend_h
    head, tail = _open(width, height, title, desc)
    out = [head]
    plot_w = width - label_width - 10
    y = top
    legend: dict[str, str] = {}
    for label, parts in rows:
        out.append(_text(label_width - 6, y + bar_height * 0.7, label, "end"))
        total = sum(p.value for p in parts)
        x = float(label_width)
        if total == 0:
            out.append(
                f'<rect x="{_num(x)}" y="{y}" width="{_num(plot_w)}" height="{bar_height}" fill="#eef1f6"/>'
            )
        for p in parts:
            legend.setdefault(p.key, p.label)
            if p.value <= 0 or total == 0:
                continue
            w = plot_w * p.value / total
            share = 100.0 * p.value / total
            tip = f"{label} — {p.label}: {fmt(p.value)} ({share:.0f}%)"
            inner = (
                f'<rect x="{_num(x)}" y="{y}" width="{_num(w)}" height="{bar_height}" '
                f'fill="{COLOURS.get(p.key, COLOURS["bar"])}"><title>{_e(tip)}</title></rect>'
            )
            if w >= 8 * len(fmt(p.value)) + 6:
                inner += _text(
                    x + w / 2, y + bar_height * 0.72, fmt(p.value), "middle", ' class="on-bar" fill="#fff"'
                )
            out.append(_link(p.href, inner, tip))
            x += w
        y += bar_height + gap
    lx = float(label_width)
    for key, label in legend.items():
        out.append(
            f'<rect x="{_num(lx)}" y="{y + 4}" width="12" height="12" fill="{COLOURS.get(key, COLOURS["bar"])}"/>'
        )
        out.append(_text(lx + 16, y + 14, label))
        lx += 16 + 7.5 * len(label) + 18
    out.append(tail)
    return "".join(out)


def _axes(
    categories: Sequence[str],
    ticks: Sequence[float],
    width: int,
    height: int,
    left: int,
    bottom: int,
    top: int,
    fmt_tick: Callable[[float], str],
) -> tuple[list[str], Callable[[float], float], float]:
    """Grid lines with the tick labels and the category labels (every other one when crowded);
    returns the markup, the y of a value and the width of one category slot."""
    plot_h = height - top - bottom
    plot_w = width - left - 10
    high = ticks[-1] or 1

    def y_of(v: float) -> float:
        return top + plot_h * (1 - v / high)

    out = []
    for t in ticks:
        yy = y_of(t)
        out.append(f'<line x1="{left}" y1="{_num(yy)}" x2="{width - 10}" y2="{_num(yy)}" stroke="#d7dce5"/>')
        out.append(_text(left - 6, yy + 4, fmt_tick(t), "end"))
    slot = plot_w / max(len(categories), 1)
    every = max(1, math.ceil(len(categories) * 34 / plot_w))
    last = len(categories) - 1
    for i, c in enumerate(categories):
        if i != last and (i % every or (last - i) * slot < 7 * (len(c) + len(categories[last])) / 2 + 8):
            continue
        out.append(_text(left + slot * (i + 0.5), height - bottom + 16, c, "middle"))
    return out, y_of, slot


def column_chart(
    categories: Sequence[str],
    values: Sequence[int | None],
    title: str,
    desc: str,
    fmt: Callable[[int], str] = str,
    width: int = 640,
    height: int = 240,
    hrefs: Sequence[str | None] | None = None,
) -> str:
    """One vertical bar per category (``None``: no bar); each bar's value in its tooltip."""
    left, bottom, top = 48, 26, 10
    ticks = nice_ticks(max((v or 0 for v in values), default=0))
    head, tail = _open(width, height, title, desc)
    out = [head]
    grid, y_of, slot = _axes(categories, ticks, width, height, left, bottom, top, lambda t: fmt(int(t)))
    out += grid
    bar_w = max(slot * 0.7, 1)
    for i, (c, v) in enumerate(zip(categories, values, strict=True)):
        if v is None:
            continue
        x = left + slot * i + (slot - bar_w) / 2
        y = y_of(v)
        tip = f"{c}: {fmt(v)}"
        rect = (
            f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(bar_w)}" height="{_num(y_of(0) - y)}" '
            f'fill="{COLOURS["bar"]}"><title>{_e(tip)}</title></rect>'
        )
        out.append(_link(hrefs[i] if hrefs else None, rect, tip))
    out.append(tail)
    return "".join(out)


def line_chart(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    title: str,
    desc: str,
    fmt: Callable[[float], str] = lambda v: f"{v:.1f}",
    y_max: float | None = None,
    unit: str = "",
    width: int = 640,
    height: int = 240,
    fmt_tick: Callable[[float], str] = lambda t: f"{t:g}",
) -> str:
    """One line per series (name, values; ``None`` breaks the line), a dot at each value with
    its figure in the tooltip; the y axis from 0 to ``y_max`` (or the largest value)."""
    left, bottom, top = 48, 26, 10
    high = y_max if y_max is not None else max((v or 0 for _n, vs in series for v in vs), default=0)
    ticks = nice_ticks(high)
    if y_max is not None:
        ticks = [t for t in ticks if t <= y_max] or [0.0, y_max]
        if ticks[-1] < y_max:
            ticks.append(y_max)
    legend_h = 20 if len(series) > 1 else 0
    head, tail = _open(width, height + legend_h, title, desc)
    out = [head]
    grid, y_of, slot = _axes(
        categories, ticks, width, height, left, bottom, top, lambda t: f"{fmt_tick(t)}{unit}"
    )
    out += grid
    for k, (name, values) in enumerate(series):
        colour = LINE_COLOURS[k % len(LINE_COLOURS)]
        segments: list[list[str]] = [[]]
        dots = []
        for i, v in enumerate(values):
            if v is None:
                segments.append([])
                continue
            x, y = left + slot * (i + 0.5), y_of(v)
            segments[-1].append(f"{_num(x)},{_num(y)}")
            tip = f"{name} — {categories[i]}: {fmt(v)}{unit}"
            dots.append(
                f'<circle cx="{_num(x)}" cy="{_num(y)}" r="3" fill="{colour}"><title>{_e(tip)}</title></circle>'
            )
        for seg in segments:
            if len(seg) > 1:
                out.append(
                    f'<polyline points="{" ".join(seg)}" fill="none" stroke="{colour}" stroke-width="2"/>'
                )
        out += dots
        if legend_h:
            lx = left + k * 200
            out.append(f'<rect x="{lx}" y="{height + 4}" width="12" height="12" fill="{colour}"/>')
            out.append(_text(lx + 16, height + 14, name))
    out.append(tail)
    return "".join(out)
