"""The model wrapper, with a blank pipeline saved to disk (fast): what the build relies on around spaCy."""

from __future__ import annotations

import gc
import os

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


def test_a_model_loaded_beside_annotates_as_the_model_loaded_here(blank_model):
    texts = ["First sentence. Second one.\n\nA new paragraph here.", "Another text."]
    here = list(blank_model.annotate(texts, processes=1))
    beside = nlp.Model(blank_model.name)
    with beside.loading_beside():
        assert beside._beside is not None  # the child, not this process, loads and runs the model
        assert list(beside.annotate(texts, processes=1)) == here
        assert beside._nlp is None


def test_the_child_is_gone_once_the_build_is_done_used_or_not(blank_model):
    for used in (True, False):
        with blank_model.loading_beside():
            pid = blank_model._beside.pid
            if used:
                list(blank_model.annotate(["Some text."], processes=1))
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reaped: no longer a child of this process


def test_a_model_that_cannot_load_beside_is_a_configuration_error(tmp_path):
    broken = tmp_path / "broken"
    spacy.blank("en").to_disk(broken)
    (broken / "config.cfg").write_text("[nlp]\nlang = \"xx-not-a-language\"\n")
    model = nlp.Model(str(broken))
    with model.loading_beside(), pytest.raises(ConfigError, match="cannot load the spaCy model"):
        list(model.annotate(["Some text."], processes=1))
    with pytest.raises(ConfigError, match="cannot load the spaCy model"):
        list(nlp.Model(str(broken)).annotate(["Some text."], processes=1))  # the same, loaded here
