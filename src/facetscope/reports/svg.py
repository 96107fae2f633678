"""Server-drawn SVG charts (pure Python): readable without JavaScript, printable.

Each chart carries ``role="img"`` and a text alternative; pages show the same
figures in a table next to it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

# The facets diamond: mission at the top, enhancement left, anticipatory right,
# adaptive at the bottom (as OPSI draws it).
FACET_AXES = {"mis": (0.0, -1.0), "ant": (1.0, 0.0), "ada": (0.0, 1.0), "enh": (-1.0, 0.0)}
SERIES_STYLES = [
    {"fill": "#0b5394", "fill_opacity": "0.25", "stroke": "#0b5394", "dash": ""},
    {"fill": "#a64d00", "fill_opacity": "0.12", "stroke": "#a64d00", "dash": "6 4"},
    {"fill": "#3d6b00", "fill_opacity": "0.10", "stroke": "#3d6b00", "dash": "2 3"},
]


def _pt(cx: float, cy: float, r: float, facet: str, value: float) -> tuple[float, float]:
    dx, dy = FACET_AXES[facet]
    share = max(0.0, min(100.0, float(value))) / 100
    return cx + dx * r * share, cy + dy * r * share


def facet_diamond(
    series: Sequence[tuple[str, Mapping[str, float]]],
    *,
    labels: Mapping[str, str],
    title: str,
    size: int = 320,
) -> str:
    """A diamond with one polygon per (name, {facet: percent 0..100}) series."""
    pad = 40
    side = 110  # room for the left and right labels
    r = (size - 2 * pad) / 2
    cx, cy = size / 2 + side, size / 2
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size + 2 * side} {size}" '
        f'class="facet-diamond" role="img" aria-labelledby="diamond-title">',
        f'<title id="diamond-title">{escape(title)}</title>',
    ]
    for ring in (25, 50, 75, 100):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (_pt(cx, cy, r, f, ring) for f in FACET_AXES))
        dash = ' stroke-dasharray="3 3"' if ring != 100 else ""
        parts.append(
            f'<polygon points="{pts}" fill="none" stroke="#8a96a3" stroke-width="1"{dash}/>'
        )
    parts.append(
        f'<line x1="{cx - r}" y1="{cy}" x2="{cx + r}" y2="{cy}" stroke="#8a96a3"/>'
        f'<line x1="{cx}" y1="{cy - r}" x2="{cx}" y2="{cy + r}" stroke="#8a96a3"/>'
    )
    for index, (_name, values) in enumerate(series):
        style = SERIES_STYLES[index % len(SERIES_STYLES)]
        pts = " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (_pt(cx, cy, r, f, values.get(f, 0)) for f in FACET_AXES)
        )
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
        parts.append(
            f'<polygon points="{pts}" fill="{style["fill"]}" fill-opacity="{style["fill_opacity"]}"'
            f' stroke="{style["stroke"]}" stroke-width="2.5"{dash}/>'
        )
    anchors = {
        "mis": (cx, cy - r - 14, "middle"),
        "ant": (cx + r + 6, cy + 4, "start"),
        "ada": (cx, cy + r + 24, "middle"),
        "enh": (cx - r - 6, cy + 4, "end"),
    }
    for facet, (x, y, anchor) in anchors.items():
        parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="13" '
            f'fill="#1b1f24">{escape(labels.get(facet, facet))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def bar(value: float, *, maximum: float = 100, label: str = "") -> str:
    """A small horizontal bar for tables (decorative: the number is in the table)."""
    share = 0 if maximum <= 0 else max(0.0, min(1.0, float(value) / maximum))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 10" class="bar"'
        f' aria-hidden="true" focusable="false"><rect width="100" height="10" fill="#e6ebf0"/>'
        f'<rect width="{share * 100:.1f}" height="10" fill="#0b5394"/></svg>'
    )
