"""Which pages a change of the inputs can reach: the last build's data against this build's.

Lists and indexes are always rendered again (a few dozen pages); the sitemap when the set of pages
changes. An article, actor or timeline page is rendered again only when something it shows may
differ: its own data, an article it quotes from, the name or type of an actor it links, or a
timeline event it lists. A change that reaches every page (the title, the order of the articles,
the outlets) renders everything.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from dossier import pages
from dossier.model import Actor, Event, Quote

if TYPE_CHECKING:
    from dossier.pipeline import Dossier

DECIDED = {"article.html", "actor.html", "timeline.html", "sitemap.xml"}  # the templates of the pages this module decides about


def pages_to_render(old: Dossier, new: Dossier, old_ctx: pages.Context, new_ctx: pages.Context) -> set[str] | None:
    """Paths of the article and actor pages that may have changed; None when every page may have."""
    if (old.title, old.intro_html) != (new.title, new.intro_html):
        return None
    if [a.id for a in old_ctx.articles_by_date] != [a.id for a in new_ctx.articles_by_date]:
        return None  # an article added, removed or moved: counts, neighbours and lists everywhere
    if outlets_shown(old_ctx) != outlets_shown(new_ctx):
        return None

    articles = {i for i in new_ctx.articles
                if old_ctx.articles[i] != new_ctx.articles[i] or old.annotations[i] != new.annotations[i]}
    actors = differing(old_ctx.actors, new_ctx.actors)
    shown = {i for i in actors if as_linked(old_ctx.actors.get(i)) != as_linked(new_ctx.actors.get(i))}
    articles |= differing(grouped(old.quotes, lambda q: q.article), grouped(new.quotes, lambda q: q.article))
    actors |= differing(grouped(old.quotes, lambda q: q.speaker), grouped(new.quotes, lambda q: q.speaker))
    events = differing(events_of(old.events), events_of(new.events))
    for event in [*old.events, *new.events]:  # an entry shows its actors' names and its sources' outlets or titles
        if shown.intersection(event.actors) or articles.intersection(s.article for s in event.sources):
            events.add(event.id)

    speakers = grouped([*old.quotes, *new.quotes], lambda q: q.article)
    dirty: set[str] = set()
    for number, article in enumerate(new_ctx.articles_by_date):
        neighbours = {n.id for n in (new_ctx.neighbour(number, -1), new_ctx.neighbour(number, 1)) if n is not None}
        linked = {m.actor for ctx in (old_ctx, new_ctx) for m in ctx.mentions_by_article[article.id]}
        linked |= {q.speaker for q in speakers.get(article.id, ())}
        listed = {e.id for ctx in (old_ctx, new_ctx) for e in ctx.events_by_article[article.id]}
        if ({article.id} | neighbours) & articles or linked & shown or listed & events:
            dirty.add(new_ctx.article_pages[article.id])
    for actor_id in actors_reached(old_ctx, new_ctx, articles, actors, shown, events):
        actor = new_ctx.actors[actor_id]
        dirty.update(pages.actor_part_path(actor.id, n) for n in range(1, pages.mention_parts(actor) + 1))
    sitemap = {"sitemap.xml"} if pages_listed(old_ctx) != pages_listed(new_ctx) else set()
    return dirty | timeline_pages_changed(old_ctx, new_ctx, events) | sitemap


def only_these(env, template: str, path: str, paths: set[str]) -> bool:
    """render_all's choice after pages_to_render: every list and index, and the article, actor and
    timeline pages (and the sitemap) named."""
    return template not in DECIDED or path in paths


def timeline_pages_changed(old_ctx: pages.Context, new_ctx: pages.Context, events: set[str]) -> set[str]:
    """Timeline pages whose events, or the navigation and counts every timeline page shows, may differ."""
    old_pages, old_common = old_ctx.timeline_pages
    new_pages, new_common = new_ctx.timeline_pages
    if old_common != new_common:
        return set(new_pages)
    dirty = set()
    for path, (heading, years) in new_pages.items():
        listed = event_ids(years)
        before = old_pages.get(path)
        if before is None or before[0] != heading or event_ids(before[1]) != listed or events.intersection(listed):
            dirty.add(path)
    return dirty


def event_ids(years: list) -> list[str]:
    return [event.id for _, months in years for _, events in months for event in events]


def actors_reached(old_ctx: pages.Context, new_ctx: pages.Context, articles: set[str], actors: set[str],
                   shown: set[str], events: set[str]) -> set[str]:
    """The actors whose pages may differ, before or after the change: changed themselves, mentioned
    in a changed article, named in a sentence with an actor whose link changed, or on a changed
    event. Found from the changes, not by asking each of the thousands of actors."""
    both = (old_ctx, new_ctx)
    places = {(m.article, m.sentence) for ctx in both for actor_id in shown if actor_id in ctx.actors
              for m in ctx.actors[actor_id].mentions}
    reached = set(actors)
    for ctx in both:
        reached.update(m.actor for article_id in articles for m in ctx.mentions_by_article.get(article_id, ()))
        reached.update(actor_id for place in places for actor_id in ctx.actors_in_sentence.get(place, ()))
        reached.update(actor_id for event in ctx.dossier.events if event.id in events for actor_id in event.actors)
    return reached & new_ctx.actors.keys()


def pages_listed(ctx: pages.Context) -> tuple:
    """What the set of pages (the sitemap) depends on, with the articles and outlets the same: each
    actor and its pages of mentions, the length of each type's list, the timeline's pages."""
    return ({(a.id, pages.mention_parts(a)) for a in ctx.actors.values()}, Counter(a.type for a in ctx.actors.values()),
            set(ctx.timeline_pages[0]))


def outlets_shown(ctx: pages.Context) -> list:
    return [(o.id, o.name, o.url, [a.id for a in o.articles]) for o in ctx.outlets]


def as_linked(actor: Actor | None) -> tuple | None:
    """What a link to the actor shows: its page, name and type."""
    return None if actor is None else (actor.id, actor.name, actor.type)


def differing(old: dict, new: dict) -> set:
    return {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}


def grouped(quotes: Iterable[Quote], key) -> dict[str, list[Quote]]:
    """Quotes by article or by speaker, in their order."""
    by_key: dict[str, list[Quote]] = defaultdict(list)
    for quote in quotes:
        by_key[key(quote)].append(quote)
    return by_key


def events_of(events: Iterable[Event]) -> dict[str, Event]:
    return {e.id: e for e in events}
