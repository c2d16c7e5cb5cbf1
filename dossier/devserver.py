"""The dev server of watch mode: serves the site (rendered pages from memory until they are written),
injects the live-reload script, and streams each build's outcome to the open pages."""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import re
import selectors
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from dossier.problems import ConfigError
from dossier.search import BUNDLE

log = logging.getLogger("dossier")
EVENTS_PATH = "/__dossier__/events"
MAX_URL = 4096  # characters of a request's path and query
BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
MAX_NAME = 255  # bytes of one path segment: no file system names a longer file


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
    # The files of a build that are rendered but not yet written, as pipeline.build hands them over:
    # served from memory until the site is swapped in, as `hugo server` serves from memory.
    fresh: dict[str, bytes] | None = None
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

    def serve(self, files: dict[str, bytes] | None, complete: bool = True) -> None:
        with self.settled:
            self.fresh, self.complete = files, complete
            self.settled.notify_all()

    def files_for(self, name: str) -> dict[str, bytes] | None:
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


RELOAD_SCRIPT = (Path(__file__).parent / "data" / "live-reload.html").read_text(encoding="utf-8")


NOT_BUILT = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Not built yet</title></head>
<body><h1>Not built yet</h1><p>The first build has not written the site yet. This page reloads once it has;
if the build fails, its error shows below.</p></body></html>"""


class Handler(SimpleHTTPRequestHandler):
    """Serves the site folder under the base URL's path, with live reload; nothing outside it."""

    def __init__(self, *args, site: Path, state: State, **kwargs):
        self.site, self.prefix, self.state = site, state.prefix, state
        super().__init__(*args, directory=str(site), **kwargs)

    timeout = 30  # seconds a connection may stay silent: a half-open one does not hold its thread for ever

    def log_message(self, format: str, *args) -> None:
        log.debug("%s - %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        # Read first: a page is never tagged newer than what it shows (at worst it reloads once more).
        self.generation = self.state.generation
        url = urlsplit(self.path)
        path = url.path
        if len(self.path) > MAX_URL or any(len(part.encode()) > MAX_NAME for part in unquote(path).split("/")):
            self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG)
            return
        if malformed(path):
            self.send_error(HTTPStatus.BAD_REQUEST, "malformed path")
            return
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

    def send_fresh(self, files: dict[str, bytes], url_path: str) -> bool:
        """Answer from the build not yet written; False when the file on disk is the one to serve."""
        name = self.site_name(url_path)
        if name in files:
            self.send_bytes(files[name], name)
        elif name == BUNDLE or name.startswith(BUNDLE + "/"):
            return False  # the search index is not among the rendered files: the site in place's serves meanwhile
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
        streams = getattr(self.server, "streams", None)
        if streams is not None and not streams.acquire(blocking=False):
            self.send_response(HTTPStatus.SERVICE_UNAVAILABLE)
            self.send_header("Retry-After", "15")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        try:
            self.send_events()
        finally:
            if streams is not None:
                streams.release()

    def send_events(self) -> None:
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


def malformed(path: str) -> bool:
    """Not a path a browser sends for a page: no leading slash, a bad %-escape, escaped bytes that are
    not UTF-8, raw characters outside printable ASCII, or a control character once decoded."""
    if not path.startswith("/") or not path.isascii() or not path.isprintable() or BAD_ESCAPE.search(path):
        return True
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return True
    return any(ord(c) < 32 or ord(c) == 127 for c in decoded)


def inject(html: bytes, generation: int) -> bytes:
    marker = b"</body>"
    index = html.rfind(marker)
    script = RELOAD_SCRIPT.replace("__GENERATION__", str(generation)).encode()
    return html[:index] + script + html[index:] if index >= 0 else html + script


def url_prefix(base_url: str) -> str:
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


class DevServer(ThreadingHTTPServer):
    """The standard threading server with a bounded pool instead of a thread per connection. A new
    connection waits (in a selector, 30 s at most) until it sends its request; only then does it take
    one of the pool's threads, so idle or half-open connections hold none and a burst queues instead
    of starting hundreds of threads. Live-reload streams hold a thread each, so they get a share only."""

    request_queue_size = 128
    daemon_threads = True
    WORKERS = 32
    STREAMS = 16  # open pages kept live; one more is told to retry later (EventSource does)
    IDLE_SECONDS = Handler.timeout

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.streams = threading.BoundedSemaphore(self.STREAMS)
        self.ready: queue.SimpleQueue = queue.SimpleQueue()  # connections that sent their request
        self.idle = selectors.DefaultSelector()
        self.idle_lock = threading.Lock()
        self.closed = threading.Event()
        threading.Thread(target=self.watch_idle, daemon=True).start()
        for _ in range(self.WORKERS):  # daemons: an idle browser connection never delays quitting
            threading.Thread(target=self.serve_ready, daemon=True).start()

    def serve_forever(self, poll_interval: float = 0.05) -> None:
        """socketserver's loop, checking for shutdown every 50 ms, not 500: Ctrl-C stops watch mode at once."""
        super().serve_forever(poll_interval)

    def process_request(self, request, client_address) -> None:
        with self.idle_lock:
            self.idle.register(request, selectors.EVENT_READ, (client_address, time.monotonic() + self.IDLE_SECONDS))

    def watch_idle(self) -> None:
        while not self.closed.is_set():
            events = self.idle.select(timeout=1)
            now = time.monotonic()
            with self.idle_lock:
                for key, _ in events:
                    self.idle.unregister(key.fileobj)
                    self.ready.put((key.fileobj, key.data[0]))
                for key in [k for k in self.idle.get_map().values() if k.data[1] < now]:
                    self.idle.unregister(key.fileobj)
                    self.shutdown_request(key.fileobj)

    def serve_ready(self) -> None:
        while (connection := self.ready.get()) is not None:
            self.process_request_thread(*connection)

    def server_close(self) -> None:
        super().server_close()
        self.closed.set()
        for _ in range(self.WORKERS):
            self.ready.put(None)


def bind(host: str, port: int, site: Path, state: State) -> ThreadingHTTPServer:
    """The server's socket, taken before the first build, so a port in use is said at once."""
    try:
        server = DevServer((host, port), partial(Handler, site=site, state=state))
    except OSError as exc:
        raise ConfigError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None
    return server
