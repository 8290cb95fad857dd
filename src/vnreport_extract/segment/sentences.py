"""Sentence boundaries inside a block of Vietnamese text.

A boundary is a ``.``, ``!``, ``?`` or ``…`` (closing quotes and brackets may follow)
followed by white space and an uppercase letter, a digit, an opening quote or a dash.
Not a boundary:

* after an abbreviation ("TP. Vinh", "UB. MTTQ", "Th.S Lê") or a single capital ("Q. 1");
* before a photo credit ("… phát biểu. Ảnh: Thanh Lê"): credit and picture text are one
  caption;
* a newline always ends a sentence.
"""

from __future__ import annotations

import re
from functools import cache

from ..resources import layout

# a run of marks is tried from its first mark only: tried from each mark, a long run with no
# space after it ("!!!!…x") costs quadratic time, and a later start can never match anyway
_END = re.compile(r"(?<![.!?…])[.!?…]+[\"'”’)\]]*(?=\s)|\n+")
_OPENERS = "\"'“‘([–—-•+*"
_CREDIT_AHEAD = re.compile(r"(?<!\s)\s+\(?(?:Ảnh|ẢNH|Nguồn\s+ảnh)\b")
_NOT_IN_WORD = frozenset("([\"“")


@cache
def _abbreviations() -> frozenset[str]:
    return frozenset(a.rstrip(".") for a in layout().sentence_abbreviations)


def _is_abbreviation(word: str) -> bool:
    word = word.rstrip(".")
    if not word:
        return False
    if word in _abbreviations():
        return True
    if len(word) == 1 and word.isupper():
        return True  # an initial: "Q. Ba Đình", "N. V. An"
    return False


def _word_before(text: str, lo: int, hi: int) -> str:
    """The run of word characters (no space, no opening bracket or quote) ending at ``hi``.

    A backward scan, not a ``…$`` regex search: that one is tried from every offset
    after ``lo`` and costs quadratic time on a long word.
    """
    i = hi
    while i > lo and not text[i - 1].isspace() and text[i - 1] not in _NOT_IN_WORD:
        i -= 1
    return text[i:hi]


def _starts_sentence(text: str, i: int, end: int) -> bool:
    """Does a sentence start after the spaces at ``i``?"""
    while i < end and text[i].isspace():
        i += 1
    while i < end and text[i] in _OPENERS:
        i += 1
    while i < end and text[i] == " ":
        i += 1
    return i < end and (text[i].isupper() or text[i].isdigit())


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return ``(start, end)`` of each sentence of ``text[start:end]``, stripped of spaces."""
    end = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    cursor = start
    # on a slice, so that a run of marks cut by ``start`` still starts at ``start``
    for found in _END.finditer(text[start:end]):
        m_start, m_end, mark = start + found.start(), start + found.end(), found.group(0)
        if mark.startswith("\n"):
            cut = m_start
        else:
            if not _starts_sentence(text, m_end, end):
                continue
            word = _word_before(text, cursor, m_start + 1)
            if mark == "." and _is_abbreviation(word):
                continue
            if _CREDIT_AHEAD.match(text, m_end, end):
                continue
            cut = m_end
        _append(text, cursor, cut, out)
        cursor = m_end
    _append(text, cursor, end, out)
    return out


def _append(text: str, a: int, b: int, out: list[tuple[int, int]]) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        out.append((a, b))
