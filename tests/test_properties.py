"""Property tests: output paths, page-relative links, the cleaner and the date resolver on generated input."""

from __future__ import annotations

import datetime as dt
import posixpath
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dossier import clean as clean_stage
from dossier.actors import Candidate, build_actors, name_key
from dossier.anchored import anchored
from dossier.dates import normalize
from dossier.site import actor_path, article_path, article_paths, relative_url
from dossier.timeline import Unresolved, resolve

# -- article paths and actor ids -------------------------------------------------------------------

# A path part as input_id() can produce one: a file or folder name (no "/", no NUL, not "." or empty).
PART = st.text(st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1, max_size=40).filter(
    lambda p: p != ".")
IDS = st.lists(PART, min_size=1, max_size=4).map("/".join)
SEGMENT = re.compile(r"[a-z0-9_][a-z0-9_-]*")


@given(IDS)
@example("..")
@example("../../etc/passwd")
@example("a/../../b")
@example("..\\..\\windows")
@example("Café Noticias/Día 1")
@example("<script>alert(1)</script>")
@example("שיחות-محادثات-🕊️")
@settings(deadline=None)
def test_article_path_is_a_relative_path_inside_articles(article_id):
    path = article_path(article_id)
    assert path.startswith("articles/") and path.endswith(".html")
    assert ".." not in path and not path.startswith("/") and "//" not in path
    parts = path.removesuffix(".html").split("/")
    assert all(SEGMENT.fullmatch(part) for part in parts[1:]), path


@given(st.lists(IDS, min_size=2, max_size=8, unique=True))
@example(["talks_2022", "talks-2022", "Talks 2022", "TALKS 2022", "talks 2022"])
@example(["a/b", "a b", "a-b", "A/B"])
@settings(deadline=None)
def test_distinct_article_ids_never_share_a_page(ids):
    assert len({article_path(i) for i in ids}) == len(ids)


def test_an_id_that_spells_another_ids_hashed_slug_gets_its_own_page():
    first = "Talks 2022"
    second = article_path(first).removeprefix("articles/").removesuffix(".html")  # talks-2022-xxxxxxxx, a legal file name
    pages = article_paths([first, second])  # the pages a build writes
    assert pages[first] != pages[second]


def test_a_legal_seed_file_name_gives_a_legal_page_file_name():
    name = "a" * 251  # seeds/aaa…a.txt is 255 bytes, the longest legal file name
    assert len(article_path(name).rsplit("/", 1)[1].encode()) <= 255


NAMES = st.text(min_size=1, max_size=60)


def actors_named(names: list[str]) -> dict[str, str]:
    """name key -> actor id, for one mention per distinct name key."""
    firsts: dict[str, str] = {}
    for name in names:
        if len(name_key(name)) >= 2:
            firsts.setdefault(name_key(name), name)
    candidates = [Candidate("a", name, "PERSON", key, 0, 0, len(name)) for key, name in firsts.items()]
    return {name_key(a.name): a.id for a in build_actors(candidates, {})}


@given(st.lists(NAMES, min_size=1, max_size=12))
@example(["A.B. Ruiz", "A B Ruiz", "a-b ruiz", "A. B. Ruiz"])
@example(["../../etc/passwd", "<script>alert(1)</script>", "محمد بن سلمان", "🕊️ Dove", "Actor"])
@settings(deadline=None)
def test_actor_ids_are_slugs_and_distinct(names):
    ids = actors_named(names)
    assert len(set(ids.values())) == len(ids)
    for actor_id in ids.values():
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", actor_id), actor_id
        assert ".." not in actor_path(actor_id) and not actor_path(actor_id).startswith("/")


@given(st.from_regex(r"[A-Z][a-z]{150,200} [A-Z][a-z]{150,200}", fullmatch=True))
@settings(deadline=None, max_examples=25)  # each name is 300+ characters: generating them is the cost
def test_actor_page_names_fit_in_a_file_name(name):
    (actor_id,) = actors_named([name]).values()
    assert len(actor_path(actor_id).rsplit("/", 1)[1].encode()) <= 255


