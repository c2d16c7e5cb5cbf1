"""Whole builds with the real model on the real seeds, shared across the end-to-end tests."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BASE_URL = "https://example.org/dossier-test/"

# The tests press Ctrl-C (SIGINT) on builds and watch sessions as a terminal would. A test run started
# in the background (a shell's `make test &`) has SIGINT ignored, every child inherits that, and
# each of those tests then waited 30 s for a signal its child never saw. Its children get it back.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def run_build(project: Path, *args: str) -> Run:
    """Run the real command line in `project`, as a user would."""
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=project,
                          capture_output=True, text=True, timeout=600)
    return Run(done.returncode, done.stdout, done.stderr)


def make_project(tmp: Path) -> Path:
    """A copy of the default dossier (seeds + content) in a temporary folder."""
    project = tmp / "project"
    shutil.copytree(ROOT / "seeds", project / "seeds")
    shutil.copytree(ROOT / "content", project / "content")
    return project


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory, shared_cache) -> tuple[Path, Run]:
    """The default dossier built once with a cold cache: (site folder, run)."""
    project = make_project(tmp_path_factory.mktemp("seeds"))
    run = run_build(project, "build", "--base-url", BASE_URL, "--cache", str(shared_cache))
    return project / "site", run


@pytest.fixture(scope="module")
def warm_cache(seeds_build, shared_cache) -> Path:
    """The shared annotation cache, with the real seeds in it."""
    return shared_cache
