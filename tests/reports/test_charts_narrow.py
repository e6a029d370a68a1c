"""reports.charts: the phone drawings keep their text readable (≥ 11 px at their own size)."""

import re

from reports import charts

ITEMS = [
    ("Prevención", 0.15),
    ("Atención, asistencia y protección a víctimas", 0.5),
    ("Procuración de justicia", None),
    ("Coordinación interinstitucional y capacidades institucionales", 1.0),
]


def _sizes(svg: str) -> list[float]:
    return [float(size) for size in re.findall(r'<text [^>]*font-size="([\d.]+)"', svg)]


def _width(svg: str) -> int:
    return int(re.search(r'viewBox="0 0 (\d+) ', svg).group(1))


def test_narrow_bars_fit_a_phone_with_full_labels_and_readable_text():
    svg = charts.score_bars(ITEMS, title="Puntaje", no_data_label="Sin obligaciones aplicables", narrow=True)
    assert _width(svg) == charts.NARROW_WIDTH <= 320  # 390 px minus the page's margins
    assert min(_sizes(svg)) >= 11
    assert "Coordinación interinstitucional y capacidades" in svg  # wrapped, not cut at 33 characters
    assert "15 %" in svg and "100 %" in svg and "Sin obligaciones aplicables" in svg


def test_narrow_status_bar_lists_its_legend_one_per_line():
    counts = {"complied": 3, "partially_complied": 2, "not_complied": 9, "no_information": 1}
    svg = charts.status_bar(counts, title="Estatus", labels={"complied": "Cumplida"}, narrow=True)
    assert _width(svg) == charts.NARROW_WIDTH
    assert min(_sizes(svg)) >= 11
    assert svg.count('<text x="20.0"') == 4  # every legend entry in the first column


def test_counts_inside_the_status_bar_sit_on_a_white_label():
    svg = charts.status_bar({"not_complied": 9, "complied": 3}, title="Estatus")
    for count in ("9", "3"):
        assert re.search(rf'fill="#1d1d1b" text-anchor="middle" font-weight="bold">{count}</text>', svg)
    assert svg.count('rx="4" fill="#ffffff"') == 2


def test_responsive_gives_both_drawings_with_distinct_ids():
    html = charts.responsive(charts.score_bars, ITEMS, title="Puntaje", chart_id="chart-x")
    assert 'class="chart-wide"' in html and 'class="chart-narrow"' in html
    assert 'id="chart-x"' in html and 'id="chart-x-narrow"' in html
