"""What decides that a build can be skipped, or can keep its data."""

from __future__ import annotations

from dataclasses import replace

from dossier import fingerprint
from dossier.cache import DOSSIER_FILE, keep, kept
from dossier.config import Config
from dossier.fingerprint import content_fingerprint, theme_digests


def project(tmp_path) -> Config:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.txt").write_text("Title\n\nMaduro spoke.\n")
    (tmp_path / "content").mkdir()
    (tmp_path / "theme").mkdir()
    return Config(seeds=tmp_path / "seeds", content=tmp_path / "content", templates=tmp_path / "theme",
                  out=tmp_path / "site", cache=tmp_path / "cache")


def test_the_fingerprint_follows_every_input_byte_and_setting(tmp_path):
    config = project(tmp_path)
    first = content_fingerprint(config, "model-1")
    assert content_fingerprint(config, "model-1") == first
    assert content_fingerprint(config, "model-2") != first
    assert content_fingerprint(replace(config, title="Other"), "model-1") != first
    assert content_fingerprint(replace(config, verbosity=2), "model-1") == first  # prints more, builds the same
    (tmp_path / "seeds" / "a.txt").write_text("Title\n\nMaduro spoke!\n")
    second = content_fingerprint(config, "model-1")
    assert second != first
    (tmp_path / "content" / "notes.md").write_text("---\nsource: seeds/a.txt\n---\nNote\n")
    assert content_fingerprint(config, "model-1") != second


def test_unchanged_inputs_are_not_read_again_and_an_edit_keeping_size_and_time_is_seen(tmp_path, monkeypatch):
    import os


    config = project(tmp_path)
    monkeypatch.setattr(fingerprint, "RACY_NS", 0)  # a file written just now may be trusted by its times
    first = content_fingerprint(config, "model-1")
    read = []
    monkeypatch.setattr(fingerprint, "read_bytes", lambda path: (tmp_path in path.parents and read.append(path)) or path.read_bytes())
    assert content_fingerprint(config, "model-1") == first
    assert read == []  # every input's digest came from the cache
    seed = tmp_path / "seeds" / "a.txt"
    times = seed.stat()
    seed.write_text("Title\n\nMaduro spoke?\n")  # the same size ...
    os.utime(seed, ns=(times.st_atime_ns, times.st_mtime_ns))  # ... and modification time
    assert content_fingerprint(config, "model-1") != first
    assert read == [seed]


def test_a_file_changed_just_before_the_fingerprint_is_read_again_next_time(tmp_path, monkeypatch):

    config = project(tmp_path)
    content_fingerprint(config, "model-1")
    read = []
    monkeypatch.setattr(fingerprint, "read_bytes", lambda path: (tmp_path in path.parents and read.append(path)) or path.read_bytes())
    content_fingerprint(config, "model-1")
    assert read == [tmp_path / "seeds" / "a.txt"]  # written a moment ago: its times alone are not trusted


def test_files_the_build_never_reads_leave_the_fingerprint_alone(tmp_path):
    config = project(tmp_path)
    first = content_fingerprint(config, "model-1")
    (tmp_path / "seeds" / ".hidden.txt").write_text("an editor's or a sync tool's file")
    (tmp_path / "content" / ".git").mkdir()
    (tmp_path / "content" / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    assert content_fingerprint(config, "model-1") == first  # a save of these rebuilds nothing, reloads nothing


def test_the_users_template_wins_over_the_default_one(tmp_path):
    config = project(tmp_path)
    default = theme_digests(config)
    (tmp_path / "theme" / "404.html").write_text("gone")
    mine = theme_digests(config)
    assert mine["404.html"] != default["404.html"]
    assert {name for name in mine if mine[name] != default[name]} == {"404.html"}
    (tmp_path / "theme" / "extra.html").write_text("new")
    assert set(theme_digests(config)) - set(mine) == {"extra.html"}


def test_kept_data_is_only_given_back_for_the_same_inputs(tmp_path):
    config = project(tmp_path)
    keep(config.cache, DOSSIER_FILE, "inputs-1", {"articles": ["a"]})
    assert kept(config.cache, DOSSIER_FILE, "inputs-1") == {"articles": ["a"]}
    assert kept(config.cache, DOSSIER_FILE, "inputs-2") is None
    (config.cache / DOSSIER_FILE).write_bytes(b"\x80\x05garbage")
    assert kept(config.cache, DOSSIER_FILE, "inputs-1") is None
