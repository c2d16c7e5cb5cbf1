"""Suite-wide ordering for `make test` (pytest-xdist, `--dist loadfile`)."""

from __future__ import annotations

from pathlib import Path


def pytest_collection_modifyitems(items) -> None:
    """End-to-end files first, the longest first: xdist hands out whole files in collection order,
    and a long file handed out last (test_watch.py, alphabetically) ran on one worker while the
    other had only quick unit tests left. A file's length stands for its cost."""
    sizes: dict[Path, int] = {}

    def cost(item) -> tuple[bool, int]:
        path = Path(item.fspath)
        if path not in sizes:
            sizes[path] = path.stat().st_size
        return "e2e" not in path.parts, -sizes[path]

    items.sort(key=cost)
