"""Legacy Vietnamese 8-bit encodings: Windows-1258, TCVN3 (ABC) and VNI.

Archives of press releases from the 1990s and 2000s are full of these. None of them
has a signature, so the bytes are decoded with each candidate and the reading whose
words are most often well-formed Vietnamese syllables wins (:func:`syllable_score`):

* **Windows-1258** writes tone marks as combining characters after the vowel
  (``"Vie\\xf2\\xea\\xf2t"``); the text is composed to NFC afterwards.
* **TCVN3 (ABC)**, TCVN 5712:1993 "VN3": one byte per lowercase letter with its tone in
  0xA1-0xFE (``"Hµ Néi"`` for "Hà Nội"). Capital letters with a tone have no code of
  their own: the ABC fonts drew the same bytes in capitals (".VnTimeH"), so they decode
  to lowercase and the report says so.
* **VNI (Windows)**: the base letter, then one byte for the marks
  (``"Haø Noäi"`` for "Hà Nội"); a few letters have a single byte (``ô`` is "ơ",
  ``ö`` "ư", ``ñ`` "đ", ``í`` "í", ``ó`` "ĩ"...).

Bytes that no candidate reads as Vietnamese are refused with :class:`InputError`.
"""

from __future__ import annotations

import re
import unicodedata

from ..errors import InputError
from .readers import Decoded

# TCVN3 (ABC): byte -> character. Bytes below 0x80 are ASCII; bytes not listed are
# unused by the standard and count against the reading.
TCVN3: dict[int, str] = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}

# VNI (Windows), read through code page 1252: a mark byte after a vowel, as its
# lowercase character (uppercase letters use the uppercase form of the same byte).
_VNI_TONE = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
# marks that also add a circumflex (after a, e, o) ...
_VNI_HAT = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
# ... or a breve (after a)
_VNI_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
# letters that VNI writes as one byte
_VNI_SINGLE = {
    "ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ",
}

_TONES = "\u0300\u0301\u0303\u0309\u0323"
_VOWELS = "aăâeêioôơuưy"
# the vowel groups of Vietnamese syllables, tone marks removed
_NUCLEI = set(
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo ua uâ uê ui uô uơ uy "
    "ưa ưi ưu ươ yê iêu yêu oai oao oay oeo uây uôi uya uyê uyu ươi ươu".split()
)
_SYLLABLE = re.compile(
    r"^(ngh|ng|gh|nh|ch|kh|ph|th|tr|gi|qu|[bcdđghklmnprstvx])?"
    rf"([{_VOWELS}]+)"
    r"(ch|ng|nh|[cmnpt])?$"
)
_WORD = re.compile(r"[^\W\d_]+")


def _vni_table() -> dict[str, str]:
    """Two-character VNI sequences (as read through cp1252) -> composed letters."""
    table: dict[str, str] = {}

    def add(base: str, mark: str, target: str) -> None:
        for b, m, t in ((base, mark, target), (base.upper(), mark.upper(), target.upper()),
                        (base.upper(), mark, target.upper())):
            table[b + m] = unicodedata.normalize("NFC", t)

    for v in "aeouy":
        for m, tone in _VNI_TONE.items():
            add(v, m, v + tone)
    for v, hat in (("a", "â"), ("e", "ê"), ("o", "ô")):
        for m, tone in _VNI_HAT.items():
            add(v, m, hat + tone)
    for m, tone in _VNI_BREVE.items():
        add("a", m, "ă" + tone)
    for single, base in (("ô", "ơ"), ("ö", "ư")):  # ơ and ư take a tone byte after them
        for m, tone in _VNI_TONE.items():
            add(single, m, base + tone)
    return table


# one pass over pairs and single bytes together: a letter a pair produced ("ó" from "où")
# must not be read again as a single VNI byte ("ó" alone is "ĩ")
_VNI_ALL = {
    **{k: v for k, v in _VNI_SINGLE.items()},
    **{k.upper(): v.upper() for k, v in _VNI_SINGLE.items()},
    **_vni_table(),
}
_VNI_RE = re.compile("|".join(re.escape(k) for k in sorted(_VNI_ALL, key=len, reverse=True)))


