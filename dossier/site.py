"""The only module that knows output paths: the URL scheme, and the Jinja environment that renders pages."""

from __future__ import annotations

import contextlib
import hashlib
import re
import traceback
from collections.abc import Callable
from functools import lru_cache, partial
from pathlib import Path, PurePosixPath

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, TemplateSyntaxError
from jinja2.bccache import Bucket
from slugify import slugify

from dossier.problems import shown_path

# -- URL scheme ---------------------------------------------------------------------------------

SAFE_PART = re.compile(r"[a-z0-9_][a-z0-9_-]{0,79}")
RESERVED = {"index"}  # every folder's index.html is a listing, never an item's page
PLAIN_KEY = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")  # lower-case words, one space apart: their slug is themselves


def article_path(article_id: str) -> str:
    """articles/<id>.html; a path part that is not already a short safe slug gets a hash of itself,
    so distinct ids never share a page ("Talks 2022" and "talks-2022")."""
    parts = [part if SAFE_PART.fullmatch(part) and part not in RESERVED else safe_part(part)
             for part in PurePosixPath(article_id).parts]
    return "articles/" + "/".join(parts) + ".html"


def article_part_path(first_page: str, part: int) -> str:
    """Part `part` of a long article: articles/<id>.p2.html. No article's own page has a dot in its
    name, so parts never meet another article's page."""
    return first_page if part == 1 else first_page.removesuffix(".html") + f".p{part}.html"


def safe_part(part: str) -> str:
    return f"{slugify(part, max_length=60) or 'article'}-{short_hash(part)}"


def short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def article_paths(article_ids: list[str]) -> dict[str, str]:
    """Every article's page, distinct even when two ids slug alike ("Talks 2022", "talks-2022-c701aff1")."""
    paths: dict[str, str] = {}
    taken: set[str] = set()
    for article_id in sorted(article_ids):
        path = article_path(article_id)
        if path in taken:
            path = path.removesuffix(".html") + f"-{hashlib.sha1(article_id.encode('utf-8', 'surrogatepass')).hexdigest()[:12]}.html"
        taken.add(path)
        paths[article_id] = path
    return paths


@lru_cache(maxsize=65536)  # names recur in every build of a watch session
def item_id(key: str) -> str:
    """An id for a page in a listing folder (actors/, outlets/): stable, short, never `index`."""
    if len(key) <= 80 and PLAIN_KEY.fullmatch(key) and key not in RESERVED:
        return key.replace(" ", "-")  # what slugify makes of it, without its 20 µs (12.7k actors a build)
    slug = slugify(key, max_length=80, word_boundary=True)
    if not slug or slug in RESERVED or slug != slugify(key):
        return f"{slug or 'item'}-{short_hash(key)}"
    return slug


def actor_path(actor_id: str) -> str:
    return f"actors/{actor_id}.html"


def outlet_path(outlet_id: str) -> str:
    return f"outlets/{outlet_id}.html"


def timeline_path(year: str | None = None) -> str:
    return "timeline/index.html" if year is None else f"timeline/{year}.html"


REPORT_PATH = "curation.html"


def relative_url(from_page: str, target: str) -> str:
    """A link from one output page to another path (optionally with #fragment), page-relative.

    Works from file://, from the server root and under any sub-path.
    """
    folder, _, name = from_page.rpartition("/")
    return link_in(folder, name, target)


def link_in(folder: str, name: str, target: str) -> str:
    """relative_url from the page `name` in `folder`: a bare fragment stays on the page."""
    if target.startswith("#") or not target:
        return name + target
    return link_from(folder, target)


@lru_cache(maxsize=1 << 17)  # every page of a folder links to the same few hundred targets
def link_from(folder: str, target: str) -> str:
    """relative_url from any page in `folder` to a target with a path."""
    path, _, fragment = target.partition("#")
    link = relative_path(folder, path)
    return f"{link}#{fragment}" if fragment else link


def relative_path(start_dir: str, path: str) -> str:
    """posixpath.relpath for the site's own relative paths, without touching the file system."""
    name = path.rpartition("/")[2]
    return (folder_link(start_dir, path[:len(path) - len(name)]) + name) or "./"


@lru_cache(maxsize=4096)  # a site has a few dozen folders: pages link to 60k targets in them
def folder_link(start_dir: str, folder: str) -> str:
    """The link from the folder `start_dir` to `folder` ("" or ending in a slash), "" or ending in a slash."""
    start = [p for p in start_dir.split("/") if p]
    parts = folder.split("/")[:-1] if folder else []
    common = 0
    while common < min(len(start), len(parts)) and start[common] == parts[common]:
        common += 1
    steps = [".."] * (len(start) - common) + parts[common:]
    return "/".join(steps) + "/" if steps else ""


def absolute_url(base_url: str, target: str) -> str:
    return base_url.rstrip("/") + "/" + target.lstrip("/")


# -- rendering ----------------------------------------------------------------------------------

