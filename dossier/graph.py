"""Actor networks drawn at build time as SVG: readable with no JavaScript, printable."""

from __future__ import annotations

import math
from functools import lru_cache

from markupsafe import Markup, escape

from dossier.model import Actor

TYPE_COLOURS = {"person": "var(--person)", "organization": "var(--organization)", "place": "var(--place)",
                "group": "var(--group)"}


def ego_svg(center: Actor, neighbours: list[tuple[Actor, int]], href: dict[str, str], width: int = 640, height: int = 400) -> Markup:
    """The actor in the middle, its strongest co-occurring actors around it; line width = shared sentences.
    A neighbour without an entry in `href` (no page of its own) is drawn without a link."""
    if not neighbours:
        return Markup("")
    strongest = max(count for _, count in neighbours)
    places = ego_layout(len(neighbours), width, height)
    centre_name, centre_short = escaped_names(center.name)
    svg, centre, centre_label = ego_frame(width, height)
    parts = [f'{svg}<title id="ego-title">{centre_name} and the actors most often named in the same sentences</title>']
    for (actor, count), (line, point, label) in zip(neighbours, places, strict=True):
        name, short = escaped_names(actor.name)
        opening, closing = (f'<a href="{escape(href[actor.id])}">', "</a>") if actor.id in href else ("<g>", "</g>")
        parts.append(f'{line} stroke-width="{1 + 5 * count / strongest:.1f}" class="edge"/>'
                     f'{opening}<circle {point} r="6" fill="{TYPE_COLOURS[actor.type]}"/>'
                     f'<text {label}>{short}</text>'
                     f'<title>{name}: {count} shared sentence{"s" if count != 1 else ""}</title>{closing}')
    parts.append(f'<circle {centre} r="10" fill="{TYPE_COLOURS[center.type]}"/>'
                 f'<text {centre_label} text-anchor="middle" class="center">{centre_short}</text></svg>')
    return Markup("".join(parts))


@lru_cache(maxsize=8)
def ego_frame(width: int, height: int) -> tuple[str, str, str]:
    """The opening of an ego network's SVG, its centre's position and its label's, as attributes."""
    return (f'<svg class="network" viewBox="0 0 {width} {height}" aria-labelledby="ego-title">',
            f'cx="{width / 2:.1f}" cy="{height / 2:.1f}"', f'x="{width / 2:.1f}" y="{height / 2 + 26:.1f}"')


@lru_cache(maxsize=64)
def ego_layout(count: int, width: int, height: int) -> list[tuple[str, str, str]]:
    """Where `count` neighbours go around the centre, as SVG attributes: the start of each one's line,
    its point, and its label's position and anchor. The same for every actor with as many neighbours
    (a quarter of the time 12.7k ego networks took)."""
    cx, cy = width / 2, height / 2
    radius = height / 2 - 40
    places = []
    for i in range(count):
        angle = 2 * math.pi * i / count - math.pi / 2
        x, y = cx + radius * 1.2 * math.cos(angle), cy + radius * math.sin(angle)
        anchor = "start" if math.cos(angle) > 0.3 else "end" if math.cos(angle) < -0.3 else "middle"
        dx = 9 if anchor == "start" else -9 if anchor == "end" else 0
        dy = 4 if anchor != "middle" else (16 if math.sin(angle) > 0 else -10)
        places.append((f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}"',
                       f'cx="{x:.1f}" cy="{y:.1f}"',
                       f'x="{x + dx:.1f}" y="{y + dy:.1f}" text-anchor="{anchor}"'))
    return places


@lru_cache(maxsize=65536)  # an actor is drawn on the network of each actor it is named with
def escaped_names(name: str) -> tuple[str, str]:
    """The name, and its short label, escaped for SVG text."""
    return str(escape(name)), str(escape(short_label(name)))


def short_label(name: str, limit: int = 20) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


NETWORK_SIZE = 40  # most-mentioned actors drawn on the dossier-wide network
LINKS_PER_ACTOR = 4  # each keeps its strongest links only, so the picture is not a hairball
MIN_SHARED = 2  # sentences two actors must share to be linked


