"""Server-side charts as inline SVG (no JavaScript, no CDN): the same markup works in the
browser, under the site's Content-Security-Policy (presentation attributes only, no <style>
and no inline script) and in WeasyPrint PDFs.

Accessible by construction: every chart has a <title> and <desc> (role="img"), every bar and
cell prints its value as text, statuses are told apart by pattern as well as colour, and the
pages put a data table next to each chart.

Public functions (all return a `SafeString` of one <svg> element):

- `score_bars(items, *, title, description="", chart_id=None)`: horizontal bars of scores 0–1.
- `status_bar(counts, *, title, labels=None, chart_id=None)`: one stacked bar of status counts
  with a legend.
- `heat_map(rows, columns, *, title, description="", chart_id=None)`: agencies × components.
- `value_bars(items, *, title, ...)`: horizontal bars of figures (counts, amounts); a figure that
  was not reported is a hatched bar labelled as such, never a bar of length 0.
- `tile_map(tiles, *, title, ...)`: the 32 states as a grid of squares in their approximate
  position (no geometry), each a link, shaded by a count with the count printed.
- `responsive(chart, *args, chart_id, **kwargs)`: a chart's wide and phone (`narrow=True`)
  drawings side by side; the stylesheet shows the one that fits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

INK = "#1d1d1b"
MUTED = "#5b5b57"
LINE = "#d9d6cf"
ACCENT = "#6a1b31"
FONT = "DejaVu Sans, Arial, sans-serif"

# Status → (fill colour, pattern kind). Pattern kinds are drawn in `_patterns`.
STATUS_STYLE = {
    "complied": ("#1b6e3a", "solid"),
    "partially_complied": ("#a36a00", "diagonal"),
    "not_complied": ("#a3222b", "cross"),
    "no_information": ("#5b5b57", "dots"),
    "not_applicable": ("#ffffff", "hollow"),
    "unrated": ("#ffffff", "dash"),
}
STATUS_ORDER = list(STATUS_STYLE)

# Heat-map bins: (upper bound inclusive, fill, text colour, pattern). Darker = higher score.
HEAT_BINS = [
    (0.2, "#f6e7ea", INK),
    (0.4, "#e3b7c1", INK),
    (0.6, "#c77d8f", INK),
    (0.8, "#9a3f57", "#ffffff"),
    (1.0, "#6a1b31", "#ffffff"),
]


def _id(chart_id: str | None, *parts) -> str:
    if chart_id:
        return chart_id
    digest = hashlib.sha1(repr(parts).encode()).hexdigest()[:10]
    return f"chart-{digest}"


def _percent(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{round(value * 100)} %"


def _text(x, y, content, *, size=12, anchor="start", fill=INK, weight="normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" fill="{fill}" '
        f'text-anchor="{anchor}" font-weight="{weight}">{escape(str(content))}</text>'
    )


def _patterns(prefix: str) -> str:
    """<pattern> definitions; ids are prefixed so that several charts can share a page."""
    parts = []
    for status, (colour, kind) in STATUS_STYLE.items():
        pid = f"{prefix}-{status}"
        if kind == "solid":
            body = f'<rect width="8" height="8" fill="{colour}"/>'
        elif kind == "diagonal":
            body = (
                f'<rect width="8" height="8" fill="{colour}"/>'
                '<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="#ffffff" stroke-width="1.6"/>'
            )
        elif kind == "cross":
            body = (
                f'<rect width="8" height="8" fill="{colour}"/>'
                '<path d="M0,0 l8,8 M8,0 l-8,8" stroke="#ffffff" stroke-width="1.2"/>'
            )
        elif kind == "dots":
            body = f'<rect width="8" height="8" fill="{colour}"/><circle cx="4" cy="4" r="1.6" fill="#ffffff"/>'
        elif kind == "hollow":
            body = f'<rect width="8" height="8" fill="#ffffff"/><circle cx="4" cy="4" r="1" fill="{MUTED}"/>'
        else:  # dash
            body = f'<rect width="8" height="8" fill="#ffffff"/><path d="M1,4 h6" stroke="{MUTED}" stroke-width="1"/>'
        parts.append(f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">{body}</pattern>')
    parts.append(
        f'<pattern id="{prefix}-nodata" width="8" height="8" patternUnits="userSpaceOnUse">'
        f'<rect width="8" height="8" fill="#ffffff"/>'
        f'<path d="M0,8 l8,-8" stroke="{MUTED}" stroke-width="1"/></pattern>'
    )
    return "<defs>" + "".join(parts) + "</defs>"


def _svg_open(cid: str, width: int, height: int, title: str, description: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{cid}" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{cid}-title {cid}-desc">'
        f'<title id="{cid}-title">{escape(title)}</title><desc id="{cid}-desc">{escape(description)}</desc>'
    )


def score_bars(
    items: Sequence[tuple[str, float | None]],
    *,
    title: str,
    description: str = "",
    no_data_label: str = "Sin datos",
    chart_id: str | None = None,
    width: int = 640,
    narrow: bool = False,
) -> SafeString:
    """Horizontal bars, one per (label, score 0–1 or None). Each bar prints its percentage;
    a bar with no score is drawn hatched and labelled `no_data_label`. `narrow`: the phone
    layout (NARROW_WIDTH wide, each label on its own lines above its bar)."""
    cid = _id(chart_id, "bars", title, tuple(items))
    auto_desc = "; ".join(
        f"{label}: {_percent(value) if value is not None else no_data_label}" for label, value in items
    )
    if narrow:
        return _narrow_score_bars(cid, items, title, description or auto_desc, no_data_label)
    label_w, right_pad, bar_h, gap, top = 230, 60, 22, 10, 24
    plot_w = width - label_w - right_pad
    height = top + len(items) * (bar_h + gap) + 20
    out = [_svg_open(cid, width, height, title, description or auto_desc), _patterns(cid)]
    # Scale: 0, 25, 50, 75, 100 %.
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        x = label_w + plot_w * tick
        out.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 16}" stroke="{LINE}"/>')
        out.append(_text(x, top - 10, f"{round(tick * 100)} %", size=11, anchor="middle", fill=MUTED))
    for index, (label, value) in enumerate(items):
        y = top + index * (bar_h + gap)
        short = label if len(label) <= 34 else label[:33] + "…"
        out.append(_text(label_w - 8, y + bar_h * 0.7, short, anchor="end"))
        if value is None:
            out.append(
                f'<rect x="{label_w}" y="{y}" width="{plot_w:.1f}" height="{bar_h}" '
                f'fill="url(#{cid}-nodata)" stroke="{MUTED}" stroke-dasharray="3 2"/>'
            )
            out.append(_text(label_w + 6, y + bar_h * 0.7, no_data_label, fill=INK))
            continue
        bar_w = max(plot_w * max(0.0, min(1.0, value)), 1.5)
        out.append(f'<rect x="{label_w}" y="{y}" width="{bar_w:.1f}" height="{bar_h}" fill="{ACCENT}"/>')
        out.append(_text(label_w + bar_w + 6, y + bar_h * 0.7, _percent(value), weight="bold"))
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every text node above is escaped


NARROW_WIDTH = 300  # drawn at its own size on a 390 px phone (no scaling: text stays ≥ 11 px)
NARROW_TEXT = 13


def _narrow_score_bars(cid, items, title, description, no_data_label) -> SafeString:
    width, right_pad, bar_h, line_h = NARROW_WIDTH, 48, 16, 16
    plot_w = width - right_pad
    blocks = []
    y = 4
    for label, value in items:
        lines = _wrap(str(label), 36, 2)
        blocks.append((y, lines, value))
        y += len(lines) * line_h + bar_h + 14
    out = [_svg_open(cid, width, y, title, description), _patterns(cid)]
    for top, lines, value in blocks:
        for index, line in enumerate(lines):
            out.append(_text(0, top + 12 + index * line_h, line, size=NARROW_TEXT))
        bar_y = top + len(lines) * line_h + 4
        if value is None:
            out.append(
                f'<rect x="0" y="{bar_y}" width="{plot_w}" height="{bar_h}" fill="url(#{cid}-nodata)" '
                f'stroke="{MUTED}" stroke-dasharray="3 2"/>'
            )
            out.append(_text(4, bar_y + bar_h - 3, no_data_label, size=12))
            continue
        bar_w = max(plot_w * max(0.0, min(1.0, value)), 1.5)
        out.append(f'<rect x="0" y="{bar_y}" width="{plot_w}" height="{bar_h}" fill="#ffffff" stroke="{LINE}"/>')
        out.append(f'<rect x="0" y="{bar_y}" width="{bar_w:.1f}" height="{bar_h}" fill="{ACCENT}"/>')
        out.append(_text(width, bar_y + bar_h - 3, _percent(value), size=NARROW_TEXT, anchor="end", weight="bold"))
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every text node above is escaped


def responsive(chart, *args, chart_id: str, **kwargs) -> SafeString:
    """A chart twice, for the page: the wide drawing and the phone one (`narrow=True`); the
    stylesheet shows one of them (static/css/scorecards.css, .chart-wide / .chart-narrow), so
    a chart re-flows instead of shrinking its labels below a readable size."""
    wide = chart(*args, chart_id=chart_id, **kwargs)
    narrow = chart(*args, chart_id=f"{chart_id}-narrow", narrow=True, **kwargs)
    return mark_safe(f'<div class="chart-wide">{wide}</div><div class="chart-narrow">{narrow}</div>')  # noqa: S308


def status_bar(
    counts: Mapping[str, int],
    *,
    title: str,
    labels: Mapping[str, str] | None = None,
    chart_id: str | None = None,
    width: int = 640,
    narrow: bool = False,
) -> SafeString:
    """One stacked bar of status counts (each status with its own pattern) and a legend that
    names each status with its count (`narrow`: phone width, one legend entry per line)."""
    labels = labels or {}
    columns, legend_size = 3, 11
    if narrow:
        width, columns, legend_size = NARROW_WIDTH, 1, NARROW_TEXT
    cid = _id(chart_id, "status", title, tuple(sorted(counts.items())))
    shown = [(status, counts.get(status, 0)) for status in STATUS_ORDER if counts.get(status, 0)]
    total = sum(n for _s, n in shown)
    bar_h, top = 28, 8
    legend_rows = max(1, (len(shown) + columns - 1) // columns)
    height = top + bar_h + 16 + legend_rows * 22
    desc = "; ".join(f"{labels.get(s, s)}: {n}" for s, n in shown) or "—"
    out = [_svg_open(cid, width, height, title, desc), _patterns(cid)]
    x = 0.0
    if total:
        for status, n in shown:
            w = width * n / total
            out.append(
                f'<rect x="{x:.1f}" y="{top}" width="{w:.1f}" height="{bar_h}" fill="url(#{cid}-{status})" '
                f'stroke="{INK}" stroke-width="0.6"/>'
            )
            label = str(n)
            pill_w = 10 + 7.5 * len(label)
            if w > pill_w + 4:
                # Dark digits on a white pill: readable on every pattern (white digits on the
                # hatched fills were not).
                cx = x + w / 2
                out.append(
                    f'<rect x="{cx - pill_w / 2:.1f}" y="{top + 5}" width="{pill_w:.1f}" height="{bar_h - 10}" '
                    f'rx="4" fill="#ffffff" stroke="{INK}" stroke-width="0.6"/>'
                )
                out.append(_text(cx, top + bar_h * 0.66, label, size=12, anchor="middle", fill=INK, weight="bold"))
            x += w
    else:
        out.append(
            f'<rect x="0" y="{top}" width="{width}" height="{bar_h}" fill="url(#{cid}-nodata)" stroke="{MUTED}"/>'
        )
    col_w = width / columns
    for index, (status, n) in enumerate(shown):
        lx = (index % columns) * col_w
        ly = top + bar_h + 12 + (index // columns) * 22
        out.append(
            f'<rect x="{lx:.1f}" y="{ly}" width="14" height="14" fill="url(#{cid}-{status})" stroke="{INK}" '
            'stroke-width="0.6"/>'
        )
        out.append(_text(lx + 20, ly + 11.5, f"{labels.get(status, status)}: {n}", size=legend_size))
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every text node above is escaped


def _wrap(text: str, width: int, max_lines: int) -> list[str]:
    """Greedy word wrap into at most `max_lines` lines (the last one cut with "…")."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1] + "…"
    return lines


