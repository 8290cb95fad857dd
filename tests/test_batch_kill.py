"""A batch killed with SIGKILL in the middle, then started again: every output present,
none corrupt, the archive whole, and the finished inputs skipped rather than redone."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.test_batch import REPORTS
from vnreport_extract.batch import MANIFEST
from vnreport_extract.schema import Report

N = 80
VNREPORT = str(Path(sys.executable).parent / "vnreport")


def _done_lines(out: Path) -> int:
    try:
        raw = (out / MANIFEST).read_text(encoding="utf-8")
    except FileNotFoundError:
        return 0
    return raw.count('"status": "done"')


def _batch(src: Path, out: Path, db: Path) -> subprocess.Popen[bytes]:
    # a session of its own, so the kill reaches the workers too, as a power cut would
    return subprocess.Popen([VNREPORT, "batch", str(src), "-o", str(out), "-j", "2", "--db", str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def test_sigkill_mid_batch_then_resume(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    texts = list(REPORTS.values())
    for i in range(N):  # distinct files: the unit number changes the content
        body = texts[i % 3].replace("tháng 7", f"tháng 7 (đợt {i})").replace("kỳ họp thứ 12", f"kỳ họp thứ {i}")
        (src / f"bao-cao-{i:03d}.txt").write_text(body * 2, encoding="utf-8")
    out, db = tmp_path / "out", tmp_path / "luu-tru.sqlite"

    proc = _batch(src, out, db)
    deadline = time.monotonic() + 120
    while _done_lines(out) < 10 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the batch ended before it could be killed: make it longer"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    killed_at = _done_lines(out)
    assert 10 <= killed_at < N

    # what the kill left: whole outputs or none, never half a report
    for p in out.glob("*.json"):
        Report.model_validate_json(p.read_text(encoding="utf-8"))

    proc = _batch(src, out, db)
    _, err = proc.communicate(timeout=240)
    assert proc.returncode == 0, err.decode()
    outputs = sorted(out.glob("*.json"))
    assert [p.stem for p in outputs] == [f"bao-cao-{i:03d}" for i in range(N)]
    for p in outputs:
        Report.model_validate_json(p.read_text(encoding="utf-8"))
    assert not list(out.glob(".*.tmp"))
    entries = [json.loads(x) for x in (out / MANIFEST).read_text(encoding="utf-8").splitlines()]
    assert len(entries) == N and {e["status"] for e in entries} == {"done"}
    m = re.search(r"(\d+) done, (\d+) skipped, 0 failed", err.decode())
    assert m, err.decode()
    done, skipped = int(m.group(1)), int(m.group(2))
    assert skipped >= killed_at and done + skipped == N  # what was finished before the kill was not redone

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == N
    conn.execute("INSERT INTO segments_fts(segments_fts, rank) VALUES ('integrity-check', 1)")
    conn.close()
