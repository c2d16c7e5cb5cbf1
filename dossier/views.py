"""The lookups and views the templates read: per article, actor, sentence, outlet and timeline page,
made once per build from the dossier (Context)."""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Callable
from functools import cached_property
from itertools import chain, groupby
from operator import attrgetter, itemgetter

from markupsafe import Markup, escape

from dossier import briefing, fragments, graph, site
from dossier.fragments import SentenceView, Span
from dossier.metadata import outlet_named
from dossier.model import Actor, Article, Dossier, Event, Mention, Outlet
from dossier.periods import date_label

TIMELINE_PAGE_LIMIT = 300  # events; a longer timeline gets one page per year
TYPE_TITLES = {"person": "People", "organization": "Organizations", "place": "Places", "group": "Groups"}


MENTIONS_PER_PAGE = 300  # sentences: an actor named thousands of times gets several pages, none over 1 MB
ACTORS_PER_LIST = 2000  # names per page of the full list of one type
ACTORS_ON_INDEX = 200  # names per type on actors/index.html
EVENTS_ON_ACTOR = 100  # latest events on an actor's page; the timeline has the rest
QUOTES_ON_ACTOR = 200  # quoted sentences on an actor's page
EGO_NEIGHBOURS = 12  # connections drawn around an actor (its page lists up to 15)
SENTENCE_OF = attrgetter("article", "sentence")


def gets_page(actor: Actor, min_articles: int) -> bool:
    """Whether the actor has a page of its own: named in at least `min_articles` articles, or curated
    (or named nowhere: then nothing else shows it). The others are plain text with their type where
    they are named, and search finds them through those articles' text."""
    return actor.curated or not actor.mentions or len({m.article for m in actor.mentions}) >= min_articles


def first_named(actor: Actor, article_pages: dict[str, str]) -> str:
    """The sentence that first names an actor (the first article by id): dossier.json's url of an actor without a page."""
    first = min(actor.mentions, key=SENTENCE_OF)
    return f"{article_pages[first.article]}#s{first.sentence}"


