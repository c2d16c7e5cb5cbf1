"""What an analyst briefs from, computed from the Context's lookups: an actor's key facts (the box
that opens its page) and the comparison of outlets (which actors each outlet names, how often)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Protocol

from markupsafe import Markup

from dossier.model import Actor, Article, Dossier, Mention, Outlet, Quote


class Context(Protocol):
    """What this module reads of views.Context (which imports this module, so this one cannot
    import it: no import cycle, type-only ones included)."""

    dossier: Dossier
    actors: dict[str, Actor]
    articles: dict[str, Article]
    outlets: list[Outlet]
    outlet_of: dict[str, Outlet]
    mentions_by_article: dict[str, list[Mention]]
    quotes_by_actor: dict[str, list[Quote]]

    def actor_mentions(self, actor: Actor) -> list: ...
    def sentence_path(self, article_id: str, index: int) -> str: ...
    def sentence_text(self, article_id: str, index: int) -> str: ...
    def text_of(self, article: Article) -> str: ...
    def view_of(self, article_id: str, index: int, spans: list) -> object: ...

CO_ACTORS_IN_FACTS = 5
QUOTES_IN_FACTS = 2
# A quote worth putting in the facts box reads as a statement: a fragment ("he said.") says nothing,
# a paragraph-long sentence buries the point.
QUOTE_CHARS = (60, 320)
COMPARE_ACTORS = 40  # rows of the outlets' comparison: the most mentioned actors


@dataclass
class QuoteFact:
    text: str
    article: Article
    outlet: str | None
    target: str  # the page and anchor of the sentence


@dataclass
class ActorFacts:
    mentions: int
    articles: int
    outlets: int
    first: Article | None  # the earliest dated article that names the actor
    last: Article | None
    co_actors: list[tuple[Actor, int]] = field(default_factory=list)
    quotes: list[QuoteFact] = field(default_factory=list)
    headlines: list[Article] = field(default_factory=list)  # articles whose headline names the actor, newest first


def actor_facts(ctx: Context, actor: Actor, related: list[tuple[Actor, int]]) -> ActorFacts:
    article_ids = sorted({m.article for m in actor.mentions})
    dated = sorted((ctx.articles[i] for i in article_ids if ctx.articles[i].date), key=lambda a: (a.date, a.id))
    outlets = {ctx.outlet_of[i].id for i in article_ids if i in ctx.outlet_of}
    return ActorFacts(mentions=len(actor.mentions), articles=len(article_ids), outlets=len(outlets),
                      first=dated[0] if dated else None, last=dated[-1] if dated else None,
                      co_actors=related[:CO_ACTORS_IN_FACTS], quotes=top_quotes(ctx, actor),
                      headlines=sorted((ctx.articles[i] for i in ctx.headlines_by_actor[actor.id]),
                                       key=lambda a: (invert(a.date or ""), a.id)))


def top_quotes(ctx: Context, actor: Actor) -> list[QuoteFact]:
    """Two of the actor's quotes from different articles: statements of a readable length first,
    then the newest."""
    candidates = []
    for quote in ctx.quotes_by_actor[actor.id]:
        text = " ".join(ctx.sentence_text(quote.article, quote.sentence).split())
        article = ctx.articles[quote.article]
        readable = QUOTE_CHARS[0] <= len(text) <= QUOTE_CHARS[1]
        candidates.append((not readable, "" if article.date is None else article.date, quote.article, quote.sentence, text))
    # readable first; among them the newest (dates sort descending through the second key's order)
    candidates.sort(key=lambda c: (c[0], invert(c[1]), c[2], c[3]))
    chosen: list[QuoteFact] = []
    seen: set[str] = set()
    for _, _, article_id, sentence, text in candidates:
        if article_id in seen:
            continue
        seen.add(article_id)
        outlet = ctx.outlet_of.get(article_id)
        chosen.append(QuoteFact(text, ctx.articles[article_id], outlet.name if outlet else None,
                                ctx.sentence_path(article_id, sentence)))
        if len(chosen) == QUOTES_IN_FACTS:
            break
    return chosen


def invert(date: str) -> str:
    """A key that sorts dates newest first and the undated last, in an ascending sort."""
    return "".join(chr(ord("9") - int(c) + ord("0")) if c.isdigit() else c for c in date) if date else "~"


@dataclass
class Comparison:
    outlets: list[Outlet]
    rows: list[tuple[Actor, list[int]]]  # an actor and its mentions in each outlet, in the order of `outlets`


def compare_outlets(ctx: Context, limit: int = COMPARE_ACTORS) -> Comparison:
    """The most mentioned actors of the outlets' articles, with their mentions in each outlet."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for outlet in ctx.outlets:
        for article in outlet.articles:
            counts[outlet.id].update(m.actor for m in ctx.mentions_by_article[article.id])
    totals: Counter[str] = Counter()
    for per_outlet in counts.values():
        totals.update(per_outlet)
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], ctx.actors[kv[0]].name.casefold(), kv[0]))[:limit]
    rows = [(ctx.actors[actor_id], [counts[o.id][actor_id] for o in ctx.outlets]) for actor_id, _ in ranked]
    return Comparison(ctx.outlets, rows)


