"""The dev server on its own: what it serves while a build's files are rendered but not yet written."""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.request
from functools import partial

import pytest

from dossier.devserver import DevServer, Handler, State


@pytest.fixture
def server(tmp_path):
    """A server on a site folder as the last build left it, under the sub-path /repo/."""
    site = tmp_path / "site"
    (site / "articles").mkdir(parents=True)
    (site / "pagefind").mkdir()
    (site / "index.html").write_text("<html><body>old home</body></html>")
    (site / "articles" / "gone.html").write_text("<html><body>an article the new build deleted</body></html>")
    (site / "articles" / "kept.html").write_text("<html><body>unchanged article</body></html>")
    (site / "pagefind" / "pagefind.js").write_text("// the last index")
    state = State(prefix="/repo/")
    httpd = DevServer(("127.0.0.1", 0), partial(Handler, site=site, state=state))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield state, f"http://127.0.0.1:{httpd.server_address[1]}/repo/"
    httpd.shutdown()
    httpd.server_close()


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_rendered_pages_are_served_before_they_are_written(server):
    state, root = server
    state.fresh = {"index.html": b"<html><body>new home</body></html>", "404.html": b"<html><body>no such page</body></html>"}
    status, html = get(root)
    assert status == 200 and "new home" in html
    assert "/__dossier__/events" in html  # the reload script, as for files on disk
    status, html = get(root + "articles/gone.html")
    assert status == 404 and "no such page" in html  # deleted by the new build, though still on disk
    assert get(root + "pagefind/pagefind.js") == (200, "// the last index")  # the site in place's index meanwhile


def test_a_folder_of_rendered_pages_redirects_to_its_index(server):
    state, root = server
    state.fresh = {"index.html": b"home", "actors/index.html": b"<html><body>actors</body></html>"}
    status, html = get(root + "actors")
    assert status == 200 and "actors" in html


def test_once_written_the_site_folder_serves_again(server):
    state, root = server
    state.fresh = {"index.html": b"<html><body>new home</body></html>"}
    assert "new home" in get(root)[1]
    state.fresh = None
    assert "old home" in get(root)[1]
    assert get(root + "articles/gone.html")[0] == 200


def test_a_page_still_rendering_is_answered_once_it_is_rendered(server):
    state, root = server
    state.serve({"index.html": b"<html><body>new home</body></html>"}, complete=False)
    assert "new home" in get(root)[1]  # the open page, rendered first
    answer: list = []
    waiting = threading.Thread(target=lambda: answer.append(get(root + "articles/gone.html")))
    waiting.start()
    waiting.join(timeout=0.5)
    assert waiting.is_alive() and not answer  # not the stale file on disk: it waits for the build
    state.serve({"index.html": b"new home", "404.html": b"<html><body>no such page</body></html>"})
    waiting.join(timeout=10)
    assert answer[0][0] == 404 and "no such page" in answer[0][1]


def test_the_event_stream_tells_which_page_is_open(server):
    state, root = server
    with urllib.request.urlopen(root.replace("/repo/", "/__dossier__/events?page=/repo/articles/kept.html"), timeout=10) as stream:
        assert stream.readline().startswith(b"data: ")  # the state, sent once the browser is counted
        assert state.viewed() == {"articles/kept.html"}


def test_a_page_carries_what_it_was_served_under_and_reloads_when_that_changes(server):
    """A page loaded while a build runs, before or after its pages go live, compares the number it
    was served under with the server's on connecting: it can never stay stale."""
    state, root = server
    assert "var served = 0," in get(root)[1]
    state.publish("", changed=True)  # a build's pages go live
    assert "var served = 1," in get(root)[1]
    state.publish("Build failed; showing the last good site.\n\nbase.html:3: ...")  # nothing served changed
    assert state.snapshot()["generation"] == 1 and "var served = 1," in get(root)[1]


def test_an_overlong_path_is_answered_414_and_the_server_goes_on(server):
    _, root = server
    status, _ = get(root + "articles/" + "a" * 300 + ".html")
    assert status == 414
    status, _ = get(root + "x/" * 3000)
    assert status == 414
    assert get(root)[0] == 200


def test_a_burst_of_200_parallel_requests_is_served_in_full(server):
    _, root = server
    results: list[int] = []

    def fetch(n: int) -> None:
        status, body = get(root + ("articles/kept.html" if n % 2 else ""))
        results.append(status if "unchanged article" in body or "old home" in body else -status)

    threads = [threading.Thread(target=fetch, args=(n,)) for n in range(200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [200] * 200


def test_idle_connections_hold_no_worker(server):
    """More silent connections than the pool has threads (a browser's preconnects, half-open sockets):
    a real request is still answered at once."""
    _, root = server
    port = int(root.split(":")[2].split("/")[0])
    silent = [socket.create_connection(("127.0.0.1", port)) for _ in range(3 * DevServer.WORKERS)]
    try:
        started = time.monotonic()
        assert get(root)[0] == 200
        assert time.monotonic() - started < 5
    finally:
        for connection in silent:
            connection.close()


def test_live_reload_streams_take_a_share_of_the_pool_only(server):
    _, root = server
    streams = [urllib.request.urlopen(root.split("/repo/")[0] + "/__dossier__/events", timeout=10)
               for _ in range(DevServer.STREAMS)]
    try:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(root.split("/repo/")[0] + "/__dossier__/events", timeout=10)
        assert refused.value.code == 503 and refused.value.headers["Retry-After"]
        assert get(root)[0] == 200  # pages are still served
    finally:
        for stream in streams:
            stream.close()


@pytest.mark.parametrize("path", [b"/%ZZ", b"/%ff%fe", b"/a%00b", b"garbage", b"/\xff\xfe.html"])
def test_a_malformed_path_is_answered_400_and_the_server_goes_on(server, path):
    _, root = server
    port = int(root.split(":")[2].split("/")[0])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(b"GET " + path + b" HTTP/1.0\r\n\r\n")
        assert connection.recv(100).startswith(b"HTTP/1.0 400")
    assert get(root)[0] == 200