def mention_parts(actor: Actor) -> int:
    sentences = len({(m.article, m.sentence) for m in actor.mentions})
    return max(1, -(-sentences // MENTIONS_PER_PAGE))


def actor_part_path(actor_id: str, number: int) -> str:
    return site.actor_path(actor_id) if number == 1 else f"actors/{actor_id}/{number}.html"


def actor_list_path(kind: str, number: int) -> str:
    return f"actors/all/{kind}.html" if number == 1 else f"actors/all/{kind}-{number}.html"


def by_date(articles: list[Article]) -> list[Article]:
    """Newest first; undated last."""
    return sorted(articles, key=lambda a: (a.date or "", a.id), reverse=True)


def outlets_of(articles: list[Article]) -> list[Outlet]:
    """The outlets, by name, each with its articles newest first (an outlet is named as in its newest article)."""
    outlets: dict[str, Outlet] = {}
    for article in by_date(articles):
        if article.outlet:
            known = outlet_named(article.outlet)
            outlet_id = site.item_id(article.outlet)
            outlets.setdefault(outlet_id, Outlet(outlet_id, article.outlet, known.url if known else None)).articles.append(article)
    return sorted(outlets.values(), key=lambda o: (o.name.casefold(), o.id))


PART_CHARS = 60_000  # characters of text on one page of an article: with its links and lists, under 400 KB of HTML


class Context:
    """Lookups the templates need: by id, by article, by sentence."""

    def __init__(self, dossier: Dossier, actor_page_min_articles: int = 2):
        self.dossier = dossier
        self.env = None  # set by render_all; event_html renders through the theme's event.html
        self._links: dict[tuple[str, str], Markup] = {}
        self._events: dict[tuple[str, str], Markup] = {}
        self._by_type: list[tuple[str, list[Actor]]] | None = None
        self._texts: dict[str, str] = {}
        self._parts: dict[str, list[int]] = {}
        self._by_sentence: dict[str, dict[int, list[Mention]]] = {}
        self.articles = {a.id: a for a in dossier.articles}
        self.article_pages = site.article_paths(list(self.articles))
        self.actors = {a.id: a for a in dossier.actors}
        self.paged = {a.id for a in dossier.actors if gets_page(a, actor_page_min_articles)}
        self.mentions_by_article: dict[str, list[Mention]] = defaultdict(list)
        self.actors_in_sentence: dict[tuple[str, int], set[str]] = defaultdict(set)
        for actor in dossier.actors:
            for m in actor.mentions:
                self.mentions_by_article[m.article].append(m)
                self.actors_in_sentence[(m.article, m.sentence)].add(actor.id)
        self.articles_by_date = by_date(dossier.articles)
        self.outlets = outlets_of(self.articles_by_date)
        self.outlet_of = {a.id: o for o in self.outlets for a in o.articles}
        self.speaker_of = {(q.article, q.sentence): self.actors[q.speaker] for q in dossier.quotes}
        self.headlines_by_actor: dict[str, list[str]] = defaultdict(list)  # actor id -> articles whose headline names it
        for article_id, spans in sorted(dossier.headlines.items()):
            for actor_id in dict.fromkeys(actor_id for _, _, actor_id in spans):
                self.headlines_by_actor[actor_id].append(article_id)
        self.quotes_by_actor: dict[str, list] = defaultdict(list)
        for q in dossier.quotes:
            self.quotes_by_actor[q.speaker].append(q)
        self.events_by_actor: dict[str, list[Event]] = defaultdict(list)
        self.events_by_article: dict[str, list[Event]] = defaultdict(list)
        for event in dossier.events:
            for actor_id in event.actors:
                self.events_by_actor[actor_id].append(event)
            for article_id in sorted({s.article for s in event.sources}):
                self.events_by_article[article_id].append(event)
        self.outlets_of_event = {event.id: sorted({self.outlet_of[s.article].id for s in event.sources if s.article in self.outlet_of})
                                 for event in dossier.events}
        self.events_by_outlet: dict[str, list[Event]] = defaultdict(list)
        for event in dossier.events:
            for outlet_id in self.outlets_of_event[event.id]:
                self.events_by_outlet[outlet_id].append(event)

    def text_of(self, article: Article) -> str:
        """article.text, joined once: every page that quotes the article's sentences needs it."""
        text = self._texts.get(article.id)
        if text is None:
            text = self._texts[article.id] = article.text
        return text

    # -- fragments shared by many pages, rendered once per output folder ---------------------------

    def has_page(self, actor: Actor) -> bool:
        return actor.id in self.paged

    def actor_url(self, actor: Actor) -> str:
        """Where the actor is shown: its page, or the sentence that first names it."""
        return site.actor_path(actor.id) if actor.id in self.paged else first_named(actor, self.article_pages)

    def actor_link(self, actor: Actor, page_path: str) -> Markup:
        """A link to the actor's page; an actor without one is its name as plain text, with its type."""
        key = (actor.id, page_path.rpartition("/")[0])
        link = self._links.get(key)
        if link is None and actor.id not in self.paged:
            link = self._links[key] = Markup(f'<span class="actor type-{actor.type}" title="{actor.type}">{escape(actor.name)}</span>')
        elif link is None:
            href = site.relative_url(page_path, site.actor_path(actor.id))
            link = self._links[key] = Markup(f'<a class="actor type-{actor.type}" href="{escape(href)}">{escape(actor.name)}</a>')
        return link

    def event_html(self, event: Event, page_path: str) -> Markup:
        key = (event.id, page_path.rpartition("/")[0])
        html = self._events.get(key)
        if html is None:
            html = self._events[key] = Markup(site.render_text(
                self.env, "event.html", page_path, event=event, ctx=self, absolute_links=False).rstrip("\n"))
        return html

    def sentence_html(self, view: SentenceView, page_path: str) -> Markup:
        """A sentence with its mentions linked or highlighted (fragments.sentence_html)."""
        return Markup(fragments.sentence_html(view, self.paged, self.actor_links_from(page_path)))

    def backlinks_html(self, article_id: str, items: list, page_path: str) -> Markup:
        """The items of a list of the article's sentences, each linked to its place (fragments.backlinks_html)."""
        return fragments.backlinks_html(items, lambda index: site.relative_url(page_path, self.sentence_path(article_id, index)),
                                        self.print_sources[article_id], self.paged, self.actor_links_from(page_path))

    @cached_property
    def print_sources(self) -> dict[str, Markup]:
        return briefing.print_sources(self)

    def headline_html(self, article: Article, page_path: str) -> Markup:
        """An article's headline with the actors it names linked, as its sentences are (headlines.py)."""
        spans = [(start, end, self.actors[actor_id], False) for start, end, actor_id in self.dossier.headlines.get(article.id, ())]
        return self.sentence_html(SentenceView(0, article.title, 0, len(article.title), spans), page_path)

    def paragraph_html(self, views: list[SentenceView], page_path: str) -> Markup:
        """An article's paragraph, sentence by sentence (fragments.paragraph_html)."""
        return fragments.paragraph_html(views, self.paged, self.actor_links_from(page_path))

    def actor_links_from(self, page_path: str) -> Callable[[str], str]:
        """actor id -> the link to its page from `page_path`."""
        folder, _, name = page_path.rpartition("/")
        return lambda actor_id: site.link_in(folder, name, site.actor_path(actor_id))

    @cached_property
    def timeline_pages(self) -> tuple[dict[str, tuple[str, list]], dict]:
        """timeline_pages() of the dossier's events: computed once, for the comparison with the next
        build's and for the rendering."""
        return timeline_pages(self, self.dossier.events)

    @cached_property
    def comparison(self) -> briefing.Comparison:
        return briefing.compare_outlets(self)

    @cached_property
    def compared(self) -> set[str]:
        """The actors with a page comparing how each outlet names them."""
        return {actor.id for actor, _ in self.comparison.rows} if len(self.comparison.outlets) > 1 else set()

    def actor_values(self, actor: Actor, number: int, parts: int) -> dict:
        grouped = self.actor_mentions(actor)
        if parts > 1:  # this page's share of the sentences
            flat = [(article, view) for article, views in grouped for view in views]
            mine = flat[(number - 1) * MENTIONS_PER_PAGE:number * MENTIONS_PER_PAGE]
            grouped = [(article, [view for _, view in group]) for article, group in groupby(mine, key=itemgetter(0))]
        events = self.events_by_actor[actor.id]
        related = self.co_occurring(actor) if number == 1 else []
        return {"actor": actor, "mentions": grouped, "part": number, "related": related,
                "facts": briefing.actor_facts(self, actor, related) if number == 1 else None,
                "parts": [actor_part_path(actor.id, n) for n in range(1, parts + 1)],
                "events": events[-EVENTS_ON_ACTOR:], "events_total": len(events)}

    def article_values(self, number: int, article: Article, part: int = 1) -> dict:
        starts = self.article_parts(article.id)
        end = starts[part] if part < len(starts) else len(self.dossier.annotations[article.id].sentences)
        first_page = self.article_pages[article.id]
        first = starts[part - 1]
        if len(starts) == 1:
            paragraphs, actors, events = self.article_paragraphs(article), self.article_actors(article), self.events_by_article[article.id]
        else:  # each page of a long report lists the actors and dates of its own sentences
            paragraphs = self.article_paragraphs(article, first, end)
            actors = self.article_actors(article, first, end)
            events = [e for e in self.events_by_article[article.id]
                      if any(s.article == article.id and first <= s.sentence < end for s in e.sources)]
        return {"article": article, "paragraphs": paragraphs, "actors": actors, "events": events,
                "part": part, "parts": [site.article_part_path(first_page, n) for n in range(1, len(starts) + 1)],
                "previous": self.neighbour(number, -1), "next": self.neighbour(number, 1)}

    def article_parts(self, article_id: str) -> list[int]:
        """The first sentence of each page of the article: a new page starts at the first paragraph
        past PART_CHARS of text, so that a 20 MB report is many pages of a readable size."""
        if article_id not in self._parts:
            starts, length, paragraph = [0], 0, None
            for s in self.dossier.annotations[article_id].sentences:
                if s.paragraph != paragraph and length >= PART_CHARS:
                    starts.append(s.index)
                    length = 0
                paragraph = s.paragraph
                length += s.end - s.start
            self._parts[article_id] = starts
        return self._parts[article_id]

    def sentence_path(self, article_id: str, index: int) -> str:
        """The page and anchor of one sentence: the part of its article that shows it."""
        part = bisect.bisect_right(self.article_parts(article_id), index)
        return f"{site.article_part_path(self.article_pages[article_id], part)}#s{index}"

    def neighbour(self, number: int, step: int) -> Article | None:
        index = number + step
        return self.articles_by_date[index] if 0 <= index < len(self.articles_by_date) else None

    def view_of(self, article_id: str, index: int, spans: list[Span]) -> SentenceView:
        sentence = self.dossier.annotations[article_id].sentences[index]
        return SentenceView(index, self.text_of(self.articles[article_id]), sentence.start, sentence.end, spans)

    def sentence_text(self, article_id: str, index: int) -> str:
        sentence = self.dossier.annotations[article_id].sentences[index]
        return self.text_of(self.articles[article_id])[sentence.start:sentence.end]

    def article_paragraphs(self, article: Article, first: int = 0, end: int | None = None) -> list[list[SentenceView]]:
        """The article's sentences `first` to `end` (all by default), by paragraph, with their mentions."""
        annotation = self.dossier.annotations[article.id]
        by_sentence = self.mentions_by_sentence(article.id)
        text = self.text_of(article)
        paragraphs: dict[int, list[SentenceView]] = {}  # only those the part shows: a long report has thousands
        sentences = annotation.sentences
        linked: set[str] = set()  # actors already linked in this paragraph: a name links once a paragraph
        paragraph = -1
        for n in range(first, len(sentences) if end is None else end):
            s = sentences[n]
            if s.paragraph != paragraph:
                paragraph, linked = s.paragraph, set()
            spans = []
            for m in by_sentence.get(s.index, ()):
                spans.append((m.start, m.end, self.actors[m.actor], m.actor in linked))
                linked.add(m.actor)
            speaker = self.speaker_of.get((article.id, s.index))
            same_paragraph = n + 1 < len(sentences) and sentences[n + 1].paragraph == s.paragraph
            after = text[s.end:sentences[n + 1].start] if same_paragraph else ""
            paragraphs.setdefault(s.paragraph, []).append(SentenceView(s.index, text, s.start, s.end, spans, speaker, after))
        if first or end is not None:
            return list(paragraphs.values())
        return [paragraphs.get(number, []) for number in range(len(article.paragraphs))]

    def mentions_by_sentence(self, article_id: str) -> dict[int, list[Mention]]:
        """Sentence index -> the article's mentions in it, in order; worked out once an article, not
        once a page of it."""
        if article_id not in self._by_sentence:
            by_sentence: dict[int, list[Mention]] = defaultdict(list)
            for m in sorted(self.mentions_by_article[article_id], key=lambda m: m.start):
                by_sentence[m.sentence].append(m)
            self._by_sentence[article_id] = dict(by_sentence)
        return self._by_sentence[article_id]

    def actor_mentions(self, actor: Actor) -> list[tuple[Article, list[SentenceView]]]:
        """The actor's mentions grouped by article, newest article first, its own name highlighted."""
        grouped = []
        by_article = groupby(sorted(actor.mentions, key=attrgetter("article", "sentence", "start")), key=attrgetter("article"))
        for article_id, mentions in by_article:
            article = self.articles[article_id]
            text = self.text_of(article)
            sentences = self.dossier.annotations[article_id].sentences
            views = []
            for index, in_sentence in groupby(mentions, key=attrgetter("sentence")):
                s = sentences[index]
                views.append(SentenceView(index, text, s.start, s.end, [(m.start, m.end, None, True) for m in in_sentence]))
            grouped.append((article, views))
        return sorted(grouped, key=lambda pair: (pair[0].date or "", pair[0].id), reverse=True)

    def actor_quotes(self, actor: Actor) -> list[tuple[Article, list[tuple[SentenceView, str]]]]:
        """What the actor says, by article, newest first, with its own name highlighted and the cue
        that marks it ("said", "described", "continues the quote")."""
        grouped = []
        quotes = sorted(self.quotes_by_actor[actor.id], key=lambda q: (q.article, q.sentence))[:QUOTES_ON_ACTOR]
        for article_id, in_article in groupby(quotes, key=lambda q: q.article):
            article = self.articles[article_id]
            sentences = self.dossier.annotations[article_id].sentences
            own = [m for m in actor.mentions if m.article == article_id]
            views = []
            for q in in_article:
                s = sentences[q.sentence]
                spans = [(m.start, m.end, None, True) for m in own if m.sentence == q.sentence]
                views.append((SentenceView(q.sentence, self.text_of(article), s.start, s.end, spans), q.cue))
            grouped.append((article, views))
        return sorted(grouped, key=lambda pair: (pair[0].date or "", pair[0].id), reverse=True)

    def co_occurring(self, actor: Actor, limit: int = 15) -> list[tuple[Actor, int]]:
        """Other actors named in the same sentences, with the number of shared sentences."""
        places = set(map(SENTENCE_OF, actor.mentions))
        counts = Counter(chain.from_iterable(map(self.actors_in_sentence.__getitem__, places)))
        del counts[actor.id]
        # most shared first, then by id: two sorts keyed in C (a sort is stable, also reversed)
        ranked = sorted(sorted(counts.items(), key=itemgetter(0)), key=itemgetter(1), reverse=True)[:limit]
        return [(self.actors[i], n) for i, n in ranked]

    def ego_network(self, actor: Actor, related: list[tuple[Actor, int]]):
        folder = site.actor_path(actor.id).rpartition("/")[0]
        drawn = related[:EGO_NEIGHBOURS]
        href = {other.id: site.link_from(folder, site.actor_path(other.id)) for other, _ in drawn if other.id in self.paged}
        return graph.ego_svg(actor, drawn, href)

    def actor_outlets(self, actor: Actor) -> list[tuple[Outlet, int]]:
        counts = Counter(self.outlet_of[m.article].id for m in actor.mentions if m.article in self.outlet_of)
        by_id = {o.id: o for o in self.outlets}
        return [(by_id[i], n) for i, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    def article_actors(self, article: Article, first: int = 0, end: int | None = None) -> list[tuple[Actor, int]]:
        """The actors of the article's sentences `first` to `end` (all by default), most mentioned first."""
        counts = Counter(m.actor for m in self.mentions_by_article[article.id] if first <= m.sentence and (end is None or m.sentence < end))
        return [(self.actors[i], n) for i, n in sorted(counts.items(), key=lambda kv: (-kv[1], self.actors[kv[0]].name))]

    def outlet_actors(self, outlet: Outlet, limit: int = 20) -> list[tuple[Actor, int]]:
        counts = Counter(m.actor for a in outlet.articles for m in self.mentions_by_article[a.id])
        return [(self.actors[i], n) for i, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]

    def top_outlets(self, limit: int) -> list[Outlet]:
        """The outlets with the most articles, by name."""
        most = sorted(self.outlets, key=lambda o: (-len(o.articles), o.name.casefold(), o.id))[:limit]
        return sorted(most, key=lambda o: (o.name.casefold(), o.id))

    def actors_by_type(self) -> list[tuple[str, list[Actor]]]:
        """Most mentioned first. Three pages and the list pages ask: 0.12 s each for 12,700 actors."""
        if self._by_type is None:
            ranked = sorted(self.dossier.actors, key=lambda a: (-len(a.mentions), a.name.casefold(), a.id))
            self._by_type = [(t, [a for a in ranked if a.type == t]) for t in TYPE_TITLES if any(a.type == t for a in ranked)]
        return self._by_type

    def events_by_year(self, events: list[Event]) -> list[tuple[str, list[tuple[str, list[Event]]]]]:
        """[(year or decade, [(month heading or "", events)])], in date order."""
        by_label: dict[str, list[Event]] = defaultdict(list)
        for event in sorted(events, key=lambda e: (e.date[:4], e.precision != "century", e.precision != "decade", e.date)):
            by_label[decade_or_year(event)].append(event)
        years = []
        for label, in_year in by_label.items():
            months = []
            for key, group in groupby(in_year, key=lambda e: e.date[:7] if e.precision in ("day", "week", "month") else ""):
                group = list(group)
                months.append((month_heading(group[0]) if key else "", group))
            years.append((label, months))
        return years

    def event_outlets(self, event: Event) -> list[str]:
        return self.outlets_of_event[event.id]


def month_heading(event: Event) -> str:
    return date_label(event.date[:7], "month")


def decade_or_year(event: Event) -> str:
    """The heading an event is listed under: its year, or its decade or century (a slug-safe label: it names pages and anchors)."""
    if event.precision == "century":
        return date_label(event.date, "century").replace(" ", "-")
    return f"{event.date[:4]}s" if event.precision == "decade" else event.date[:4]


# The timeline's lanes: events by default, each other kind on a page of its own (no script needed).
LANES = (("event", "Events", ""), ("background", "Background", "background"), ("forecast", "Forecasts and plans", "forecast"))


def timeline_pages(ctx: Context, events: list[Event]) -> tuple[dict[str, tuple[str, list]], dict]:
    """Path -> (heading, the years and months of entries it shows) of each timeline page, and what
    every one of them shows besides: the lanes, the year and outlet navigation and the number of
    events. The main pages, split by year when long, and the outlet pages show events only; the
    background and the forecasts and plans have a page each."""
    happened = [e for e in events if e.kind == "event"]
    years = ctx.events_by_year(happened)
    split = len(happened) > TIMELINE_PAGE_LIMIT
    year_nav = [(label, sum(len(evs) for _, evs in months),
                 site.timeline_path(label) if split else site.timeline_path() + f"#y{label}") for label, months in years]
    lanes = [(title, site.timeline_path(page or None), sum(e.kind == kind for e in events), kind) for kind, title, page in LANES]
    common = {"year_nav": year_nav, "outlet_nav": [o for o in ctx.outlets if any(e.kind == "event" for e in ctx.events_by_outlet[o.id])],
              "total": len(happened), "lanes": lanes, "lane_pagers": {}}
    shown = {site.timeline_path(): ("Timeline", [] if split else years)}
    if split:
        shown |= {site.timeline_path(label): (f"Timeline: {label}", [(label, months)]) for label, months in years}
    for kind, title, page in LANES[1:]:
        lane = ctx.events_by_year([e for e in events if e.kind == kind])
        for path, heading, years_of, pager in briefing.lane_pages(site.timeline_path(page), f"Timeline: {title.lower()}", lane):
            shown[path] = (heading, years_of)
            common["lane_pagers"][path] = pager
    for outlet in common["outlet_nav"]:
        shown[site.timeline_path(f"outlet-{outlet.id}")] = (f"Timeline: {outlet.name}",
                                                            ctx.events_by_year([e for e in ctx.events_by_outlet[outlet.id] if e.kind == "event"]))
    return shown, common


def timeline_values(ctx: Context, heading: str, years: list, common: dict) -> dict:
    current = years[0][0] if len(years) == 1 else None
    return {"years": years, "heading": heading, "filter_actors": filter_actors(ctx, years), "current": current,
            "decades": decades_of(common["year_nav"]), **common}


YEARS_LISTED = 15  # a timeline with more years shows them by decade, with the years of one decade


def decades_of(year_nav: list[tuple[str, int, str]]) -> list[tuple[str, int, str, list[tuple[str, int, str]]]]:
    """(decade, events, where its first year is, its years) for a long year navigation: about 100
    year links opened every year page of the BBC timeline; by decade it is a dozen and the current ten."""
    if len(year_nav) <= YEARS_LISTED:
        return []
    grouped: dict[str, list[tuple[str, int, str]]] = {}
    for label, count, target in year_nav:
        grouped.setdefault(label[:3] + "0s", []).append((label, count, target))
    return [(decade, sum(c for _, c, _ in years), years[0][2], years) for decade, years in grouped.items()]


def filter_actors(ctx: Context, years: list) -> list[tuple[Actor, int]]:
    """The actors of the events on one timeline page, by name, with their event counts: the filter's choices."""
    counts = Counter(actor_id for _, months in years for _, events in months for event in events for actor_id in event.actors)
    return sorted(((ctx.actors[a], n) for a, n in counts.items()), key=lambda pair: (pair[0].name.casefold(), pair[0].id))
