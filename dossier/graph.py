"""Actor networks drawn at build time as SVG: readable with no JavaScript, printable."""

from __future__ import annotations

import math

from markupsafe import Markup, escape

from dossier.model import Actor

TYPE_COLOURS = {"person": "var(--person)", "organization": "var(--organization)", "place": "var(--place)",
                "group": "var(--group)"}


def ego_svg(center: Actor, neighbours: list[tuple[Actor, int]], href: dict[str, str], width: int = 640, height: int = 400) -> Markup:
    """The actor in the middle, its strongest co-occurring actors around it; line width = shared sentences."""
    if not neighbours:
        return Markup("")
    cx, cy = width / 2, height / 2
    radius = height / 2 - 40
    strongest = max(count for _, count in neighbours)
    parts = []
    for i, (actor, count) in enumerate(neighbours):
        angle = 2 * math.pi * i / len(neighbours) - math.pi / 2
        x, y = cx + radius * 1.2 * math.cos(angle), cy + radius * math.sin(angle)
        stroke = 1 + 5 * count / strongest
        parts.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke-width="{stroke:.1f}" class="edge"/>')
        anchor = "start" if math.cos(angle) > 0.3 else "end" if math.cos(angle) < -0.3 else "middle"
        dx = 9 if anchor == "start" else -9 if anchor == "end" else 0
        dy = 4 if anchor != "middle" else (16 if math.sin(angle) > 0 else -10)
        parts.append(
            f'<a href="{escape(href[actor.id])}"><circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{TYPE_COLOURS[actor.type]}"/>'
            f'<text x="{x + dx:.1f}" y="{y + dy:.1f}" text-anchor="{anchor}">{escape(short_label(actor.name))}</text>'
            f'<title>{escape(actor.name)}: {count} shared sentence{"s" if count != 1 else ""}</title></a>')
    parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="10" fill="{TYPE_COLOURS[center.type]}"/>'
                 f'<text x="{cx:.1f}" y="{cy + 26:.1f}" text-anchor="middle" class="center">{escape(short_label(center.name))}</text>')
    title = f"{center.name} and the actors most often named in the same sentences"
    return Markup(f'<svg class="network" viewBox="0 0 {width} {height}" role="img" aria-labelledby="ego-title">'
                  f'<title id="ego-title">{escape(title)}</title>{"".join(parts)}</svg>')


def short_label(name: str, limit: int = 20) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
