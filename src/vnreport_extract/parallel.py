"""Worker processes for many reports, results in input order.

Each worker holds one :class:`~vnreport_extract.pipeline.Extractor` for its whole life.
On Linux workers are forked from the calling process, so they start with the caller's
already-loaded extractor (no second model load, no re-import of ``__main__``, so a script
without an ``if __name__ == "__main__"`` guard works too). Elsewhere they are spawned and
rebuild the extractor from its settings once each.

Work goes out in chunks of ``batch_size`` texts, with at most two chunks per worker in
flight, so an endless input streams in bounded memory. A worker that dies makes the
whole map fail with :class:`concurrent.futures.process.BrokenProcessPool` instead of
hanging; an error raised by one text (e.g. :class:`~vnreport_extract.errors.InputError`)
comes back to the caller as it would without workers.
"""

from __future__ import annotations

import multiprocessing as mp
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from .pipeline import Extractor
    from .schema import Report

C = TypeVar("C")

_worker: Extractor | None = None


def _init(extractor: Extractor) -> None:
    # forked: the very object of the caller, inherited with its loaded models (nothing is
    # pickled); spawned: a pickled copy
    global _worker
    _worker = extractor


def _run(texts: list[str]) -> list[Report]:
    if _worker is None:  # pragma: no cover - only if the initializer did not run
        raise RuntimeError("vnreport worker started without an extractor")
    return [_worker.extract(t) for t in texts]


def _context() -> Any:
    if sys.platform == "linux" and "fork" in mp.get_all_start_methods():
        return mp.get_context("fork")
    return mp.get_context("spawn")


def ordered_map(
    items: Iterable[tuple[str, C]], *, extractor: Extractor, n_process: int, batch_size: int = 16
) -> Iterator[tuple[Report, C]]:
    """Extract ``(text, context)`` items in ``n_process`` workers; ``(report, context)`` in input order.

    Args:
        items: texts with anything the caller wants back beside each report (an id, a path).
        extractor: the settings (and, when forking, the loaded models) every worker uses.
        n_process: how many worker processes.
        batch_size: texts per task sent to a worker.
    """
    size = max(1, batch_size)
    it = iter(items)
    pending: deque[tuple[list[C], Future[list[Report]]]] = deque()
    try:
        with ProcessPoolExecutor(
            max_workers=n_process, mp_context=_context(), initializer=_init, initargs=(extractor,)
        ) as pool:
            while True:
                while len(pending) < 2 * n_process:
                    chunk = list(islice(it, size))
                    if not chunk:
                        break
                    pending.append(([c for _, c in chunk], pool.submit(_run, [t for t, _ in chunk])))
                if not pending:
                    return
                contexts, future = pending.popleft()
                yield from zip(future.result(), contexts, strict=True)
    finally:
        for _, future in pending:
            future.cancel()