@given(st.lists(NAMES, min_size=1, max_size=6), NAMES)
@example(["A.B. Ruiz"], "A B Ruiz")
@settings(deadline=None)
def test_an_actor_keeps_its_page_when_another_actor_appears(names, newcomer):
    before = actors_named(names)
    after = actors_named([*names, newcomer])
    assert {key: after[key] for key in before} == before


# -- page-relative links ---------------------------------------------------------------------------

NAME = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,6}", fullmatch=True)
FOLDERS = st.lists(NAME, max_size=4)
PAGES = st.tuples(FOLDERS, NAME).map(lambda fp: "/".join([*fp[0], fp[1] + ".html"]))
TARGETS = st.one_of(
    PAGES,
    st.tuples(PAGES, NAME).map(lambda pf: f"{pf[0]}#{pf[1]}"),
    FOLDERS.filter(bool).map(lambda f: "/".join(f) + "/"),
    NAME.map(lambda f: f"#{f}"),
)


@given(PAGES, TARGETS)
@example("index.html", "index.html")
@example("actors/index.html", "actors/index.html")
@example("articles/a.html", "#s3")
@example("a/b.html", "a/")
@example("a/b.html", "a")
@example("a/b/c/d.html", "e.html")
@example("timeline/index.html", "timeline/2022.html#y2022")
@settings(deadline=None)
def test_relative_url_leads_back_to_the_target(page, target):
    link = relative_url(page, target)
    assert not link.startswith("/") and "//" not in link and ":" not in link.split("/")[0]
    link_path, _, link_fragment = link.partition("#")
    target_path, _, target_fragment = target.partition("#")
    assert link_fragment == target_fragment
    landed = posixpath.normpath(posixpath.join(posixpath.dirname(page), link_path))
    assert landed == posixpath.normpath(target_path or page)


# -- the cleaner -----------------------------------------------------------------------------------

@given(st.text())
@example("\n" * 50)
@example("date 2022-03-05 ")
@example("Related Content")
@example("\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85")
@example("•\n-\n–\n*")
@settings(deadline=None)
def test_clean_never_raises(text):
    result = clean_stage.clean(text)
    for paragraph in result.paragraphs:
        assert paragraph.text.strip() and paragraph.line >= 1


@given(st.lists(st.text(max_size=80), max_size=30))
@settings(deadline=None)
def test_clean_never_raises_on_line_soup(lines):
    clean_stage.clean("\n".join(lines))


GIVEN = st.sampled_from(["Ana", "José", "María", "Jean-Luc", "Olaf", "Nicolás", "Zoë", "Ngozi", "Đặng", "Søren", "Ólafur",
                         "Kim", "Ana-María", "Photo", "Video", "Share", "Image", "Said", "By", "Date", "محمد", "יצחק"])
FAMILY = st.one_of(st.sampled_from(["Pérez", "O'Brien", "O’Brien", "de la Cruz", "Okonjo-Iweala", "bin Salman", "van der Berg",
                                    "Müller", "Nguyễn", "Smith Jr.", "Al-Sayed", "Reuters", "Getty", "Correspondent",
                                    "Advertisement", "הרצוג", "بن سلمان"]),
                   st.from_regex(r"[A-Z][a-z]{1,12}", fullmatch=True))
PEOPLE = st.tuples(GIVEN, FAMILY).map(" ".join)
BOILERPLATE = st.sampled_from([
    "Advertisement", "ADVERTISEMENT", "Story continues below advertisement", "Oops! Something went wrong.",
    "Please try again later.", "Leer en español", "Share this", "Subscribe now", "Comments (12)", "Article image",
    "Video", "Photograph: Ariana Cubillos/AP", "(Photo: Ariana Cubillos/AP)", "Sign up for our newsletter",
    "Supporters march in Caracas/Getty Images", "• Share on Twitter", "Ad Feedback",
])
TAIL = st.sampled_from(["", "Related Content\nMore from the region", "Most read\nA teaser line"])


def said(name: str) -> str:
    return f"{name} said the talks would continue."


def person_sentences(items: list) -> list[str]:
    return [said(item[0]) for item in items if isinstance(item, tuple)]


def as_lines(items: list) -> list[str]:
    return [said(item[0]) if isinstance(item, tuple) else item for item in items]


MIXED = st.lists(st.one_of(PEOPLE.map(lambda n: (n,)), BOILERPLATE), min_size=1, max_size=12)


