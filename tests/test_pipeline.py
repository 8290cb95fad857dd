import json
from pathlib import Path

import pytest

from vnreport_extract import Report, extract
from vnreport_extract.schema import Segment

from .conftest import assert_spans_exact

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted((ROOT / "corpus").glob("*.txt"))


def test_extract_returns_a_validated_report() -> None:
    text = (
        "Đảng ủy xã Tân Hòa tổng kết công tác năm 2024\n"
        "Sáng ngày 20/12/2024, Đảng ủy xã Tân Hòa tổ chức Hội nghị tổng kết công tác xây dựng Đảng năm 2024.\n"
        "Năm 2024, xã hoàn thành 15/15 chỉ tiêu, thu ngân sách đạt 112% dự toán.\n"
        "Tuy nhiên, công tác phát triển đảng viên còn chậm, tỷ lệ đảng viên trẻ còn thấp.\n"
        "Năm 2025, các chi bộ cần tập trung nâng cao chất lượng sinh hoạt, phấn đấu kết nạp 20 đảng viên mới.\n"
    )
    report = extract(text)
    assert isinstance(report, Report)
    assert report.title == "Đảng ủy xã Tân Hòa tổng kết công tác năm 2024"
    assert report.event.date == "2024-12-20"
    assert [s.label for s in report.segments] == ["other", "other", "achievement", "limitation", "directive"]
    assert_spans_exact(report)
    again = Report.model_validate_json(report.model_dump_json())
    assert again == report


def test_validator_rejects_a_span_that_does_not_match() -> None:
    from vnreport_extract.schema import Provenance

    bad = Segment(start=0, end=3, text="xyz", kind="paragraph", provenance=Provenance(name="t"))
    with pytest.raises(ValueError, match="does not match"):
        Report(text="abcdef", segments=[bad])


def test_empty_input_gives_an_empty_report_with_a_warning() -> None:
    report = extract("   \n")
    assert report.segments == [] and report.people == []
    assert report.warnings and "empty" in report.warnings[0]


@pytest.mark.parametrize("path", CORPUS[:12], ids=lambda p: p.name)
def test_corpus_reports_extract_with_exact_spans(path: Path) -> None:
    report = extract(path.read_text(encoding="utf-8"))
    assert_spans_exact(report)
    assert report.segments


def test_schema_file_is_current() -> None:
    committed = json.loads((ROOT / "schema" / "report.schema.json").read_text(encoding="utf-8"))
    assert committed == Report.model_json_schema(), "run `make schema` and commit schema/report.schema.json"
