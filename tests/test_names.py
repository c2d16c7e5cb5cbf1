"""Name keys and the words a text writes (dossier/names.py)."""

from __future__ import annotations

import re

from dossier.names import name_key, written_words


def test_name_keys_fold_titles_accents_and_possessives():
    assert name_key("Nicolás Maduro’s") == "nicolas maduro"
    assert name_key("Mr Blair") == name_key("Blair")


def test_written_words_hold_exactly_what_a_word_search_finds():
    text = "A well-known plan for x-ray machines, O'Neill's rock'n'roll band; Xsmith and 3rd-party plans."
    for word in ("plan", "well", "known", "well-known", "x-ray", "rock'n'roll", "roll", "party", "smith", "plans", "neill"):
        assert (word in written_words(text)) == bool(re.search(rf"\b{re.escape(word)}\b", text)), word
    assert "smith" not in written_words(text)  # only inside "Xsmith"
    assert "plan" in written_words(text) and "well-known" in written_words(text)
