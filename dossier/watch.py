"""Watch mode: rebuild on every save, serve the site, reload open pages, overlay build errors."""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from dossier.config import CONFIG_FILE, Config
from dossier.problems import ConfigError, Problem, Problems
from dossier.search import BUNDLE

log = logging.getLogger("dossier")
QUIET_PERIOD = 0.2  # seconds without file events before a rebuild starts
EVENTS_PATH = "/__dossier__/events"
# Editor droppings: vim swap and backup files and its 4913 probe, emacs locks, JetBrains safe-write.
IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".part", ".crdownload", "___jb_tmp___", "___jb_old___")
IGNORED_PREFIXES = (".#", "#", ".~")
IGNORED_NAMES = {"4913", ".DS_Store"}
SED_TEMPORARY = re.compile(r"sed[A-Za-z0-9]{6}")  # `sed -i` writes one, then renames it over the file


def ignored(path: str) -> bool:
    name = Path(path).name
    return (name in IGNORED_NAMES or name.endswith(IGNORED_SUFFIXES) or name.startswith(IGNORED_PREFIXES)
            or "__jb_tmp__" in name or name.startswith(".goutputstream") or bool(SED_TEMPORARY.fullmatch(name)))


@dataclass
class State:
    """What the server tells browsers: the build version and the last build's error, if any."""

    prefix: str = "/"  # the base URL's path, which the site is served under
    version: int = 0
    error: str = ""
    # Counts the changes of what the server serves (a build's pages going live, or the last good site
    # coming back after a build that failed once its open pages were live). Every page served carries
    # the number it was served under, and reloads when the server's differs: a page loaded during a
    # build, before or after its pages went live, can never stay stale.
    generation: int = 0
    changed: threading.Condition = field(default_factory=threading.Condition)
    # The files of a build that are rendered but not yet written, as pipeline.build hands them over
    # (None: as on disk). Served from memory until the site is swapped in, so browsers reload while
    # the files are written, as `hugo server` serves from memory.
    fresh: dict[str, bytes | None] | None = None
    # False while `fresh` holds only the open pages, rendered first: a request for any other file
    # waits for the rest of the build.
    complete: bool = True
    settled: threading.Condition = field(default_factory=threading.Condition)
    viewers: Counter[str] = field(default_factory=Counter)  # site file -> browsers showing it now

    def publish(self, error: str, changed: bool = False) -> None:
        """Tell the browsers the build's outcome; `changed`: what the server serves has changed."""
        with self.changed:
            self.version += 1
            self.generation += changed
            self.error = error
            self.changed.notify_all()

    def snapshot(self) -> dict:
        return {"version": self.version, "generation": self.generation, "error": self.error}

    def serve(self, files: dict[str, bytes | None] | None, complete: bool = True) -> None:
        with self.settled:
            self.fresh, self.complete = files, complete
            self.settled.notify_all()

    def files_for(self, name: str) -> dict[str, bytes | None] | None:
        """The files to answer `name` from (None: the site folder); waits for a build still rendering it."""
        with self.settled:
            self.settled.wait_for(lambda: self.complete or self.fresh is None or name in self.fresh)
            return self.fresh

    def viewed(self) -> frozenset[str]:
        with self.settled:
            return frozenset(name for name, count in self.viewers.items() if count > 0)

    @contextmanager
    def viewing(self, name: str):
        with self.settled:
            self.viewers[name] += 1
        try:
            yield
        finally:
            with self.settled:
                self.viewers[name] -= 1


class Collector(FileSystemEventHandler):
    """Gathers changed paths from watchdog's thread; `wait` returns them after a quiet period."""

    def __init__(self, roots: list[Path], config_file: Path):
        self.roots = [r.resolve() for r in roots]
        self.config_file = config_file.resolve()
        self.paths: set[str] = set()
        self.lock = threading.Lock()
        self.arrived = threading.Event()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or (event.is_directory and event.event_type == "modified"):
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            path = raw.decode() if isinstance(raw, bytes) else raw
            if path and self.relevant(path):
                with self.lock:
                    self.paths.add(path)
                self.arrived.set()

    def relevant(self, path: str) -> bool:
        resolved = Path(path).resolve()
        if ignored(path):
            return False
        return resolved == self.config_file or any(resolved.is_relative_to(r) for r in self.roots)

    def wait(self, stop: threading.Event, idle: Callable[[], object] | None = None) -> set[str]:
        """Block until events arrive and then QUIET_PERIOD passes without new ones. `idle` runs once
        if nothing arrives for half a second."""
        while not stop.is_set():
            if not self.arrived.wait(timeout=0.5):
                if idle is not None:
                    idle()
                    idle = None
                continue
            self.arrived.clear()
            while self.arrived.wait(timeout=QUIET_PERIOD):
                self.arrived.clear()
            with self.lock:
                paths, self.paths = self.paths, set()
            if paths:
                return paths
        return set()


