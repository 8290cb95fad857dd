"""Every encoding an archive of Vietnamese press releases holds, decoded back to NFC.

The encoders below are written here, independently of ``io.legacy`` (which only
decodes), from the published code charts: TCVN3 as a table of letters and bytes, VNI
as base letter + mark bytes, Windows-1258 as base letter + combining tone.
"""

from __future__ import annotations

import codecs
import unicodedata

import pytest

from vnreport_extract.errors import InputError
from vnreport_extract.io.legacy import decode_legacy, syllable_score
from vnreport_extract.io.readers import decode_bytes

# --- encoders written for the tests --------------------------------------------------

# TCVN3 (ABC): each letter followed by the byte (shown as code page 1252 draws it)
_TCVN3_CHART = (
    "Ă¡ Â¢ Ê£ Ô¤ Ơ¥ Ư¦ Đ§ ă¨ â© êª ô« ơ¬ ư\xad đ®"
    " àµ ả¶ ã· á¸ ạ¹ ằ» ẳ¼ ẵ½ ắ¾ ặÆ ầÇ ẩÈ ẫÉ ấÊ ậË"
    " èÌ ẻÎ ẽÏ éÐ ẹÑ ềÒ ểÓ ễÔ ếÕ ệÖ ì× ỉØ ĩÜ íÝ ịÞ"
    " òß ỏá õâ óã ọä ồå ổæ ỗç ốè ộé ờê ởë ỡì ớí ợî"
    " ùï ủñ ũò úó ụô ừõ ửö ữ÷ ứø ựù ỳú ỷû ỹü ýý ỵþ"
)
TCVN3_ENC = {pair[0]: pair[1].encode("cp1252") if pair[1] != "\xad" else b"\xad"
             for pair in _TCVN3_CHART.split()}


def to_tcvn3(text: str) -> bytes:
    return b"".join(TCVN3_ENC.get(c) or c.encode("ascii") for c in unicodedata.normalize("NFC", text))


