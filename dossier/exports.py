"""The site's data downloads: dossier.json (the export contract in docs/architecture.md) and TimelineJS's timeline.json."""

from __future__ import annotations

import json

from markupsafe import escape

from dossier import site
from dossier.config import Config
from dossier.model import Dossier, Event
from dossier.views import Context


def export_json(dossier: Dossier, ctx: Context) -> str:
    data = {
        "version": 1,
        "title": dossier.title,
        "articles": [{"id": a.id, "title": a.title, "outlet": ctx.outlet_of[a.id].id if a.id in ctx.outlet_of else None,
                      "date": a.date, "authors": a.authors, "url": ctx.article_pages[a.id], "original_url": a.url,
                      "words": a.words} for a in dossier.articles],
        "outlets": [{"id": o.id, "name": o.name, "url": site.outlet_path(o.id), "homepage": o.url,
                     "articles": sorted(a.id for a in o.articles)} for o in ctx.outlets],
        "actors": [{"id": a.id, "name": a.name, "type": a.type, "aliases": a.aliases, "mentions": len(a.mentions),
                    "articles": a.articles, "headlines": ctx.headlines_by_actor.get(a.id, []), "url": ctx.actor_url(a),
                    "page": ctx.has_page(a), "type_votes": a.type_votes}
                   for a in dossier.actors],
        "quotes": [{"actor": q.speaker, "article": q.article, "sentence": q.sentence, "cue": q.cue,
                    "text": ctx.sentence_text(q.article, q.sentence)} for q in dossier.quotes],
        "timeline": [{"id": e.id, "date": e.date, "start": e.date, "end": e.end or e.date, "precision": e.precision, "kind": e.kind,
                      "qualifier": e.qualifier, "label": e.label, "text": e.text,
                      "sources": [{"article": s.article, "outlet": ctx.outlet_of[s.article].id if s.article in ctx.outlet_of else None,
                                   "sentence": s.sentence, "text": s.text, "expression": s.expression,
                                   "expression_span": [s.start, s.end], "resolution": s.resolution} for s in e.sources],
                      "actors": e.actors, "disputed_dates": e.disputed} for e in dossier.events],
    }
    return html_safe_json(data)


# TimelineJS rows: events by year, the other kinds each in a row of their own
KIND_GROUPS = {"background": "Background", "forecast": "Forecasts and plans"}


def export_timelinejs(dossier: Dossier, ctx: Context, config: Config) -> str:
    """The timeline in Knight Lab's TimelineJS format, to embed with their viewer."""
    def start_date(date: str) -> dict:
        parts = date.split("-")
        keys = ("year", "month", "day")[: len(parts)]
        return {k: v.lstrip("0") or "0" for k, v in zip(keys, parts, strict=True)}

    def text(event: Event) -> str:
        items = []
        for source in event.sources:
            article = ctx.articles[source.article]
            link = site.absolute_url(config.site_root_url, ctx.sentence_path(article.id, source.sentence))
            outlet = ctx.outlet_of[article.id].name if article.id in ctx.outlet_of else article.title
            items.append(f'<p>{escape(source.text)} <a href="{escape(link)}">{escape(outlet)}</a></p>')
        return "".join(items)

    events = [{"unique_id": e.id, "start_date": start_date(e.date), "display_date": e.label,
               "text": {"headline": escape(e.sources[0].text if len(e.sources[0].text) < 90 else e.sources[0].text[:88] + "…"),
                        "text": text(e)},
               "group": KIND_GROUPS.get(e.kind, e.date[:4])} | ({"end_date": start_date(e.end)} if e.end else {})
              for e in dossier.events]
    data = {"title": {"text": {"headline": escape(dossier.title), "text": f"{len(events)} dated events"}}, "events": events}
    return html_safe_json(data)


def html_safe_json(data: object) -> str:
    """JSON whose text can never close a <script> element or open a tag, wherever it is pasted.
    Compact: indented output goes through json's pure-Python encoder, several times slower."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"
