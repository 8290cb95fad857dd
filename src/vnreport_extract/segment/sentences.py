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

_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n+")
_OPENERS = "\"'“‘([–—-•+*"
_CREDIT_AHEAD = re.compile(r"\s+\(?(?:Ảnh|ẢNH|Nguồn\s+ảnh)\b")
_WORD_BEFORE = re.compile(r"([^\s(\[\"“]+)$")


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
    for m in _END.finditer(text, start, end):
        if m.group(0).startswith("\n"):
            cut = m.start()
        else:
            if not _starts_sentence(text, m.end(), end):
                continue
            before = _WORD_BEFORE.search(text, cursor, m.start() + 1)
            word = before.group(1) if before else ""
            if m.group(0) == "." and _is_abbreviation(word):
                continue
            if _CREDIT_AHEAD.match(text, m.end(), end):
                continue
            cut = m.end()
        _append(text, cursor, cut, out)
        cursor = m.end()
    _append(text, cursor, end, out)
    return out


def _append(text: str, a: int, b: int, out: list[tuple[int, int]]) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        out.append((a, b))
