"""Many inputs -> one JSON report each: parallel, resumable, with a manifest.

The flow of a run (:func:`run_batch`):

1. The inputs (files, folders, globs, ``-``) are expanded (:mod:`.io.inputs`); the main
   process reads each file's bytes and their SHA-256; a ``.jsonl`` file is split into
   its records, each a work item of its own (a malformed line is a failure of that
   line only).
2. An item whose content (SHA-256) and tool version match a ``done`` line of
   ``OUT_DIR/manifest.jsonl``, and whose output still parses, is skipped.
3. The rest go to an engine (:mod:`.engines`): in this process (``-j 1``), a pool of
   worker processes that each load the models once, or a Dask cluster. Workers get the
   bytes, not paths, so cluster workers need no shared disk.
4. The main process writes each report atomically (a temporary file in the output
   folder, fsync, rename), then the archive row (``--db``, one transaction), then the
   manifest line (fsync). A run killed at any point (even by SIGKILL) leaves whole
   outputs or none; the next run removes stray temporary files and redoes whatever has
   no ``done`` manifest line. Re-doing is harmless: outputs are replaced whole and
   archive rows are replaced by key.

Failures never stop the batch: each is a manifest line and a line of ``errors.jsonl``
(this run's failures) naming the input, the record and the reason.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from . import __version__
from .errors import InputError
from .io.inputs import InputFile, expand_inputs, safe_join
from .io.readers import DEFAULT_MAX_BYTES, read_bytes
from .schema import SCHEMA_VERSION, Report, Source

TOOL_VERSION = f"{__version__}+schema{SCHEMA_VERSION}"
MANIFEST = "manifest.jsonl"
ERRORS = "errors.jsonl"
LOCK = ".vnreport-batch.lock"
_TMP_RE = re.compile(r"^\..+\.tmp$")


@dataclass
class FileResult:
    """What happened to one input (a file, or one record of a ``.jsonl`` file)."""

    input: str
    output: str | None
    status: str  # "done" | "failed" | "skipped"
    error: str | None = None
    seconds: float = 0.0
    labels: dict[str, int] = field(default_factory=dict)
    key: str = ""
    record_id: str | None = None
    line: int | None = None
    sha256: str | None = None
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class WorkItem:
    """One document to extract, with its bytes (or record text) so any worker can do it."""

    key: str
    input: str
    name: str
    format: str  # txt | html | docx | record
    sha256: str
    data: bytes | None = None
    text: str | None = None
    record_id: str | None = None
    line: int | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    read_seconds: float = 0.0


@dataclass
class Outcome:
    """A worker's answer: the report as JSON, or the reason it failed."""

    key: str
    status: str  # "done" | "failed"
    report_json: str | None = None
    error: str | None = None
    encoding: str | None = None
    labels: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


# --- worker side -------------------------------------------------------------------


def process_item(item: WorkItem, extractor: Any) -> Outcome:
    """Decode and extract one work item; never raises (a failure is an :class:`Outcome`)."""
    t0 = time.perf_counter()
    try:
        if item.text is not None:
            text, encoding, warnings, meta = item.text, "utf-8 (jsonl)", list(item.warnings), dict(item.metadata)
            fmt = "jsonl"
        else:
            decoded = read_bytes(item.data or b"", item.format, name=item.input)
            text, encoding, warnings = decoded.text, decoded.encoding, list(item.warnings) + decoded.warnings
            meta = {**item.metadata, **decoded.metadata}
            fmt = item.format
        t1 = time.perf_counter()
        src = Source(path=None if item.input == "-" else item.input, id=item.record_id or
                     ("<stdin>" if item.input == "-" else None), encoding=encoding, format=fmt, metadata=meta)
        report: Report = extractor.extract(text, source=src)
        report.warnings.extend(warnings)
        labels: dict[str, int] = {}
        for s in report.segments:
            labels[s.label] = labels.get(s.label, 0) + 1
        t2 = time.perf_counter()
        return Outcome(item.key, "done", report_json=report.model_dump_json(indent=1), encoding=encoding,
                       labels=labels, warnings=report.warnings,
                       timings={"decode": round(t1 - t0, 4), "extract": round(t2 - t1, 4)})
    except InputError as e:
        return Outcome(item.key, "failed", error=e.reason, timings={"decode": round(time.perf_counter() - t0, 4)})
    except Exception as e:  # a bug must not sink the batch: report it with the file's name
        return Outcome(item.key, "failed", error=f"internal error: {e.__class__.__name__}: {e}",
                       timings={"decode": round(time.perf_counter() - t0, 4)})


