"""The model wrapper, with a blank pipeline saved to disk (fast): what the build relies on around spaCy."""

from __future__ import annotations

import pytest
import spacy

from dossier import nlp
from dossier.problems import ConfigError


@pytest.fixture()
def blank_model(tmp_path) -> nlp.Model:
    pipeline = spacy.blank("en")
    pipeline.add_pipe("sentencizer")
    pipeline.to_disk(tmp_path / "blank")
    return nlp.Model(str(tmp_path / "blank"))


def test_annotating_in_worker_processes_gives_what_one_process_gives(blank_model):
    text = "\n\n".join(["Some words here. And more.", "And a second paragraph."] * 100)  # few long texts: what workers take on
    texts = [text] * (2 * nlp.MIN_CHARACTERS_PER_PROCESS // len(text) + 1)
    assert list(blank_model.annotate(texts, processes=2)) == list(blank_model.annotate(texts, processes=1))


def test_the_sentence_recognizer_replaces_the_parser_when_it_is_excluded():
    meta = {"pipeline": ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"],
            "components": ["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer", "ner"]}
    assert nlp.pipes_to_run(meta, ("tagger", "parser", "attribute_ruler", "lemmatizer")) == ["tok2vec", "senter", "ner"]
    assert nlp.pipes_to_run(meta, ("lemmatizer",)) == ["tok2vec", "tagger", "parser", "attribute_ruler", "ner"]


def test_a_model_that_cannot_load_is_a_configuration_error(tmp_path):
    broken = tmp_path / "broken"
    spacy.blank("en").to_disk(broken)
    (broken / "config.cfg").write_text("[nlp]\nlang = \"xx-not-a-language\"\n")
    with pytest.raises(ConfigError, match="cannot load the spaCy model"):
        list(nlp.Model(str(broken)).annotate(["Some text."], processes=1))


def test_a_long_text_annotated_in_pieces_gets_what_one_piece_gives(monkeypatch):
    """The real model on real articles: a long report goes through the model in paragraph-aligned
    pieces, and its sentences and entities are those of one pass over the whole text."""
    from dossier.config import Config
    from tests.fixtures.hostile import BBC

    corpus = BBC / "politics"
    if not corpus.is_dir():
        pytest.skip(f"{corpus} is not there")
    report = "\n\n".join(p.read_text(encoding="utf-8", errors="replace").strip() for p in sorted(corpus.glob("*.txt"))[:6])
    model = nlp.Model("", Config().exclude)
    (whole,) = model.annotate([report], processes=1)
    monkeypatch.setattr(nlp, "CHUNK", 2_000)
    assert len(nlp.chunks_of(report)) > 5
    (pieces,) = model.annotate([report], processes=1)
    assert pieces.sentences == whole.sentences
    assert pieces.entities == whole.entities


def test_the_build_drops_the_embedding_nothing_reads_and_annotates_the_same():
    """The real model on the seed articles: tok2vec feeds only the tagger and parser, which the
    build excludes, so it is not run, and every sentence and entity is what it gives with it."""
    from dossier.config import Config
    from tests.fixtures.hostile import REAL_SEEDS, ROOT

    texts = [(ROOT / "seeds" / name).read_text(encoding="utf-8") for name in REAL_SEEDS]
    lean = nlp.Model("", Config().exclude)
    with_embedding = nlp.Model("", Config().exclude, drop_unread=False)
    assert "tok2vec" not in lean.nlp.pipe_names and "tok2vec" in with_embedding.nlp.pipe_names
    assert list(lean.annotate(texts, processes=1)) == list(with_embedding.annotate(texts, processes=1))
    assert lean.identity == with_embedding.identity  # cached annotations stay valid


def test_an_embedding_a_component_enabled_at_load_listens_to_is_kept(tmp_path):
    """A model whose sentence recognizer (shipped disabled, enabled by the build) reads the shared
    tok2vec keeps it: dropping it would feed the recognizer zeros, and spaCy would not complain."""
    import spacy
    from spacy.training import Example

    pipeline = spacy.blank("en")
    pipeline.add_pipe("tok2vec")
    pipeline.add_pipe("senter", config={"model": {"@architectures": "spacy.Tagger.v2", "nO": None, "tok2vec": {
        "@architectures": "spacy.Tok2VecListener.v1", "width": 96, "upstream": "*"}}})
    doc = pipeline.make_doc("One sentence. Another one.")
    pipeline.initialize(lambda: [Example.from_dict(doc, {"sent_starts": [1, 0, 0, 1, 0, 0]})])
    pipeline.disable_pipe("senter")
    pipeline.to_disk(tmp_path / "listening")
    model = nlp.Model(str(tmp_path / "listening"), ("parser",))
    assert model.nlp.pipe_names == ["tok2vec", "senter"]
