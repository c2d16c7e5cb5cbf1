"""The words a text writes (dossier/names.py); name keys are tested in test_actors.py."""

from __future__ import annotations

import re

from dossier.names import written_words


def test_written_words_hold_exactly_what_a_word_search_finds():
    text = "A well-known plan for x-ray machines, O'Neill's rock'n'roll band; Xsmith and 3rd-party plans."
    written = written_words(text)
    for word in ("plan", "well", "known", "well-known", "x-ray", "rock'n'roll", "roll", "party", "smith", "plans", "neill"):
        assert (word in written) == bool(re.search(rf"\b{re.escape(word)}\b", text)), word
    assert "smith" not in written  # only inside "Xsmith"
    assert "plan" in written and "well-known" in written
