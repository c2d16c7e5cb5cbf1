"""HTML fragments written in Python, not in templates: the sentences of a page with their mentions.

A large dossier shows hundreds of thousands of sentences, each a handful of runs of text and links;
a template loop spends most of its time in Jinja's calls and escaping for each run. Pages (and a
theme's overrides) place these fragments; `SentenceView.segments` gives the same runs to a theme
that would rather write them itself.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import dataclass
from operator import itemgetter

from markupsafe import Markup, escape

from dossier.model import Actor


@dataclass(slots=True)  # not frozen: a frozen dataclass is four times slower to make, and a large dossier makes millions
class Segment:
    text: str
    actor: Actor | None = None
    highlight: bool = False


# start, end, the actor it links to, highlighted; with an actor, "highlighted" is an actor named again
# in its paragraph: shown plain, with the actor's name on hover, so a paragraph is not a fog of links
Span = tuple[int, int, "Actor | None", bool]


@dataclass(slots=True)
class SentenceView:
    """A sentence as a page shows it: text[start:end] of its article, with its marked spans (mention
    links or highlights), kept as offsets: sentence_html writes them straight into HTML."""

    index: int
    text: str
    start: int
    end: int
    spans: list[Span]
    speaker: Actor | None = None  # the actor who says it, if it is a quote
    after: str = ""  # the text between this sentence and the next, as written (usually one space)

    @property
    def segments(self) -> list[Segment]:
        """The sentence split into plain and marked runs, for a theme that writes them itself."""
        return segments(self.text, self.start, self.end, self.spans)


def segments(text: str, start: int, end: int, spans: list[Span]) -> list[Segment]:
    """Split text[start:end] into plain runs and marked runs (mention links or highlights)."""
    return [Segment(*run) for run in runs(text, start, end, spans)]


def runs(text: str, start: int, end: int, spans: list[Span]) -> list[tuple[str, Actor | None, bool]]:
    """(text, actor, highlight) of each plain and marked run of text[start:end], in order."""
    result = []
    cursor = start
    for span_start, span_end, actor, highlight in sorted(spans, key=itemgetter(0)) if len(spans) > 1 else spans:
        if span_start < cursor or span_end > end:
            continue  # overlapping or outside the sentence
        if span_start > cursor:
            result.append((text[cursor:span_start], None, False))
        result.append((text[span_start:span_end], actor, highlight))
        cursor = span_end
    if cursor < end:
        result.append((text[cursor:end], None, False))
    return result


def sentence_html(view: SentenceView, paged: Container[str], link: Callable[[str], str]) -> str:
    """A sentence with its mentions linked (to actors with a page, `link(actor_id)` giving the href),
    typed (actors without one), plain with a hover (an actor named again in its paragraph) or marked."""
    parts = []
    for text, actor, highlight in runs(view.text, view.start, view.end, view.spans):
        if actor is not None and highlight:  # named again in the paragraph: the name on hover, no link
            parts.append(f'<span class="m-again" title="{escape(actor.name)} ({actor.type})">{escape(text)}</span>')
        elif actor is not None and actor.id not in paged:
            parts.append(f'<span class="m type-{actor.type}" title="{actor.type}">{escape(text)}</span>')
        elif actor is not None:
            parts.append(f'<a class="m type-{actor.type}" href="{escape(link(actor.id))}">{escape(text)}</a>')
        elif highlight:
            parts.append(f"<mark>{escape(text)}</mark>")
        else:
            parts.append(escape(text))
    return "".join(parts)


def paragraph_html(views: list[SentenceView], paged: Container[str], link: Callable[[str], str]) -> Markup:
    """An article's paragraph: each sentence in its anchor (`#s<index>`), a quote's speaker tag before
    it, joined to the next sentence as written. The tag is held to the quote by a no-break space, so it
    never ends a line above the sentence it names."""
    parts = []
    for view in views:
        speaker = view.speaker
        if speaker is None:
            parts.append(f'<span class="s" id="s{view.index}">')
        elif speaker.id in paged:
            parts.append(f'<span class="s quote" id="s{view.index}"><a class="speaker" href="{escape(link(speaker.id))}" '
                         f'title="Quote attributed to {escape(speaker.name)}">{escape(speaker.name)}</a>&#160;')
        else:
            parts.append(f'<span class="s quote" id="s{view.index}"><span class="speaker" title="Quote attributed to '
                         f'{escape(speaker.name)} ({speaker.type})">{escape(speaker.name)}</span>&#160;')
        parts.append(sentence_html(view, paged, link))
        parts.append(f"</span>{escape(view.after)}")
    return Markup("".join(parts))


def backlinks_html(items: list, href_of: Callable[[int], str], source: str, paged: Container[str],
                   link: Callable[[str], str]) -> Markup:
    """The <li> items of a list of an article's sentences (an actor's mentions, its quotes, sentences
    two actors share), each linked to its place in the article (`href_of(index)`) and followed by
    `source` (its outlet and date, shown in print). An item is a SentenceView, or a (SentenceView, cue)
    pair for a quote, its cue ("said") before it."""
    parts = []
    for item in items:
        view, cue = item if isinstance(item, tuple) else (item, None)
        parts.append("<li>" if cue is None else f'<li><span class="cue">{escape(cue)}:</span> ')
        parts.append(f'<a href="{escape(href_of(view.index))}">{sentence_html(view, paged, link)}</a>{source}</li>')
    return Markup("".join(parts))
