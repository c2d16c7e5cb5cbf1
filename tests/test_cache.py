"""The on-disk annotation cache: what is kept, what is thrown away, what the key depends on."""

from __future__ import annotations

import json

import pytest

from dossier import cache
from dossier.cache import cache_key, entry_path, load, store
from dossier.model import Annotation, Entity, Sentence

TEXT = "Nicolás Maduro met U.S. officials in Caracas on Saturday.\n\nRussia said nothing."
MODEL = "en_core_web_sm-3.8.0/spacy-3.8.18/tok2vec,tagger,parser,ner"


def annotation() -> Annotation:
    return Annotation(
        [Sentence(0, 0, 0, 57), Sentence(1, 1, 59, 79)],
        [Entity("PERSON", 0, 14, "Nicolás Maduro"), Entity("GPE", 19, 23, "U.S."), Entity("GPE", 37, 44, "Caracas"),
         Entity("DATE", 48, 56, "Saturday"), Entity("GPE", 59, 65, "Russia")],
    )


def test_offsets_of_the_fixture_match_the_text():
    for e in annotation().entities:
        assert TEXT[e.start:e.end] == e.text
    assert TEXT[0:57].endswith("Saturday.")
    assert TEXT[59:79] == "Russia said nothing."


def test_store_and_load_roundtrip(tmp_path):
    key = cache_key(TEXT, MODEL)
    store(tmp_path, key, annotation())
    assert entry_path(tmp_path, key).is_file()
    assert load(tmp_path, key, TEXT) == annotation()
    assert [p.name for p in entry_path(tmp_path, key).parent.iterdir()] == [f"{key}.json"]


def test_missing_entry_is_none(tmp_path):
    assert load(tmp_path, cache_key(TEXT, MODEL), TEXT) is None


def test_truncated_entry_is_discarded(tmp_path):
    key = cache_key(TEXT, MODEL)
    store(tmp_path, key, annotation())
    path = entry_path(tmp_path, key)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert load(tmp_path, key, TEXT) is None
    assert not path.exists()


def test_empty_entry_is_discarded(tmp_path):
    key = cache_key(TEXT, MODEL)
    path = entry_path(tmp_path, key)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"")
    assert load(tmp_path, key, TEXT) is None
    assert not path.exists()


def test_entity_not_matching_the_text_is_discarded(tmp_path):
    key = cache_key(TEXT, MODEL)
    wrong = Annotation(annotation().sentences, [Entity("PERSON", 0, 14, "Vladimir Putin")])
    store(tmp_path, key, wrong)
    assert load(tmp_path, key, TEXT) is None
    assert not entry_path(tmp_path, key).exists()


def test_entity_outside_the_text_is_discarded(tmp_path):
    key = cache_key(TEXT, MODEL)
    store(tmp_path, key, Annotation(annotation().sentences, [Entity("GPE", 75, 95, "nothing.")]))
    assert load(tmp_path, key, TEXT) is None
    assert not entry_path(tmp_path, key).exists()


def test_sentence_outside_the_text_is_discarded(tmp_path):
    key = cache_key(TEXT, MODEL)
    store(tmp_path, key, Annotation([Sentence(0, 0, 0, 500)], []))
    assert load(tmp_path, key, TEXT) is None
    assert not entry_path(tmp_path, key).exists()


def test_entry_with_another_key_inside_is_discarded(tmp_path):
    key, other = cache_key(TEXT, MODEL), cache_key(TEXT, "other-model")
    store(tmp_path, other, annotation())
    entry_path(tmp_path, key).parent.mkdir(parents=True, exist_ok=True)
    entry_path(tmp_path, key).write_bytes(entry_path(tmp_path, other).read_bytes())
    assert load(tmp_path, key, TEXT) is None
    assert not entry_path(tmp_path, key).exists()
    assert load(tmp_path, other, TEXT) == annotation()


def test_entry_with_the_wrong_shape_is_discarded(tmp_path):
    key = cache_key(TEXT, MODEL)
    path = entry_path(tmp_path, key)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"key": key, "sentences": [[0, 0]], "entities": []}), encoding="utf-8")
    assert load(tmp_path, key, TEXT) is None
    assert not path.exists()


def test_key_depends_on_model_identity_and_text():
    key = cache_key(TEXT, MODEL)
    assert key == cache_key(TEXT, MODEL)
    assert key != cache_key(TEXT, MODEL.replace("3.8.0", "3.8.1"))
    assert key != cache_key(TEXT, MODEL.replace(",ner", ""))
    assert key != cache_key(TEXT + " ", MODEL)
    assert len({cache_key("ab", "c"), cache_key("a", "bc")}) == 2


def test_an_edited_text_misses_the_cache(tmp_path):
    store(tmp_path, cache_key(TEXT, MODEL), annotation())
    edited = TEXT.replace("Saturday", "Sunday")
    assert load(tmp_path, cache_key(edited, MODEL), edited) is None


def test_a_stand_in_cache_stands_in_for_itself(tmp_path):
    """Pagefind failing in a stand-in cache must not be retried in one more folder after another."""
    from dossier.cache import stand_in

    first = stand_in(str(tmp_path / "unwritable"))
    assert stand_in(str(tmp_path / "unwritable")) == first
    assert stand_in(str(first)) == first


def test_the_first_name_table_is_kept_and_answers_as_the_package_does(tmp_path, monkeypatch):
    from dossier import names

    made = cache.first_names(tmp_path)
    assert made["miguel"] == "male" and made["maria"] == "female" and "caracas" not in made
    assert (tmp_path / cache.FIRST_NAMES_FILE).is_file()
    monkeypatch.setattr(names, "first_names_table", lambda: pytest.fail("read again although kept"))
    assert cache.first_names(tmp_path) == made
    names.use_first_names(made)
    assert names.first_name_gender("Sergey") == "male" and names.first_name_gender("Venezuela") == ""
