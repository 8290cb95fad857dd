"""``.jsonl`` files: one report per line, ``{"id": ..., "text": ..., ...}``.

Every other key of a record is metadata and is carried into ``source.metadata`` of its
report (a ``"metadata"`` object is merged in as well). A line that is not a JSON object
with a string ``text`` is an error of that line only: the other lines are still read.
Blank lines are skipped. Records without ``id`` are named by their line number, with a
warning; a repeated ``id`` is an error of the later line.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

DEFAULT_MAX_LINE_CHARS = 10_000_000


@dataclass
class Record:
    line: int
    id: str
    text: str
    metadata: dict[str, object] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    raw: bytes = b""


@dataclass
class RecordError:
    line: int
    error: str
    id: str | None = None


def iter_records(
    data: bytes | Iterable[bytes], *, max_line_chars: int = DEFAULT_MAX_LINE_CHARS,
) -> Iterator[Record | RecordError]:
    """Records and per-line errors, in line order, from a file's bytes or its lines.

    Pass an open binary file to stream a large archive line by line.
    """
    lines: Iterable[bytes] = data.split(b"\n") if isinstance(data, bytes) else data
    seen: dict[str, int] = {}
    for n, raw in enumerate(lines, start=1):
        if n == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[3:]
        raw = raw.rstrip(b"\r\n")
        if not raw.strip():
            continue
        if len(raw) > max_line_chars * 4:
            yield RecordError(n, f"line is {len(raw):,} bytes, over the limit")
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            yield RecordError(n, f"not UTF-8 (byte {e.start}); JSON Lines files must be UTF-8")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            yield RecordError(n, f"not valid JSON ({e.msg} at column {e.colno})")
            continue
        if not isinstance(obj, dict):
            yield RecordError(n, f"a JSON {type(obj).__name__}, not an object with 'id' and 'text'")
            continue
        rid = obj.get("id")
        text = obj.get("text")
        if rid is not None and not isinstance(rid, (str, int)):
            yield RecordError(n, f"'id' must be a string or a number, not {type(rid).__name__}")
            continue
        if not isinstance(text, str):
            why = "no 'text'" if text is None else f"'text' is a {type(text).__name__}, not a string"
            yield RecordError(n, why, id=None if rid is None else str(rid))
            continue
        if len(text) > max_line_chars:
            yield RecordError(n, f"'text' has {len(text):,} characters, over the limit of {max_line_chars:,}")
            continue
        warnings: list[str] = []
        if rid is None:
            rid = f"line{n}"
            warnings.append(f"record on line {n} has no 'id'; named {rid!r}")
        rid = str(rid)
        if rid in seen:
            yield RecordError(n, f"repeated id {rid!r} (first on line {seen[rid]})", id=rid)
            continue
        seen[rid] = n
        meta = {k: v for k, v in obj.items() if k not in ("id", "text", "metadata")}
        if isinstance(obj.get("metadata"), dict):
            meta.update(obj["metadata"])
        yield Record(line=n, id=rid, text=text, metadata=meta, warnings=warnings, raw=raw)
