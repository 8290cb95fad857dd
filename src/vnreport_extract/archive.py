"""A queryable archive of reports: SQLite tables and full-text search over segments.

SQLite is the embedded default: one file, no server, in the standard library, and its
FTS5 extension gives full-text search. The tables are normalized, one row per thing,
each with the character offsets into its document's ``text`` and the rule or model that
produced it (``why``)::

    documents    key (input path, or path#id for a .jsonl record), title, event date, text...
    segments     kind, label, score, offsets, text       (+ segments_fts, FTS5 over text)
    people       name, offsets                           (one row per person per document)
    mentions     where each person is named or referred to
    positions    title, body, unit, canonical form
    dates        ISO value, precision
    resolutions  number ("18-NQ/TW"), kind, type code, issuer, issue date
    directions   which person a directive paragraph is attributed to, and why

The FTS tokenizer is ``unicode61`` with ``remove_diacritics 0``: Vietnamese tone marks
tell words apart ("hạn" limit, "hàn" weld), so they are kept; case is folded.

Queries (:func:`cites`, :func:`directed`, :func:`limitations`, :func:`in_range`,
:func:`search`) return lists of plain dicts, one per row, each with a ``why``.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .schema import Report

ARCHIVE_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    key TEXT UNIQUE NOT NULL,
    input TEXT, record_id TEXT, output TEXT, sha256 TEXT,
    title TEXT,
    event_date TEXT, date_source TEXT, event_place TEXT, event_organizer TEXT, event_kind TEXT,
    encoding TEXT, format TEXT, metadata TEXT, warnings TEXT,
    text TEXT NOT NULL, added TEXT
);
CREATE INDEX IF NOT EXISTS documents_event_date ON documents(event_date);
CREATE TABLE IF NOT EXISTS segments (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    idx INTEGER NOT NULL, kind TEXT, label TEXT, score REAL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL, why TEXT
);
CREATE INDEX IF NOT EXISTS segments_doc ON segments(document_id, idx);
CREATE INDEX IF NOT EXISTS segments_label ON segments(label);
CREATE VIRTUAL TABLE IF NOT EXISTS segments_fts USING fts5(
    text, content='segments', content_rowid='id', tokenize='unicode61 remove_diacritics 0'
);
CREATE TRIGGER IF NOT EXISTS segments_ai AFTER INSERT ON segments BEGIN
    INSERT INTO segments_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER IF NOT EXISTS segments_ad AFTER DELETE ON segments BEGIN
    INSERT INTO segments_fts(segments_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TABLE IF NOT EXISTS people (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    name TEXT NOT NULL, name_folded TEXT NOT NULL,
    start INTEGER, "end" INTEGER, why TEXT
);
CREATE INDEX IF NOT EXISTS people_name ON people(name_folded);
CREATE TABLE IF NOT EXISTS mentions (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    document_id INTEGER NOT NULL REFERENCES documents(id),
    kind TEXT, start INTEGER, "end" INTEGER, text TEXT, why TEXT
);
CREATE TABLE IF NOT EXISTS positions (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    document_id INTEGER NOT NULL REFERENCES documents(id),
    title TEXT, body TEXT, unit TEXT, canonical TEXT, former INTEGER,
    start INTEGER, "end" INTEGER, text TEXT, why TEXT
);
CREATE TABLE IF NOT EXISTS dates (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    value TEXT, precision TEXT, part_of_day TEXT, year_inferred INTEGER,
    start INTEGER, "end" INTEGER, text TEXT, why TEXT
);
CREATE INDEX IF NOT EXISTS dates_value ON dates(value);
CREATE TABLE IF NOT EXISTS resolutions (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    number TEXT, number_folded TEXT, kind TEXT, type_code TEXT, issuer TEXT, issued TEXT, title TEXT,
    start INTEGER, "end" INTEGER, text TEXT, why TEXT
);
CREATE INDEX IF NOT EXISTS resolutions_number ON resolutions(number_folded);
CREATE TABLE IF NOT EXISTS directions (
    segment_id INTEGER NOT NULL REFERENCES segments(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    document_id INTEGER NOT NULL REFERENCES documents(id),
    why TEXT
);
"""

_CHILD_TABLES = ("directions", "mentions", "positions", "people", "dates", "resolutions", "segments")


