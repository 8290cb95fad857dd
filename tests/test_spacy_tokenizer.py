"""Our spaCy tokenizer never loses a character and keeps Vietnamese abbreviations whole."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.vocab import Vocab

from vnreport_extract.tokenizer import VietnameseTokenizer, split_words

tokenizer = VietnameseTokenizer(Vocab())

HOSTILE = [
    "",
    " ",
    "   \n\n  ",
    "  Sáng ngày 23/9/2025  ",  # leading, trailing and double spaces
    "Đảng ủy\r\nxã Tân Hòa\r\n",  # Windows line ends
    "Hội\tnghị\u00a0tổng\u2009kết",  # tab, NBSP, thin space
    "Nguyễn\u200bVăn An\ufeff",  # zero-width space, BOM in the middle
    "Nguye\u0302\u0303n Va\u0306n An",  # decomposed tone marks
    "Chi bộ 👍 đạt 100%!!!",  # emoji, repeated punctuation
    "«Thi đua yêu nước» – “nói đi đôi với làm”…",  # typographic quotes, dashes, ellipsis
    "a\u0301\u0301\u0301",  # stacked combining marks
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_doc_text_is_the_input(text: str) -> None:
    doc = tokenizer(text)
    assert doc.text == text
    assert "".join(t.text_with_ws for t in doc) == text


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        ("UBND TP.HCM họp", "TP.HCM"),  # dotted abbreviation
        ("Nghị quyết số 18-NQ/TW", "18-NQ/TW"),  # document number
        ("Ngày 23/9/2025, xã họp", "23/9/2025"),  # date
        ("thu 1.200 tỷ đồng", "1.200"),  # thousands separator
        ("Quyết định 1719/QĐ-TTg", "1719/QĐ-TTg"),
    ],
)
def test_abbreviations_and_numbers_stay_whole(text: str, whole: str) -> None:
    words, _ = split_words(text)
    assert whole in words


def test_a_decimal_comma_is_split_but_exact() -> None:
    # the trained classifier was fitted on this tokenization, so it stays: "3", ",", "4"
    words, spaces = split_words("tăng 3,4%/năm")
    assert words == ["tăng", "3", ",", "4", "%", "/", "năm"]
    assert spaces[0] and not any(spaces[1:])


def test_single_spaces_become_trailing_flags_not_tokens() -> None:
    words, spaces = split_words("Bí thư  Đảng ủy\nxã")
    assert words == ["Bí", "thư", " ", "Đảng", "ủy", "\n", "xã"]
    assert spaces == [True, True, False, True, False, False, False]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_any_text_round_trips(text: str) -> None:
    assert tokenizer(text).text == text
