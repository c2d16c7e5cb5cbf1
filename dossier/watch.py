"""Watch mode: rebuild on every save, serve the site, reload open pages, overlay build errors."""

from __future__ import annotations

import contextlib
import gc
import logging
import re
import threading
import time
from dataclasses import replace
from functools import partial
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from dossier.config import CONFIG_FILE, Config
from dossier.devserver import State, bind, url_prefix
from dossier.problems import ConfigError, Problem, Problems

log = logging.getLogger("dossier")
QUIET_PERIOD = 0.2  # seconds without file events before a rebuild starts
# Editor droppings: vim swap and backup files and its 4913 probe, emacs locks, JetBrains safe-write.
IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".part", ".crdownload", "___jb_tmp___", "___jb_old___")
IGNORED_PREFIXES = (".#", "#", ".~")
IGNORED_NAMES = {"4913", ".DS_Store"}
SED_TEMPORARY = re.compile(r"sed[A-Za-z0-9]{6}")  # `sed -i` writes one, then renames it over the file


def ignored(path: str) -> bool:
    name = Path(path).name
    return (name in IGNORED_NAMES or name.endswith(IGNORED_SUFFIXES) or name.startswith(IGNORED_PREFIXES)
            or "__jb_tmp__" in name or name.startswith(".goutputstream") or bool(SED_TEMPORARY.fullmatch(name)))


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

    def wait(self, stop: threading.Event) -> set[str]:
        """Block until events arrive and then QUIET_PERIOD passes without new ones."""
        while not stop.is_set():
            if not self.arrived.wait(timeout=0.5):
                continue
            self.arrived.clear()
            while self.arrived.wait(timeout=QUIET_PERIOD):
                self.arrived.clear()
            with self.lock:
                paths, self.paths = self.paths, set()
            if paths:
                return paths
        return set()


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


def watched_roots(config: Config) -> list[Path]:
    """The input and theme folders, missing ones too: a folder that comes back is followed (schedule)."""
    roots = [config.seeds, config.content, *config.theme_dirs]
    unique = []
    for root in roots:
        if root.resolve() not in [u.resolve() for u in unique]:
            unique.append(root)
    return unique


def check_layout(config: Config, roots: list[Path]) -> None:
    """The output and cache folders must not be inside a watched folder: each build would trigger the next."""
    for owned, what in ((config.out, "output"), (config.cache, "cache")):
        for root in roots:
            if owned.resolve().is_relative_to(root.resolve()):
                raise ConfigError(f"the {what} folder {owned} is inside the watched folder {root}; move it out")


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
            # The open pages reload as soon as they are rendered, before the site is written.
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
            settle_memory()
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
        watched = identities(roots)
        while not stop.is_set():
            paths = collector.wait(stop)
            if identities(roots) != watched:  # a root went away or came back: watch what is there now
                observer.unschedule_all()
                schedule(observer, collector, roots)
                watched = identities(roots)
            if paths:
                names = sorted(Path(p).name for p in paths)
                rebuild("changed " + ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else ""))
                with busy:
                    settle_memory()
                log.debug("idle: waiting for changes")
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


def settle_memory() -> None:
    """Between saves, with nobody waiting: collect the last build's garbage, then freeze what is left
    (the model, the data kept for the next save) out of the collector's sight. A session holds
    millions of such objects, and a full collection in the middle of the next save scanned them all
    again, on the way to the reloaded page. Unfrozen first, so garbage among them is collected too."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def schedule(observer, collector: Collector, roots: list[Path]) -> None:
    """Watch each root, and each root's parent for the root itself coming back (a folder restored
    from a backup, moved away and back): a watch on a deleted folder sees nothing again."""
    collector.roots = [r.resolve() for r in roots]
    for root in roots:
        if root.is_dir():
            observer.schedule(collector, str(root), recursive=True)
    for parent in sorted({str(r.resolve().parent) for r in roots} | {str(Path.cwd())}):  # and dossier.toml
        if Path(parent).is_dir():
            observer.schedule(collector, parent, recursive=False)


def identities(roots: list[Path]) -> list[tuple[int, int] | None]:
    """Which folder each root is now: a root deleted and made again is another folder to watch."""
    found = []
    for root in roots:
        try:
            info = root.stat()
        except OSError:
            found.append(None)
            continue
        found.append((info.st_dev, info.st_ino))
    return found