def decode_tcvn3(data: bytes) -> str:
    """TCVN3 (ABC) bytes -> text; unused bytes pass through as code page 1252 reads them."""
    out = []
    for b in data:
        if b < 0x80:
            out.append(chr(b))
        elif b in TCVN3:
            out.append(TCVN3[b])
        else:
            out.append(bytes([b]).decode("cp1252", errors="replace"))
    return "".join(out)


def decode_vni(data: bytes) -> str:
    """VNI (Windows) bytes -> NFC text."""
    raw = data.decode("cp1252", errors="replace")
    text = _VNI_RE.sub(lambda m: _VNI_ALL[m.group(0)], raw)
    return unicodedata.normalize("NFC", text)


def decode_cp1258(data: bytes) -> str:
    """Windows-1258 bytes -> NFC text (its combining tone marks composed)."""
    return unicodedata.normalize("NFC", data.decode("cp1258"))


def syllable_score(text: str) -> tuple[int, int]:
    """(well-formed Vietnamese syllables, words) over the words that are not plain ASCII.

    A word is well formed when, lowercased and without its tone, it is an onset, one of
    the vowel groups of Vietnamese and a coda, and it carries at most one tone mark.
    """
    good = total = 0
    for m in _WORD.finditer(text[:200_000]):
        w = m.group(0)
        if w.isascii():
            continue
        total += 1
        nfd = unicodedata.normalize("NFD", w.lower())
        tones = sum(1 for c in nfd if c in _TONES)
        bare = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in _TONES))
        sm = _SYLLABLE.match(bare)
        if tones <= 1 and sm and _nucleus_ok(sm.group(2), sm.group(1)):
            good += 1
    return good, total


def _nucleus_ok(nucleus: str, onset: str | None) -> bool:
    if nucleus in _NUCLEI:
        return True
    # "qu" and "gi" swallow a vowel letter: "quyết", "giữa"
    return onset in ("qu", "gi") and nucleus[1:] in _NUCLEI


_CANDIDATES = (
    ("windows-1258", "Windows-1258", decode_cp1258),
    ("tcvn3", "TCVN3 (ABC)", decode_tcvn3),
    ("vni", "VNI", decode_vni),
)


def decode_legacy(data: bytes, *, name: str | None = None) -> Decoded:
    """Decode bytes that are not UTF-8 as the legacy encoding that reads best.

    Raises:
        InputError: no candidate gives Vietnamese words, or too few of them are well formed.
    """
    best: tuple[float, int, str, str, str] | None = None
    for key, label, fn in _CANDIDATES:
        try:
            text = fn(data)
        except UnicodeDecodeError:
            continue
        good, total = syllable_score(text)
        if total == 0:
            continue
        ratio = good / total
        cand = (ratio, good, key, label, text)
        if best is None or (ratio, good) > (best[0], best[1]):
            best = cand
    if best is None or best[1] == 0:
        raise InputError("not UTF-8 and not a known Vietnamese encoding (Windows-1258, TCVN3, VNI)", source=name)
    ratio, good, key, label, text = best
    if ratio < 0.6:
        raise InputError(
            f"not UTF-8, and no legacy Vietnamese encoding reads it well (best: {label}, "
            f"{ratio:.0%} of accented words well formed)",
            source=name,
        )
    warnings = [f"encoding detected: {label}, not UTF-8; converted to Unicode NFC "
                f"({ratio:.0%} of accented words read as Vietnamese syllables)"]
    if key == "tcvn3":
        warnings.append("TCVN3 has no codes for capital letters with tone marks: they are read as lowercase")
    return Decoded(text=unicodedata.normalize("NFC", text), encoding=key, warnings=warnings)