def environment(theme_dirs: list[Path], base_url: str, article_pages: dict[str, str] | None = None,
                compiled: Path | None = None, sentence_path: Callable[[str, int], str] | None = None) -> Environment:
    """A build's Jinja environment for a theme: the user's folder first, then the default theme, file
    by file. A new one each build, so an edited or added override is always seen; with `compiled` (a
    folder of the cache), compiled templates are kept there, keyed by their source."""
    env = RecordingEnvironment(loader=RecordingLoader([str(d) for d in theme_dirs]), autoescape=True, undefined=StrictUndefined,
                               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False,
                               bytecode_cache=compiled_templates(compiled))
    env.filters["counted"] = counted
    env.globals.update(actor_path=actor_path, outlet_path=outlet_path, timeline_path=timeline_path, base_url=base_url,
                       article_path=article_pages.__getitem__ if article_pages is not None else article_path,
                       sentence_path=sentence_path or (lambda article_id, index: f"{article_path(article_id)}#s{index}"))
    return env


class RecordingEnvironment(Environment):
    """Jinja's environment, noting what of the theme each page reads while it renders, as Lektor
    records dependencies (a theme edit renders again only the pages that read what changed: pages.untouched_pages).

    A template that the page's own template loads (extends, include, import, at any depth) is the
    page's. A template loaded by Python code, what such a template loads in turn, and a theme file
    read from the loader are `shared`: Python may keep what it made of them for later pages
    (views.Context.event_html does), so a change to one renders every page."""

    def __init__(self, **options):
        super().__init__(**options)
        self.page_reads: set[str] | None = None  # the page being rendered: what it read so far
        self.page_template = ""
        self.shared: set[str] = set()
        self.loads: dict[str, set[str]] = {}  # template -> the templates it loaded, in this process

    def get_template(self, name, parent=None, globals=None):
        self.note([name], parent)
        return super().get_template(name, parent, globals)

    def select_template(self, names, parent=None, globals=None):
        self.note(names, parent)  # the missing names too: one added later would be chosen
        return super().select_template(names, parent, globals)

    def note(self, names, parent: str | None) -> None:
        parent = theme_file(parent) if parent is not None else None
        for name in names:
            if not isinstance(name, str):
                continue  # a Template object: read already, by whoever made it
            name = theme_file(name)
            if parent is not None:
                self.loads.setdefault(parent, set()).add(name)
            if self.page_reads is not None and parent not in self.shared and (parent is not None or name == self.page_template):
                self.page_reads.add(name)
            else:
                self.shared.add(name)

    def with_loads(self, names: set[str]) -> frozenset[str]:
        """`names` and what they loaded in this process, at any depth: Jinja keeps an imported
        template's module, so what it loads is loaded once a process, by the first page that imports it."""
        found, todo = set(names), list(names)
        while todo:
            for loaded in self.loads.get(todo.pop(), ()):
                if loaded not in found:
                    found.add(loaded)
                    todo.append(loaded)
        return frozenset(found)


def theme_file(name: str) -> str:
    """The theme file a template name loads: "./a.html" and "/a.html" are "a.html" (as Jinja's
    FileSystemLoader splits a name), the name fingerprint.theme_digests gives it."""
    return "/".join(piece for piece in name.split("/") if piece and piece != ".")


class RecordingLoader(FileSystemLoader):
    """The theme's folders, in order. A file read here other than to load a template (the 404 page's
    inline stylesheet) is noted as shared (RecordingEnvironment)."""

    loading = False

    def load(self, environment, name, globals=None):
        self.loading = True
        try:
            return super().load(environment, name, globals)
        finally:
            self.loading = False

    def get_source(self, environment, template):
        if not self.loading and isinstance(environment, RecordingEnvironment):
            environment.shared.add(theme_file(template))
        return super().get_source(environment, template)


def theme_assets(env: Environment) -> dict[str, bytes]:
    """The theme's assets/ files as the site serves them: files of their own, read by no page."""
    return {name: FileSystemLoader.get_source(env.loader, env, name)[0].encode("utf-8") for name in env.list_templates()
            if name.startswith("assets/")}


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """"1 mention", "2 mentions": a count with its noun in the right number."""
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"


def compiled_templates(folder: Path | None) -> CompiledTemplates | None:
    """Jinja's cache of compiled templates, keyed by each template's source: an edited template is
    compiled again. None if the folder cannot be made (a read-only cache: compile every time)."""
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return CompiledTemplates(str(folder))


class CompiledTemplates(FileSystemBytecodeCache):
    """Jinja's file cache, except that a cache that cannot take the file (a full disk) costs only the
    next build's compiling, never this build."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def page_links(base_url: str | None, page_path: str) -> Callable[[str], str]:
    """A page's `url(target)`: relative to the page, or absolute from `base_url` (the 404 page, served at any depth)."""
    if base_url is not None:
        return partial(absolute_url, base_url)
    return partial(relative_url, page_path)


def describe_error(exc: BaseException) -> str:
    """'file:line: message' for an error raised while rendering a template, naming the template."""
    if isinstance(exc, TemplateSyntaxError):
        return f"{shown_path(exc.filename) if exc.filename else exc.name}:{exc.lineno}: template syntax error: {exc.message}"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".xml", ".css"))]
    where = f"{shown_path(frames[-1].filename)}:{frames[-1].lineno}: " if frames else ""
    return f"{where}{type(exc).__name__}: {exc}"


def render_text(env: Environment, template: str, page_path: str, **context) -> str:
    """The page at `page_path`; its templates link with `url(target)` (page_links)."""
    links = page_links(env.globals["base_url"] if context.get("absolute_links") else None, page_path)
    return env.get_template(template).render(page_path=page_path, url=links, **context)
