"""Properties that hold for every input, checked on generated text (hypothesis).

Any Unicode string gives a valid report with exact spans; normalization is stable and maps
back to the raw input; any bytes decode to text or fail with one clear ``InputError``.
Derandomized and kept small, so ``make test`` stays fast and gives the same answer in CI.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from vnreport_extract.errors import InputError
from vnreport_extract.io.readers import decode_bytes
from vnreport_extract.normalize import normalize
from vnreport_extract.pipeline import Extractor
from vnreport_extract.schema import Report

from .conftest import assert_spans_exact

FAST = settings(
    max_examples=60, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
QUICK = settings(max_examples=300, derandomize=True, deadline=None)

# Pieces of real reports, so generated text reaches the recognizers (random code points
# alone almost never make a date, a title or a document number), mixed with hostile bits.
_PIECES = [
    "Sáng ngày 23/9/2025, ",
    "Đảng ủy xã Tân Hòa",
    " tổ chức Hội nghị tổng kết",
    " tại hội trường UBND xã",
    "Chủ tịch UBND tỉnh Cao Bằng Nguyễn Minh Khải",
    "đồng chí Bí thư",
    " ông Tiến",
    "bà Đỗ Thị Hạnh",
    "Nghị quyết số 18-NQ/TW",
    " ngày 25/10/2017",
    " của Ban Chấp hành Trung ương",
    " về “Xây dựng Đảng”",
    "Quyết định số 123/QĐ-UBND",
    "Nghị định số 100/2019/NĐ-CP",
    "Chỉ thị 05",
    "từ 25-29/5/2020",
    "tháng 10/2025",
    "ngày 10 và 11/12",
    "25,5%",
    "16/17 chỉ tiêu",
    "I. KẾT QUẢ ĐẠT ĐƯỢC",
    "II. HẠN CHẾ",
    "- ",
    "* ",
    "a) ",
    "1. ",
    "Ảnh: Thanh Lê",
    "Thực hiện:",
    "(TTXVN)",
    "Chia sẻ",
    "07/08/2024 10:30",
    "TP. Vinh",
    "Th.S Lê",
    "khóaXII",
    "aB",
    "tại",
    "của ",
    "à ",
    "Hoà bình",
    "thuỷ lợi",
    "quý",
    ". ",
    ", ",
    "; ",
    ": ",
    "!",
    "?",
    "…",
    "“",
    "”",
    '"',
    "(",
    ")",
    "[",
    "]",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    "  ",
    "\u00a0",
    "\u200b",
    "\ufeff",
    "\u00ad",
    "\u202e",
    "\x00",
    "\u0301",
    "\u0323",
    "e\u0302\u0301",
    "\U0001f389",
    "👨\u200d👩\u200d👧",
    "مرحبا",
    "שלום",
    "中文",
    "Привет",
]
vietnamese_like = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)
any_text = st.text(max_size=300)
reports_text = st.one_of(any_text, vietnamese_like)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(use_ner=False)


def _check_report(report: Report, raw: str) -> None:
    assert isinstance(report, Report)
    assert report.text == normalize(raw).text
    assert_spans_exact(report)
    for p in report.people:
        for m in p.mentions:
            assert report.text[m.start : m.end] == m.text
    # segments are in order and do not overlap; each sentence lies inside its segment
    for a, b in zip(report.segments, report.segments[1:]):
        assert a.end <= b.start
    for s in report.segments:
        for x in s.sentences:
            assert s.start <= x.start < x.end <= s.end
    # the report survives JSON, as the CLI writes it
    assert Report.model_validate_json(report.model_dump_json()) == report


@FAST
@given(text=reports_text)
@example(text="")
@example(text=" \t\n\u00a0\u3000\r\n")
@example(text="Hội nghị\x00tổng kết")
@example(text="Đảng ủy xã " + "TP. Vinh " * 20)
def test_any_text_gives_a_valid_report_with_exact_spans(extractor: Extractor, text: str) -> None:
    _check_report(extractor.extract(text), text)


@FAST
@given(text=reports_text)
@example(text="Ủy ban\u200b\u0301 nhân dân")
@example(text="\u200b")  # only a leading character goes: the map still has its one point
@example(text="\n\u200b\u0300")  # a line that starts with a loose mark maps back past the line end
@example(text="x\n \u0301\u0323y")  # ... and one whose marks are reordered
@example(text="\ufeffSáng ngày 23/9/2025, Đảng ủy xã Tân Hòa tổ chức Hội nghị.")
def test_offsets_map_back_to_the_raw_input(extractor: Extractor, text: str) -> None:
    report = extractor.extract(text)
    t = report.text
    raw_at = [report.to_raw(i) for i in range(len(t) + 1)]
    assert raw_at == sorted(raw_at)
    assert raw_at[-1] == len(text)
    for i, ch in enumerate(t):
        if ch.isascii() and ch.isalnum():
            assert text[raw_at[i]] == ch  # a character left alone maps to itself
    for s in report.segments:
        # the raw stretch behind a segment normalizes to the segment's text
        assert normalize(text[report.to_raw(s.start) : report.to_raw(s.end)]).text == s.text


@QUICK
@given(raw=st.one_of(st.text(max_size=200), vietnamese_like))
@example(raw="e\u200b\u0301")  # a mark cut from its base by an invisible character
@example(raw="a\u0301\u00ad\u0323")  # ... and one that reorders when composed
@example(raw="Hoa\u0300\u200b\u0301")
def test_normalization_is_idempotent(raw: str) -> None:
    for style in ("keep", "traditional", "modern"):
        once = normalize(raw, tone_style=style).text  # type: ignore[arg-type]
        assert normalize(once, tone_style=style).text == once, style


@QUICK
@given(
    raw=st.lists(
        st.sampled_from([*_PIECES, "o\u0300a", "u\u0309y", "\u0300", "\u200d\u0303"]), max_size=30
    ).map("".join)
)
def test_normalized_vietnamese_is_nfc_and_keeps_its_length_map(raw: str) -> None:
    n = normalize(raw)
    assert unicodedata.is_normalized("NFC", n.text)
    assert n.to_raw(len(n.text)) == len(raw)


@QUICK
@given(data=st.binary(max_size=600))
@example(data=b"\x00" * 10)
@example(data=b"\xff\xfe" + "Hội nghị".encode("utf-16-le"))
@example(data=b"\xfe\xff\x00")
@example(data=b"\xef\xbb\xbf\xff\xfe")
@example(data="Hội nghị tổng kết ".encode() + "Tân Hoa\u0300".encode("cp1258"))  # mixed encodings
@example(data=bytes(range(256)))
def test_any_bytes_decode_to_text_or_one_clear_error(data: bytes) -> None:
    try:
        decoded = decode_bytes(data, name="bao-cao.txt")
    except InputError as e:
        message = str(e)
        assert message.startswith("bao-cao.txt: ") and len(message) > len("bao-cao.txt: ")
        assert "\n" not in message
        return
    assert isinstance(decoded.text, str) and decoded.encoding
    # and whatever decodes, extracts: bytes as a file give a report or that one error
    report = Extractor(use_ner=False, use_model=False).extract(decoded.text, source="bao-cao.txt")
    assert_spans_exact(report)


@QUICK
@given(
    text=st.text(
        st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff\ufffd"), max_size=200
    )
)
def test_utf8_text_decodes_to_itself(text: str) -> None:
    decoded = decode_bytes(text.encode("utf-8"))
    assert decoded.text == text and decoded.encoding == "utf-8"


@FAST
@given(text=vietnamese_like, limit=st.integers(min_value=0, max_value=400))
def test_max_chars_refuses_longer_input_with_a_clear_error(text: str, limit: int) -> None:
    ex = Extractor(use_ner=False, use_model=False, max_chars=limit)
    if len(text) <= limit:
        assert isinstance(ex.extract(text), Report)
        return
    with pytest.raises(InputError, match=rf"input has {len(text):,} characters, over the limit of {limit:,}"):
        ex.extract(text, source="bao-cao.txt")