def network(actors: list[Actor], ctx, relative_url) -> dict:
    """The dossier-wide network: the most-mentioned actors on a circle, grouped by type, with their strongest links.

    Returns {"svg": Markup, "links": [(actor, actor, shared sentences)], "actors": [...]}; the links double as
    the table a screen reader gets.
    """
    order = {"person": 0, "organization": 1, "group": 2, "place": 3}
    chosen = sorted(actors, key=lambda a: (-len(a.mentions), a.id))[:NETWORK_SIZE]
    chosen.sort(key=lambda a: (order[a.type], a.name.casefold(), a.id))
    ids = {a.id for a in chosen}
    links: dict[tuple[str, str], int] = {}
    for actor in chosen:
        strongest = [(other, n) for other, n in ctx.co_occurring(actor, limit=50) if other.id in ids and n >= MIN_SHARED]
        for other, n in strongest[:LINKS_PER_ACTOR]:
            links[tuple(sorted((actor.id, other.id)))] = n
    if not chosen:
        return {"svg": Markup(""), "links": [], "actors": []}
    width, height = 900, 760
    cx, cy, radius = width / 2, height / 2, min(width, height) / 2 - 150
    position = {}
    for i, actor in enumerate(chosen):
        angle = 2 * math.pi * i / len(chosen) - math.pi / 2
        position[actor.id] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle), angle)
    strongest = max(links.values(), default=1)
    parts = []
    for (a, b), n in sorted(links.items(), key=lambda kv: kv[1]):
        (x1, y1, _), (x2, y2, _) = position[a], position[b]
        qx, qy = (x1 + x2) / 4 + cx / 2, (y1 + y2) / 4 + cy / 2  # halfway to the centre: curves that do not all meet
        parts.append(f'<path d="M{x1:.1f},{y1:.1f} Q{qx:.1f},{qy:.1f} {x2:.1f},{y2:.1f}" stroke-width="{0.6 + 4 * n / strongest:.1f}" '
                     f'class="edge" data-ends="{escape(a)} {escape(b)}"><title>{escape(ctx.actors[a].name)} – {escape(ctx.actors[b].name)}: '
                     f'{n} shared sentence{"s" if n != 1 else ""}</title></path>')
    for actor in chosen:
        x, y, angle = position[actor.id]
        anchor = "start" if math.cos(angle) >= 0 else "end"
        lx, ly = x + 16 * math.cos(angle), y + 16 * math.sin(angle) + 4
        rotate = math.degrees(angle) if anchor == "start" else math.degrees(angle) + 180
        node = f'class="node type-{actor.type}" data-actor="{escape(actor.id)}"'  # network.js lights its links
        opening, closing = ((f'<a href="{escape(relative_url("network.html", f"actors/{actor.id}.html"))}" {node}>', "</a>")
                            if ctx.has_page(actor) else (f"<g {node}>", "</g>"))
        r = 3 + 6 * math.sqrt(len(actor.mentions) / len(chosen[0].mentions)) if chosen else 4
        parts.append(f'{opening}<circle cx="{x:.1f}" cy="{y:.1f}" r="{min(r, 12):.1f}" fill="{TYPE_COLOURS[actor.type]}"/>'
                     f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" transform="rotate({rotate:.1f} {lx:.1f} {ly - 4:.1f})">'
                     f'{escape(short_label(actor.name, 26))}</text><title>{escape(actor.name)} ({actor.type}, '
                     f'{len(actor.mentions)} mention{"s" if len(actor.mentions) != 1 else ""})</title>{closing}')
    svg = Markup(f'<svg class="network wide" viewBox="0 0 {width} {height}" aria-labelledby="network-title">'
                 f'<title id="network-title">Network of the {len(chosen)} most-mentioned actors and their strongest links</title>'
                 f'{"".join(parts)}</svg>')
    rows = sorted(((ctx.actors[a], ctx.actors[b], n) for (a, b), n in links.items()), key=lambda r: (-r[2], r[0].name, r[1].name))
    return {"svg": svg, "links": rows, "actors": chosen}
