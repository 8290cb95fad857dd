"""The public library API: extract, Extractor, extract_many, Report JSON, typed errors."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources
from typing import Any

import pydantic
import pytest

import vnreport_extract
from vnreport_extract import Extractor, InputError, Report, extract
from vnreport_extract.errors import VnreportError

from .conftest import assert_spans_exact

REPORTS = [
    # (text, first date, first person)
    (
        "Sáng ngày 23/9/2025, Đảng ủy xã Tân Hòa tổ chức Hội nghị tổng kết công tác năm.\n"
        "Đồng chí Nguyễn Văn Bảo, Bí thư Đảng ủy xã chủ trì hội nghị.",
        "2025-09-23",
        "Nguyễn Văn Bảo",
    ),
    (
        "Chiều 5/3/2025, HĐND phường Phúc La tổ chức kỳ họp thứ 20.\n"
        "Bà Lê Thị Mai, Chủ tịch HĐND phường phát biểu khai mạc.",
        "2025-03-05",
        "Lê Thị Mai",
    ),
    (
        "Ngày 12/01/2024, Ban Thường vụ Huyện ủy Gia Lâm sơ kết 5 năm thực hiện Nghị quyết số 18-NQ/TW.\n"
        "Ông Trần Quốc Khánh, Phó Bí thư Thường trực Huyện ủy đề nghị các đơn vị khắc phục hạn chế.",
        "2024-01-12",
        "Trần Quốc Khánh",
    ),
]


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor(use_ner=False)


def summary(report: Report) -> tuple[str | None, str | None]:
    return (report.dates[0].value if report.dates else None, report.people[0].name if report.people else None)


@pytest.mark.parametrize(("text", "date", "person"), REPORTS, ids=["xa", "hdnd", "huyen-uy"])
def test_extract_gives_a_typed_report(text: str, date: str, person: str) -> None:
    report = extract(text)
    assert isinstance(report, Report)
    assert summary(report) == (date, person)
    assert_spans_exact(report)


@pytest.mark.parametrize(
    ("source", "path", "sid"),
    [
        ("reports/tan-hoa.txt", "reports/tan-hoa.txt", None),  # a str names a file
        ({"id": "row-17", "metadata": {"batch": 3}}, None, "row-17"),  # a dict is a Source
        (None, None, None),
    ],
)
def test_extract_records_the_source(ex: Extractor, source: Any, path: str | None, sid: str | None) -> None:
    report = ex.extract(REPORTS[0][0], source=source)
    assert (report.source.path, report.source.id) == (path, sid)
    assert report.source.sha256 and len(report.source.sha256) == 64


def test_extractor_loads_once_and_is_reused(ex: Extractor) -> None:
    first = ex.extract(REPORTS[0][0])
    model = ex.classifier.model
    second = ex.extract(REPORTS[0][0])
    assert ex.classifier.model is model  # not reloaded between calls
    assert first == second


def test_module_level_extract_reuses_one_extractor() -> None:
    from vnreport_extract import pipeline

    extract("Ngày 2/9/2025, xã tổ chức lễ.")
    held = pipeline._default
    extract("Ngày 3/9/2025, xã tổ chức lễ.")
    assert held is not None and pipeline._default is held


# --- extract_many ------------------------------------------------------------------------


def test_extract_many_streams_in_input_order(ex: Extractor) -> None:
    texts = [t for t, _, _ in REPORTS]
    out = list(ex.extract_many(texts))
    assert [summary(r) for r in out] == [(d, p) for _, d, p in REPORTS]


def test_extract_many_carries_ids_through_as_tuples(ex: Extractor) -> None:
    items = [(t, {"id": f"doc-{i}"}) for i, (t, _, _) in enumerate(REPORTS)]
    out = list(ex.extract_many(items))
    assert [ctx["id"] for _, ctx in out] == ["doc-0", "doc-1", "doc-2"]
    assert [summary(r) for r, _ in out] == [(d, p) for _, d, p in REPORTS]


def test_extract_many_is_lazy(ex: Extractor) -> None:
    consumed: list[int] = []

    def texts() -> Any:
        for i, (t, _, _) in enumerate(REPORTS * 100):
            consumed.append(i)
            yield t

    stream = ex.extract_many(texts())
    next(stream)
    assert len(consumed) == 1  # one report made, the other 299 not yet read


def test_extract_many_with_two_processes_matches_one(ex: Extractor) -> None:
    items = [(t, i) for i, (t, _, _) in enumerate(REPORTS * 4)]
    one = list(ex.extract_many(items))
    two = list(ex.extract_many(items, n_process=2, batch_size=2))
    assert [i for _, i in two] == list(range(len(items)))
    assert [r for r, _ in two] == [r for r, _ in one]


def test_workers_use_the_callers_settings() -> None:
    # tone style (and every other setting) travels to the workers with the extractor
    ex = Extractor(use_ner=False, use_model=False, tone_style="modern")
    [report] = list(ex.extract_many(["Ngày 2/9/2025, Đảng ủy xã tổ chức hội nghị về văn hóa."], n_process=2))
    assert "văn hoá" in report.text and "Đảng uỷ" in report.text


def test_an_error_in_a_worker_reaches_the_caller(ex: Extractor) -> None:
    small = Extractor(use_ner=False, max_chars=100)
    with pytest.raises(InputError, match="over the limit of 100"):
        list(small.extract_many(["Ngày 2/9/2025.", "x" * 500], n_process=2))


# --- typed errors with messages a user can act on -----------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        # bytes: say how to read a file properly
        (lambda ex: ex.extract(b"Ng\xc3\xa0y 2/9/2025"), "read bytes with vnreport_extract.io.read_path"),
        # too large: say the size and the limit
        (lambda ex: Extractor(max_chars=50).extract("x" * 51, source="big.txt"), "big.txt: input has 51 characters, over the limit of 50"),
        # one string given to extract_many: say which function to use
        (lambda ex: list(ex.extract_many("Ngày 2/9/2025.")), "for one text use extract"),
    ],
    ids=["bytes", "too-large", "str-to-extract-many"],
)
def test_errors_are_typed_and_actionable(ex: Extractor, call: Any, message: str) -> None:
    with pytest.raises(InputError) as info:
        call(ex)
    assert message in str(info.value)
    assert isinstance(info.value, VnreportError)


def test_input_error_names_its_source() -> None:
    err = InputError("not text", source="scan.pdf")
    assert (err.source, err.reason, str(err)) == ("scan.pdf", "not text", "scan.pdf: not text")


# --- Report JSON ----------------------------------------------------------------------------


def test_report_json_round_trip(ex: Extractor) -> None:
    report = ex.extract(REPORTS[2][0], source={"path": "a.txt", "metadata": {"k": 1}})
    again = Report.model_validate_json(report.model_dump_json())
    assert again == report
    assert again.by_label("directive") == report.by_label("directive")


def test_loading_a_tampered_report_fails_loudly(ex: Extractor) -> None:
    data = ex.extract(REPORTS[0][0]).model_dump(mode="json")
    data["dates"][0]["start"] += 1  # offsets no longer match the text
    with pytest.raises(pydantic.ValidationError, match="does not match the text"):
        Report.model_validate(data)


# --- packaging: cheap import, typed, everything exported resolves -------------------------


def test_import_is_cheap_and_loads_nothing_heavy() -> None:
    code = (
        "import sys, vnreport_extract\n"
        "heavy = [m for m in ('spacy', 'underthesea', 'thinc', 'numpy', 'pydantic') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_every_exported_name_resolves() -> None:
    for name in vnreport_extract.__all__:
        assert getattr(vnreport_extract, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        vnreport_extract.Nope  # noqa: B018


def test_py_typed_is_shipped() -> None:
    assert resources.files("vnreport_extract").joinpath("py.typed").is_file()


def test_spawned_workers_rebuild_the_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    # where fork is missing (macOS, Windows) workers are spawned and get the extractor pickled
    import multiprocessing as mp

    from vnreport_extract import parallel

    monkeypatch.setattr(parallel, "_context", lambda: mp.get_context("spawn"))
    ex = Extractor(use_ner=False, use_model=False, tone_style="modern")
    texts = ["Ngày 2/9/2025, Đảng ủy xã tổ chức hội nghị về văn hóa.", "Ngày 3/9/2025, xã họp."]
    out = list(ex.extract_many([(t, i) for i, t in enumerate(texts)], n_process=2, batch_size=1))
    assert [i for _, i in out] == [0, 1]
    assert [r.dates[0].value for r, _ in out] == ["2025-09-02", "2025-09-03"]
    assert "văn hoá" in out[0][0].text


def test_cli_library_and_spacy_give_one_report(tmp_path: Any) -> None:
    # three faces of one pipeline: the CLI's JSON, extract() and the spaCy doc agree
    from typer.testing import CliRunner

    import vnreport_extract
    from vnreport_extract.cli import app
    from vnreport_extract.spacy_component import report_of

    text = REPORTS[2][0] + "\n"
    path = tmp_path / "gia-lam.txt"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    from_cli = Report.model_validate_json(result.stdout)
    from_library = Extractor().extract(text)
    doc = vnreport_extract.load()(text)
    from_spacy = report_of(doc)
    skip = {"source"}  # the CLI also records the file's path, encoding and format
    assert from_cli.model_dump(exclude=skip) == from_library.model_dump(exclude=skip) == from_spacy.model_dump(exclude=skip)


def test_a_worker_that_dies_fails_the_stream_instead_of_hanging(tmp_path: Any) -> None:
    # e.g. killed by the OOM killer: the caller gets BrokenProcessPool, not an endless wait
    script = tmp_path / "dies.py"
    script.write_text(
        "import os\n"
        "from concurrent.futures.process import BrokenProcessPool\n"
        "from vnreport_extract import Extractor\n"
        "class Dying(Extractor):\n"
        "    def extract(self, text, *, source=None):\n"
        "        if text == 'die':\n"
        "            os._exit(3)\n"
        "        return super().extract(text, source=source)\n"
        "try:\n"
        "    list(Dying(use_ner=False, use_model=False).extract_many(['Ngày 2/9/2025.', 'die'] * 3, n_process=2, batch_size=1))\n"
        "except BrokenProcessPool:\n"
        "    print('broken')\n",
        encoding="utf-8",
    )
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "broken", out.stderr[-2000:]
