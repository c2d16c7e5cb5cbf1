"""Name keys: how two ways of writing one name compare equal."""

from __future__ import annotations

import re
from functools import lru_cache

from slugify import slugify

LEADING_ARTICLE = re.compile(r"^(?:the|The|THE)\s+")
POSSESSIVE = re.compile(r"['’]s?$")
# A personal title before a name ("Mr Blair", "President Biden"), not a word of an organisation's name.
HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame|Lord|Lady|Prof|Professor|President|Senator|Sen|Rep|Gov|Governor|"
                       r"Chancellor|Pope|Vice President|Prime Minister|Secretary of State)\.?\s+(?=[A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+){0,2}$)")

@lru_cache(maxsize=1 << 17)  # the same names recur in article after article (and build after build in watch mode)
def name_key(name: str) -> str:
    """Comparison key: case, accents, abbreviation dots, a leading 'the', a title and possessives folded.

    `Nicolás Maduro’s` -> `nicolas maduro`; `the U.S.` -> `us`; `Mr Blair` -> `blair`.
    """
    name = LEADING_ARTICLE.sub("", name.strip())
    name = HONORIFIC.sub("", name)
    name = POSSESSIVE.sub("", name)
    name = re.sub(r"(?<=\w)\.(?=\w|$)|(?<=\b\w)\.", "", name)
    if PLAIN_NAME.fullmatch(name):
        return name.lower()  # what slugify makes of it, without its 20 µs (12.7k actors a build)
    return slugify(name, separator=" ", lowercase=True)


PLAIN_NAME = re.compile(r"[A-Za-z0-9]+(?: [A-Za-z0-9]+)*")  # ASCII words, one space apart
LOWERCASE_RUN = re.compile(r"(?<!\w)[a-z]+(?:[-'’][a-z]+)*(?!\w)")
JOINER = re.compile(r"([-'’])")


def lowercase_words(text: str) -> set[str]:
    """Every lowercase word, or run of them joined by hyphens or apostrophes ("plan", "well-known"),
    that `\\b<word>\\b` finds in `text`, collected in one pass: a search of the whole text per word made
    a long report's actors quadratic. A run's regex match is greedy, so it holds every shorter run
    the text writes there."""
    found = set()
    for run in LOWERCASE_RUN.findall(text):
        if not JOINER.search(run):
            found.add(run)
            continue
        parts = JOINER.split(run)  # words, with the joiners between them
        for first in range(0, len(parts), 2):
            for last in range(first, len(parts), 2):
                found.add("".join(parts[first:last + 1]))
    return found


# Last words that make a name an organisation's ("Manchester United", "Yukos Ltd", "Arsenal FC",
# "Miami Herald"); not "City" (Mexico City) nor "Union" (the Soviet Union).
ORG_MARKERS = re.compile(r"\b(?:FC|AFC|United|Rovers|Athletic|Wanderers|Inc|Ltd|Corp|Corporation|plc|PLC|LLC|Group|"
                         r"Holdings|Bank|Airways|Airlines|Motors|Industries|Party|Council|Committee|Commission|"
                         r"Association|Federation|Agency|Ministry|Department|University|College|School|Institute|"
                         r"Foundation|Club|Times|Post|News|Herald|Journal|Gazette|Tribune|Telegraph|Assembly|Parliament|"
                         r"Congress|Senate|Court|Forum|Alliance|Organisation|Organization|Authority|Studios|Records|Labs|"
                         r"Systems|Brothers|Bros)\.?$|"
                         r"^(?:Bank|Ministry|Department|University) of\b")


# Awards, prizes and competitions are events, not actors ("Golden Globe Awards", "Davis Cup", the
# "Oscars"); a league or a festival may be a body, so they stay.
EVENT_NAME = re.compile(r"\b(?:Awards?|Prize|Trophy|Cup|Championships?|Olympics|Olympic Games|Grand Prix|Golden Globes?|"
                        r"Open|Grand Slam)$|"
                        r"^(?:Oscars?|Grammys?|Grammy|Baftas?|Emmys?|Golden Globes?|Brit Awards|Olympics?)$")


