"""The API as a type checker sees it from a user's code.

``make test`` runs ``mypy --strict`` on this file: every ``assert_type`` below must hold
statically (at run time it is a no-op, and the test checks the same things by value). If
a public signature loses its types (say ``extract_many`` starts returning ``Any``), mypy
fails here, not in a user's project.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc
from typing_extensions import assert_type

import vnreport_extract
from vnreport_extract import Extractor, InputError, Report, extract
from vnreport_extract.schema import DateMention, Person, Segment
from vnreport_extract.spacy_component import report_of

TEXT = "Sáng ngày 23/9/2025, Đảng ủy xã Tân Hòa tổ chức hội nghị. Đồng chí Nguyễn Văn An phát biểu."


def test_extract_and_report_fields_are_typed() -> None:
    report = extract(TEXT)
    assert_type(report, Report)
    assert_type(report.dates, list[DateMention])
    assert_type(report.people, list[Person])
    assert_type(report.segments, list[Segment])
    assert_type(report.event.date, str | None)
    assert_type(Report.model_validate_json(report.model_dump_json()), Report)
    assert report.dates[0].value == "2025-09-23"


def test_extract_many_keeps_the_item_type() -> None:
    ex = Extractor(use_ner=False)
    plain = ex.extract_many([TEXT])
    assert_type(plain, Iterator[Report])
    tupled = ex.extract_many([(TEXT, 7)])
    assert_type(tupled, Iterator[tuple[Report, int]])
    report, ctx = next(tupled)
    assert isinstance(report, Report) and ctx == 7
    assert isinstance(next(plain), Report)


def test_errors_are_typed() -> None:
    try:
        Extractor(max_chars=5).extract(TEXT)
    except InputError as err:
        assert_type(err.source, str | None)
        assert "over the limit" in str(err)
    else:
        raise AssertionError("InputError expected")


def test_spacy_face_is_typed() -> None:
    nlp = vnreport_extract.load(use_ner=False)
    assert_type(nlp, Language)
    doc = nlp(TEXT)
    assert_type(doc, Doc)
    assert_type(report_of(doc), Report)
    assert report_of(doc).dates[0].value == "2025-09-23"
