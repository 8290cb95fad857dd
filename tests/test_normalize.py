import unicodedata

import pytest

from vnreport_extract.normalize import normalize


@pytest.mark.parametrize(
    ("raw", "style", "expected"),
    [
        ("Hoà bình, thuỷ lợi, khoẻ mạnh", "traditional", "Hòa bình, thủy lợi, khỏe mạnh"),
        ("Hòa bình, thủy lợi, khỏe mạnh", "modern", "Hoà bình, thuỷ lợi, khoẻ mạnh"),
        # closed syllables and "qu" are the same in both conventions
        ("hoàn thành, quý, quyết", "traditional", "hoàn thành, quý, quyết"),
        ("Uỷ ban nhân dân", "keep", "Uỷ ban nhân dân"),
        ("a\u00a0b\u200bc\ufeff", "keep", "a bc"),
        ("dòng 1\r\ndòng 2\rdòng 3", "keep", "dòng 1\ndòng 2\ndòng 3"),
    ],
)
def test_normalize_table(raw: str, style: str, expected: str) -> None:
    assert normalize(raw, tone_style=style).text == expected  # type: ignore[arg-type]


def test_nfd_input_is_composed_and_maps_back() -> None:
    raw = unicodedata.normalize("NFD", "Đảng ủy phường Phúc La")
    n = normalize(raw)
    assert n.text == "Đảng ủy phường Phúc La"
    start = n.text.index("Phúc")
    # the raw offset of "Phúc" in the decomposed input
    assert raw[n.to_raw(start) :].startswith(unicodedata.normalize("NFD", "Phúc"))
    assert n.to_raw(len(n.text)) == len(raw)


def test_normalize_is_idempotent() -> None:
    once = normalize("\ufeffHoà\u00a0bình\r\n", tone_style="traditional").text
    assert normalize(once, tone_style="traditional").text == once
