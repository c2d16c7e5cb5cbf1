"""cluster.py's own logic, without a cluster (tests/e2e/test_cluster.py runs a real one)."""

from __future__ import annotations

import pytest

from dossier.cluster import batches_of, check_address
from dossier.config import load_config
from dossier.problems import ConfigError


def test_batches_cover_every_text_in_order():
    texts = ["one two three", "four", "five six", "seven eight nine ten", "eleven"]
    batches = batches_of(texts, per_batch=4)
    assert batches == [(0, 2), (2, 4), (4, 5)]
    assert [t for start, end in batches for t in texts[start:end]] == texts
    assert batches_of(texts, per_batch=1) == [(n, n + 1) for n in range(5)]
    assert batches_of([]) == []


@pytest.mark.parametrize("address", ["", "local:0", "local:x", "local:-1"])
def test_a_scheduler_that_cannot_be_an_address_is_refused(address):
    with pytest.raises(ConfigError):
        check_address(address)


def test_the_scheduler_setting_is_checked_with_the_others(tmp_path):
    (tmp_path / "seeds").mkdir()
    assert load_config(tmp_path, {"scheduler": "local:2"}).scheduler == "local:2"
    assert load_config(tmp_path, {}).scheduler == ""
    for wrong in ({"scheduler": "local:0"}, {"scheduler": 3}, {"actor_page_min_articles": 0}):
        with pytest.raises(ConfigError):
            load_config(tmp_path, wrong)