def fold(s: str) -> str:
    """Case- and form-insensitive key: NFC, casefolded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", s).casefold().split())


def fold_number(s: str) -> str:
    """A document number as compared: no spaces, no 'số', no closing punctuation, upper case.

    ("số 18 - nq/tw" -> "18-NQ/TW"; "1234/QĐ-UBND." -> "1234/QĐ-UBND", as a number at the
    end of a sentence may be recognized with its full stop.)
    """
    s = unicodedata.normalize("NFC", s).strip()
    if s.casefold().startswith("số"):
        s = s[2:]
    return "".join(s.split()).rstrip(".,;:").upper()


def _why(p: Any) -> str | None:
    if p is None:
        return None
    parts = [p.source, p.name] + ([p.pattern] if p.pattern else [])
    return ":".join(parts) + f" ({p.score:.2f})"


def connect(path: Path | str) -> sqlite3.Connection:
    """Open (creating if needed) an archive file with its schema."""
    conn = sqlite3.connect(str(path))
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.executescript(_SCHEMA)
    conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('archive_version', ?)", (ARCHIVE_VERSION,))
    conn.commit()
    return conn


class Archive:
    """Writes reports into the archive; each report in one transaction, replaced by key."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.conn = connect(self.path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def has(self, key: str, sha256: str | None = None) -> bool:
        row = self.conn.execute("SELECT sha256 FROM documents WHERE key = ?", (key,)).fetchone()
        return row is not None and (sha256 is None or row["sha256"] == sha256)

    def add(self, report: Report, *, key: str, input: str | None = None, record_id: str | None = None,
            output: str | None = None, sha256: str | None = None) -> int:
        """Insert ``report`` under ``key``, replacing an earlier version; returns the document id."""
        c = self.conn
        with c:  # one transaction: a killed run leaves the old version or the new
            old = c.execute("SELECT id FROM documents WHERE key = ?", (key,)).fetchone()
            if old is not None:
                for table in _CHILD_TABLES:
                    c.execute(f"DELETE FROM {table} WHERE document_id = ?", (old["id"],))
                c.execute("DELETE FROM documents WHERE id = ?", (old["id"],))
            event_date: str | None = report.event.date
            date_source: str | None = "event"
            if not event_date:
                first = next((d for d in report.dates if d.precision == "day"), None)
                event_date, date_source = (first.value, "first date in the text") if first else (None, None)
            cur = c.execute(
                "INSERT INTO documents(key, input, record_id, output, sha256, title, event_date, date_source,"
                " event_place, event_organizer, event_kind, encoding, format, metadata, warnings, text, added)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (key, input, record_id, output, sha256, report.title, event_date, date_source,
                 report.event.place, report.event.organizer, report.event.kind, report.source.encoding,
                 report.source.format, json.dumps(report.source.metadata, ensure_ascii=False, default=str),
                 json.dumps(report.warnings, ensure_ascii=False), report.text,
                 datetime.now(timezone.utc).isoformat(timespec="seconds")),
            )
            doc = int(cur.lastrowid or 0)
            seg_ids: list[int] = []
            for i, s in enumerate(report.segments):
                why = _why(s.label_provenance) or _why(s.provenance)
                cur = c.execute(
                    'INSERT INTO segments(document_id, idx, kind, label, score, start, "end", text, why)'
                    " VALUES (?,?,?,?,?,?,?,?,?)",
                    (doc, i, s.kind, s.label, s.scores.get(s.label), s.start, s.end, s.text, why),
                )
                seg_ids.append(int(cur.lastrowid or 0))
            person_ids: list[int] = []
            for p in report.people:
                cur = c.execute(
                    'INSERT INTO people(document_id, name, name_folded, start, "end", why) VALUES (?,?,?,?,?,?)',
                    (doc, p.name, fold(p.name), p.start, p.end, _why(p.provenance)),
                )
                pid = int(cur.lastrowid or 0)
                person_ids.append(pid)
                for m in p.mentions:
                    c.execute('INSERT INTO mentions(person_id, document_id, kind, start, "end", text, why)'
                              " VALUES (?,?,?,?,?,?,?)", (pid, doc, m.kind, m.start, m.end, m.text, _why(m.provenance)))
                for pos in p.positions:
                    c.execute(
                        "INSERT INTO positions(person_id, document_id, title, body, unit, canonical, former,"
                        ' start, "end", text, why) VALUES (?,?,?,?,?,?,?,?,?,?,?)',
                        (pid, doc, pos.title, pos.body, pos.unit, pos.canonical, int(pos.former), pos.start,
                         pos.end, pos.text, _why(pos.provenance)),
                    )
            for d in report.dates:
                c.execute('INSERT INTO dates(document_id, value, precision, part_of_day, year_inferred, start, "end",'
                          " text, why) VALUES (?,?,?,?,?,?,?,?,?)",
                          (doc, d.value, d.precision, d.part_of_day, int(d.year_inferred), d.start, d.end, d.text,
                           _why(d.provenance)))
            for r in report.resolutions:
                c.execute(
                    "INSERT INTO resolutions(document_id, number, number_folded, kind, type_code, issuer, issued,"
                    ' title, start, "end", text, why) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)',
                    (doc, r.number, fold_number(r.number), r.kind, r.type_code, r.issuer, r.issued, r.title,
                     r.start, r.end, r.text, _why(r.provenance)),
                )
            for seg_i, person_i, why in attribute_directives(report):
                c.execute("INSERT INTO directions(segment_id, person_id, document_id, why) VALUES (?,?,?,?)",
                          (seg_ids[seg_i], person_ids[person_i], doc, why))
        return doc


