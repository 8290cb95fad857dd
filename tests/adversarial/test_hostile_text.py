"""Hostile text, one row per kind, each with the outcome it must get.

Text-level only (file formats, zip bombs, output names and batch resumes are tested with
the readers and the batch). Every row runs under a generous hang guard; the outcome is a
report with exact spans, or an ``InputError`` that names the input and says why.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from vnreport_extract.errors import InputError
from vnreport_extract.io.readers import decode_bytes
from vnreport_extract.normalize import normalize
from vnreport_extract.pipeline import DEFAULT_MAX_CHARS, Extractor
from vnreport_extract.schema import Report

from ..conftest import assert_spans_exact
from .guard import hang_guard

OPENING = (
    "Sáng ngày 23/9/2025, Đảng ủy xã Tân Hòa tổ chức Hội nghị tổng kết công tác xây dựng Đảng năm 2025. "
    "Đồng chí Nguyễn Văn Bảo, Bí thư Đảng ủy xã chủ trì Hội nghị."
)
REPORT = (
    "Đảng ủy xã Tân Hòa tổng kết công tác năm 2025\n"
    f"{OPENING}\n"
    "Năm 2025, xã hoàn thành 15/15 chỉ tiêu, thu ngân sách đạt 112% dự toán.\n"
    "Tuy nhiên, công tác phát triển đảng viên còn chậm.\n"
    "Năm 2026, các chi bộ cần thực hiện tốt Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương.\n"
)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(use_ner=False)


@pytest.fixture(scope="module")
def light() -> Extractor:
    """Without the paragraph model, for the inputs of a hundred thousand blocks: the model's
    cost per block is linear and is covered by the smaller rows."""
    return Extractor(use_ner=False, use_model=False)


def _no_content(r: Report) -> None:
    assert r.segments == [] and r.people == [] and r.dates == [] and r.resolutions == []
    assert r.title is None and r.event.date is None
    assert any("empty input" in w for w in r.warnings)


def _kept_nul(r: Report) -> None:
    assert "\x00" in r.text  # a control character in text is kept, offsets stay exact
    assert [d.value for d in r.dates] == ["2025-09-23"]
    assert r.event.date == "2025-09-23"


def _nfd_same_as_nfc(r: Report) -> None:
    same = Extractor(use_ner=False).extract(REPORT)
    assert r.text == REPORT
    assert [(p.name, p.start) for p in r.people] == [(p.name, p.start) for p in same.people]
    assert [d.value for d in r.dates] == [d.value for d in same.dates]
    assert [(s.kind, s.label) for s in r.segments] == [(s.kind, s.label) for s in same.segments]
    raw = unicodedata.normalize("NFD", REPORT)
    for p in r.people:
        # each name maps back to where its decomposed spelling starts in the input
        assert raw[r.to_raw(p.start) : r.to_raw(p.end)] == unicodedata.normalize("NFD", p.name)


def _bullets(n: int) -> Callable[[Report], None]:
    def check(r: Report) -> None:
        assert len(r.segments) == n + 1
        assert r.segments[0].kind in ("title", "heading")
        assert sum(s.kind == "bullet" for s in r.segments) == n

    return check


def _one_paragraph_line(r: Report) -> None:
    assert r.segments and all(s.kind in ("paragraph", "title") for s in r.segments)
    assert r.segments[-1].end == len(r.text.rstrip())


def _emoji_rtl(r: Report) -> None:
    for ch in "🎉👍👨👩👧":
        assert ch in r.text
    assert "مرحبا" in r.text and "שלום" in r.text
    # bidi controls are invisible formatting and go; the words around them stay
    assert not any(c in r.text for c in "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert r.event.date == "2025-09-23"
    assert [p.name for p in r.people] == ["Nguyễn Văn Bảo"]


def _mixed_scripts(r: Report) -> None:
    assert "云南省" in r.text and "Лаос" in r.text and "ລາວ" in r.text
    assert "Nguyễn Minh Khải" in [p.name for p in r.people]
    assert r.event.date == "2025-09-23"


def _long_words(r: Report) -> None:
    assert r.event.date == "2025-09-23"
    assert [p.name for p in r.people] == ["Nguyễn Văn Bảo"]


def _unbalanced(r: Report) -> None:
    numbers = [x.number for x in r.resolutions]
    assert "18-NQ/TW" in numbers
    by_number = {x.number: x for x in r.resolutions}
    assert by_number["18-NQ/TW"].title is None  # an unclosed quote is no title
    assert r.event.date == "2025-09-23"


def _marks_flood(r: Report) -> None:
    assert r.text.startswith("Hội nghị")
    assert len(r.text) > 100_000  # the marks are kept, stacked on their letter


def _old_mac_line_ends(r: Report) -> None:
    assert "\r" not in r.text
    assert r.title == "Đảng ủy xã Tân Hòa tổng kết công tác năm 2025"
    assert r.event.date == "2025-09-23"
    assert r.to_raw(len(r.text)) == len(REPORT.replace("\n", "\r"))


def _control_chars(r: Report) -> None:
    assert r.event.date == "2025-09-23"
    assert "\x1b" in r.text


@dataclass
class Case:
    make: Callable[[], str]
    check: Callable[[Report], None] | None = None  # a report, checked so
    error: str | None = None  # or an InputError whose message matches this
    light: bool = False


CASES = {
    "empty": Case(lambda: "", _no_content),
    # spaces of every kind, tabs, line ends, a BOM and a zero-width space: nothing to read
    "whitespace-only": Case(lambda: " \t \n\u00a0\u3000\r\n\u2003\ufeff\u200b\n\n", _no_content),
    # one line just over 10 MB: refused before any work, with the limit in the message
    "one-10MB-line": Case(
        lambda: ("Đảng ủy xã Tân Hòa tổ chức Hội nghị " * (DEFAULT_MAX_CHARS // 36 + 1))[
            : DEFAULT_MAX_CHARS + 1
        ],
        error=r"over the limit of 10,000,000",
    ),
    # one line of 1 MB with no full stop: read as one body, in bounded time
    "one-1MB-line": Case(
        lambda: "xã hoàn thành các chỉ tiêu thu ngân sách " * 25_000, _one_paragraph_line, light=True
    ),
    "nul-bytes": Case(
        lambda: OPENING.replace(",", ",\x00", 1).replace("Hội nghị", "Hội\x00nghị", 1), _kept_nul
    ),
    # decomposed text (macOS, Windows-1258 sources): composed, same reading as precomposed
    "nfd-text": Case(lambda: unicodedata.normalize("NFD", REPORT), _nfd_same_as_nfc),
    "100000-bullet-lines": Case(
        lambda: "Nhiệm vụ trọng tâm năm 2026\n" + "- Đạt.\n" * 100_000, _bullets(100_000), light=True
    ),
    "emoji-and-rtl": Case(
        lambda: (
            "🎉 " + OPENING + " 👍\u200f مرحبا بكم \u202eשלום\u202c 👨\u200d👩\u200d👧 \u2067عربي\u2069\n"
        ),
        _emoji_rtl,
    ),
    "mixed-scripts": Case(
        lambda: (
            OPENING + "\nĐoàn công tác của 云南省 (Trung Quốc), đoàn Лаос và đoàn ລາວ làm việc với "
            "Chủ tịch UBND tỉnh Cao Bằng Nguyễn Minh Khải về hợp tác thương mại.\n"
        ),
        _mixed_scripts,
    ),
    # a 200 000-letter word, then one with capitals inside (what a lost-space glue check reads)
    "very-long-words": Case(
        lambda: "a" * 200_000 + " " + OPENING + " " + "ĐảngủyxãTânHòa" * 20_000, _long_words
    ),
    "unbalanced-quotes-brackets": Case(
        lambda: (
            OPENING
            + "\nQuán triệt Nghị quyết số 18-NQ/TW về “Một số vấn đề về tiếp tục đổi mới ((( [[[ “ "
            + "(" * 50_000
            + " ) ] ” ” ”\n"
            + "”)]" * 30_000
            + "\n"
        ),
        _unbalanced,
    ),
    # "Zalgo": a hundred thousand combining marks on one letter
    "combining-marks-flood": Case(lambda: "Hội nghị" + "\u0301\u0323" * 50_000 + " tổng kết.", _marks_flood),
    "old-mac-line-ends": Case(lambda: REPORT.replace("\n", "\r"), _old_mac_line_ends),
    "terminal-escapes": Case(lambda: "\x1b[31m" + OPENING + "\x1b[0m\x07\x08", _control_chars),
    # not text at all: a lone surrogate (a "surrogateescape" decode) cannot become JSON
    "lone-surrogate": Case(lambda: OPENING + "\udcc3\udca1", error=r"lone surrogate U\+DCC3 at character"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_text_gets_its_outcome(name: str, extractor: Extractor, light: Extractor) -> None:
    case = CASES[name]
    text = case.make()
    ex = light if case.light else extractor
    with hang_guard(name):
        if case.error is not None:
            with pytest.raises(InputError, match=case.error) as info:
                ex.extract(text, source=f"{name}.txt")
            message = str(info.value)
            assert message.startswith(f"{name}.txt: ") and "\n" not in message  # names the input, one line
            return
        report = ex.extract(text, source=f"{name}.txt")
    assert report.text == normalize(text).text
    assert_spans_exact(report)
    for s in report.segments:
        for x in s.sentences:
            assert s.start <= x.start < x.end <= s.end
    assert report.to_raw(len(report.text)) == len(text)
    assert case.check is not None
    case.check(report)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        # NUL bytes that are not UTF-16: binary
        (b"Hoi nghi\x00\x00\x00tong ket\x00" * 20, r"binary data \(NUL bytes\)"),
        # a UTF-8 BOM, then bytes that are not UTF-8
        (b"\xef\xbb\xbf" + "Hội nghị".encode() + b"\xff\xfe\xfd", r"broken UTF-8 at byte"),
        # a UTF-16 BOM and an odd byte out
        (b"\xfe\xff\x00H\x00", r"broken UTF-16"),
        # terminal noise: control characters, no text
        (bytes(range(1, 32)) * 30, r"binary data"),
    ],
    ids=["nul-bytes", "bom-then-broken-utf8", "broken-utf16", "control-characters"],
)
def test_hostile_bytes_get_one_clear_error(data: bytes, error: str) -> None:
    with pytest.raises(InputError, match=error) as info:
        decode_bytes(data, name="bao-cao.txt")
    assert str(info.value).startswith("bao-cao.txt: ") and "\n" not in str(info.value)


def test_mixed_encodings_decode_or_fail_clearly() -> None:
    # UTF-8 then a Windows-1258 tail: one encoding is chosen for the whole file, or none
    data = "Hội nghị tổng kết năm 2025. ".encode() + "Tân Hoà ".encode("cp1258") * 3
    try:
        decoded = decode_bytes(data, name="bao-cao.txt")
    except InputError as e:
        assert str(e).startswith("bao-cao.txt: ")
        return
    assert decoded.encoding != "utf-8"  # not valid UTF-8, so a legacy decoder read it
    assert decoded.text and isinstance(decoded.text, str)


def test_a_block_longer_than_spacy_allows_is_scored_not_refused() -> None:
    import spacy

    from vnreport_extract.classify.model import TextClassifier
    from vnreport_extract.schema import LABELS

    # an untrained textcat of the same shape as the shipped one, with a small length limit
    nlp = spacy.blank("xx")
    textcat = nlp.add_pipe("textcat")
    for label in LABELS:
        textcat.add_label(label)
    nlp.initialize()
    nlp.max_length = 1000
    long_block = "Năm 2025, xã hoàn thành các chỉ tiêu kinh tế - xã hội. " * 60  # 3,300 characters
    with pytest.raises(ValueError, match="E088"):
        list(nlp.pipe([long_block]))  # what spaCy does on its own: the whole report would fail
    scores = TextClassifier(nlp).predict([long_block, "Tuy nhiên, công tác phát triển đảng viên còn chậm."])
    assert len(scores) == 2
    for s in scores:
        assert set(s) == set(LABELS) and abs(sum(s.values()) - 1.0) < 1e-4
