"""Inline SVG charts for the weekly report: no JavaScript, no network, no fonts to fetch.

Every function returns one ``<svg>`` element as a string.  Labels pass
through :func:`html.escape`; numbers are formatted here, so the same data
always gives the same bytes.  Charts scale to their container (``viewBox``)
and carry a ``<title>`` and ``aria-label`` for screen readers.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Sequence

__all__ = ["PALETTE", "bar_chart", "hbar_chart", "sparkline"]

#: Colours shared by the charts and the page's stylesheet.
PALETTE = {
    "high": "#c0392b",
    "medium": "#d68910",
    "low": "#2e86c1",
    "unscored": "#95a5a6",
    "ink": "#1f2933",
    "muted": "#7b8794",
    "grid": "#e4e7eb",
    "accent": "#2c5282",
    "fill": "#bfd3ea",
}


def _num(x: float) -> str:
    """Short, stable text for a coordinate."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _count(n: int) -> str:
    if n >= 10_000:
        return f"{n / 1000:.0f}k"
    if n >= 1000:
        return f"{n / 1000:.1f}k"
    return str(n)


def _nice_max(value: int) -> int:
    """The smallest of 1, 2, 5 x 10^k at or above *value* (an axis top)."""
    top = 1
    while True:
        for step in (1, 2, 5):
            if step * top >= value:
                return step * top
        top *= 10


def _open(width: int, height: int, title: str, css_class: str) -> list[str]:
    t = escape(title)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css_class}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{t}" preserveAspectRatio="xMidYMid meet">',
        f"<title>{t}</title>",
    ]


def bar_chart(
    labels: Sequence[str],
    counts: Sequence[int],
    *,
    title: str,
    colors: Sequence[str] | None = None,
    x_title: str = "",
    y_title: str = "clusters",
    width: int = 380,
    height: int = 220,
) -> str:
    """A vertical bar chart with a count above each bar.

    Parameters
    ----------
    labels, counts : one bar each, left to right.
    colors : a fill per bar (default: the accent colour).
    x_title, y_title : axis captions.
    """
    left, right, top, bottom = 40, 8, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(counts), 1)
    y_max = _nice_max(max(list(counts) + [1]))
    slot = plot_w / n
    bar_w = slot * 0.72
    out = _open(width, height, title, "bars")
    # grid lines and y-axis labels at 0, 1/2 and the top
    for frac in (0.0, 0.5, 1.0):
        y = top + plot_h * (1 - frac)
        value = y_max * frac
        if value != int(value):  # counts are whole numbers: no tick at 2.5
            continue
        label = _count(int(value))
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{_num(y)}" y2="{_num(y)}" '
                   f'stroke="{PALETTE["grid"]}" stroke-width="1"/>')
        out.append(f'<text x="{left - 6}" y="{_num(y + 4)}" text-anchor="end" font-size="11" '
                   f'fill="{PALETTE["muted"]}">{label}</text>')
    for i, (label, count) in enumerate(zip(labels, counts)):
        x = left + slot * i + (slot - bar_w) / 2
        h = plot_h * count / y_max
        y = top + plot_h - h
        fill = (colors[i] if colors else PALETTE["accent"])
        out.append(f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(bar_w)}" height="{_num(h)}" '
                   f'fill="{fill}" rx="2"><title>{escape(str(label))}: {count}</title></rect>')
        if count:
            out.append(f'<text x="{_num(x + bar_w / 2)}" y="{_num(y - 4)}" text-anchor="middle" font-size="11" '
                       f'fill="{PALETTE["ink"]}">{_count(count)}</text>')
        out.append(f'<text x="{_num(x + bar_w / 2)}" y="{top + plot_h + 14}" text-anchor="middle" font-size="10" '
                   f'fill="{PALETTE["muted"]}">{escape(str(label))}</text>')
    if x_title:
        out.append(f'<text x="{_num(left + plot_w / 2)}" y="{height - 6}" text-anchor="middle" font-size="11" '
                   f'fill="{PALETTE["muted"]}">{escape(x_title)}</text>')
    if y_title:
        out.append(f'<text x="12" y="{_num(top + plot_h / 2)}" text-anchor="middle" font-size="11" '
                   f'fill="{PALETTE["muted"]}" transform="rotate(-90 12 {_num(top + plot_h / 2)})">'
                   f"{escape(y_title)}</text>")
    out.append("</svg>")
    return "\n".join(out)


