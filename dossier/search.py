"""Full-text search: Pagefind indexes the rendered site before it is swapped into place."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

log = logging.getLogger("dossier")


def available() -> bool:
    try:
        import pagefind_bin  # noqa: F401 - the package that carries the binary
    except ImportError:
        return False
    return True


def index(site: Path) -> None:
    """Write site/pagefind/: the index of every page marked data-pagefind-body. Raises on failure."""
    done = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", "pagefind", "--silent"],
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"pagefind failed: {(done.stderr or done.stdout).strip()[-500:]}")