RELOAD_SCRIPT = """<script>/* dossier watch: live reload, injected by the dev server only */
(function () {
  var served = __GENERATION__, box = null;
  function overlay(text) {
    if (!box) {
      box = document.createElement("div");
      box.id = "dossier-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:99999;" +
        "background:#2b0f0f;color:#ffd9d9;font:14px/1.5 monospace;padding:1rem 1.5rem;white-space:pre-wrap;" +
        "border-top:4px solid #e5484d";
      document.body.appendChild(box);
    }
    box.textContent = text;
  }
  var source = new EventSource("/__dossier__/events?page=" + encodeURIComponent(location.pathname));
  source.onmessage = function (e) {
    var state = JSON.parse(e.data);
    if (state.generation !== served) { location.reload(); return; }
    if (state.error) { overlay(state.error); } else if (box) { box.remove(); box = null; }
  };
})();
</script>"""


NOT_BUILT = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Not built yet</title></head>
<body><h1>Not built yet</h1><p>The first build has not written the site yet. This page reloads once it has;
if the build fails, its error shows below.</p></body></html>"""


class Handler(SimpleHTTPRequestHandler):
    """Serves the site folder under the base URL's path, with live reload; nothing outside it."""

    def __init__(self, *args, site: Path, state: State, **kwargs):
        self.site, self.prefix, self.state = site, state.prefix, state
        super().__init__(*args, directory=str(site), **kwargs)

    def log_message(self, format: str, *args) -> None:
        log.debug("%s - %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        # Read first: a page is never tagged newer than what it shows (at worst it reloads once more).
        self.generation = self.state.generation
        url = urlsplit(self.path)
        path = url.path
        if path == EVENTS_PATH:
            page = parse_qs(url.query).get("page")
            with self.state.viewing(self.site_name(page[0])) if page else contextlib.nullcontext():
                self.stream_events()
            return
        if not path.startswith(self.prefix):
            if path == "/" or path == self.prefix.rstrip("/"):
                self.redirect(self.prefix)
            else:
                self.not_found()
            return
        fresh = self.state.files_for(self.site_name(path))
        if fresh is not None and self.send_fresh(fresh, path):
            return
        local = self.local_file(path)
        if local is None:
            self.not_found()
        elif local.is_dir():
            if not path.endswith("/"):
                self.redirect(path + "/")
            elif (local / "index.html").is_file():
                self.send_file(local / "index.html")
            else:
                self.not_found()
        else:
            self.send_file(local)

    def do_HEAD(self) -> None:
        if urlsplit(self.path).path == EVENTS_PATH:  # a stream has no length to tell
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            return
        self.do_GET()

    def local_file(self, url_path: str) -> Path | None:
        """The file a URL names, or None when it does not exist or lies outside the site."""
        relative = unquote(url_path[len(self.prefix):])
        if "\x00" in relative or any(part in ("..", ".") for part in relative.split("/")) or "\\" in relative:
            return None
        root = self.site.resolve()
        candidate = (root / relative).resolve()
        if not candidate.is_relative_to(root) or not candidate.exists():
            return None
        return candidate

    def site_name(self, url_path: str) -> str:
        """The site file a URL path under the prefix names (a folder: its index.html)."""
        relative = unquote(url_path[len(self.prefix):])
        return relative + "index.html" if relative == "" or relative.endswith("/") else relative

    def send_fresh(self, files: dict[str, bytes | None], url_path: str) -> bool:
        """Answer from the build not yet written; False when the file on disk is the current one."""
        name = self.site_name(url_path)
        if name in files:
            data = files[name]
            if data is None:  # unchanged: the file in place is this build's
                return False
            self.send_bytes(data, name)
        elif name == BUNDLE or name.startswith(BUNDLE + "/"):
            return False  # the search index follows the pages (see pipeline.index_later)
        elif any(other.startswith(name + "/") for other in files):
            self.redirect(url_path + "/")
        elif files.get("404.html"):
            self.send_bytes(files["404.html"], "404.html", HTTPStatus.NOT_FOUND)
        else:
            self.not_found()
        return True

    def send_file(self, path: Path, status: HTTPStatus = HTTPStatus.OK) -> None:
        try:
            data = path.read_bytes()
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        self.send_bytes(data, str(path), status)

    def send_bytes(self, data: bytes, name: str, status: HTTPStatus = HTTPStatus.OK) -> None:
        content_type = self.guess_type(name)
        if content_type.startswith("text/html"):
            data = inject(data, self.generation)
            content_type = "text/html; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the browser moved on (a reload)
                self.wfile.write(data)

    def not_found(self) -> None:
        page = self.site / "404.html"
        if page.is_file():
            self.send_file(page, HTTPStatus.NOT_FOUND)
        else:  # no site yet: the first build failed or is running; this page shows which, and reloads
            self.send_bytes(NOT_BUILT.encode(), "not-built.html", HTTPStatus.NOT_FOUND)

    def redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def stream_events(self) -> None:
        """Server-Sent Events: the state now, then again after every build."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        version = None
        try:
            while not getattr(self.server, "stopping", False):
                with self.state.changed:
                    if version == self.state.version:
                        self.state.changed.wait(timeout=15)
                    snapshot = self.state.snapshot()
                if snapshot["version"] != version:
                    version = snapshot["version"]
                    self.wfile.write(f"data: {json.dumps(snapshot)}\n\n".encode())
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


def collect_garbage() -> None:
    """The garbage of the last build, once the session is idle: nobody waits for it then."""
    gc.collect()
    log.debug("idle: waiting for changes")


def report_problems(problems: list[Problem], reported: set[Problem]) -> None:
    """Every error, and the warnings not printed before in this session: a save repeats none of the
    hundreds a large dossier can have, only says how many still stand."""
    repeated = 0
    for problem in problems:
        if problem.level == "warning" and problem in reported:
            repeated += 1
        else:
            log.warning("%s", problem)
    if repeated:
        log.warning("%d warning%s as before (the curation page and `python build.py report` list them)", repeated,
                    "s"[:repeated != 1])
    reported.clear()
    reported.update(problems)


def errors_of(problems: Problems) -> str:
    return "\n".join(str(p) for p in problems.errors)


def outcome(problems: Problems) -> str:
    """What the browsers show after a build that wrote the site: nothing, or the inputs it left out."""
    return SKIPPED + errors_of(problems) if problems.errors else ""


def inject(html: bytes, generation: int) -> bytes:
    marker = b"</body>"
    index = html.rfind(marker)
    script = RELOAD_SCRIPT.replace("__GENERATION__", str(generation)).encode()
    return html[:index] + script + html[index:] if index >= 0 else html + script


def watched_roots(config: Config) -> list[Path]:
    roots = [config.seeds, config.content, *config.theme_dirs]
    unique = []
    for root in roots:
        if root.is_dir() and root.resolve() not in [u.resolve() for u in unique]:
            unique.append(root)
    return unique


def check_layout(config: Config, roots: list[Path]) -> None:
    """The output and cache folders must not be inside a watched folder: each build would trigger the next."""
    for owned, what in ((config.out, "output"), (config.cache, "cache")):
        for root in roots:
            if owned.resolve().is_relative_to(root.resolve()):
                raise ConfigError(f"the {what} folder {owned} is inside the watched folder {root}; move it out")


def url_prefix(base_url: str) -> str:
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def bind(host: str, port: int, site: Path, state: State) -> ThreadingHTTPServer:
    """The server's socket, taken before the first build, so a port in use is said at once."""
    try:
        server = ThreadingHTTPServer((host, port), partial(Handler, site=site, state=state))
    except OSError as exc:
        raise ConfigError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None
    server.daemon_threads = True
    return server


def served_config(config: Config, host: str, port: int) -> Config:
    """Without a base URL of the user's, absolute links (the 404 page's) point at this server."""
    if "base_url" in config.chosen:
        return config
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::", "::1", "") else host
    return replace(config, base_url=f"http://{shown}:{port}/")


def run(config_loader, host: str = "127.0.0.1", port: int = 8000, poll: bool = False, no_serve: bool = False,
        stop: threading.Event | None = None) -> int:
    """Build, serve and rebuild on change until Ctrl-C (or `stop` is set)."""
    stop = stop or threading.Event()
    try:
        return session(lambda: served_config(config_loader(), host, port), host, port, poll, no_serve, stop)
    except KeyboardInterrupt:  # during the first build; later ones are caught in the session
        log.info("stopping")
        return 0


FAILED = "Build failed; showing the last good site.\n\n"
NO_SITE = "Build failed; there is no site yet.\n\n"
SKIPPED = "These inputs have errors and are left out of the site; fix them and save:\n\n"


def session(config_loader, host: str, port: int, poll: bool, no_serve: bool, stop: threading.Event) -> int:
    from dossier import nlp, pipeline
    from dossier.output import OWNER_MARKER
    from dossier.site import describe_error

    config: Config = config_loader()
    roots = watched_roots(config)
    check_layout(config, roots)
    model = nlp.Model(config.model, config.exclude)
    memo: dict = {}
    state = State(prefix=url_prefix(config.base_url))
    server = None if no_serve else bind(host, port, config.out.absolute(), state)

    busy = threading.Lock()  # a rebuild waits for the warm-up
    reported: set[Problem] = set()  # the warnings printed so far; a save prints only new ones

    def show(problems: Problems, files: dict[str, bytes | None], complete: bool = True) -> None:
        """Serve the rendered files and reload the open pages, once a build: when the pages open
        in a browser are rendered, or when all are."""
        published = state.fresh is not None
        state.serve(files, complete)
        if not published:
            state.publish(outcome(problems), changed=True)

    def follow(new: Config) -> None:
        """Apply a dossier.toml edit that moves the watched folders or the base URL's path."""
        nonlocal roots
        if (moved := watched_roots(new)) != roots:
            check_layout(new, moved)
            roots = moved
            observer.unschedule_all()
            schedule(observer, collector, roots)
            log.info("watching %s", ", ".join(str(r) for r in roots))
        if url_prefix(new.base_url) != state.prefix:
            state.prefix = url_prefix(new.base_url)
            log.info("serving at http://%s:%d%s", host, port, state.prefix)

    def site_in_place() -> bool:
        return (config.out / OWNER_MARKER).exists()

    def rebuild(reason: str, keep_last_good: bool = True) -> dict | None:
        """`keep_last_good`: a new input error stops the build. Not for the session's first build:
        what was broken when the session started is left out, as `make site` does."""
        nonlocal config
        started = time.perf_counter()
        problems = Problems()
        try:
            config = config_loader()
            follow(config)
            # Pages reload as soon as they are rendered; the search index follows in the background.
            with busy:
                stats = pipeline.build(config, problems, model, memo,
                                       on_rendered=partial(show, problems), first=state.viewed(),
                                       keep_last_good=keep_last_good)
        except Exception as exc:  # the session goes on; the last good site stays up
            report_problems(problems.items, reported)
            if isinstance(exc, pipeline.NewInputErrors):
                message = errors_of(problems)
                log.error("%s: build stopped: %d input(s) with new errors; the last good site stays", reason,
                          len(exc.problems))
            else:
                message = str(exc) if isinstance(exc, ConfigError) else describe_error(exc)
                log.error("error: %s", message)
            shown = state.fresh is not None  # the open pages already show this build's: back to the last good
            state.serve(None)
            state.publish((FAILED if site_in_place() else NO_SITE) + message, changed=shown)
            return None
        if state.fresh is None and (stats.get("up_to_date") is None or state.error or problems.errors):
            # nothing rendered, but an error was fixed, or the site in place was built without an input
            state.publish(outcome(problems))
        state.serve(None)  # written: the site folder serves it all again
        report_problems(problems.items, reported)
        log.info("%s: rebuilt in %.2f s (%d written, %d unchanged)", reason, time.perf_counter() - started,
                 stats["written"], stats["unchanged"])
        return stats

    def warm_up(up_to_date: bool) -> None:
        """Load the model and, if the first build found the site up to date, the data it was built
        from, now rather than on the first save, so that save is as fast as the rest."""
        if up_to_date:
            with busy:
                try:
                    pipeline.warm(config, model, memo)
                except Exception as exc:  # the first save then assembles everything itself
                    log.debug("warm-up failed: %s", describe_error(exc))
        with contextlib.suppress(ConfigError):  # a missing model is reported by the build that needs it
            _ = model.nlp  # loads it
        with busy:
            # The model lives as long as the session: the collector need never scan it again. The
            # idle collection took 65-85 ms with it; a save arriving meanwhile waited for it.
            gc.collect()
            gc.freeze()
        log.debug("warm-up done: a save from now on is as fast as it gets")

    # Watching starts before the first build, so no edit made during it is missed.
    collector = Collector(roots, Path.cwd() / CONFIG_FILE)
    observer = PollingObserver(timeout=0.5) if poll else Observer()
    schedule(observer, collector, roots)
    observer.start()
    if server:
        threading.Thread(target=server.serve_forever, name="dossier-server", daemon=True).start()
    try:
        first = rebuild("first build", keep_last_good=False)
        threading.Thread(target=warm_up, args=(bool(first and first.get("up_to_date")),), name="dossier-warm-up",
                         daemon=True).start()
        if server:
            log.info("serving %s at http://%s:%d%s (Ctrl-C to stop)", config.out, host, port, state.prefix)
        log.info("watching %s", ", ".join(str(r) for r in roots))
        while not stop.is_set():
            paths = collector.wait(stop, idle=collect_garbage)
            if paths:
                names = sorted(Path(p).name for p in paths)
                rebuild("changed " + ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else ""))
    except KeyboardInterrupt:
        log.info("stopping")
    finally:
        observer.stop()
        observer.join(timeout=5)
        if server:
            server.stopping = True
            with state.changed:
                state.changed.notify_all()
            server.shutdown()
            server.server_close()
    return 0


def schedule(observer, collector: Collector, roots: list[Path]) -> None:
    collector.roots = [r.resolve() for r in roots]
    for root in roots:
        observer.schedule(collector, str(root), recursive=True)
    observer.schedule(collector, str(Path.cwd()), recursive=False)  # dossier.toml
