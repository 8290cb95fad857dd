from __future__ import annotations

import pytest

from vnreport_extract.pipeline import Extractor
from vnreport_extract.schema import Report


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor(use_ner=False)


def assert_spans_exact(report: Report) -> None:
    """Every span in a report indexes its text exactly."""
    t = report.text
    for s in report.segments:
        assert t[s.start : s.end] == s.text
        for x in s.sentences:
            assert t[x.start : x.end] == x.text
    for p in report.people:
        assert t[p.start : p.end] == p.name
        for pos in p.positions:
            assert t[pos.start : pos.end] == pos.text
    for d in report.dates:
        assert t[d.start : d.end] == d.text
    for r in report.resolutions:
        assert t[r.start : r.end] == r.text
