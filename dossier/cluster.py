"""Annotating on a Dask distributed cluster (`--scheduler`): the only module that imports Dask.

The build imports this module only when a scheduler is set. The texts that are not cached go to the
workers in batches; each worker loads the model once (`worker_model`) and returns the annotations,
which the build caches as it does its own. A worker lost mid-build has its batches run again
elsewhere (Dask's own rescheduling, and `retries` for a batch that failed).
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Iterator
from types import TracebackType
from typing import TYPE_CHECKING

from dossier.model import Annotation
from dossier.nlp import Model
from dossier.problems import ConfigError

if TYPE_CHECKING:  # for the type hints only: Dask is imported when a cluster is used
    from distributed import Client, LocalCluster

log = logging.getLogger("dossier")

LOCAL = "local:"  # `local:N`: a LocalCluster of N worker processes on this machine
CONNECT_TIMEOUT = "3s"  # an unreachable scheduler is a configuration error, said quickly
RETRIES = 3  # a batch that failed (its worker died, or it raised) runs again, up to this many times
WORDS_PER_BATCH = 20_000  # a few seconds of one core's work: small enough to spread, large enough to amortise
BATCHES_PER_WORKER = 4  # batches in flight per worker: the rest of the texts wait in the build, not in the scheduler


def check_address(address: str) -> None:
    """A ConfigError for a setting that cannot be a scheduler address (checked without Dask)."""
    if not isinstance(address, str) or not address.strip():
        raise ConfigError(f"scheduler must be an address (tcp://host:8786) or local:N, got {address!r}")
    if address.startswith(LOCAL):
        count = address.removeprefix(LOCAL)
        if not count.isdigit() or int(count) < 1:
            raise ConfigError(f"scheduler local:N needs a number of worker processes of 1 or more, got {address!r}")


class ClusterModel:
    """A Model whose `annotate` runs on a Dask cluster; used as a context manager (it holds a connection)."""

    def __init__(self, model: Model, address: str):
        check_address(address)
        self.model = model
        self.address = address
        self.identity = model.identity
        self._client: Client | None = None
        self._cluster: LocalCluster | None = None

    def __enter__(self) -> ClusterModel:
        if not self.address.startswith(LOCAL):  # an unreachable scheduler fails now, before any work
            try:
                self._connect()
            except BaseException:
                self.__exit__(None, None, None)
                raise
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None

    def _connect(self) -> Client:
        """The client, connected (a LocalCluster started first for `local:N`), its workers checked."""
        if self._client is not None:
            return self._client
        from distributed import Client, LocalCluster

        quiet = logging.DEBUG if log.isEnabledFor(logging.DEBUG) else logging.ERROR  # Dask's chatter only with -v
        logging.getLogger("distributed").setLevel(quiet)
        if self.address.startswith(LOCAL):
            workers = int(self.address.removeprefix(LOCAL))
            self._cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                         dashboard_address=None, silence_logs=quiet)
            self._client = Client(self._cluster)
            self._client.wait_for_workers(workers)
        else:
            try:
                self._client = Client(self.address, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError, ValueError) as exc:
                raise ConfigError(f"cannot reach the Dask scheduler at {self.address}: "
                                  f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
        self._check_workers()
        return self._client

    def _check_workers(self) -> None:
        """Every worker can load the model, and it is the same model as here: a ConfigError names the ones that cannot."""
        results = self._client.run(worker_identity, self.model.requested, self.model.exclude, on_error="return")
        if not results:
            raise ConfigError(f"the Dask scheduler at {self.address} has no workers; start some with "
                              f"`dask worker {self.address}`")
        wrong = []
        for worker, result in sorted(results.items()):
            if isinstance(result, BaseException):
                wrong.append(f"worker {worker} {result}" if str(result).startswith("cannot") else f"worker {worker}: {result}")
            elif result != self.identity:
                wrong.append(f"worker {worker} has {result}, this build {self.identity}")
        if wrong:
            raise ConfigError(f"Dask worker(s) cannot annotate with the model {self.model.name}: " + "; ".join(wrong))

    def where(self) -> str:
        """How the build says where the model runs ("on 2 Dask workers")."""
        count = len(self._connect().scheduler_info(n_workers=-1)["workers"])
        return f"on {count} Dask worker{'s' if count != 1 else ''}"

    def annotate(self, texts: list[str], processes: int = 0, progress: bool = False) -> Iterator[Annotation]:
        """One Annotation per text, in order, annotated on the cluster in batches."""
        if not texts:
            return
        client = self._connect()
        window = BATCHES_PER_WORKER * max(1, len(client.scheduler_info(n_workers=-1)["workers"]))
        words = sum(text.count(" ") + 1 for text in texts)
        batches = batches_of(texts, max(1, min(WORDS_PER_BATCH, words // window)))  # a few texts still reach every worker
        pending: deque = deque()
        submitted = 0
        while submitted < len(batches) or pending:
            while submitted < len(batches) and len(pending) < window:
                start, end = batches[submitted]
                pending.append(client.submit(annotate_batch, self.model.requested, self.model.exclude, texts[start:end],
                                             self.identity, retries=RETRIES, pure=False))
                submitted += 1
            yield from pending.popleft().result()


def batches_of(texts: list[str], per_batch: int = WORDS_PER_BATCH) -> list[tuple[int, int]]:
    """(start, end) slices of `texts` of about `per_batch` words each (at least one text), in order."""
    batches = []
    start = words = 0
    for number, text in enumerate(texts):
        words += text.count(" ") + 1
        if words >= per_batch:
            batches.append((start, number + 1))
            start, words = number + 1, 0
    if start < len(texts):
        batches.append((start, len(texts)))
    return batches


# -- on the workers -----------------------------------------------------------------------------

_models: dict[tuple[str, tuple[str, ...]], Model] = {}
_loading = threading.Lock()


def worker_model(name: str, exclude: tuple[str, ...]) -> Model:
    """The model of this worker process, loaded on first use and kept: each worker loads it once."""
    with _loading:
        if (name, exclude) not in _models:
            try:
                model = Model(name, exclude)
                model.nlp  # noqa: B018 - load it now, so that a missing or broken model is found here
            except ConfigError as exc:
                raise RuntimeError(f"cannot load the model: {exc}") from None
            _models[name, exclude] = model
        return _models[name, exclude]


def worker_identity(name: str, exclude: tuple[str, ...]) -> str:
    return worker_model(name, exclude).identity


def annotate_batch(name: str, exclude: tuple[str, ...], texts: list[str], identity: str) -> list[Annotation]:
    try:
        model = worker_model(name, exclude)
    except RuntimeError as exc:  # a worker that joined after the build's check
        raise RuntimeError(f"worker {worker_address()} {exc}") from None
    if model.identity != identity:
        raise RuntimeError(f"worker {worker_address()} has the model {model.identity}, the build {identity}")
    return list(model.annotate(texts, processes=1))


def worker_address() -> str:
    from distributed import get_worker

    try:
        return get_worker().address
    except ValueError:  # not on a worker
        return "(not a worker)"