# Words the first-name table lists that open the names of bodies and titles more often than a
# person's ("General Assembly", "Royal Mail", "King Edward").
NOT_FIRST_NAMES = {"General", "Royal", "Major", "King", "Queen", "Prince", "Princess", "Duke", "Earl", "Baron", "Price",
                   "Chase", "Hope", "Liberty", "Santa", "One", "Five", "Said", "May", "April", "June", "August"}


# Lowercase words inside a person's name: "Theo van Gogh", "Osama bin Laden".
NAME_PARTICLES = {"de", "da", "del", "dos", "du", "van", "von", "der", "den", "bin", "al", "la", "le"}
# Last words of the names of places: venues, sites and features ("Stradey Park", "Embassy Hotel").
PLACE_MARKERS = re.compile(r" (?:Park|Stadium|Hotel|Airport|(?:Nature|Game|Wildlife) Reserve|Square|Arena|Bridge|Cathedral|Castle|Abbey|Islands?|"
                           r"Valley|River|Lake|Bay|Beach|Mountains?|Street|Road|Avenue|Green)$")
# No person's name has a digit or an ampersand: "G8", "U2", "ITV1", "Tate & Lyle", "AT&T".
COMPANY_SHAPE = re.compile(r"&|\b[A-Za-z]+\d|\b\d+[A-Za-z]")


@lru_cache(maxsize=1 << 16)  # the same names are typed in article after article
def type_evidence(name: str, is_outlet: bool) -> tuple[str, bool] | None:
    """The type a name itself tells, and whether that is strong enough to outweigh the model's votes:
    a known outlet, an organisation's marker word or shape, a place's marker word (strong), a
    person's common first name before a surname (a tie-breaker: "Miguel Díaz-Canel", but also "Morgan Stanley")."""
    if is_outlet or ORG_MARKERS.search(name) or COMPANY_SHAPE.search(name):
        return "organization", True
    words = name.split()
    first = words[0].split("-")[0] if words else ""
    if len(words) >= 2 and first not in NOT_FIRST_NAMES and given_name(first) and words[-1][:1].isupper() \
            and all(w[:1].isupper() or w in NAME_PARTICLES for w in words[1:]):  # "Theo van Gogh"
        return "person", False
    if PLACE_MARKERS.search(name):  # after the first name: "Nick Park" is a person
        return "place", True
    return None


FIRST_NAMES_SOURCE = "gender-guesser"  # the package whose table of first names this reads


def first_names_table() -> dict[str, str]:
    """Every first name of gender-guesser's table (lower-cased) that it calls "male" or "female";
    the names it calls mostly one gender, unisex or unknown are left out. Reading its table takes
    about half a second, so a build keeps this in its cache (cache.first_names) and sets it here."""
    import gender_guesser.detector

    detector = gender_guesser.detector.Detector(case_sensitive=False)
    return {name: gender for name in detector.names if (gender := detector.get_gender(name)) in ("male", "female")}


_first_names: dict[str, str] | None = None


def use_first_names(table: dict[str, str]) -> None:
    """The table first_name_gender answers from (first_names_table(), as the build keeps it)."""
    global _first_names
    _first_names = table
    first_name_gender.cache_clear()


@lru_cache(maxsize=1 << 14)
def first_name_gender(word: str) -> str:
    """"male" or "female" for a common first name in some country ("Miguel", "Sergey", "Tony"), by
    gender-guesser's table; "" for any other word (mostly-male and unisex names included)."""
    if not (word[:1].isupper() and word.isalpha()):
        return ""
    if _first_names is None:
        use_first_names(first_names_table())
    return _first_names.get(word.lower(), "")


def given_name(word: str) -> bool:
    return bool(first_name_gender(word))
