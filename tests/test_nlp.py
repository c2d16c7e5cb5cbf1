"""The model wrapper, with a blank pipeline saved to disk (fast): what the build relies on around spaCy."""

from __future__ import annotations

import gc

import pytest
import spacy

from dossier import nlp


@pytest.fixture()
def blank_model(tmp_path) -> nlp.Model:
    pipeline = spacy.blank("en")
    pipeline.add_pipe("sentencizer")
    pipeline.to_disk(tmp_path / "blank")
    return nlp.Model(str(tmp_path / "blank"))


@pytest.fixture()
def collector_paused():
    was_enabled = gc.isenabled()
    gc.disable()
    yield
    if was_enabled:
        gc.enable()


def test_loading_the_model_leaves_a_paused_collector_paused(blank_model, collector_paused):
    blank_model.nlp  # noqa: B018 - spaCy's msgpack reader enables the collector while loading
    assert not gc.isenabled()


def test_annotating_in_worker_processes_leaves_a_paused_collector_paused(blank_model, collector_paused):
    texts = ["Some words here.\n\nAnd a second paragraph."] * (2 * nlp.MIN_TEXTS_PER_PROCESS)
    annotations = list(blank_model.annotate(texts, processes=2))  # documents come back through msgpack
    assert len(annotations) == len(texts)
    assert not gc.isenabled()


def test_an_enabled_collector_stays_enabled(blank_model):
    assert gc.isenabled()
    blank_model.nlp  # noqa: B018
    assert gc.isenabled()

