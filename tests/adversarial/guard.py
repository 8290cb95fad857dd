"""A hang guard for tests of hostile input.

Not a performance assertion: the bound is generous (seconds where the work takes
milliseconds), and only catches what would otherwise never finish, such as a regular
expression driven into catastrophic backtracking. ``re`` checks for signals while it
matches, so an alarm interrupts even a single runaway ``search``.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

HANG_SECONDS = 20.0


class _Hung(Exception):
    pass


@contextmanager
def hang_guard(what: str, seconds: float = HANG_SECONDS) -> Iterator[None]:
    """Fail the test, naming ``what``, if the block runs longer than ``seconds``."""
    can_interrupt = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not can_interrupt:  # pragma: no cover - Windows or a worker thread: check afterwards
        t0 = time.monotonic()
        yield
        if time.monotonic() - t0 > seconds:
            pytest.fail(f"{what}: took over {seconds:.0f} s (hang guard)")
        return

    def _alarm(signum: int, frame: object) -> None:
        raise _Hung

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Hung:
        pytest.fail(f"{what}: did not finish within {seconds:.0f} s (hang guard)")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
