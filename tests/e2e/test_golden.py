"""Golden output: a fresh build of a tiny fixture must equal the checked-in tree byte for byte.

After an intended change of output, regenerate with `UPDATE_GOLDEN=1 make test` and read the diff.
"""

from __future__ import annotations

import difflib
import os
import shutil

import pytest

from tests.e2e.conftest import ROOT, run_build

pytestmark = pytest.mark.slow
FIXTURE = ROOT / "tests" / "fixtures" / "golden"


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_tiny_dossier_matches_the_golden_tree(tmp_path, shared_cache):
    project = tmp_path / "golden"
    shutil.copytree(FIXTURE / "seeds", project / "seeds")
    shutil.copytree(FIXTURE / "content", project / "content")
    # Pagefind's index is its own format, tested by the browser tests; the golden tree is ours alone.
    run = run_build(project, "build", "--base-url", "https://example.org/golden/", "--cache", str(shared_cache), "--no-search")
    assert run.code == 0, run.stderr
    built = tree(project / "site")
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(FIXTURE / "expected", ignore_errors=True)
        shutil.copytree(project / "site", FIXTURE / "expected")
    expected = tree(FIXTURE / "expected")
    assert sorted(built) == sorted(expected)
    for name in sorted(expected):
        if built[name] != expected[name]:
            diff = difflib.unified_diff(expected[name].decode().splitlines(), built[name].decode().splitlines(),
                                        f"expected/{name}", f"built/{name}", lineterm="")
            pytest.fail("\n".join(list(diff)[:60]))