def extract_file(extractor: object, path: str) -> Report:
    """Read and extract one file (format by suffix); kept for callers of earlier versions."""
    from .io.inputs import format_of

    data = Path(path).read_bytes()
    out = process_item(WorkItem(path, path, "", format_of(path), "", data=data), extractor)
    if out.status != "done" or out.report_json is None:
        raise InputError(out.error or "failed", source=path)
    return Report.model_validate_json(out.report_json)


# --- files -------------------------------------------------------------------------


def safe_name(path: str) -> str:
    """An output file name from an input path that cannot escape the output folder."""
    return safe_join([Path(path).name])


def write_atomic(path: Path, data: str) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new, never half."""
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


def output_is_valid(path: Path) -> bool:
    """The output exists and parses as JSON (atomic writes make anything else a bug)."""
    try:
        with open(path, encoding="utf-8") as f:
            json.load(f)
        return True
    except (OSError, ValueError):
        return False


class Manifest:
    """``OUT_DIR/manifest.jsonl``: one line per processed item, the last line of a key wins.

    Lines are appended and fsynced one by one; a line cut short by a crash is ignored
    on reading, and :meth:`compact` rewrites the file (atomically) with one line per key.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, dict[str, Any]] = {}
        self.broken_lines = 0
        if path.exists():
            raw = path.read_bytes()
            for line in raw.split(b"\n"):
                if not line.strip():
                    continue
                try:
                    e = json.loads(line)
                    self.entries[e["key"]] = e
                except (ValueError, KeyError, TypeError):
                    self.broken_lines += 1
            if raw and not raw.endswith(b"\n"):  # a line cut by a kill: start ours on a new line
                with open(path, "ab") as f:
                    f.write(b"\n")

    def append(self, entry: dict[str, Any]) -> None:
        self.entries[entry["key"]] = entry
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())

    def compact(self) -> None:
        write_atomic(self.path, "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in self.entries.values()))


# --- the run -----------------------------------------------------------------------


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_input(f: InputFile, max_bytes: int, stdin: Any) -> bytes:
    if f.path == "-":
        data: bytes = stdin.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputError(f"standard input is over the limit of {max_bytes:,} bytes", source="<stdin>")
        return data
    p = Path(f.path)
    try:
        if p.is_dir():
            raise InputError("is a folder, not a file", source=f.path)
        size = p.stat().st_size
        if size > max_bytes:
            raise InputError(f"file is {size:,} bytes, over the limit of {max_bytes:,}", source=f.path)
        return p.read_bytes()
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror}", source=f.path) from None


def iter_work(
    files: Iterable[InputFile], *, max_bytes: int = DEFAULT_MAX_BYTES, stdin: Any = None,
) -> Iterator[WorkItem | FileResult]:
    """Work items in input order; unreadable files and bad ``.jsonl`` lines as failed results."""
    for f in files:
        t0 = time.perf_counter()
        key = "<stdin>" if f.path == "-" else f.path
        if f.format == "jsonl":  # streamed line by line: a .jsonl archive may hold gigabytes
            yield from _iter_jsonl(f, key, stdin)
            continue
        try:
            data = _read_input(f, max_bytes, stdin)
        except InputError as e:
            yield FileResult(f.path, None, "failed", error=e.reason, key=key)
            continue
        yield WorkItem(key, f.path, f.name, f.format, _sha(data), data=data, read_seconds=time.perf_counter() - t0)


def _iter_jsonl(f: InputFile, key: str, stdin: Any) -> Iterator[WorkItem | FileResult]:
    from .io.jsonl_reader import Record, iter_records

    try:
        stream = stdin if f.path == "-" else open(f.path, "rb")  # noqa: SIM115 - closed below
    except OSError as e:
        yield FileResult(f.path, None, "failed", error=f"cannot read: {e.strerror}", key=key)
        return
    try:
        t0 = time.perf_counter()
        n = 0
        for n, r in enumerate(iter_records(stream), start=1):  # noqa: B007 - n counts after the loop
            if isinstance(r, Record):
                yield WorkItem(f"{key}#{r.id}", f.path, safe_join([f.name, r.id]), "record", _sha(r.raw),
                               text=r.text, record_id=r.id, line=r.line, metadata=r.metadata, warnings=r.warnings,
                               read_seconds=time.perf_counter() - t0)
            else:
                yield FileResult(f.path, None, "failed", error=f"line {r.line}: {r.error}",
                                 key=f"{key}:{r.line}", record_id=r.id, line=r.line)
            t0 = time.perf_counter()
        if n == 0:
            yield FileResult(f.path, None, "failed", error="no records (an empty .jsonl file)", key=key)
    except OSError as e:
        yield FileResult(f.path, None, "failed", error=f"cannot read: {e.strerror}", key=key)
    finally:
        if stream is not stdin:
            stream.close()


