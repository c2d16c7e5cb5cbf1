"""Networks drawn at build time: readable, linked, escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from dossier.graph import ego_svg, short_label
from dossier.model import Actor


def test_ego_network_links_every_neighbour_and_escapes_names():
    center = Actor("maduro", "Nicolás Maduro", "person")
    others = [(Actor("a", "<script>alert(1)</script>", "organization"), 3), (Actor("b", "Caracas", "place"), 1)]
    svg = str(ego_svg(center, others, {"a": "a.html", "b": "b.html"}))
    tree = ET.fromstring(svg)  # well-formed XML: nothing from a name breaks out of its text
    links = [a.get("href") for a in tree.iter() if a.tag.endswith("a")]
    assert links == ["a.html", "b.html"]
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    widths = [float(line.get("stroke-width")) for line in tree.iter() if line.tag.endswith("line")]
    assert widths[0] > widths[1]  # three shared sentences draw a thicker line than one


def test_no_neighbours_draws_nothing():
    assert str(ego_svg(Actor("x", "X", "person"), [], {})) == ""


def test_long_labels_are_shortened_with_an_ellipsis():
    assert short_label("Senate Foreign Relations Committee of the United States", 20) == "Senate Foreign Rela…"
    assert short_label("NATO") == "NATO"
