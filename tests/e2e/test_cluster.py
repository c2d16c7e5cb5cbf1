"""Annotating on a real Dask cluster on 127.0.0.1: a scheduler and worker processes, no mocks.

The cluster's site must be the local build's, byte for byte, even when a worker dies mid-build.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import BASE_URL, ROOT, make_project, run_build
from tests.e2e.links import broken_links

pytestmark = pytest.mark.slow
distributed = pytest.importorskip("distributed", reason="requirements-dask.txt is not installed")

CORPUS = ROOT.parent / "shared" / "corpus" / "bbc"
DASK = [sys.executable, "-m", "dask"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}  # the workers import dossier's code from this checkout


def start_worker(scheduler_file: Path, name: str, cwd: Path) -> subprocess.Popen:
    """A worker process with no nanny: killing it loses it for good."""
    return subprocess.Popen([*DASK, "worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1", "--no-nanny",
                             "--no-dashboard", "--host", "127.0.0.1", "--name", name],
                            cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """(address, scheduler file) of a scheduler and two worker processes on 127.0.0.1."""
    folder = tmp_path_factory.mktemp("dask")
    scheduler_file = folder / "scheduler.json"
    processes = [subprocess.Popen([*DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                   "--scheduler-file", str(scheduler_file)],
                                  cwd=folder, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        processes += [start_worker(scheduler_file, f"worker-{n}", folder) for n in range(2)]
        with distributed.Client(scheduler_file=str(scheduler_file), timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
            address = client.scheduler.address
        yield address, scheduler_file
    finally:
        for process in reversed(processes):
            stop(process)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file but Pagefind's index, which differs between any two builds, local ones too (test_rebuild.py)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and "pagefind" not in p.parts}


def test_cluster_build_is_the_local_build(cluster, seeds_build, tmp_path):
    address, _ = cluster
    project = make_project(tmp_path)
    run = run_build(project, "build", "--base-url", BASE_URL, "--cache", str(tmp_path / "cache"), "--scheduler", address)
    assert run.code == 0, run.stderr
    assert re.search(r"annotating \d+ article\(s\) on 2 Dask workers", run.stderr), run.stderr
    local_site, local_run = seeds_build
    assert local_run.code == 0
    assert snapshot(project / "site") == snapshot(local_site)


def test_a_worker_without_the_model_is_named(cluster, tmp_path):
    """The model is a folder beside the project: the workers, started elsewhere, do not have it."""
    address, _ = cluster
    from dossier.nlp import Model

    project = make_project(tmp_path)
    package = importlib.util.find_spec(Model().name).submodule_search_locations[0]
    (project / "here-only-model").symlink_to(next(Path(package).glob("*/meta.json")).parent)
    (project / "dossier.toml").write_text('model = "here-only-model"\n')
    run = run_build(project, "build", "--cache", str(tmp_path / "cache"), "--scheduler", address, "--no-search")
    assert run.code == 2, run.stderr
    assert "here-only-model" in run.stderr
    assert len(re.findall(r"worker tcp://127\.0\.0\.1:\d+ cannot load the model", run.stderr)) == 2, run.stderr
    assert not (project / "site").exists()


def test_unreachable_scheduler_is_a_configuration_error(tmp_path):
    project = make_project(tmp_path)
    started = time.perf_counter()
    run = run_build(project, "build", "--cache", str(tmp_path / "cache"), "--scheduler", "tcp://127.0.0.1:9")
    assert run.code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in run.stderr
    assert time.perf_counter() - started < 30
    assert not (project / "site").exists() and not (tmp_path / "cache").exists()  # before any work


def test_without_a_scheduler_dask_is_not_imported(warm_cache, tmp_path):
    project = make_project(tmp_path)
    script = ("import sys; sys.path.insert(0, sys.argv[1]); import build; "
              f"code = build.main(['build', '-q', '--no-search', '--cache', {str(warm_cache)!r}]); "
              "print(code, sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))")
    done = subprocess.run([sys.executable, "-c", script, str(ROOT)], cwd=project, capture_output=True, text=True, timeout=300)
    assert done.stdout.split() == ["0", "[]"], done.stderr


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the BBC corpus is not in ../shared/corpus/bbc")
def test_a_worker_killed_mid_build_changes_nothing(cluster, tmp_path):
    """A third worker joins, is killed while it annotates a batch, and the build's site is the local build's."""
    address, scheduler_file = cluster
    shortest = sorted(CORPUS.rglob("*.txt"), key=lambda p: (p.stat().st_size, p))[:80]  # enough for a batch each
    project = tmp_path / "project"
    for path in shortest:
        target = project / "seeds" / path.relative_to(CORPUS)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    local = run_build(project, "build", "--no-search", "--cache", str(tmp_path / "local-cache"), "--out", "local")
    assert local.code in (0, 1), local.stderr

    victim = start_worker(scheduler_file, "victim", tmp_path)
    try:
        with distributed.Client(address, timeout="30s") as client:
            client.wait_for_workers(3, timeout=60)
            victim_address = next(a for a, w in client.scheduler_info(n_workers=-1)["workers"].items() if w["name"] == "victim")
            build = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "build", "--no-search", "--cache",
                                      str(tmp_path / "cluster-cache"), "--out", "cluster", "--scheduler", address],
                                     cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            deadline = time.monotonic() + 120
            while not client.processing([victim_address]).get(victim_address) and time.monotonic() < deadline:
                assert build.poll() is None, "the build ended before the worker had a batch"
                time.sleep(0.02)
            victim.send_signal(signal.SIGKILL)  # mid-batch: its batches go to the other workers
            victim.wait(10)
            _, stderr = build.communicate(timeout=300)
    finally:
        stop(victim)
    assert build.returncode == local.code, stderr
    assert "on 3 Dask workers" in stderr
    assert snapshot(project / "cluster") == snapshot(project / "local")
    assert broken_links(project / "cluster") == []  # most of these actors are named once: no page, and no link to one