def run_batch(
    inputs: Iterable[str],
    out_dir: Path,
    *,
    extractor: object | None = None,
    on_result: Callable[[FileResult], None] | None = None,
    on_total: Callable[[int], None] | None = None,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    db: Path | str | None = None,
    use_model: bool = True,
    include: Iterable[str] = (),
    stdin_format: str = "txt",
    stdin: Any = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    force: bool = False,
) -> list[FileResult]:
    """Extract every input into ``out_dir/NAME.json``; see the module docstring.

    Args:
        inputs: files, folders, glob patterns, or ``-`` for ``stdin``.
        out_dir: the output folder; it also holds ``manifest.jsonl`` and ``errors.jsonl``.
        extractor: an :class:`~vnreport_extract.pipeline.Extractor` to use in this
            process (``jobs=1``); workers build their own from ``use_model``.
        on_result: called in the main process for every input, in completion order.
        on_total: called with the number of inputs whenever it grows (``.jsonl`` records).
        jobs: worker processes (``local``) or, for a new local Dask cluster, workers.
        engine: ``"local"`` or ``"dask"``.
        scheduler: the Dask scheduler address; none starts a local cluster.
        db: also write every report into this SQLite archive (:mod:`.archive`).
        include: file-name patterns for folders (default: every known suffix).
        stdin_format: the format of ``-``.
        stdin: a binary stream for ``-`` (default: ``sys.stdin.buffer``).
        max_bytes: larger files are failures, not read.
        force: redo everything, ignoring the manifest.

    Returns:
        One :class:`FileResult` per input file or ``.jsonl`` record, in completion order.

    Raises:
        RuntimeError: another batch is writing to ``out_dir``.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with _exclusive(out_dir):
        return _run(inputs, out_dir, extractor=extractor, on_result=on_result, on_total=on_total, jobs=jobs,
                    engine=engine, scheduler=scheduler, db=db, use_model=use_model, include=include,
                    stdin_format=stdin_format, stdin=stdin, max_bytes=max_bytes, force=force)


@contextmanager
def _exclusive(out_dir: Path) -> Iterator[None]:
    """One batch per output folder: a second would delete the first's temporary files.

    Raises:
        RuntimeError: another run holds the folder. The lock is released by the kernel when
            its holder dies, so a killed run never leaves the folder locked.
    """
    import fcntl

    f = open(out_dir / LOCK, "w")  # noqa: SIM115 - held for the whole run
    try:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RuntimeError(f"another vnreport batch is writing to {out_dir}") from None
        yield
    finally:
        f.close()


def _run(
    inputs: Iterable[str],
    out_dir: Path,
    *,
    extractor: object | None,
    on_result: Callable[[FileResult], None] | None,
    on_total: Callable[[int], None] | None,
    jobs: int,
    engine: str,
    scheduler: str | None,
    db: Path | str | None,
    use_model: bool,
    include: Iterable[str],
    stdin_format: str,
    stdin: Any,
    max_bytes: int,
    force: bool,
) -> list[FileResult]:
    from .engines import make_engine

    out_root = out_dir.resolve()
    for stale in out_dir.iterdir():  # left by a killed run: never complete, never read
        if stale.is_file() and _TMP_RE.match(stale.name):
            stale.unlink(missing_ok=True)
    manifest = Manifest(out_dir / MANIFEST)
    errors_path = out_dir / ERRORS
    errors_path.write_text("", encoding="utf-8")
    archive = None
    if db is not None:
        from .archive import Archive

        archive = Archive(db)
    if stdin is None:
        import sys

        stdin = sys.stdin.buffer

    files = expand_inputs(inputs, include=include, stdin_format=stdin_format, exclude=[out_dir])
    total = len(files)
    if on_total:
        on_total(total)

    # output names: a key keeps the name the manifest gave it; new keys avoid names in use
    taken: dict[str, str] = {}
    for k, e in manifest.entries.items():
        if e.get("name"):
            taken.setdefault(e["name"], k)

    def name_for(key: str, wanted: str) -> str:
        old = manifest.entries.get(key, {}).get("name")
        if old and taken.get(old) == key:
            return str(old)
        name = wanted
        while name in taken and taken[name] != key:
            name += "_"
        taken[name] = key
        return name

    results: list[FileResult] = []
    pending: dict[str, WorkItem] = {}

    def record(res: FileResult, extra: dict[str, Any] | None = None) -> None:
        results.append(res)
        if res.status != "skipped":
            entry = {
                "key": res.key, "input": res.input, "record_id": res.record_id, "line": res.line,
                "name": (extra or {}).get("name"), "output": res.output, "sha256": res.sha256,
                "status": res.status, "error": res.error, "encoding": res.encoding,
                "warnings": res.warnings, "labels": res.labels, "timings": res.timings,
                "tool_version": TOOL_VERSION, "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            }
            manifest.append(entry)
        if res.status == "failed":
            with open(errors_path, "a", encoding="utf-8") as f:
                line: dict[str, Any] = {"input": res.input, "error": res.error}
                if res.record_id is not None or res.line is not None:
                    line.update(record_id=res.record_id, line=res.line)
                f.write(json.dumps(line, ensure_ascii=False) + "\n")
        if on_result:
            on_result(res)

    def items() -> Iterator[WorkItem]:
        nonlocal total
        seen_files: set[str] = set()
        for w in iter_work(files, max_bytes=max_bytes, stdin=stdin):
            path = w.input
            if path in seen_files:  # a second record of a .jsonl file: one more to do
                total += 1
                if on_total:
                    on_total(total)
            seen_files.add(path)
            if isinstance(w, FileResult):
                record(w)
                continue
            w.name = name_for(w.key, w.name)
            target = out_dir / f"{w.name}.json"
            if target.resolve().parent != out_root:  # cannot happen with safe names; never write outside
                record(FileResult(w.input, None, "failed", error="output name leaves the output folder", key=w.key))
                continue
            prev = manifest.entries.get(w.key)
            if (not force and prev and prev.get("status") == "done" and prev.get("sha256") == w.sha256
                    and prev.get("tool_version") == TOOL_VERSION and output_is_valid(target)):
                if archive is not None and not archive.has(w.key, w.sha256):
                    archive.add(Report.model_validate_json(target.read_text(encoding="utf-8")), key=w.key,
                                input=w.input, record_id=w.record_id, output=str(target), sha256=w.sha256)
                record(FileResult(w.input, str(target), "skipped", key=w.key, record_id=w.record_id,
                                  line=w.line, sha256=w.sha256, labels=dict(prev.get("labels") or {}),
                                  encoding=prev.get("encoding")))
                continue
            pending[w.key] = w
            yield w

    def done(out: Outcome) -> None:
        w = pending.pop(out.key)
        t0 = time.perf_counter()
        target = out_dir / f"{w.name}.json"
        res = FileResult(w.input, None, out.status, error=out.error, key=w.key, record_id=w.record_id,
                         line=w.line, sha256=w.sha256, encoding=out.encoding, labels=out.labels,
                         warnings=out.warnings, timings={"read": round(w.read_seconds, 4), **out.timings})
        if out.status == "done" and out.report_json is not None:
            try:
                write_atomic(target, out.report_json)
                res.output = str(target)
                if archive is not None:
                    archive.add(Report.model_validate_json(out.report_json), key=w.key, input=w.input,
                                record_id=w.record_id, output=str(target), sha256=w.sha256)
            except OSError as e:
                res.status, res.error, res.output = "failed", f"cannot write output: {e.strerror}", None
        res.timings["write"] = round(time.perf_counter() - t0, 4)
        res.seconds = round(sum(res.timings.values()), 4)
        record(res, {"name": w.name})

    eng = make_engine(engine, jobs=jobs, scheduler=scheduler, use_model=use_model, extractor=extractor)
    try:
        eng.run(items(), done)
    finally:
        if archive is not None:
            archive.close()
    manifest.compact()
    return results


def summarize(results: Iterable[FileResult]) -> dict[str, Any]:
    """Counts by status, and segment labels and input encodings of done and skipped reports."""
    counts = {"done": 0, "skipped": 0, "failed": 0}
    labels: dict[str, int] = {}
    encodings: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
        if r.status != "failed":
            for k, v in r.labels.items():
                labels[k] = labels.get(k, 0) + v
            if r.encoding:
                encodings[r.encoding] = encodings.get(r.encoding, 0) + 1
    return {**counts, "labels": labels, "encodings": encodings}


def result_dict(r: FileResult) -> dict[str, Any]:
    return asdict(r)