def attribute_directives(report: Report) -> list[tuple[int, int, str]]:
    """(segment index, person index, why) for each directive paragraph with a speaker.

    A directive paragraph is attributed to the first person named (or referred to, as
    "đồng chí Bí thư") in it; failing that, to the last person named before it, since a
    report often introduces the speaker ("Phát biểu chỉ đạo, đồng chí ... nhấn mạnh:")
    and lists the tasks in the paragraphs after.
    """
    marks: list[tuple[int, int, int]] = []  # (start, end, person index)
    for pi, p in enumerate(report.people):
        spans = {(m.start, m.end) for m in p.mentions} | {(p.start, p.end)}
        marks.extend((a, b, pi) for a, b in spans)
    marks.sort()
    out: list[tuple[int, int, str]] = []
    last: tuple[int, int] | None = None  # (person index, segment index)
    for si, s in enumerate(report.segments):
        inside = [m for m in marks if s.start <= m[0] and m[1] <= s.end]
        if s.label == "directive":
            if inside:
                who = inside[0]
                out.append((si, who[2], f"named in the paragraph: {report.text[who[0]:who[1]]!r}"))
            elif last is not None and s.kind in ("paragraph", "bullet"):
                out.append((si, last[0], f"last person named before the paragraph (segment {last[1]})"))
        if inside:
            last = (inside[-1][2], si)
    return out


# --- queries -----------------------------------------------------------------------


def _rows(cur: sqlite3.Cursor) -> list[dict[str, Any]]:
    return [dict(r) for r in cur.fetchall()]


def cites(conn: sqlite3.Connection, number: str) -> list[dict[str, Any]]:
    """Reports that cite the document numbered ``number`` ("18-NQ/TW"; case and spaces ignored)."""
    return _rows(conn.execute(
        "SELECT d.key AS document, d.title, d.event_date, r.kind, r.number, r.issuer, r.issued,"
        " r.start, r.\"end\", 'cites ' || r.text || ' at ' || r.start || '-' || r.\"end\" AS why"
        " FROM resolutions r JOIN documents d ON d.id = r.document_id"
        " WHERE r.number_folded = ? ORDER BY d.event_date, d.key, r.start",
        (fold_number(number),),
    ))


def directed(conn: sqlite3.Connection, person: str) -> list[dict[str, Any]]:
    """Directive paragraphs attributed to ``person`` (full name; else any name containing it)."""
    key = fold(person)
    sql = ("SELECT d.key AS document, d.event_date, p.name AS person, s.idx AS segment, s.text, s.score,"
           " x.why AS why FROM directions x JOIN people p ON p.id = x.person_id"
           " JOIN segments s ON s.id = x.segment_id JOIN documents d ON d.id = x.document_id"
           " WHERE {} ORDER BY d.event_date, d.key, s.idx")
    rows = _rows(conn.execute(sql.format("p.name_folded = ?"), (key,)))
    if not rows:
        like = "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = _rows(conn.execute(sql.format("p.name_folded LIKE ? ESCAPE '\\'"), (like,)))
    return rows


def _phrase(words: str) -> str:
    return '"' + words.replace('"', '""') + '"'


def search(conn: sqlite3.Connection, words: str, *, label: str | None = None,
           limit: int = 200) -> list[dict[str, Any]]:
    """Segments containing the phrase ``words`` (FTS5, case folded, tone marks kept)."""
    sql = ("SELECT d.key AS document, d.event_date, s.idx AS segment, s.label, s.score,"
           " snippet(segments_fts, 0, '[', ']', '…', 24) AS snippet, s.why AS label_why"
           " FROM segments_fts f JOIN segments s ON s.id = f.rowid JOIN documents d ON d.id = s.document_id"
           " WHERE segments_fts MATCH ?" + (" AND s.label = ?" if label else "") +
           " ORDER BY d.event_date, d.key, s.idx LIMIT ?")
    args: tuple[Any, ...] = (_phrase(words), label, limit) if label else (_phrase(words), limit)
    rows = _rows(conn.execute(sql, args))
    for r in rows:
        r["why"] = f"{r['label']} paragraph ({r.pop('label_why')}) containing {words!r}"
    return rows


def limitations(conn: sqlite3.Connection, words: str, *, limit: int = 200) -> list[dict[str, Any]]:
    """Paragraphs labelled ``limitation`` that contain ``words``."""
    return search(conn, words, label="limitation", limit=limit)


def in_range(conn: sqlite3.Connection, start: str, end: str) -> list[dict[str, Any]]:
    """Reports whose event date (else first full date in the text) lies in [start, end], ISO dates.

    A month-only event date ("2024-08") counts as the first of its month.
    """
    day = "(CASE WHEN length(event_date) = 7 THEN event_date || '-01' ELSE event_date END)"
    return _rows(conn.execute(
        "SELECT key AS document, title, event_date, event_kind, event_place,"
        " 'event date ' || event_date || ' from the ' || date_source AS why"
        f" FROM documents WHERE {day} >= ? AND {day} <= ? ORDER BY event_date, key",
        (start, end),
    ))


def open_archive(path: Path | str) -> sqlite3.Connection:
    """Open an existing archive for queries.

    Raises:
        FileNotFoundError: no such file (an archive is made by ``vnreport batch --db``).
    """
    if not Path(path).is_file():
        raise FileNotFoundError(f"no archive at {path} (make one with: vnreport batch ... --db {path})")
    conn = sqlite3.connect(str(path))
    conn.row_factory = sqlite3.Row
    return conn
