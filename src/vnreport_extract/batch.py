"""Many inputs -> one JSON report each, with progress and a per-file error list.

Each output is written atomically (a temporary file in the output folder, then a rename),
so an interrupted run never leaves half a report. A failing file is recorded in
``errors.jsonl`` and the batch goes on.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .io.readers import read_path
from .schema import Report, Source


@dataclass
class FileResult:
    input: str
    output: str | None
    status: str  # "done" | "failed"
    error: str | None = None
    seconds: float = 0.0
    labels: dict[str, int] = field(default_factory=dict)


def safe_name(path: str) -> str:
    """An output file name from an input path that cannot escape the output folder."""
    stem = Path(path).name
    stem = re.sub(r"\.(txt|html?|docx|jsonl|text)$", "", stem, flags=re.IGNORECASE)
    stem = re.sub(r"[^\w.\-]+", "_", stem).strip("._") or "report"
    return stem[:180]


def write_atomic(path: Path, data: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def extract_file(extractor: object, path: str) -> Report:
    decoded = read_path(path)
    src = Source(path=path, encoding=decoded.encoding, format="txt")
    report: Report = extractor.extract(decoded.text, source=src)  # type: ignore[attr-defined]
    report.warnings.extend(decoded.warnings)
    return report


def run_batch(
    inputs: Iterable[str],
    out_dir: Path,
    *,
    extractor: object,
    on_result: Callable[[FileResult], None] | None = None,
) -> list[FileResult]:
    """Extract every input into ``out_dir/NAME.json``; failures go to ``errors.jsonl``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    results: list[FileResult] = []
    used: set[str] = set()
    for path in inputs:
        t0 = time.perf_counter()
        name = safe_name(path)
        while name in used:
            name += "_"
        used.add(name)
        target = out_dir / f"{name}.json"
        try:
            report = extract_file(extractor, path)
            write_atomic(target, report.model_dump_json(indent=1))
            labels: dict[str, int] = {}
            for s in report.segments:
                labels[s.label] = labels.get(s.label, 0) + 1
            res = FileResult(path, str(target), "done", seconds=time.perf_counter() - t0, labels=labels)
        except InputError as e:
            res = FileResult(path, None, "failed", error=e.reason, seconds=time.perf_counter() - t0)
        except Exception as e:  # a bug must not sink the batch: report it with the file's name
            res = FileResult(path, None, "failed", error=f"internal error: {e.__class__.__name__}: {e}",
                             seconds=time.perf_counter() - t0)
        results.append(res)
        if res.status == "failed":
            with open(out_dir / "errors.jsonl", "a", encoding="utf-8") as f:
                f.write(json.dumps({"input": path, "error": res.error}, ensure_ascii=False) + "\n")
        if on_result:
            on_result(res)
    return results
