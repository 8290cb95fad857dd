"""Legacy Vietnamese 8-bit encodings: Windows-1258 (composed to NFC afterwards).

Windows-1258 writes tone marks as combining characters after the vowel; normalization
(NFC) composes them. Bytes that are not valid UTF-8 and do not read as Windows-1258
Vietnamese are refused.
"""

from __future__ import annotations

import unicodedata

from ..errors import InputError
from .readers import Decoded

_VIETNAMESE_MARKS = set("\u0300\u0301\u0303\u0309\u0323ăâêôơưđĂÂÊÔƠƯĐ")


def decode_legacy(data: bytes, *, name: str | None = None) -> Decoded:
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 and not a known Vietnamese encoding", source=name) from None
    marks = sum(1 for c in text if c in _VIETNAMESE_MARKS)
    if marks == 0:
        raise InputError("not UTF-8, and no Vietnamese text in Windows-1258 either", source=name)
    return Decoded(
        text=unicodedata.normalize("NFC", text),
        encoding="windows-1258",
        warnings=["decoded as Windows-1258 (not UTF-8)"],
    )
