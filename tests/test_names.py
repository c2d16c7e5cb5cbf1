"""The words a text writes (dossier/names.py); name keys are tested in test_actors.py."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from dossier.names import lowercase_words


def test_lowercase_words_hold_exactly_what_a_word_search_finds():
    text = "A well-known plan for x-ray machines, O'Neill's rock'n'roll band; Xsmith and 3rd-party plans."
    written = lowercase_words(text)
    for word in ("plan", "well", "known", "well-known", "x-ray", "rock'n'roll", "roll", "party", "smith", "plans", "neill"):
        assert (word in written) == bool(re.search(rf"\b{re.escape(word)}\b", text)), word
    assert "smith" not in written  # only inside "Xsmith"
    assert "plan" in written and "well-known" in written


@given(st.text(alphabet="ab-'’X3é .", max_size=24))
def test_lowercase_words_are_every_lowercase_run_a_word_search_finds(text):
    written = lowercase_words(text)
    runs = {text[i:j] for i in range(len(text)) for j in range(i + 1, len(text) + 1)
            if re.fullmatch(r"[a-z]+(?:[-'’][a-z]+)*", text[i:j])}
    assert {run for run in runs if re.search(rf"\b{re.escape(run)}\b", text)} == written