# VNI: base letter, then one byte for circumflex/breve/horn + tone, as cp1252 letters
_VNI_TONE = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_HAT_TONE = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_VNI_BREVE_TONE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_VNI_I = {"\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def _vni_char(c: str) -> str:
    if c in "đĐ":
        return "ñ" if c == "đ" else "Ñ"
    d = unicodedata.normalize("NFD", c)
    base, marks = d[0], d[1:]
    if not marks:
        return c
    upper = base.isupper()
    b = base.lower()
    tone = next((m for m in marks if m in _VNI_TONE), "")
    if "\u0302" in marks:
        out = b + _VNI_HAT_TONE[tone]
    elif "\u0306" in marks:
        out = b + _VNI_BREVE_TONE[tone]
    elif "\u031b" in marks:  # horn: ơ is "ô", ư is "ö", then the tone byte
        out = {"o": "ô", "u": "ö"}[b] + (_VNI_TONE[tone] if tone else "")
    elif b == "i":
        out = _VNI_I[tone]
    elif b == "y" and tone == "\u0323":
        out = "î"
    else:
        out = b + _VNI_TONE[tone]
    return out.upper() if upper else out


def to_vni(text: str) -> bytes:
    return "".join(_vni_char(c) for c in unicodedata.normalize("NFC", text)).encode("cp1252")


def to_cp1258(text: str) -> bytes:
    """Windows-1258: letters with a tone are the toneless letter + a combining tone byte."""
    out = bytearray()
    for c in unicodedata.normalize("NFC", text):
        try:
            out += c.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", c)
        tone = "".join(m for m in d if m in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(m for m in d if m not in tone))
        out += base.encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


# --- our own sentences ---------------------------------------------------------------

SENTENCES = [
    # a lead with a date, a body and a place
    "Sáng ngày 23/12/2024, Đảng ủy xã Tân Hòa tổ chức Hội nghị tổng kết công tác năm 2024.",
    # horn letters ơ ư, the ươ cluster, tone on ư
    "Ông Trương Văn Được, Chủ tịch Hội đồng nhân dân phường phát biểu khai mạc kỳ họp thứ mười.",
    # limitation words, ngã and nặng tones
    "Tuy nhiên, việc giải ngân vốn đầu tư công còn chậm; tình trạng ngập úng cục bộ chưa được khắc phục triệt để.",
    # directive: quyết, giữ, khuya (qu and gi onsets, uya)
    "Đồng chí yêu cầu các chi bộ quyết liệt giữ vững kỷ cương, trực đến khuya để bảo đảm an toàn cho người dân.",
    # breve letters with every tone: ắ ằ ẳ ẵ ặ
    "Hội nghị đã bàn cách khắc phục, sắp xếp lại bộ máy, chăm lo đời sống; mặt trận vận động nhân dân ẵm trẻ đi tiêm.",
]


def _lower_toned_capitals(s: str) -> str:
    # TCVN3 has no codes for capitals with a tone (only Ă Â Ê Ô Ơ Ư Đ): such sentences
    # are written with the lowercase letter, as the ABC fonts' users did
    return "".join(c.lower() if c.isupper() and c not in "ĂÂÊÔƠƯĐ" and not c.isascii() else c for c in s)


@pytest.mark.parametrize("text", SENTENCES)
@pytest.mark.parametrize(
    ("encode", "encoding", "warning"),
    [
        (lambda t: t.encode("utf-8"), "utf-8", None),
        (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig", None),
        (lambda t: t.encode("utf-16"), "utf-16", "UTF-16"),  # BOM, machine order
        (lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16", "UTF-16"),
        (lambda t: t.encode("utf-16-le"), "utf-16-le", "UTF-16-LE without a byte order mark"),
        (to_cp1258, "windows-1258", "Windows-1258"),
        (lambda t: to_tcvn3(_lower_toned_capitals(t)), "tcvn3", "TCVN3 (ABC)"),
        (to_vni, "vni", "VNI"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16be-bom", "utf16le-nobom", "cp1258", "tcvn3", "vni"],
)
def test_every_encoding_decodes_to_the_nfc_sentence(text: str, encode, encoding: str, warning: str | None) -> None:
    expected = _lower_toned_capitals(text) if encoding == "tcvn3" else text
    raw = encode(text)
    d = decode_bytes(raw, name="thong-cao.txt")
    assert d.text == unicodedata.normalize("NFC", expected)
    assert d.encoding == encoding
    if warning is None:
        assert d.warnings == []
    else:
        assert any(warning in w and "detected" in w for w in d.warnings), d.warnings


def test_windows_1258_bytes_really_carry_combining_tones() -> None:
    # the fixture must exercise composition: "ả" is "a" + the combining hook byte 0xD2
    raw = to_cp1258("Thảo")
    assert raw == b"Tha\xd2o"
    assert decode_bytes(raw).text == "Thảo"


@pytest.mark.parametrize(
    ("raw", "encoding", "expected"),
    [
        # the national motto as countless TCVN3 documents wrote it
        (b"C\xe9ng ho\xb5 x\xb7 h\xe9i ch\xf1 ngh\xdca Vi\xd6t Nam - \xa7\xe9c l\xcbp - T\xf9 do - H\xb9nh ph\xf3c",
         "tcvn3", "Cộng hoà xã hội chủ nghĩa Việt Nam - Độc lập - Tự do - Hạnh phúc"),
        # ... and as VNI documents wrote it
        (b"Co\xe4ng ho\xf8a xa\xf5 ho\xe4i chu\xfb ngh\xf3a Vie\xe4t Nam - \xd1o\xe4c la\xe4p - T\xf6\xef do - "
         b"Ha\xefnh phu\xf9c", "vni", "Cộng hòa xã hội chủ nghĩa Việt Nam - Độc lập - Tự do - Hạnh phúc"),
        # VNI capitals: the mark byte is uppercase too ("Û" hook, "Â" circumflex, "Æ" for Ỉ)
        (b"U\xdbY BAN NHA\xc2N DA\xc2N T\xc6NH", "vni", "ỦY BAN NHÂN DÂN TỈNH"),
    ],
    ids=["tcvn3-motto", "vni-motto", "vni-capitals"],
)
def test_known_legacy_strings(raw: bytes, encoding: str, expected: str) -> None:
    d = decode_legacy(raw + b" " + raw)  # twice: short strings are the hardest to detect
    assert d.encoding == encoding
    assert d.text == f"{expected} {expected}"


def test_tcvn3_warns_that_toned_capitals_read_as_lowercase() -> None:
    d = decode_bytes(to_tcvn3(SENTENCES[0]))
    assert d.encoding == "tcvn3"
    assert any("capital" in w for w in d.warnings)


@pytest.mark.parametrize(
    ("text", "good", "total"),
    [
        ("Nguyễn Quyết Giữa khuya người", 4, 4),  # uyê, qu, gi, ươ; "khuya" is ASCII, not counted
        ("Vieọt Haứ", 0, 2),  # VNI read as TCVN3: vowel groups that Vietnamese has not
        ("Hội nghị 2024 ABC", 2, 2),  # plain ASCII words are not counted
    ],
)
def test_syllable_score(text: str, good: int, total: int) -> None:
    assert syllable_score(text) == (good, total)


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        (b"\x00\x01\x02\x03" * 100, "binary"),  # NULs, not UTF-16 text
        (bytes(range(0x80, 0x100)) * 8, "not UTF-8"),  # high bytes only, no words in any reading
        (codecs.BOM_UTF8 + b"H\xe9i ngh\xdb", "broken UTF-8"),  # a BOM that lies
        ("Ünïcödé Ørßtèd façade naïve".encode("latin-1"), "not UTF-8"),  # Western European, not Vietnamese
    ],
    ids=["nul-bytes", "high-bytes", "lying-bom", "latin1-french"],
)
def test_undecodable_input_is_a_clear_error_naming_the_file(raw: bytes, why: str) -> None:
    with pytest.raises(InputError) as e:
        decode_bytes(raw, name="hong.txt")
    assert e.value.source == "hong.txt"
    assert why in str(e.value)
