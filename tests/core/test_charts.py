"""Server-drawn SVG charts (canbo.web.charts): well-formed, escaped, accessible, geometry right."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from canbo.core.charts import Part, column_chart, line_chart, nice_ticks, stacked_bars

NS = "{http://www.w3.org/2000/svg}"
EVIL = "<script>alert(\"x\")</script> & 'Bắc'"


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == NS + "svg"
    assert root.get("role") == "img"
    title, desc = root.find(NS + "title"), root.find(NS + "desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    return root


@pytest.mark.parametrize(
    "high,expected",
    [
        (0, [0.0, 1.0]),
        (4, [0, 1, 2, 3, 4]),
        (373, [0, 100, 200, 300, 400]),
        (100, [0, 20, 40, 60, 80, 100]),
        (7, [0, 2, 4, 6, 8]),
    ],
)
def test_nice_ticks(high, expected):
    assert nice_ticks(high) == expected


def test_stacked_bars_split_the_width_by_the_counts():
    svg = stacked_bars(
        [
            (
                "Chuyên môn",
                [
                    Part("met", "Đạt", 3, "/people/?a=1&b=2"),
                    Part("unmet", "Chưa đạt", 1),
                    Part("unknown", "?", 0),
                ],
            )
        ],
        "Tiêu đề",
        "Mô tả",
        width=640,
        label_width=240,
    )
    root = _parse(svg)
    rects = [r for r in root.iter(NS + "rect") if r.get("height") == "20"]
    # plot width 640 - 240 - 10 = 390: 3/4 and 1/4; a zero part draws nothing
    assert [float(r.get("width")) for r in rects] == [292.5, 97.5]
    assert float(rects[1].get("x")) == 240 + 292.5
    link = root.find(NS + "a")
    assert link.get("href") == "/people/?a=1&b=2"  # escaped in the text, read back by the parser
    assert "&amp;" in svg


def test_every_text_is_escaped():
    svgs = [
        stacked_bars([(EVIL, [Part("met", EVIL, 1, '/x?"onload=')])], EVIL, EVIL),
        column_chart([EVIL, "2006"], [1, 2], EVIL, EVIL, hrefs=[EVIL, None]),
        line_chart([EVIL, "2006"], [(EVIL, [10.0, None])], EVIL, EVIL, y_max=100),
    ]
    for svg in svgs:
        assert "<script>" not in svg
        root = _parse(svg)
        assert root.find(NS + "title").text == EVIL
        assert not list(root.iter(NS + "script"))


def test_column_chart_heights_proportional():
    root = _parse(column_chart(["2005", "2006", "2007"], [100, 200, None], "t", "d", height=240))
    bars = list(root.iter(NS + "rect"))
    assert len(bars) == 2  # None draws no bar
    h = [float(b.get("height")) for b in bars]
    assert h[1] == pytest.approx(2 * h[0], abs=0.2)
    # the top of the axis (200) is the plot's top: 10 px margin
    assert float(bars[1].get("y")) == pytest.approx(10, abs=0.1)


def test_line_chart_breaks_at_missing_values():
    root = _parse(line_chart(["a", "b", "c", "d"], [("s", [50.0, 100.0, None, 20.0])], "t", "d", y_max=100))
    lines = list(root.iter(NS + "polyline"))
    assert len(lines) == 1 and len(lines[0].get("points").split()) == 2
    assert len(list(root.iter(NS + "circle"))) == 3
    ys = [float(c.get("cy")) for c in root.iter(NS + "circle")]
    assert ys[1] == pytest.approx(10)  # 100 % at the top
