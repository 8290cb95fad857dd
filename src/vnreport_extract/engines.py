"""Where a batch's work runs: this process, a pool of local processes, or a Dask cluster.

Every engine takes work items (:class:`~vnreport_extract.batch.WorkItem`: bytes or text
plus a key) and hands each :class:`~vnreport_extract.batch.Outcome` back to the main
process, which alone writes outputs, the archive and the manifest. Only a bounded
number of items is in flight, so a batch of a million files does not sit in memory.

* ``InlineEngine``: this process, one item after another (``-j 1``, and tests).
* ``LocalEngine``: ``-j N`` worker processes (spawned, so no state is shared by
  accident); each builds its :class:`~vnreport_extract.pipeline.Extractor` once, in the
  pool's initializer.
* ``DaskEngine``: ``--engine dask --scheduler tcp://HOST:8786``; each Dask worker
  process builds its extractor once, on its first item, and keeps it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .batch import Outcome, WorkItem

OnDone = Callable[["Outcome"], None]


class Engine(Protocol):
    def run(self, items: Iterator[WorkItem], on_done: OnDone) -> None: ...


# --- state of a worker process -----------------------------------------------------

_extractors: dict[bool, Any] = {}
_lock = threading.Lock()


def _extractor(use_model: bool) -> Any:
    """This process's extractor, built on first use and kept (models load once per worker)."""
    ex = _extractors.get(use_model)
    if ex is None:
        with _lock:
            ex = _extractors.get(use_model)
            if ex is None:
                from .pipeline import Extractor

                ex = _extractors[use_model] = Extractor(use_model=use_model)
    return ex


def _init_worker(use_model: bool) -> None:
    _extractor(use_model)


def work(item: WorkItem, use_model: bool = True) -> Outcome:
    """Process one item with this process's extractor (the function workers run)."""
    from .batch import process_item

    return process_item(item, _extractor(use_model))


def _failed(item: WorkItem, why: str) -> Outcome:
    from .batch import Outcome

    return Outcome(item.key, "failed", error=why)


# --- engines -----------------------------------------------------------------------


class InlineEngine:
    def __init__(self, extractor: Any = None, use_model: bool = True) -> None:
        self.extractor = extractor
        self.use_model = use_model

    def run(self, items: Iterator[WorkItem], on_done: OnDone) -> None:
        from .batch import process_item

        for item in items:
            ex = self.extractor if self.extractor is not None else _extractor(self.use_model)
            on_done(process_item(item, ex))


class LocalEngine:
    """``jobs`` spawned worker processes, each with its own extractor.

    A worker that dies (killed, out of memory, a crash inside a C library) breaks the
    whole pool and every item in flight with it. Those items are not failed blindly:
    a new pool takes them again one at a time, so only the item that kills a worker
    while running alone is reported as failed, and the rest are done.
    """

    def __init__(self, jobs: int, use_model: bool = True, fn: Callable[..., Outcome] | None = None) -> None:
        self.jobs = max(1, jobs)
        self.use_model = use_model
        self.fn = fn or work  # a module-level function: spawned workers import it by name

    def _pool(self) -> Any:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(self.jobs, mp_context=mp.get_context("spawn"),
                                   initializer=_init_worker, initargs=(self.use_model,))

    def run(self, items: Iterator[WorkItem], on_done: OnDone) -> None:
        from collections import deque
        from concurrent.futures import FIRST_COMPLETED, Future, wait
        from concurrent.futures.process import BrokenProcessPool

        # a pool is only worth its start-up for two items or more
        first = [x for _, x in zip(range(2), items, strict=False)]
        if len(first) < 2:
            InlineEngine(use_model=self.use_model).run(iter(first), on_done)
            return
        pool = self._pool()
        inflight: dict[Future[Any], WorkItem] = {}
        suspects: deque[WorkItem] = deque()  # in flight when a worker died: redone one by one
        alone = False  # the item in flight runs by itself (a suspect)
        limit = 2 * self.jobs
        source = _chain(first, items)
        exhausted = False

        def fill() -> None:
            nonlocal exhausted, alone
            if suspects:
                if not inflight:
                    suspect = suspects.popleft()
                    inflight[pool.submit(self.fn, suspect, self.use_model)] = suspect
                    alone = True
                return
            alone = False
            while not exhausted and len(inflight) < limit:
                item = next(source, None)
                if item is None:
                    exhausted = True
                    break
                inflight[pool.submit(self.fn, item, self.use_model)] = item

        try:
            fill()
            while inflight:
                ready, _ = wait(inflight, return_when=FIRST_COMPLETED)
                lost: list[WorkItem] = []
                for fut in ready:
                    item = inflight.pop(fut)
                    try:
                        out = fut.result()
                    except BrokenProcessPool:
                        lost.append(item)
                        continue
                    except Exception as e:
                        out = _failed(item, f"internal error in worker: {e.__class__.__name__}: {e}")
                    on_done(out)
                if lost:
                    lost.extend(inflight.values())
                    inflight.clear()
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = self._pool()
                    if alone and len(lost) == 1:
                        on_done(_failed(lost[0], "a worker process died while extracting this input "
                                                 "(out of memory, or a crash in a library)"))
                    else:
                        suspects.extend(lost)
                fill()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


class DaskEngine:
    def __init__(self, scheduler: str | None, jobs: int, use_model: bool = True) -> None:
        self.scheduler = scheduler
        self.jobs = max(1, jobs)
        self.use_model = use_model

    def run(self, items: Iterator[WorkItem], on_done: OnDone) -> None:
        import importlib

        try:
            dd: Any = importlib.import_module("distributed")  # untyped: used through Any
            Client, LocalCluster, as_completed = dd.Client, dd.LocalCluster, dd.as_completed
        except ImportError:  # pragma: no cover - depends on the install
            raise RuntimeError(
                "--engine dask needs the 'distributed' package: pip install 'vnreport-extract[dask]'"
            ) from None
        cluster = None
        if self.scheduler:
            client = Client(self.scheduler)
        else:
            cluster = LocalCluster(n_workers=self.jobs, threads_per_worker=1, processes=True)
            client = Client(cluster)
        try:
            slots = max(1, sum(client.nthreads().values()))
            limit = 2 * slots
            inflight: dict[Any, WorkItem] = {}
            ac = as_completed()

            def feed() -> None:
                for item in items:
                    fut = client.submit(work, item, self.use_model, pure=False)
                    inflight[fut.key] = item
                    ac.add(fut)
                    if len(inflight) >= limit:
                        return

            feed()
            while inflight:
                fut = next(ac)
                item = inflight.pop(fut.key)
                try:
                    out = fut.result()
                except Exception as e:  # the worker died or the task could not run
                    out = _failed(item, f"dask task failed: {e.__class__.__name__}: {e}")
                fut.release()
                on_done(out)
                feed()
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def _chain(first: list[WorkItem], rest: Iterator[WorkItem]) -> Iterator[WorkItem]:
    yield from first
    yield from rest


def make_engine(
    name: str, *, jobs: int = 1, scheduler: str | None = None, use_model: bool = True, extractor: Any = None,
) -> Engine:
    """The engine named ``local`` (``jobs`` processes; one means this process) or ``dask``."""
    if name == "dask":
        return DaskEngine(scheduler, jobs, use_model)
    if name != "local":
        raise ValueError(f"unknown engine {name!r} (expected local or dask)")
    if jobs <= 1:
        return InlineEngine(extractor, use_model)
    return LocalEngine(jobs, use_model)


def default_jobs() -> int:
    """The machine's cores (as this process may use them)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