def hbar_chart(
    labels: Sequence[str],
    counts: Sequence[int],
    *,
    title: str,
    colors: Sequence[str] | None = None,
    width: int = 380,
    row: int = 26,
) -> str:
    """A horizontal bar chart: a label on the left, a bar and its count on each row."""
    left, right, top, bottom = 78, 36, 8, 8
    height = top + bottom + row * max(len(counts), 1)
    plot_w = width - left - right
    x_max = max(list(counts) + [1])
    out = _open(width, height, title, "hbars")
    out.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{height - bottom}" stroke="{PALETTE["grid"]}" stroke-width="1"/>')
    for i, (label, count) in enumerate(zip(labels, counts)):
        y = top + row * i
        w = plot_w * count / x_max
        fill = colors[i] if colors else PALETTE["accent"]
        mid = _num(y + row / 2 + 4)
        out.append(f'<text x="{left - 6}" y="{mid}" text-anchor="end" font-size="11" fill="{PALETTE["ink"]}">'
                   f"{escape(str(label))}</text>")
        out.append(f'<rect x="{left}" y="{_num(y + 4)}" width="{_num(w)}" height="{row - 8}" fill="{fill}" rx="2">'
                   f"<title>{escape(str(label))}: {count}</title></rect>")
        out.append(f'<text x="{_num(left + w + 5)}" y="{mid}" font-size="11" fill="{PALETTE["ink"]}">{_count(count)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def sparkline(
    values: Sequence[int],
    *,
    start: dt.datetime,
    title: str,
    width: int = 560,
    height: int = 96,
    color: str = PALETTE["accent"],
) -> str:
    """Hourly request counts over a week as a filled line, with a tick per day.

    Parameters
    ----------
    values : requests per hour, ``values[0]`` being the hour starting at *start*.
    start : the first hour (Monday 00:00 UTC for a report week).
    """
    left, right, top, bottom = 8, 8, 14, 20
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(values), 2)
    peak = max(list(values) + [0])
    scale = plot_h / peak if peak else 0.0
    step = plot_w / (n - 1)
    points = [(left + i * step, top + plot_h - v * scale) for i, v in enumerate(values)] or [(left, top + plot_h)]
    line = " ".join(f"{_num(x)},{_num(y)}" for x, y in points)
    base = top + plot_h
    area = f"{_num(points[0][0])},{_num(base)} {line} {_num(points[-1][0])},{_num(base)}"
    out = _open(width, height, title, "spark")
    out.append(f'<line x1="{left}" x2="{width - right}" y1="{_num(base)}" y2="{_num(base)}" '
               f'stroke="{PALETTE["grid"]}" stroke-width="1"/>')
    hours = len(values)
    for day in range(0, (hours + 23) // 24):
        x = left + day * 24 * step
        label = (start + dt.timedelta(days=day)).strftime("%a %d")
        out.append(f'<line x1="{_num(x)}" x2="{_num(x)}" y1="{top}" y2="{_num(base)}" '
                   f'stroke="{PALETTE["grid"]}" stroke-width="1"/>')
        out.append(f'<text x="{_num(x + 3)}" y="{height - 6}" font-size="10" fill="{PALETTE["muted"]}">'
                   f"{escape(label)}</text>")
    out.append(f'<polygon points="{area}" fill="{PALETTE["fill"]}" opacity="0.8"/>')
    out.append(f'<polyline points="{line}" fill="none" stroke="{color}" stroke-width="1.5" '
               f'stroke-linejoin="round"/>')
    if peak:
        i = list(values).index(peak)
        x, y = points[i]
        when = (start + dt.timedelta(hours=i)).strftime("%a %H:00")
        anchor = "end" if x > width * 0.8 else "start"
        dx = -4 if anchor == "end" else 4
        out.append(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="2.5" fill="{color}"/>')
        out.append(f'<text x="{_num(x + dx)}" y="{_num(max(y - 3, 10))}" text-anchor="{anchor}" font-size="10" '
                   f'fill="{PALETTE["ink"]}">peak {_count(peak)}/h {escape(when)}</text>')
    out.append("</svg>")
    return "\n".join(out)
