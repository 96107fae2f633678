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


# Colour-blind-safe palette (Okabe–Ito), darkened where needed for contrast on white.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8A6A00", "#56B4E9", "#6B6B6B", "#000000"]


def portfolio_map(
    dots: Sequence[Mapping],
    *,
    zone_counts: Mapping[str, int],
    zone_centres: Mapping[str, tuple[float, float]],
    labels: Mapping[str, str],
    title: str,
    size: int = 560,
) -> str:
    """The facet diamond with one focusable dot per project.

    ``dots``: {"x", "y" (geometry coordinates), "r" (radius px), "colour" (index),
    "label" (text for hover and screen readers), "href"}. Geometry ``x`` (directed)
    points up and ``y`` (uncertain) to the right, as OPSI draws the diamond.
    """
    pad, side = 48, 120
    r = (size - 2 * pad) / 2
    cx, cy = size / 2 + side, size / 2

    def screen(x: float, y: float) -> tuple[float, float]:
        return cx + y * r, cy - x * r

    top, right, bottom, left = screen(1, 0), screen(0, 1), screen(-1, 0), screen(0, -1)
    diamond = " ".join(f"{px:.1f},{py:.1f}" for px, py in (top, right, bottom, left))
    most = max(zone_counts.values(), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size + 2 * side} {size}" '
        f'class="portfolio-map" role="group" aria-labelledby="map-title">',
        f'<title id="map-title">{escape(title)}</title>',
        f'<polygon points="{diamond}" fill="#f3f5f7" stroke="#4a5560" stroke-width="1.5"/>',
        f'<line x1="{left[0]:.1f}" y1="{left[1]:.1f}" x2="{right[0]:.1f}" y2="{right[1]:.1f}" '
        f'stroke="#8a96a3" stroke-dasharray="4 4"/>',
        f'<line x1="{top[0]:.1f}" y1="{top[1]:.1f}" x2="{bottom[0]:.1f}" y2="{bottom[1]:.1f}" '
        f'stroke="#8a96a3" stroke-dasharray="4 4"/>',
    ]
    for zone, (zx, zy) in zone_centres.items():
        count = zone_counts.get(zone, 0)
        if not count:
            continue
        px, py = screen(zx, zy)
        opacity = 0.08 + 0.25 * count / most
        parts.append(
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="{r * 0.22:.1f}" fill="#0b5394" '
            f'fill-opacity="{opacity:.2f}" aria-hidden="true"/>'
        )
    anchors = {
        "mis": (top[0], top[1] - 12, "middle"),
        "ant": (right[0] + 8, right[1] + 4, "start"),
        "ada": (bottom[0], bottom[1] + 22, "middle"),
        "enh": (left[0] - 8, left[1] + 4, "end"),
    }
    for facet, (x, y, anchor) in anchors.items():
        parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="14" '
            f'font-weight="600" fill="#1b1f24">{escape(labels.get(facet, facet))}</text>'
        )
    for dot in dots:
        px, py = screen(dot["x"], dot["y"])
        colour = PALETTE[dot.get("colour", 0) % len(PALETTE)]
        label = escape(dot["label"])
        parts.append(
            f'<a href="{escape(dot["href"])}" class="map-dot" aria-label="{label}">'
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="{dot.get("r", 5):.1f}" fill="{colour}" '
            f'fill-opacity="0.75" stroke="#ffffff" stroke-width="1"><title>{label}</title>'
            f"</circle></a>"
        )
    parts.append("</svg>")
    return "".join(parts)
