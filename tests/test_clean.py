"""Boilerplate removal: every rule in dossier/data/boilerplate.yml, what it keeps, and the real seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.clean import Finding, clean

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
BEFORE = "Maduro released two Americans who had been detained."
AFTER = "The trip signals a shift in U.S. policy toward Venezuela."


def doc(*lines: str) -> str:
    """Lines joined as a file: line N of the file is the N-th argument."""
    return "\n".join(lines)


def kept(result) -> list[tuple[int, str]]:
    return [(p.line, p.text) for p in result.paragraphs]


def removed(result) -> list[tuple[int, str, str]]:
    return [(r.line, r.text, r.reason) for r in result.removed]


# -- whole-line rules ------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "reason"), [
    ("Advertisement", "advertisement marker"),
    ("ADVERTISEMENT", "advertisement marker"),
    ("Story continues below advertisement", "advertisement marker"),
    ("Skip Advertisement", "advertisement marker"),
    ("Ad Feedback", "advertisement marker"),
    ("Oops!", "widget error message"),
    ("Something went wrong.", "widget error message"),
    ("Please try again later.", "widget error message"),
    ("Leer en español", "link to a translation"),
    ("Lire en français", "link to a translation"),
    ("Read in English", "link to a translation"),
    ("Share this", "sharing and subscription widget"),
    ("Subscribe now", "sharing and subscription widget"),
    ("Comments (12)", "sharing and subscription widget"),
    ("Protesters gather outside the National Assembly in Caracas. (Adriana Loureiro Fernandez/The New York Times)",
     "photo caption with credit"),
    ("(Photo: Ariana Cubillos/AP)", "photo caption with credit"),
    ("Photograph: Ariana Cubillos/AP", "photo credit"),
    ("Illustration credit: Jane Doe for the Guardian", "photo credit"),
    ("Supporters of the government march in Caracas/Getty Images", "photo credit"),
    ("Article image", "image placeholder"),
    ("Video", "image placeholder"),
])
def test_boilerplate_line_is_removed_with_its_reason_and_line(line, reason):
    result = clean(doc(BEFORE, "", line, "", AFTER))
    assert kept(result) == [(1, BEFORE), (5, AFTER)]
    assert removed(result) == [(3, line, reason)]
    assert result.findings == []


def test_advertisement_markers_in_the_seed_layout():
    result = clean(doc(BEFORE, "", "Advertisement", "", "Story continues below advertisement", "", AFTER))
    assert kept(result) == [(1, BEFORE), (7, AFTER)]
    assert removed(result) == [(3, "Advertisement", "advertisement marker"),
                               (5, "Story continues below advertisement", "advertisement marker")]


def test_oops_widget_with_bullet_and_indentation():
    text = doc("Russia crisis sends U.S. officials to Venezuela to meet with Maduro",
               "",
               "  • Oops!",
               "    Something went wrong.",
               "    Please try again later.",
               "",
               "Top U.S. officials traveled to Caracas over the weekend.")
    result = clean(text)
    assert kept(result) == [(1, "Russia crisis sends U.S. officials to Venezuela to meet with Maduro"),
                            (7, "Top U.S. officials traveled to Caracas over the weekend.")]
    assert removed(result) == [(3, "• Oops!", "widget error message"),
                               (4, "Something went wrong.", "widget error message"),
                               (5, "Please try again later.", "widget error message")]


def test_leer_en_espanol_before_a_question():
    result = clean(doc("USIP’s Ana Caridad and Keith Mines look at the trip.", "", "Leer en español", "",
                       "What do we know about the meetings?"))
    assert kept(result) == [(1, "USIP’s Ana Caridad and Keith Mines look at the trip."), (5, "What do we know about the meetings?")]
    assert removed(result) == [(3, "Leer en español", "link to a translation")]


# -- blocks to the end -------------------------------------------------------------------------------

@pytest.mark.parametrize("heading", ["Related Content", "Related Publications", "Related Articles", "Most read",
                                     "View All Publications", "You might also like"])
def test_related_block_is_removed_to_the_end(heading):
    text = doc("Venezuela has the world’s largest oil reserves.",
               "",
               heading,
               "",
               "Article image",
               "Venezuela: Russia urges US to abandon ‘irresponsible’ plan to topple Maduro",
               "Tom Phillips in Caracas",
               "",
               "Infant mortality in Venezuela has soared during crisis, UN says.")
    result = clean(text)
    assert kept(result) == [(1, "Venezuela has the world’s largest oil reserves.")]
    tail = "link list or teaser block at the end"
    assert removed(result) == [(3, heading, "list of related articles"),
                               (5, "Article image", tail),
                               (6, "Venezuela: Russia urges US to abandon ‘irresponsible’ plan to topple Maduro", tail),
                               (7, "Tom Phillips in Caracas", tail),
                               (9, "Infant mortality in Venezuela has soared during crisis, UN says.", tail)]


def test_related_words_inside_a_sentence_do_not_cut_the_article():
    text = doc("Officials shared related content with reporters.", "", "More on this story later, he said.", "", AFTER)
    result = clean(text)
    assert kept(result) == [(1, "Officials shared related content with reporters."), (3, "More on this story later, he said."), (5, AFTER)]
    assert result.removed == []


# -- date header -------------------------------------------------------------------------------------

def test_date_prefix_becomes_a_date_finding():
    result = clean(doc(" date 2022-03-11 The rare U.S. visit Saturday with Maduro was a stunning shift.", "", AFTER))
    assert kept(result) == [(1, "The rare U.S. visit Saturday with Maduro was a stunning shift."), (3, AFTER)]
    assert removed(result) == [(1, "date 2022-03-11", "date header")]
    assert result.findings == [Finding("date", "2022-03-11", "date 2022-03-11", 1)]


def test_date_prefix_after_leading_blank_lines_keeps_the_file_line():
    result = clean(doc("", "", "date 2021-12-24 Text of the article.", "", AFTER))
    assert kept(result) == [(3, "Text of the article."), (5, AFTER)]
    assert [(f.field, f.value, f.line) for f in result.findings] == [("date", "2021-12-24", 3)]


def test_date_words_later_in_the_article_are_not_a_header():
    later = "date 2022-03-11 was written on the memo."
    result = clean(doc(BEFORE, "", later))
    assert kept(result) == [(1, BEFORE), (3, later)]
    assert result.findings == []
    assert result.removed == []


# -- bylines and sign-offs -----------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "author"), [
    ("Tom Phillips Latin America correspondent", "Tom Phillips"),
    ("Andrew Roth Moscow correspondent", "Andrew Roth"),
    ("Julie Turkewitz Andes bureau chief", "Julie Turkewitz"),
    ("By Anthony Faiola", "Anthony Faiola"),
    ("By Anthony Faiola.", "Anthony Faiola"),
    ("By: Angela Stent", "Angela Stent"),
    ("By Mary Glantz, Ph.D.", "Mary Glantz"),
    ("By Jim Wyss, Bloomberg News", "Jim Wyss"),
])
def test_byline_gives_the_author(line, author):
    result = clean(doc(BEFORE, "", line, "", AFTER))
    assert kept(result) == [(1, BEFORE), (5, AFTER)]
    assert removed(result) == [(3, line, "byline")]
    assert result.findings == [Finding("author", author, line, 3)]


@pytest.mark.parametrize(("line", "editor"), [
    ("Edited by Ricardo Vaz in Caracas.", "Ricardo Vaz"),
    ("Edited by Ricardo Vaz.", "Ricardo Vaz"),
    ("Edited by Lucas Koerner", "Lucas Koerner"),
])
def test_editor_sign_off(line, editor):
    result = clean(doc(BEFORE, "", line))
    assert kept(result) == [(1, BEFORE)]
    assert removed(result) == [(3, line, "editor's sign-off")]
    assert result.findings == [Finding("editor", editor, line, 3)]


def test_guardian_tramp_gives_the_outlet():
    text = doc(BEFORE, "", "", "Tom Phillips Latin America correspondent", "", "The GuardianTramp", "", "Related Content", "", "Article image")
    result = clean(text)
    assert kept(result) == [(1, BEFORE)]
    assert removed(result) == [(4, "Tom Phillips Latin America correspondent", "byline"),
                               (6, "The GuardianTramp", "outlet's sign-off"),
                               (8, "Related Content", "list of related articles"),
                               (10, "Article image", "link list or teaser block at the end")]
    assert result.findings == [Finding("author", "Tom Phillips", "Tom Phillips Latin America correspondent", 4),
                               Finding("outlet", "The Guardian", "The GuardianTramp", 6)]


# -- photos --------------------------------------------------------------------------------------------

def test_photo_alt_text_and_caption_pair_is_removed():
    alt = "Nicolás Maduro gestures while seated next to Vladimir Putin"
    caption = "Venezuelan President Nicolás Maduro speaks with his Russian counterpart during an official visit to Moscow in 2018."
    text = doc("US Officials Meet Maduro", "", "Washington is seeking to isolate Moscow.", "", alt, caption, "",
               "A delegation visited Venezuela on Saturday.")
    result = clean(text)
    assert kept(result) == [(1, "US Officials Meet Maduro"), (3, "Washington is seeking to isolate Moscow."),
                            (8, "A delegation visited Venezuela on Saturday.")]
    assert removed(result) == [(5, alt, "photo alt text"), (6, caption, "photo caption")]


def test_duplicated_credit_caption_is_removed_both_times():
    caption = "An overview of Caracas, Venezuela. December 20, 2019. (Adriana Loureiro Fernandez/The New York Times)"
    result = clean(doc("Leer en español", "", caption, caption, "", "What do we know about the meetings?"))
    assert kept(result) == [(6, "What do we know about the meetings?")]
    assert [r.line for r in result.removed] == [1, 3, 4]
    assert all(r.text == caption for r in result.removed[1:])


def test_two_sentence_lines_are_not_a_photo():
    result = clean(doc(BEFORE, "", "The talks lasted hours.", "No agreement was reached.", "", AFTER))
    assert kept(result) == [(1, BEFORE), (3, "The talks lasted hours."), (4, "No agreement was reached."), (6, AFTER)]
    assert result.removed == []


def test_short_line_opening_a_longer_block_is_not_alt_text():
    result = clean(doc(BEFORE, "", "Key points", "Oil was discussed.", "Prisoners were released.", "", AFTER))
    assert [line for line, _ in kept(result)] == [1, 3, 4, 5, 7]
    assert result.removed == []


# -- repeated lines and inline artifacts --------------------------------------------------------------

def test_repeated_identical_line_is_removed():
    result = clean(doc("Maduro met the delegation.", "", "Maduro met the delegation.", "", AFTER))
    assert kept(result) == [(1, "Maduro met the delegation."), (5, AFTER)]
    assert removed(result) == [(3, "Maduro met the delegation.", "repeated line")]


def test_repeated_adjacent_lines_are_removed():
    result = clean(doc("Moscow Concert Hall Attack Will Have Far-Reaching Impact.", "Moscow Concert Hall Attack Will Have Far-Reaching Impact.",
                       "", AFTER))
    assert kept(result) == [(1, "Moscow Concert Hall Attack Will Have Far-Reaching Impact."), (4, AFTER)]
    assert removed(result) == [(2, "Moscow Concert Hall Attack Will Have Far-Reaching Impact.", "repeated line")]


def test_empty_link_artifact_is_removed_inline():
    line = "Mexico City, Mexico, March 7, 2022 ( – A high-level delegation visited Venezuela."
    result = clean(doc(line, "", AFTER))
    assert kept(result) == [(1, "Mexico City, Mexico, March 7, 2022 – A high-level delegation visited Venezuela."), (3, AFTER)]
    assert removed(result) == [(1, "(", "empty link left by the scraper")]


@pytest.mark.parametrize("line", [
    "The vote (– a formality –) passed.",
    "Prices (in dollars) – not bolivars – rose.",
    "Opposition parties (MUD) - a coalition - boycotted the vote.",
])
def test_real_parentheses_are_not_an_artifact(line):
    result = clean(doc(line))
    assert kept(result) == [(1, line)]
    assert result.removed == []


# -- what must be kept ------------------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "The advertisement ran in newspapers across Venezuela for weeks.",
    "State television carried no advertisement for the talks.",
    "Officials said something went wrong during the talks.",
    "Try again, the minister told the opposition.",
    "A photo of the meeting was released by the presidential palace.",
    "Video footage showed the plane landing in Caracas.",
    "The image of Maduro shaking hands with U.S. officials angered the opposition.",
    "Share prices in Caracas rose after the visit.",
    "Venezuelan President Nicolás Maduro speaks with his Russian counterpart.",
    "Keith Mines: From all indications, the trip was part of a global diplomatic push.",
    "Tom Phillips reported from Caracas for the Guardian.",
    "The editor of El Nacional was arrested.",
    "By the end of the day, no agreement had been reached.",
    "By Saturday, Maduro had freed two Americans.",
    "Delcy Rodríguez",
    "Asfandyar Mir",
    "Related talks are planned for April.",
])
def test_ordinary_text_is_kept(line):
    result = clean(doc(BEFORE, "", line, "", AFTER))
    assert kept(result) == [(1, BEFORE), (3, line), (5, AFTER)]
    assert result.removed == []
    assert result.findings == []


def test_bullets_are_dropped_from_kept_lines():
    result = clean(doc("• Venezuela has the largest oil reserves.", "", "- Russia is its ally."))
    assert kept(result) == [(1, "Venezuela has the largest oil reserves."), (3, "Russia is its ally.")]


# -- the real seeds -------------------------------------------------------------------------------------

BOILERPLATE = ["Advertisement", "Oops", "Related Content", "Related Publications", "Leer en español", "GuardianTramp"]


def test_the_seeds_are_present():
    assert len(SEEDS) >= 5


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_no_boilerplate_left_in_real_seed(seed):
    result = clean(seed.read_text(encoding="utf-8"))
    assert result.paragraphs
    for paragraph in result.paragraphs:
        for word in BOILERPLATE:
            assert word not in paragraph.text, f"line {paragraph.line}: {paragraph.text[:80]}"


def test_real_seed_metadata_findings():
    by_name = {p.name[:3]: clean(p.read_text(encoding="utf-8")) for p in SEEDS}
    assert ("date", "2022-03-11") in {(f.field, f.value) for f in by_name["000"].findings}
    assert ("editor", "Ricardo Vaz") in {(f.field, f.value) for f in by_name["001"].findings}
    guardian = {(f.field, f.value) for f in by_name["002"].findings}
    assert {("author", "Tom Phillips"), ("outlet", "The Guardian")} <= guardian
    # The Guardian seed's teaser list starts at "Related Content" (line 44): nothing after it is kept.
    assert max(p.line for p in by_name["002"].paragraphs) < 44
    assert any(r.line == 44 and r.reason == "list of related articles" for r in by_name["002"].removed)


def test_character_references_a_scraper_left_are_read_as_their_characters():
    paragraphs = [p.text for p in clean("Tottenham bid &#163;8m for Pap&#233;\n\nAT&T says &lt;b&gt; and &notable, &#10;\n").paragraphs]
    assert paragraphs == ["Tottenham bid £8m for Papé", "AT&T says <b> and &notable, &#10;"]
