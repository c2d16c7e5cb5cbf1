"""What each page shows, assembled from the dossier; rendered through the theme's templates."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from functools import partial

from markupsafe import Markup

from dossier import briefing, cache, forkpool, graph, search, site
from dossier import curation as curation_queue
from dossier.config import Config
from dossier.exports import export_json, export_timelinejs
from dossier.model import Actor, Article, Dossier, Event
from dossier.views import (
    ACTORS_ON_INDEX,
    ACTORS_PER_LIST,
    TYPE_TITLES,
    Context,
    actor_list_path,
    actor_part_path,
    gets_page,
    mention_parts,
    outlets_of,
    timeline_values,
)

HOME_LIMIT = 12  # latest articles, events and outlets on the home page; each list links to its full list
ARTICLES_PER_PAGE = 200  # the articles index in pages: 2,225 BBC articles were one 136,000 px page
QUEUE_PREVIEW = 25  # items of each kind on curation.html; its own pages have the rest
QUEUE_PER_PAGE = 500  # items on one page of a kind of the curation queue
QUEUE_KINDS = {"contested": "Contested types", "ambiguous": "Unresolved short names", "duplicates": "Likely duplicates",
               "ignored": "Ignored names", "unresolved_dates": "Dates left unresolved",
               "inferred_outlets": "Outlets inferred from the text", "flagged": "Actors that look wrong", "problems": "Input problems"}
COMPILED_TEMPLATES = "templates"  # the folder of the cache that keeps them
FEED_LENGTH = 50
# What XML 1.0 forbids (C0 controls but tab and newlines, surrogates, U+FFFE, U+FFFF): removed from the
# feed and the sitemap, whichever template wrote them, so they stay well-formed.
XML_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass
class ThemeReads:
    """What of the theme each page of a build read while it rendered (site.RecordingEnvironment)."""

    theme: dict[str, str]  # the theme then: file name -> digest (fingerprint.theme_digests)
    pages: dict[str, frozenset[str]] = field(default_factory=dict)  # page path -> the theme files it read
    shared: set[str] = field(default_factory=set)  # read by Python code: a change renders every page


def render_all(dossier: Dossier, config: Config, ctx: Context | None = None,
               search_bundles: tuple[str, ...] = (), first: Collection[str] = (),
               on_first: Callable[[dict[str, bytes]], None] | None = None,
               unchanged: dict[str, bytes] | None = None, reads: ThemeReads | None = None) -> dict[str, bytes]:
    """Every file of the site, every page rendered, in forked processes where there are many.

    The pages named in `first` (the dev server's open pages) render before the others, and
    `on_first` gets those pages and the assets as soon as they are rendered. A page in `unchanged`
    is not rendered: those are its bytes. `reads` gets what each rendered page read of the theme."""
    ctx = ctx or Context(dossier, config.actor_page_min_articles)
    # Compiled templates go in the cache only once a build has claimed it: rendering alone (a test, a
    # script) must not leave an untagged folder that the next build would refuse as someone else's.
    compiled = config.cache / COMPILED_TEMPLATES if cache.owned(config.cache) else None
    env = site.environment(config.theme_dirs, config.site_root_url, ctx.article_pages, compiled,
                           ctx.sentence_path)
    ctx.env = env
    common = {"site_title": dossier.title, "ctx": ctx, "type_titles": TYPE_TITLES, "absolute_links": False,
              "compare_path": briefing.compare_path, "print_sources": ctx.print_sources}
    # (template, path, its values, computed when rendered); a file made by code, not by a template,
    # has no template, and its "values" make its bytes.
    jobs: list[tuple[str, str, Callable[[], dict]]] = []
    paths: set[str] = set()

    def page(template: str, path: str, values: Callable[[], dict] | None = None, **fixed) -> None:
        if path in paths:
            raise ValueError(f"two pages would be written to {path}")
        paths.add(path)
        jobs.append((template, path, values or (lambda: fixed)))

    def render_one(job: tuple[str, str, Callable]) -> tuple[bytes, frozenset[str], frozenset[str]]:
        """The page's bytes, what it read of the theme, and what this process has read as shared so far."""
        template, path, values = job
        env.page_reads, env.page_template = set(), site.theme_file(template)
        try:
            if not template:
                data = values()
            else:
                section = path.split("/")[0] if "/" in path else path
                text = site.render_text(env, template, path, **{**common, "section": section, **values()})
                data = (XML_FORBIDDEN.sub("", text) if path.endswith(".xml") else text).encode("utf-8")
            return data, env.with_loads(env.page_reads), env.with_loads(env.shared)
        finally:
            env.page_reads = None

    # The long ones first, so that neither process is left with a long one at the end.
    page("", "dossier.json", lambda: export_json(dossier, ctx).encode("utf-8"))
    page("", "timeline.json", lambda: export_timelinejs(dossier, ctx, config).encode("utf-8"))
    render_queue(page, curation_queue.queue(dossier))
    network = graph.network(dossier.actors, ctx, site.relative_url)
    page("network.html", "network.html", network=network, pair_path=briefing.pair_path)
    for a, b, count in network["links"]:
        page("shared.html", briefing.pair_path(a, b), partial(shared_values, ctx, a, b, count))
    page("index.html", "index.html", intro_html=dossier.intro_html, latest_events=latest_events(dossier),
         limit=HOME_LIMIT)
    chunks = in_pages(ctx.articles_by_date, ARTICLES_PER_PAGE)
    listing = [articles_list_path(n) for n in range(1, len(chunks) + 1)]
    for number, chunk in enumerate(chunks, 1):
        page("articles.html", listing[number - 1], articles=chunk, number=number, pages=listing,
             first=(number - 1) * ARTICLES_PER_PAGE + 1)
    for number, article in enumerate(ctx.articles_by_date):
        for part in range(1, len(ctx.article_parts(article.id)) + 1):
            page("article.html", site.article_part_path(ctx.article_pages[article.id], part),
                 partial(ctx.article_values, number, article, part))
    page("actors.html", "actors/index.html", on_index=ACTORS_ON_INDEX)
    for actor in (a for a in dossier.actors if ctx.has_page(a)):  # the others are named where they occur
        parts = mention_parts(actor)
        for number in range(1, parts + 1):
            page("actor.html", actor_part_path(actor.id, number), partial(ctx.actor_values, actor, number, parts))
    for kind, actors in ctx.actors_by_type():
        chunks = [actors[i:i + ACTORS_PER_LIST] for i in range(0, len(actors), ACTORS_PER_LIST)]
        for number, chunk in enumerate(chunks, 1):
            page("actor_list.html", actor_list_path(kind, number), kind=kind, actors=chunk, number=number,
                 pages=[actor_list_path(kind, n) for n in range(1, len(chunks) + 1)], total=len(actors))
    page("outlets.html", "outlets/index.html", comparison=ctx.comparison)
    for actor, _ in ctx.comparison.rows:
        if actor.id in ctx.compared:
            page("compare.html", briefing.compare_path(actor.id), partial(compare_values, ctx, actor))
    for outlet in ctx.outlets:
        chunks = in_pages(outlet.articles, ARTICLES_PER_PAGE)
        listing = [outlet_list_path(outlet.id, n) for n in range(1, len(chunks) + 1)]
        for number, chunk in enumerate(chunks, 1):
            page("outlet.html", listing[number - 1], outlet=outlet, articles=chunk, number=number, pages=listing)
    render_timeline(page, ctx)
    page("search.html", "search.html", bundles=search_bundles)
    if search_bundles:
        for path, make in search.sentence_maps(dossier.articles, dossier.annotations, ctx.article_pages, ctx.article_parts).items():
            page("", path, make)
    page("404.html", "404.html", lambda: {"section": "", "absolute_links": True,  # served at any depth: absolute links
                                          "inline_css": Markup(env.loader.get_source(env, "assets/style.css")[0])})
    page("feed.xml", "feed.xml", base_url=config.site_root_url, entries=ctx.articles_by_date[:FEED_LENGTH],
         updated=max((a.date for a in dossier.articles if a.date), default="2000-01-01"))
    listed = sorted(p for p in paths if p.endswith(".html") and p != "404.html")
    page("sitemap.xml", "sitemap.xml", pages=listed, base_url=config.site_root_url)

    assets = site.theme_assets(env)
    unchanged = unchanged or {}
    chosen = [job for job in jobs if job[1] not in unchanged]
    done: dict[str, tuple[bytes, frozenset[str], frozenset[str]]] = {}
    if on_first is not None and any(path in first for _, path, _ in jobs):
        done = {job[1]: render_one(job) for job in chosen if job[1] in first}
        on_first({**{path: unchanged[path] for path in first if path in unchanged},
                  **{path: data for path, (data, _, _) in done.items()}, **assets})
        chosen = [job for job in chosen if job[1] not in done]
    done.update(zip((path for _, path, _ in chosen), forkpool.map_in_forks(render_one, chosen, config.processes), strict=True))
    if reads is not None:
        for path, (_, read, shared) in done.items():
            reads.pages[path] = read
            reads.shared |= shared
        reads.shared |= env.with_loads(env.shared)  # read before any page, by this process
    files = {path: unchanged[path] if path in unchanged else done[path][0] for _, path, _ in jobs}
    files.update(assets)
    files["robots.txt"] = f"User-agent: *\nAllow: /\nSitemap: {site.absolute_url(config.site_root_url, 'sitemap.xml')}\n".encode()
    files[".nojekyll"] = b""
    return files


def untouched_pages(last: ThemeReads | None, theme: dict[str, str]) -> list[str]:
    """The pages of the last build that read no theme file changed since (added, edited, removed,
    or now served by another folder of the theme). Its data must be this build's: only the theme changed."""
    if last is None:
        return []
    changed = {name for name in last.theme.keys() | theme.keys() if last.theme.get(name) != theme.get(name)}
    if changed & last.shared:
        return []
    return [path for path, read in last.pages.items() if not read & changed]


def in_pages(items: list, size: int) -> list[list]:
    """The items in pages of `size`; an empty list is one empty page (its page still exists)."""
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


def articles_list_path(number: int) -> str:
    """articles/index.html, then articles/index.2.html: no article's page has a dot in its name."""
    return "articles/index.html" if number == 1 else f"articles/index.{number}.html"


def outlet_list_path(outlet_id: str, number: int) -> str:
    """outlets/<id>.html, then outlets/<id>.2.html: an outlet's id has no dot."""
    return site.outlet_path(outlet_id) if number == 1 else site.outlet_path(outlet_id).removesuffix(".html") + f".{number}.html"


def queue_path(kind: str, number: int) -> str:
    return f"curation/{kind}.html" if number == 1 else f"curation/{kind}-{number}.html"


def render_queue(page, queue: curation_queue.Queue) -> None:
    """curation.html shows the first items of each kind with their counts; each kind with more has
    pages of its own (5,800 items were one 690 KB page)."""
    kind_pages = {}
    for kind in QUEUE_KINDS:
        items = getattr(queue, kind)
        if len(items) <= QUEUE_PREVIEW:
            continue
        chunks = in_pages(items, QUEUE_PER_PAGE)
        paths = [queue_path(kind, n) for n in range(1, len(chunks) + 1)]
        kind_pages[kind] = paths[0]
        for number, chunk in enumerate(chunks, 1):
            page("report.html", paths[number - 1], kind=kind, kinds=QUEUE_KINDS, items=chunk, number=number, pages=paths,
                 total=len(items), section="curation")
    page("report.html", site.REPORT_PATH, queue=queue, kind=None, kinds=QUEUE_KINDS, kind_pages=kind_pages,
         preview=QUEUE_PREVIEW)


def article_records(title: str, intro_html: str, articles: list[Article]) -> list[search.Record]:
    """Articles are found by their words, each paragraph under an anchor of its own (#pN); the search
    page turns it into the sentence's (search.sentence_maps).
    They need nothing the model finds; Pagefind starts on them once the model has run (beside it, it
    slowed the model by as much as it indexed). The home page is no result (its introduction is what
    a reader sees first anyway): `title` and `intro_html` stay in the signature the pipeline calls."""
    paths = site.article_paths([a.id for a in articles])
    outlet_of = {a.id: o for o in outlets_of(articles) for a in o.articles}
    records = []
    for article in articles:
        outlet = outlet_of.get(article.id)
        filters = (("kind", "article"),) + ((("outlet", outlet.name),) if outlet else ())
        meta = tuple((name, value) for name, value in (("outlet", outlet.name if outlet else ""), ("date", article.date or ""),
                                                       ("sentences", str(search.sentence_map_of(paths[article.id], len(articles)))))
                     if value)
        records.append(search.Record(paths[article.id], article.title, ", ".join(article.authors), filters, meta,
                                     paragraphs=tuple(p.text for p in article.paragraphs)))
    return records


def actor_records(actors: list[Actor], min_articles: int) -> list[search.Record]:
    """Actors with a page of their own (views.gets_page) are found by their names (the record's
    title), aliases and description, the others by the words of the articles that name them. The
    more an actor is named, the more its name weighs, so "Blair" finds Tony Blair before "Vote Blair"."""
    return [search.Record(site.actor_path(actor.id), actor.name, " ".join([*actor.aliases, actor.description or ""]),
                          (("kind", "actor"), ("type", actor.type)),
                          (("type", actor.type), ("mentions", str(len(actor.mentions)))), actor_weight(len(actor.mentions)))
            for actor in actors if gets_page(actor, min_articles)]


def actor_weight(mentions: int) -> float:
    """An actor's name weighs 3 named once, 10 from about 3,000 mentions (Pagefind's heading scale)."""
    return round(min(10.0, 3.0 + 2.0 * math.log10(1 + mentions)), 1)


def shared_values(ctx: Context, a: Actor, b: Actor, count: int) -> dict:
    return {"a": a, "b": b, "total": count, "shared": briefing.shared_sentences(ctx, a, b)}


def compare_values(ctx: Context, actor: Actor) -> dict:
    return {"actor": actor, "columns": briefing.actor_by_outlet(ctx, actor)}


def latest_events(dossier: Dossier) -> list[Event]:
    """The home page's latest entries: events (not background, not forecasts) that began on or
    before the newest article's date, newest first."""
    newest = max((a.date for a in dossier.articles if a.date), default="")
    happened = [e for e in dossier.events if e.kind == "event" and e.date[:len(newest)] <= newest]
    return happened[-HOME_LIMIT:][::-1]


def render_timeline(page, ctx: Context) -> None:
    """The timeline page (split by year when long) and one filtered page per outlet."""
    shown, common = ctx.timeline_pages
    for path, (heading, years) in shown.items():
        page("timeline.html", path, partial(timeline_values, ctx, heading, years, common))


