"""Every pattern in the language data proves its own examples."""

from vnreport_extract.recognize.resolutions import document_data
from vnreport_extract.resources import check_examples, layout


def test_layout_patterns_match_their_examples() -> None:
    data = layout()
    assert check_examples(data.boilerplate + data.byline + data.caption) == []


def test_document_patterns_match_their_examples() -> None:
    assert check_examples(document_data().patterns) == []


def test_frame_patterns_match_their_examples() -> None:
    from vnreport_extract.classify.model import frame_patterns

    assert check_examples(frame_patterns()) == []
