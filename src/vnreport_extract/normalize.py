"""Raw text -> normalized text, with a map back to the raw input.

What changes:

* Unicode NFC (decomposed input, e.g. from Windows-1258 or macOS, is composed);
* line ends: CRLF and CR become LF;
* invisible characters go: BOM, zero-width spaces and joiners, soft hyphens, bidi marks;
* NBSP and the other Unicode spaces become a plain space, tabs too;
* tone placement follows one convention. By default the *traditional* one, which most
  Vietnamese official and press texts use: in an open syllable ending in ``oa``, ``oe`` or
  ``uy`` the tone mark sits on the first vowel ("hóa", "khỏe", "ủy", "thủy"), so "hoá",
  "khoẻ" and "uỷ" become those. ``tone_style="modern"`` does the reverse and ``"keep"``
  leaves tone marks as they are. A syllable with a final consonant ("hoàn", "quyết") and
  "qu" + vowel ("quý") are the same in both conventions and are never touched.

Every change is local, so the map from a normalized offset back to the raw offset is a
short list of change points (see :class:`NormalizedText`).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

ToneStyle = Literal["traditional", "modern", "keep"]

_INVISIBLE = dict.fromkeys(
    map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"),
    None,
)
_SPACES = set("\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\x0b\x0c")

# tone marks as combining characters: grave, acute, hook above, tilde, dot below
_TONES = "\u0300\u0301\u0309\u0303\u0323"
_VOWEL_PAIRS = ("oa", "oe", "uy")

_WORD = re.compile(r"[^\W\d_]+")


def _variants(letters: str) -> frozenset[str]:
    """Every toned form of the given plain vowels, both cases."""
    forms = {unicodedata.normalize("NFC", v + t) for v in letters for t in ("", *_TONES)}
    return frozenset(forms | {f.upper() for f in forms})


_FIRST = _variants("ou")
_SECOND = _variants("aey")


def _strip_tone(ch: str) -> tuple[str, str]:
    """Split a precomposed vowel into (vowel without tone, tone mark or '')."""
    d = unicodedata.normalize("NFD", ch)
    tone = "".join(c for c in d if c in _TONES)
    base = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES))
    return base, tone


def _with_tone(ch: str, tone: str) -> str:
    return unicodedata.normalize("NFC", ch + tone) if tone else ch


def _retone(word: str, style: ToneStyle) -> str:
    """Move the tone mark of one open ``oa/oe/uy`` syllable to the conventional vowel."""
    if len(word) < 2 or word[-1] not in _SECOND or word[-2] not in _FIRST:
        return word
    v1, t1 = _strip_tone(word[-2])
    v2, t2 = _strip_tone(word[-1])
    if (v1 + v2).lower() not in _VOWEL_PAIRS:
        return word
    onset = word[:-2]
    if v1.lower() == "u" and onset.lower().endswith("q"):
        return word  # "quý": u belongs to the consonant
    tone = t1 or t2
    if not tone or (t1 and t2):
        return word
    if style == "traditional":
        return onset + _with_tone(v1, tone) + v2
    return onset + v1 + _with_tone(v2, tone)


def retone(text: str, style: ToneStyle = "traditional") -> str:
    """Move tone marks to one convention, keeping the length (so offsets stay valid).

    Recognizers match on ``retone(text)`` so that "Uỷ viên" and "Ủy viên" read alike."""
    if style == "keep":
        return text

    def one(m: re.Match[str]) -> str:
        # before a loose combining mark the tones stay put: moved, one could compose with it
        # ("Hoà" + U+0301 -> "Hòa" + U+0301 -> "Hòá"), and normalizing again would differ
        if m.end() < len(text) and unicodedata.combining(text[m.end()]):
            return m.group(0)
        return _retone(m.group(0), style)

    return _WORD.sub(one, text)


def _canonical_order(cluster: str) -> str:
    """``cluster`` decomposed, its marks in canonical order: what NFC composes, unchanged.

    For a long run of marks ("Zalgo" text): CPython's own reordering swaps neighbours one
    at a time, quadratic on a hundred thousand interleaved marks; a stable sort is not.
    """
    decomposed = "".join(unicodedata.normalize("NFD", c) for c in cluster)
    out: list[str] = []
    run: list[str] = []
    for c in decomposed:
        if unicodedata.combining(c):
            run.append(c)
            continue
        out.extend(sorted(run, key=unicodedata.combining))
        run = []
        out.append(c)
    out.extend(sorted(run, key=unicodedata.combining))
    return "".join(out)


@dataclass
class NormalizedText:
    """Normalized text and the way back to the raw input.

    ``points`` lists ``(normalized offset, raw offset)`` where the shift between the two
    changes; between points the shift is constant.
    """

    text: str
    raw: str
    points: list[tuple[int, int]] = field(default_factory=list)

    def to_raw(self, offset: int) -> int:
        return offset_to_raw(self.points, offset)


def offset_to_raw(points: list[tuple[int, int]], offset: int) -> int:
    """Map a normalized offset to the raw input through ``(normalized, raw)`` change points."""
    i = bisect.bisect_right(points, (offset, float("inf"))) - 1
    if i < 0:
        return offset
    norm_at, raw_at = points[i]
    return raw_at + (offset - norm_at)


def normalize(raw: str, *, tone_style: ToneStyle = "keep") -> NormalizedText:
    """Normalize ``raw`` (see the module docstring) and keep the offset map."""
    out: list[str] = []
    raw_of: list[int] = []  # raw offset of each output character
    i, n = 0, len(raw)
    while i < n:
        ch = raw[i]
        if ch == "\r":
            out.append("\n")
            raw_of.append(i)
            i += 2 if i + 1 < n and raw[i + 1] == "\n" else 1
            continue
        if ord(ch) in _INVISIBLE:
            i += 1
            continue
        # a cluster: a base character and the combining marks after it
        j = i + 1
        while j < n:
            if unicodedata.combining(raw[j]):
                j += 1
                continue
            # invisible characters between a base and its marks ("e\u200b\u0301") go with the
            # cluster, so the marks compose now: left apart they would on a second pass
            k = j
            while k < n and ord(raw[k]) in _INVISIBLE:
                k += 1
            if k == j or k == n or not unicodedata.combining(raw[k]) or ch in _SPACES:
                break
            j = k
        if ch in _SPACES:
            out.append(" ")
            raw_of.append(i)
        elif j == i + 1 and ord(ch) < 0x300:
            out.append(ch)
            raw_of.append(i)
        else:
            cluster = raw[i:j].translate(_INVISIBLE)
            if len(cluster) > 32:
                cluster = _canonical_order(cluster)
            composed = unicodedata.normalize("NFC", cluster)
            out.extend(composed)
            if composed == raw[i:j]:
                raw_of.extend(range(i, j))  # nothing composed ("\n" + a loose mark): each maps to itself
            elif composed[0] == ch:
                # the base stands alone ("\n", "q"): the marks after it map to where they begin,
                # so a span that starts after the base maps back past it
                first_mark = next((k for k in range(i + 1, j) if ord(raw[k]) not in _INVISIBLE), i)
                raw_of.append(i)
                raw_of.extend([first_mark] * (len(composed) - 1))
            else:
                raw_of.extend([i] * len(composed))
        i = j
    text = "".join(out)
    if tone_style != "keep":
        # length-preserving: only swaps where a mark sits, offsets stay valid
        text = retone(text, tone_style)
    raw_of.append(n)  # the end of the text maps to the end of the input
    points: list[tuple[int, int]] = []
    shift: int | None = None
    for k, r in enumerate(raw_of):
        if r - k != shift:
            points.append((k, r))
            shift = r - k
    return NormalizedText(text=text, raw=raw, points=points)