@given(MIXED, TAIL)
@example([("Photo Smith",), "Advertisement", ("Video Reuters",)], "")
@example(["Advertisement", ("Ana Pérez",)], "Related Content\nMore from the region")
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_clean_keeps_every_sentence_naming_a_person(items, tail):
    """Paragraphs separated by blank lines, as scraped: only the boilerplate goes."""
    text = "\n\n".join([*as_lines(items), *([tail] if tail else [])])
    kept = {p.text for p in clean_stage.clean(text).paragraphs}
    missing = [s for s in person_sentences(items) if s not in kept]
    assert not missing, (missing, clean_stage.clean(text).removed)


@given(MIXED)
@example(["Advertisement", ("Ana Pérez",)])
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_clean_keeps_every_sentence_naming_a_person_when_lines_touch(items):
    """The same, one line after another without blank lines between."""
    text = "\n".join(as_lines(items)) + "\n"
    kept = {p.text for p in clean_stage.clean(text).paragraphs}
    missing = [s for s in person_sentences(items) if s not in kept]
    assert not missing, (missing, clean_stage.clean(text).removed)


# -- the date resolver -----------------------------------------------------------------------------

WORDS = ["on", "in", "the", "since", "early", "mid", "late", "end of", "start of", "last", "this", "next", "past",
         "ago", "days", "weeks", "months", "year", "years", "week", "month", "day", "a", "two", "several", "12", "0",
         "31", "32", "29", "1st", "2nd", "23rd", "march", "Feb.", "sept", "Sept.", "may", "December", "monday",
         "Sunday", "night", "morning", "today", "tonight", "yesterday", "tomorrow", "1990s", "1990's", "2022", "1800",
         "2099", "of", ",", "-", "/", ".", "2022-03-05", "summer", "last", "quarter", "third", "q3", "century", "19th",
         "to", "from", "between", "and", "1957-58", "fiscal", "nineteen", "ninety-six", "5.3.2022", "30/02/2022", "’s", "'"]
EXPRESSIONS = st.one_of(st.text(max_size=60), st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join))
SHAPES = {"day": r"\d{4}-\d{2}-\d{2}", "week": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}",
          "decade": r"\d{3}0", "quarter": r"\d{4}-(?:01|04|07|10)", "half": r"\d{4}-(?:01|07)", "season": r"\d{4}-(?:03|06|09|12)",
          "century": r"\d{2}00"}


def raises_unresolved(call) -> bool:
    try:
        call()
    except Unresolved:
        return True
    return False


def check_resolved(found) -> None:
    if found is None:
        return
    assert found.precision in SHAPES, found
    assert re.fullmatch(SHAPES[found.precision], found.date), found
    if found.precision in ("day", "week"):
        dt.date.fromisoformat(found.date)
    if found.precision == "month":
        assert 1 <= int(found.date[5:]) <= 12, found
    if found.end:  # a range ends after it starts, in the same shape
        assert re.fullmatch(SHAPES[found.precision], found.end) and found.end > found.date, found
    assert found.label  # renders


@given(EXPRESSIONS, st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)), st.booleans())
@example("yesterday", None, False)
@example("February 29", dt.date(2023, 3, 1), False)
@example("February 29", dt.date(2024, 3, 1), True)
@example("the 31st of February, 2022", dt.date(2022, 3, 1), False)
@example("late 1990's", None, False)
@example("next December", dt.date(2022, 12, 31), True)
@example("QUARTER", dt.date(2000, 1, 1), False)
@settings(deadline=None)
def test_resolve_raises_only_unresolved_and_returns_iso_prefixes(expression, published, future):
    try:
        found = resolve(expression, published, future)
    except Unresolved:  # relative with no publication date, or anchored ("the quarter") with no date before it
        assert published is None or raises_unresolved(lambda: anchored(normalize(expression), published, "", None))
        return
    check_resolved(found)


@given(st.sampled_from(["yesterday", "tomorrow", "last month", "next month", "next year", "two years ago", "last week",
                        "next March", "3 days ago", "last Monday"]),
       st.dates(), st.booleans())
@example("yesterday", dt.date(1, 1, 1), False)
@settings(deadline=None)
def test_resolve_handles_any_publication_date(expression, published, future):
    check_resolved(resolve(expression, published, future))
