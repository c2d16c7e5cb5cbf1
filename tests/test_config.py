"""Settings: defaults, then dossier.toml, then command-line flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.config import DEFAULT_THEME, FolderDefaults, defaults_for, load_config
from dossier.problems import ConfigError


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "seeds").mkdir()
    return tmp_path


def toml(project: Path, text: str) -> None:
    (project / "dossier.toml").write_text(text, encoding="utf-8")


def test_defaults_without_a_config_file(project):
    config = load_config(project, {})
    assert config.seeds == project / "seeds"
    assert config.content == project / "content"
    assert config.out == project / "site"
    assert config.cache == project / ".dossier-cache"
    assert config.base_url == "http://localhost:8000/"
    assert config.theme_dirs == [DEFAULT_THEME]


def test_dossier_toml_is_read(project):
    (project / "mytheme").mkdir()
    toml(project, 'title = "Venezuela talks"\nbase_url = "https://me.github.io/repo"\nout = "public"\n'
                  'templates = "mytheme"\nprocesses = 2\nallow_html = true\nexclude = ["lemmatizer", "tagger"]\n')
    config = load_config(project, {})
    assert config.title == "Venezuela talks"
    assert config.base_url == "https://me.github.io/repo"
    assert config.site_root_url == "https://me.github.io/repo/"
    assert config.out == project / "public"
    assert config.theme_dirs == [project / "mytheme", DEFAULT_THEME]
    assert config.processes == 2
    assert config.allow_html is True
    assert config.exclude == ("lemmatizer", "tagger")


@pytest.mark.parametrize("text", ['titel = "Typo"\n', 'force = true\n', 'title = "ok"\n[extra]\nx = 1\n'])
def test_unknown_key_is_a_config_error(project, text):
    toml(project, text)
    with pytest.raises(ConfigError, match="unknown setting"):
        load_config(project, {})


def test_malformed_toml_is_a_config_error(project):
    toml(project, 'title = "unclosed\n')
    with pytest.raises(ConfigError, match=r"dossier\.toml"):
        load_config(project, {})


def test_command_line_overrides_win(project):
    toml(project, 'title = "From the file"\nbase_url = "https://file.example/"\nout = "public"\n')
    config = load_config(project, {"title": "From the flag", "base_url": "https://flag.example/x/", "out": Path("elsewhere"),
                                   "seeds": None, "force": True})
    assert config.title == "From the flag"
    assert config.base_url == "https://flag.example/x/"
    assert config.out == project / "elsewhere"
    assert config.seeds == project / "seeds"
    assert config.force is True


def test_unset_flags_keep_the_file_values(project):
    toml(project, 'title = "From the file"\n')
    assert load_config(project, {"title": None, "base_url": None}).title == "From the file"


@pytest.mark.parametrize("value", ['"localhost:8000"', '"ftp://example.com/"', '"//example.com/"', '""',
                                   "8000"])
def test_bad_base_url_in_the_file(project, value):
    toml(project, f"base_url = {value}\n")
    with pytest.raises(ConfigError, match="base-url"):
        load_config(project, {})


def test_bad_base_url_on_the_command_line(project):
    with pytest.raises(ConfigError, match="base-url"):
        load_config(project, {"base_url": "example.com"})


def test_nothing_to_build_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="nothing to build"):
        load_config(tmp_path, {})


def test_missing_templates_folder_is_a_config_error(project):
    with pytest.raises(ConfigError, match="templates"):
        load_config(project, {"templates": Path("no-such-theme")})


def test_negative_processes_is_a_config_error(project):
    toml(project, "processes = -1\n")
    with pytest.raises(ConfigError, match="processes"):
        load_config(project, {})


def test_processes_as_text_is_a_config_error(project):
    toml(project, 'processes = "4"\n')
    with pytest.raises(ConfigError, match="processes"):
        load_config(project, {})


def test_folder_defaults_are_read_deepest_folder_first(project):
    toml(project, '[folders.bbc]\noutlet = "BBC News"\ndate = 2005-01-01\n\n'
                  '[folders."bbc/sport"]\nauthors = "BBC Sport"\n\n[folders."."]\noutlet = "Reuters"\n')
    config = load_config(project, {})
    assert defaults_for("bbc/sport/001", config.folders) == FolderDefaults("bbc/sport", "BBC News", "2005-01-01", ("BBC Sport",))
    assert defaults_for("bbc/business/001", config.folders) == FolderDefaults("bbc", "BBC News", "2005-01-01")
    assert defaults_for("bbcx/001", config.folders).outlet == "Reuters"  # a folder, not a prefix of a name


@pytest.mark.parametrize("text", ['[folders.bbc]\noutlet = 3\n', '[folders.bbc]\ndate = "5 May"\n',
                                  '[folders.bbc]\npublisher = "BBC"\n', 'folders = "bbc"\n'])
def test_bad_folder_defaults_are_config_errors(project, text):
    toml(project, text)
    with pytest.raises(ConfigError, match="folders"):
        load_config(project, {})


@pytest.mark.parametrize(("text", "error"), [("fiscal_year_start = 13\n", "month number"), ("fiscal_year_start = 0\n", "month number")])
def test_a_fiscal_year_start_must_be_a_month(project, text, error):
    toml(project, text)
    with pytest.raises(ConfigError, match=error):
        load_config(project, {})
    toml(project, "fiscal_year_start = 4\n")
    assert load_config(project, {}).fiscal_year_start == 4