def heat_bin(value: float | None) -> int | None:
    """Index of the heat-map shade of a score (0 lightest … 4 darkest), None without score."""
    if value is None:
        return None
    for index, (upper, _fill, _text_colour) in enumerate(HEAT_BINS):
        if value <= upper + 1e-9:
            return index
    return len(HEAT_BINS) - 1


def heat_map(
    rows: Sequence[tuple[str, Mapping[str, float | None]]],
    columns: Sequence[tuple[str, str]],
    *,
    title: str,
    description: str = "",
    no_data_label: str = "—",
    chart_id: str | None = None,
    cell_w: int = 120,
) -> SafeString:
    """A grid of rows (label, {column key: score 0–1 or None}) × columns (key, label).
    Each cell prints its percentage; darker shades mean higher scores, and empty cells are
    hatched, so no information is carried by colour alone."""
    cid = _id(chart_id, "heat", title, tuple((label, tuple(sorted(v.items()))) for label, v in rows))
    label_w, head_h, cell_h = 120, 64, 24
    width = label_w + cell_w * len(columns)
    height = head_h + cell_h * len(rows) + 34
    out = [_svg_open(cid, width, height, title, description or title), _patterns(cid)]
    for index, (_key, label) in enumerate(columns):
        cx = label_w + index * cell_w + cell_w / 2
        for line_no, line in enumerate(_wrap(label, max(8, cell_w // 7), 4)):
            out.append(_text(cx, 14 + line_no * 13, line, size=11, anchor="middle", weight="bold"))
    for r, (row_label, values) in enumerate(rows):
        y = head_h + r * cell_h
        out.append(_text(label_w - 8, y + cell_h * 0.68, row_label, size=11, anchor="end"))
        for c, (key, _label) in enumerate(columns):
            x = label_w + c * cell_w
            value = values.get(key)
            shade = heat_bin(value)
            if shade is None:
                out.append(
                    f'<rect x="{x}" y="{y}" width="{cell_w}" height="{cell_h}" fill="url(#{cid}-nodata)" '
                    f'stroke="#ffffff"/>'
                )
                out.append(_text(x + cell_w / 2, y + cell_h * 0.68, no_data_label, size=11, anchor="middle"))
            else:
                _upper, fill, text_colour = HEAT_BINS[shade]
                out.append(f'<rect x="{x}" y="{y}" width="{cell_w}" height="{cell_h}" fill="{fill}" stroke="#ffffff"/>')
                out.append(
                    _text(
                        x + cell_w / 2, y + cell_h * 0.68, _percent(value), size=11, anchor="middle", fill=text_colour
                    )
                )
    # Legend: the five shades with their ranges.
    ly = head_h + cell_h * len(rows) + 10
    lower = 0
    for index, (upper, fill, _tc) in enumerate(HEAT_BINS):
        lx = label_w + index * 90
        out.append(f'<rect x="{lx}" y="{ly}" width="14" height="14" fill="{fill}" stroke="{INK}" stroke-width="0.5"/>')
        out.append(_text(lx + 18, ly + 11.5, f"{round(lower * 100)}–{round(upper * 100)} %", size=11))
        lower = upper
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every text node above is escaped


def value_bars(
    items: Sequence[tuple[str, float | None, str]],
    *,
    title: str,
    description: str = "",
    not_reported_label: str = "No reportado",
    chart_id: str | None = None,
    width: int = 640,
) -> SafeString:
    """Horizontal bars, one per (label, value or None, value as printed). Bars are scaled to the
    largest value; a value of None (not reported, not analysable) is drawn as a hatched outline
    with `not_reported_label` — it is never drawn as a zero."""
    cid = _id(chart_id, "values", title, tuple(items))
    label_w, right_pad, bar_h, gap, top = 230, 90, 22, 10, 8
    plot_w = width - label_w - right_pad
    height = top + len(items) * (bar_h + gap) + 4
    largest = max((value for _label, value, _shown in items if value is not None), default=0) or 1
    auto_desc = "; ".join(
        f"{label}: {shown if value is not None else not_reported_label}" for label, value, shown in items
    )
    out = [_svg_open(cid, width, height, title, description or auto_desc), _patterns(cid)]
    out.append(f'<line x1="{label_w}" y1="{top - 4}" x2="{label_w}" y2="{height - 4}" stroke="{MUTED}"/>')
    for index, (label, value, shown) in enumerate(items):
        y = top + index * (bar_h + gap)
        short = label if len(label) <= 34 else label[:33] + "…"
        out.append(_text(label_w - 8, y + bar_h * 0.7, short, anchor="end"))
        if value is None:
            out.append(
                f'<rect x="{label_w}" y="{y}" width="{plot_w * 0.35:.1f}" height="{bar_h}" '
                f'fill="url(#{cid}-nodata)" stroke="{MUTED}" stroke-dasharray="3 2"/>'
            )
            out.append(_text(label_w + 6, y + bar_h * 0.7, not_reported_label, fill=INK, weight="bold"))
            continue
        bar_w = max(plot_w * float(value) / float(largest), 1.5 if value else 0)
        if bar_w:
            out.append(f'<rect x="{label_w}" y="{y}" width="{bar_w:.1f}" height="{bar_h}" fill="{ACCENT}"/>')
        out.append(_text(label_w + bar_w + 6, y + bar_h * 0.7, shown, weight="bold"))
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every text node above is escaped


def tile_map(
    tiles: Sequence[Mapping],
    *,
    title: str,
    description: str = "",
    chart_id: str | None = None,
    cell: int = 56,
) -> SafeString:
    """A tile-grid map: one square per tile {"row", "column", "label", "count", "href", "name"}.
    Darker squares have more; each square prints its label and count, links to `href` and names
    itself in a <title> (read by screen readers and shown on hover)."""
    cid = _id(chart_id, "tiles", title, tuple((t["label"], t["count"]) for t in tiles))
    rows = max((t["row"] for t in tiles), default=0) + 1
    columns = max((t["column"] for t in tiles), default=0) + 1
    largest = max((t["count"] for t in tiles), default=0) or 1
    gap = 4
    width, height = columns * (cell + gap), rows * (cell + gap)
    desc = description or "; ".join(f"{t['name']}: {t['count']}" for t in tiles)
    out = [_svg_open(cid, width, height, title, desc)]
    for tile in tiles:
        x, y = tile["column"] * (cell + gap), tile["row"] * (cell + gap)
        shade = heat_bin(tile["count"] / largest) if tile["count"] else None
        if shade is None:
            fill, text_colour = "#ffffff", INK
        else:
            _upper, fill, text_colour = HEAT_BINS[shade]
        out.append(
            f'<a href="{escape(tile["href"])}"><title>{escape(tile["name"])}: {escape(str(tile["count"]))}</title>'
        )
        out.append(
            f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{fill}" stroke="{INK}" stroke-width="0.8"/>'
        )
        out.append(
            _text(
                x + cell / 2, y + cell * 0.45, tile["label"], size=12, anchor="middle", fill=text_colour, weight="bold"
            )
        )
        out.append(_text(x + cell / 2, y + cell * 0.8, tile["count"], size=11, anchor="middle", fill=text_colour))
        out.append("</a>")
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every text node above is escaped
