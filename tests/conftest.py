"""Suite-wide ordering for `make test` (pytest-xdist, `--dist loadfile --no-loadscope-reorder`)."""

from __future__ import annotations


def pytest_collection_modifyitems(items) -> None:
    """End-to-end files first, the longest first: xdist hands out whole files in collection order,
    and a long file handed out last ran on one worker while the other had only quick unit tests
    left. A file's length stands for its cost. xdist reorders files by their number of tests unless
    told not to (`--no-loadscope-reorder`): that put the unit tests first and a long end-to-end file
    last, alone on one worker (docs/performance.md, runs 13 and 14)."""
    items.sort(key=lambda item: ("e2e" not in item.path.parts, -item.path.stat().st_size))
