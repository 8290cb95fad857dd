"""The SQLite archive (``--db``) and ``vnreport query`` against a real file."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.test_batch import REPORTS
from vnreport_extract import archive
from vnreport_extract.batch import run_batch
from vnreport_extract.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from vnreport_extract.pipeline import Extractor

    root = tmp_path_factory.mktemp("archive")
    src = root / "in"
    src.mkdir()
    for name, text in REPORTS.items():
        (src / f"{name}.txt").write_text(text, encoding="utf-8")
    path = root / "luu-tru.sqlite"
    res = run_batch([str(src)], root / "out", extractor=Extractor(use_ner=False), db=path)
    assert [r.status for r in res] == ["done"] * 3
    return path


@pytest.fixture()
def conn(db: Path):  # type: ignore[no-untyped-def]
    c = archive.open_archive(db)
    yield c
    c.close()


def _docs(rows: list[dict]) -> list[str]:
    return [Path(r["document"]).stem for r in rows]


@pytest.mark.parametrize(
    ("number", "docs"),
    [
        ("18-NQ/TW", ["tong-ket"]),
        ("số 18 - nq/tw", ["tong-ket"]),  # 'số', spaces and case do not matter
        ("1234/QĐ-UBND", ["ky-hop"]),  # recognized at the end of a sentence, full stop and all
        ("19-NQ/TW", []),  # a neighbour number is another document
    ],
)
def test_cites(conn: sqlite3.Connection, number: str, docs: list[str]) -> None:
    rows = archive.cites(conn, number)
    assert sorted(set(_docs(rows))) == docs
    assert all(r["why"].startswith("cites ") for r in rows)


@pytest.mark.parametrize(
    ("person", "doc", "starts", "why"),
    [
        # the speaker is named in the directive paragraph itself
        ("Trần Quốc Việt", "giao-ban", "Kết luận cuộc họp", "named in the paragraph"),
        # "Phát biểu chỉ đạo, đồng chí ..." introduces him; the tasks follow in the next paragraph
        ("Nguyễn Văn An", "tong-ket", "Đề nghị các chi bộ", "last person named before"),
        ("nguyễn văn an", "tong-ket", "Đề nghị các chi bộ", "last person named before"),  # case folded
        ("Quốc Việt", "giao-ban", "Kết luận cuộc họp", "named in the paragraph"),  # part of a name
    ],
)
def test_directed(conn: sqlite3.Connection, person: str, doc: str, starts: str, why: str) -> None:
    rows = archive.directed(conn, person)
    assert set(_docs(rows)) == {doc}
    # the lead-in that names him ("… nhấn mạnh những nhiệm vụ trọng tâm:") may be a directive too
    row = next(r for r in rows if r["text"].startswith(starts))
    assert why in row["why"]


def test_directed_unknown_person_is_empty(conn: sqlite3.Connection) -> None:
    assert archive.directed(conn, "Phạm Văn Không") == []


@pytest.mark.parametrize(
    ("words", "docs"),
    [
        ("ngập úng", ["tong-ket", "ky-hop"]),  # not tong-ket's directive "chống ngập úng"
        ("NGẬP ÚNG", ["tong-ket", "ky-hop"]),  # case folded
        ("vỉa hè", ["giao-ban"]),
        ("vìa hè", []),  # tone marks are kept: another word
        ('ngập" OR "vỉa', []),  # quotes are data, not FTS syntax
    ],
)
def test_limitations(conn: sqlite3.Connection, words: str, docs: list[str]) -> None:
    rows = archive.limitations(conn, words)
    assert sorted(_docs(rows)) == sorted(docs)
    assert all("limitation" in r["why"] and "[" in r["snippet"] for r in rows)


def test_search_finds_every_label(conn: sqlite3.Connection) -> None:
    rows = archive.search(conn, "ngập úng")
    assert sorted((Path(r["document"]).stem, r["label"]) for r in rows) == [
        ("ky-hop", "limitation"), ("tong-ket", "directive"), ("tong-ket", "limitation")]


@pytest.mark.parametrize(
    ("start", "end", "docs"),
    [
        ("2024-01-01", "2024-12-31", ["ky-hop", "giao-ban"]),  # in date order
        ("2023-12-28", "2023-12-28", ["tong-ket"]),  # bounds included
        ("2025-01-01", "2025-12-31", []),
    ],
)
def test_in_range(conn: sqlite3.Connection, start: str, end: str, docs: list[str]) -> None:
    assert _docs(archive.in_range(conn, start, end)) == docs


def test_tables_are_normalized_with_offsets_into_the_text(conn: sqlite3.Connection) -> None:
    for table in ("segments", "people", "positions", "dates", "resolutions", "mentions"):
        rows = conn.execute(
            f'SELECT d.text AS doc, t.start, t."end", t.text FROM {table} t JOIN documents d ON d.id = t.document_id'
            if table != "people" else
            'SELECT d.text AS doc, t.start, t."end", t.name AS text FROM people t JOIN documents d ON d.id = t.document_id'
        ).fetchall()
        assert rows, table
        for r in rows:
            assert r["doc"][r["start"]:r["end"]] == r["text"], table
    pos = conn.execute("SELECT p.name, x.canonical FROM positions x JOIN people p ON p.id = x.person_id").fetchall()
    assert ("Trần Quốc Việt", "Chủ tịch Ủy ban nhân dân phường") in [tuple(r) for r in pos]


def test_rerun_replaces_rows_and_fills_a_new_archive_from_outputs(tmp_path: Path, extractor) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "tong-ket.txt").write_text(REPORTS["tong-ket"], encoding="utf-8")
    out, path = tmp_path / "out", tmp_path / "a.sqlite"
    run_batch([str(src)], out, extractor=extractor)  # first without an archive
    res = run_batch([str(src)], out, extractor=extractor, db=path)  # skipped, but filled in from its output
    assert [r.status for r in res] == ["skipped"]
    run_batch([str(src)], out, extractor=extractor, db=path, force=True)  # redone: replaced, not doubled
    with archive.Archive(path) as a:
        c = a.conn
        assert c.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
        assert len(archive.limitations(c, "ngập úng")) == 1  # no stale full-text rows
        c.execute("INSERT INTO segments_fts(segments_fts, rank) VALUES ('integrity-check', 1)")


# --- the command line ---------------------------------------------------------------


def test_query_json(db: Path) -> None:
    res = runner.invoke(app, ["query", "cites", "18-NQ/TW", "--db", str(db), "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert [Path(r["document"]).stem for r in rows] == ["tong-ket"]
    assert rows[0]["event_date"] == "2023-12-28"


def test_query_csv(db: Path) -> None:
    res = runner.invoke(app, ["query", "limitations", "ngập úng", "--db", str(db), "-f", "csv"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert sorted(Path(r["document"]).stem for r in rows) == ["ky-hop", "tong-ket"]
    assert {r["label"] for r in rows} == {"limitation"}


@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (["directed", "Nguyễn Văn An"], "Đề nghị các chi bộ"),
        (["dates", "2024-01-01", "2024-12-31"], "2024-07-10"),
        (["search", "thu ngân sách"], "achievement"),
    ],
)
def test_query_table(db: Path, args: list[str], expect: str) -> None:
    res = runner.invoke(app, ["query", *args, "--db", str(db)], env={"COLUMNS": "250"})
    assert res.exit_code == 0, res.output
    assert expect in res.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["cites", "18-NQ/TW", "--db", "khong-co.sqlite"], "no archive at"),
        (["dates", "1/1/2024", "2024-12-31"], "dates are YYYY-MM-DD"),
        (["cites", "18-NQ/TW", "--format", "xml"], "--format must be"),
    ],
)
def test_query_usage_errors_exit_2(db: Path, args: list[str], message: str) -> None:
    if "--db" not in args:
        args = [*args, "--db", str(db)]
    res = runner.invoke(app, ["query", *args])
    assert res.exit_code == 2
    assert message in res.stderr


def test_query_on_a_file_that_is_not_an_archive(tmp_path: Path) -> None:
    bad = tmp_path / "bao-cao.sqlite"
    bad.write_text("Hội nghị tổng kết", encoding="utf-8")
    res = runner.invoke(app, ["query", "cites", "18-NQ/TW", "--db", str(bad)])
    assert res.exit_code == 2
    assert "not a vnreport archive" in res.stderr
