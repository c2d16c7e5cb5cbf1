"""The recipe's own steps: what the build asks of the model."""

from __future__ import annotations

import spacy

from dossier import nlp, pipeline
from dossier.config import Config
from dossier.model import Article, Paragraph


class CountingModel(nlp.Model):
    """A blank pipeline that remembers the texts it was given."""

    def __init__(self, path: str):
        super().__init__(path)
        self.given: list[str] = []

    def annotate(self, texts, processes=0, progress=False):
        self.given += texts
        return super().annotate(texts, processes, progress)


def test_the_same_text_in_two_articles_is_annotated_once_and_both_get_it(tmp_path):
    blank = spacy.blank("en")
    blank.add_pipe("sentencizer")
    blank.to_disk(tmp_path / "blank")
    model = CountingModel(str(tmp_path / "blank"))
    text = "The wire story. It was saved twice."
    articles = [Article(name, f"seeds/{name}.txt", "Title", [Paragraph(text, 1)]) for name in ("a", "b")]
    articles.append(Article("c", "seeds/c.txt", "Title", [Paragraph("Another story.", 1)]))
    config = Config(cache=tmp_path / "cache", processes=1)
    found = pipeline.annotate(articles, config, model)
    assert sorted(model.given) == ["Another story.", text]
    assert found["a"] == found["b"] and len(found["a"].sentences) == 2
    assert pipeline.annotate(articles, config, model) == found and len(model.given) == 2  # then from the cache
