"""Worker processes for many reports: each worker builds its Extractor once."""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterable, Iterator
from typing import Any

_worker: Any = None


def _init(use_model: bool) -> None:
    global _worker
    from .pipeline import Extractor

    _worker = Extractor(use_model=use_model)


def _run(text: str) -> Any:
    return _worker.extract(text)


def ordered_map(
    items: Iterable[tuple[str, Any, bool]], *, n_process: int, batch_size: int, use_model: bool = True
) -> Iterator[tuple[tuple[str, Any, bool], Any]]:
    """Extract texts in ``n_process`` workers; results come back in input order."""
    ctx = mp.get_context("spawn")
    with ctx.Pool(n_process, initializer=_init, initargs=(use_model,)) as pool:
        buffer: list[tuple[str, Any, bool]] = []
        for item in items:
            buffer.append(item)
            if len(buffer) >= batch_size * n_process:
                yield from zip(buffer, pool.imap(_run, [b[0] for b in buffer], chunksize=batch_size))
                buffer = []
        if buffer:
            yield from zip(buffer, pool.imap(_run, [b[0] for b in buffer], chunksize=max(1, batch_size)))
