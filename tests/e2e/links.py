"""Read a built site as a crawler would: every page's links, anchors and ids."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []  # href and src values

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("href", "src") and value is not None:
                self.links.append(value)


def parse(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_links(site: Path, skip: tuple[str, ...] = ("404.html",)) -> list[str]:
    """'page -> link' for every internal link whose file or #anchor does not exist."""
    pages = {p.relative_to(site).as_posix(): parse(p) for p in site.rglob("*.html")}
    broken = []
    for page, parsed in sorted(pages.items()):
        if page in skip:
            continue
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path))) if parts.path else page
            if target.startswith("../") or not (site / target).is_file():
                broken.append(f"{page} -> {link}")
                continue
            if parts.fragment and target.endswith(".html") and parts.fragment not in pages[target].ids:
                broken.append(f"{page} -> {link} (no such anchor)")
    return broken
