"""The plain data the stages pass on (see docs/architecture.md, "Data the stages pass on")."""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from dossier.clean import Paragraph, Removal


@dataclass(frozen=True)
class Evidence:
    """Where a metadata value came from: `front matter`, `url`, `text`, `folder default`, `inferred` (a weak
    self-reference, shown as such) or `default`."""

    source: str
    detail: str = ""


@dataclass
class Article:
    id: str
    path: str  # the input file, relative to the project, for messages
    title: str
    paragraphs: list[Paragraph]
    outlet: str | None = None  # outlet name; its id is the slug
    date: str | None = None  # YYYY-MM-DD publication date
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    url: str | None = None  # the original article on the web (http/https only)
    dateline: str | None = None
    removed: list[Removal] = field(default_factory=list)
    evidence: dict[str, Evidence] = field(default_factory=dict)
    notes_html: str = ""  # the analyst's notes from content/, rendered Markdown
    source_ids: list[str] = field(default_factory=list)  # content files that added to it
    cites: list[str] = field(default_factory=list)  # outlets the article cites as sources ("told Reuters")

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)

    @property
    def words(self) -> int:
        return sum(len(p.text.split()) for p in self.paragraphs)


class Sentence(NamedTuple):  # named tuples, not frozen dataclasses: a large dossier keeps and compares 160k of them
    index: int
    paragraph: int
    start: int  # character offsets in Article.text
    end: int


class Entity(NamedTuple):
    label: str
    start: int
    end: int
    text: str


@dataclass
class Annotation:
    """What the language model found in one article's text."""

    sentences: list[Sentence]
    entities: list[Entity]  # named entities, dates included (DATE, TIME)

    @cached_property
    def starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def sentence_at(self, offset: int) -> int:
        """Index of the sentence a character offset falls in (the one before it, between sentences)."""
        return max(0, bisect.bisect_right(self.starts, offset) - 1)


class Mention(NamedTuple):
    actor: str  # actor id
    article: str
    surface: str
    label: str  # spaCy label
    sentence: int
    start: int
    end: int


@dataclass
class Actor:
    id: str
    name: str
    type: str  # person | organization | place | group
    aliases: list[str] = field(default_factory=list)
    description: str = ""
    links: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    type_votes: dict[str, int] = field(default_factory=dict)
    curated: bool = False

    @property
    def articles(self) -> list[str]:
        return sorted({m.article for m in self.mentions})

    @property
    def contested(self) -> bool:
        votes = sorted(self.type_votes.values(), reverse=True)
        return len(votes) > 1 and votes[1] * 3 >= votes[0]


@dataclass(frozen=True)
class Source:
    article: str
    sentence: int
    text: str
    expression: str
    resolution: str
    start: int = 0  # the expression's place in `text`, highlighted where the sentence is shown
    end: int = 0


@dataclass
class Event:
    """One dated entry of the timeline. `kind` says what it is: an event (it happened), background
    (since, until, for years; a decade, a century, a range) or forecast (a plan, a prediction)."""

    # ISO prefix of the start: YYYY-MM-DD, YYYY-MM or YYYY (a week is its Monday, a quarter, half
    # or season its first month, a decade or century its first year)
    date: str
    precision: str  # day | week | month | quarter | half | season | year | decade | century
    label: str  # how the date reads ("Sat 5 Mar 2022", "late 1990s", "Q3 2004", "2003 – 2004")
    qualifier: str  # early | mid | late | ""
    sources: list[Source] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    disputed: list[str] = field(default_factory=list)  # labels of other dates sources give for the same happening
    end: str = ""  # ISO prefix of the last period of a range, of the same precision; "" for one period
    kind: str = "event"  # event | background | forecast

    @property
    def id(self) -> str:
        """Stable anchor: the date, the kind when it is not an event (a sentence can give one date
        as an event and as background), and the first source sentence."""
        first = self.sources[0]
        kind = "" if self.kind == "event" else f"-{self.kind}"
        return f"e{self.date}{kind}-{first.article}-{first.sentence}".replace("/", "-")

    @property
    def text(self) -> str:
        return self.sources[0].text


@dataclass(frozen=True)
class Quote:
    """A sentence in which an actor speaks: quoted, paraphrased ("said"), or cited ("according to")."""

    article: str
    sentence: int
    speaker: str  # actor id
    cue: str  # the words that mark it ("said", "according to", "he said", "interview label")


@dataclass
class ActorDoubts:
    """What the curation queue shows of the actor resolution: where it needs a human."""

    ambiguous: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (article, short form, full names)
    ignored: Counter = field(default_factory=Counter)  # ignored name -> mentions dropped
    slow_splits: list[tuple[str, int | None]] = field(default_factory=list)  # (name, actors.yml line) of split rules that ran out of time


@dataclass
class Dossier:
    """Everything the site is made of."""

    title: str
    intro_html: str
    articles: list[Article]
    annotations: dict[str, Annotation]
    actors: list[Actor]
    events: list[Event]
    quotes: list[Quote] = field(default_factory=list)
    unresolved_dates: list[tuple[str, str]] = field(default_factory=list)
    curation: ActorDoubts = field(default_factory=lambda: ActorDoubts())
    problems: list = field(default_factory=list)  # the input problems of this build
    duplicates: list[tuple[str, str, int]] = field(default_factory=list)  # actor ids whose names nearly match, and the score
    headlines: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)  # article id -> (start, end, actor id) in its title


@dataclass
class Outlet:
    """An outlet as the site lists it: the articles it published, newest first."""

    id: str
    name: str
    url: str | None
    articles: list[Article] = field(default_factory=list)