SENTENCES_PER_OUTLET = 60  # on an actor's comparison page, per outlet


def compare_path(actor_id: str) -> str:
    return f"outlets/compare/{actor_id}.html"


def actor_by_outlet(ctx: Context, actor: Actor) -> list[tuple[Outlet, int, int, list]]:
    """The actor's sentences in each outlet's articles, newest article first: (outlet, mentions,
    sentences in all, [(article, sentence views)] up to SENTENCES_PER_OUTLET sentences)."""
    columns = []
    grouped = ctx.actor_mentions(actor)
    for outlet in ctx.outlets:
        mine = [(article, views) for article, views in grouped if ctx.outlet_of.get(article.id) is outlet]
        if not mine:
            continue
        total = sum(len(views) for _, views in mine)
        shown, room = [], SENTENCES_PER_OUTLET
        for article, views in mine:
            if room <= 0:
                break
            shown.append((article, views[:room]))
            room -= len(views[:room])
        mentions = sum(len(view.spans) for _, views in mine for view in views)
        columns.append((outlet, mentions, total, shown))
    return columns


SHARED_ON_PAGE = 300  # sentences naming two actors, the newest articles' first: a page stays under 400 KB


def pair_path(a: Actor, b: Actor) -> str:
    return f"network/{a.id}--{b.id}.html"


def shared_sentences(ctx: Context, a: Actor, b: Actor) -> list[tuple[Article, list]]:
    """The sentences that name both actors (views.SentenceView), by article, newest first, both names highlighted."""
    places = {(m.article, m.sentence) for m in a.mentions} & {(m.article, m.sentence) for m in b.mentions}
    spans: dict[tuple[str, int], list] = defaultdict(list)
    for m in (*a.mentions, *b.mentions):
        if (m.article, m.sentence) in places:
            spans[(m.article, m.sentence)].append((m.start, m.end, None, True))
    by_article: dict[str, list] = defaultdict(list)
    # Newest articles first, each from its first sentence: `places` is a set, so the key names every
    # place, or which sentences of a long article make the cut would change from run to run.
    newest = sorted(places, key=lambda place: (ctx.articles[place[0]].date or "", place[0], -place[1]), reverse=True)[:SHARED_ON_PAGE]
    for article_id, index in sorted(newest):
        by_article[article_id].append(ctx.view_of(article_id, index, spans[(article_id, index)]))
    grouped = [(ctx.articles[i], views) for i, views in by_article.items()]
    return sorted(grouped, key=lambda pair: (pair[0].date or "", pair[0].id), reverse=True)


LANE_PAGE_LIMIT = 200  # entries on one page of the background or the forecasts: 441 BBC background entries made a 413 KB page


def lane_pages(first_path: str, heading: str, years: list) -> list[tuple[str, str, list, list[tuple[str, str]]]]:
    """(path, heading, its years, the lane's pages as (years they span, path)) of each page of a
    timeline lane (background, forecasts): whole years, about LANE_PAGE_LIMIT entries a page; the
    first page keeps the lane's path, so links to it stay good."""
    chunks: list[list] = [[]]
    size = 0
    for year in years:
        entries = sum(len(events) for _, events in year[1])
        if chunks[-1] and size + entries > LANE_PAGE_LIMIT:
            chunks.append([])
            size = 0
        chunks[-1].append(year)
        size += entries
    if len(chunks) == 1:
        return [(first_path, heading, years, [])]
    paths = [first_path] + [first_path.removesuffix(".html") + f"-{n}.html" for n in range(2, len(chunks) + 1)]
    shown = [[label.replace("-century", " century") for label, _ in chunk] for chunk in chunks]  # labels are slugs
    spans = [labels[0] if len(labels) == 1 else f"{labels[0]}–{labels[-1]}" for labels in shown]
    pager = list(zip(spans, paths, strict=True))
    return [(path, f"{heading}, {span}", chunk, pager) for path, span, chunk in zip(paths, spans, chunks, strict=True)]


def print_sources(ctx: Context) -> dict[str, Markup]:
    """Article id -> what each of its mentions prints after it (its outlet and date; style.css shows
    it only in print, where a list runs over pages, away from its article's heading). Made once a
    build for every article: the templates only look it up, once per list of mentions."""
    return {article_id: Markup('<span class="print-source"> — {}, {}</span>').format(
                ctx.outlet_of[article_id].name if article_id in ctx.outlet_of else "outlet unknown", article.date or "date unknown")
            for article_id, article in ctx.articles.items()}
