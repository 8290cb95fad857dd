"""People named by their full name: a family name and one to three given syllables.

"đồng chí Trịnh Quang Thái", "Chủ tịch UBND tỉnh Nguyễn Minh Khải", "bà Đỗ Thị Hạnh".
Not people (the cue lists live in ``data/vi/person_cues.json``): wards, streets, schools
and organisations named after someone ("phường Lê Hồng Phong", "đường Nguyễn Huệ",
"Trường THCS Trần Phú", "Đoàn TNCS Hồ Chí Minh"), the phrase "tư tưởng, đạo đức,
phong cách Hồ Chí Minh", photo credits and bylines.

A three- or four-syllable name stands on its own; a two-syllable one ("Lê Lợi") needs a
cue: a courtesy word before it, a position next to it, or underthesea's CRF tagger
calling it a person in its sentence (asked for at most a few sentences per report).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel

from ..resources import read_json, read_lines
from .positions import _title_regex, family_names

MAX_NER_SENTENCES = 4
"""underthesea's CRF tagger costs ~0.3 s a report when run on everything: it only settles doubts."""


class PersonCues(BaseModel):
    before: list[str]
    not_before: list[str]
    never_names: list[str]
    only_after: dict[str, list[str]] = {}
    not_person_if_followed_by: list[str] = []


@cache
def person_cues() -> PersonCues:
    return PersonCues.model_validate(read_json("person_cues.json"))


_SYLLABLE = re.compile(r"[A-ZĐÀ-ỸẠ-Ỹ][a-zđà-ỹạ-ỹ]*")
_WORD = re.compile(r"\S+")


@dataclass
class NameCandidate:
    start: int
    end: int
    name: str
    rule: str
    score: float


def _is_syllable(tok: str) -> bool:
    return bool(tok) and tok[0].isupper() and tok.isalpha() and (len(tok) == 1 or tok[1:].islower())


@cache
def _before_regex() -> re.Pattern[str]:
    cues = sorted(person_cues().before, key=len, reverse=True)
    return re.compile(r"(?:^|[\s(,;:])(?:" + "|".join(re.escape(c) for c in cues) + r")\s*$")


@cache
def _not_before_regex() -> re.Pattern[str]:
    cues = sorted(person_cues().not_before, key=len, reverse=True)
    return re.compile(r"(?:^|[\s(,;:“\"])(?:" + "|".join(re.escape(c) for c in cues) + r")[\s,]*(?:(?:và|,)\s*)?$")


def _runs(text: str) -> list[list[tuple[int, int, str]]]:
    """Maximal runs of capitalised syllables separated by single spaces."""
    runs: list[list[tuple[int, int, str]]] = []
    cur: list[tuple[int, int, str]] = []
    for m in re.finditer(r"[^\W\d_]+", text):
        tok = m.group(0)
        if _is_syllable(tok) and (not cur or text[cur[-1][1] : m.start()] == " "):
            cur.append((m.start(), m.end(), tok))
            continue
        if cur:
            runs.append(cur)
        cur = [(m.start(), m.end(), tok)] if _is_syllable(tok) else []
    if cur:
        runs.append(cur)
    return runs


# words that start offices and bodies ("đồng chí Tổng Bí thư", "Bộ Chính trị"), never a given name
_NOT_GIVEN_NAMES = frozenset({"Tổng", "Bí", "Bộ", "Ban", "Sở", "Hội", "Đảng", "Ủy", "Uỷ", "Chủ", "Phó", "Thủ", "Giám", "Cục", "Viện"})
_BODY_STARTS = frozenset({"Bộ", "Sở", "Ban", "Hội", "Cục", "Viện", "Đảng", "Tỉnh", "Huyện", "Xã", "Phường", "Ủy", "Uỷ"})
_COURTESY_WORDS = frozenset({"Ông", "Bà", "Anh", "Chị", "Cô", "Thầy", "Em", "Cụ", "Bác", "Cháu", "Đ/c"})


def _pick(run: list[tuple[int, int, str]]) -> tuple[int, int] | None:
    """Which slice of a capitalised run is a name: (first index, length)."""
    fam = family_names()
    while run and run[0][2] in _COURTESY_WORDS:
        run = run[1:]  # "Ông Trần Quốc Việt" at a sentence start
    n = len(run)
    if 2 <= n <= 4 and run[0][2] in fam:
        return 0, n
    # a place or body name runs into the person's: "Cao Bằng Nguyễn Minh Khải"
    for k in (2, 3, 1, 4):
        if k < n and run[k][2] in fam and 2 <= n - k <= 4:
            return k, n - k
    return None


def covered_by(spans: list[tuple[int, int]]) -> Callable[[int], bool]:
    """A test of whether an offset lies in one of ``spans`` (start inclusive, end exclusive).

    Same answer as ``any(a <= x < b for a, b in spans)`` in log time: asked once per name or
    date against every block, that scan is quadratic on a long report.
    """
    order = sorted(spans)
    starts = [a for a, _ in order]
    reach = list(itertools.accumulate((b for _, b in order), max))

    def test(x: int) -> bool:
        i = bisect.bisect_right(starts, x) - 1
        return i >= 0 and reach[i] > x

    return test


@cache
def _places() -> frozenset[str]:
    return frozenset(read_lines("provinces.txt"))


def _is_place(name: str) -> bool:
    """"Hà Giang", "Sơn Lạng Sơn", "Đoàn Bắc Ninh": a province, or a word before one."""
    words = name.split()
    places = _places()
    return name in places or " ".join(words[-2:]) in places or " ".join(words[-3:]) in places


def _cut_at_title(text: str, run: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """End a run where a title begins: "Võ Thanh Lộc Phó bí thư" -> "Võ Thanh Lộc"."""
    for k in range(1, len(run)):
        if run[k][2] in _BODY_STARTS:
            return run[:k]  # "Sầm Sơn Bộ Xây dựng": a body's name starts, the run was a place
        m = _title_regex().match(text, run[k][0])
        if k >= 2 and m and m.end() > run[k][1]:
            return run[:k]
    return run


def _names_a_lunar_year(toks: list[tuple[int, int, str]]) -> bool:
    """Are these two syllables a sexagenary year ("Canh Tý", "Giáp Thìn")?"""
    from .dates import lunar_year

    return len(toks) == 2 and lunar_year(toks[0][2], toks[1][2], 2000) is not None


def find_name_candidates(text: str, excluded: list[tuple[int, int]]) -> list[NameCandidate]:
    """Full-name candidates outside the ``excluded`` spans (bylines, residue, credits)."""
    in_excluded = covered_by(excluded)
    cues = person_cues()
    never = set(cues.never_names)
    out: list[NameCandidate] = []
    for run in _runs(text):
        skip = 0
        while skip < len(run) and run[skip][2] in _COURTESY_WORDS:
            skip += 1
        run = _cut_at_title(text, run[skip:])
        picked = _pick(run)
        if picked is None and run and 2 <= len(run) <= 4:
            # "Ông Kha Văn Sĩ": a courtesy word vouches for a name whose family name we lack
            lead = text[max(0, run[0][0] - 12) : run[0][0]]
            if (skip or re.search(r"(?:ông|bà|Ông|Bà|đồng\s+chí|Đồng\s+chí)\s+$", lead)) and not any(
                t[2] in _NOT_GIVEN_NAMES for t in run
            ):
                picked = (0, len(run))
        if picked is None:
            continue
        k, n = picked
        toks = run[k : k + n]
        a, b = toks[0][0], toks[-1][1]
        if in_excluded(a):
            continue
        name = text[a:b]
        if name in never:
            continue
        before = text[max(0, a - 40) : a]
        if re.search(r"(?:Ảnh|ẢNH|ảnh)\s*:\s*$|/\s*$", before):
            continue  # a photo credit
        if re.search(r"(?<![\d,.])\d{1,4}[A-Za-z]?(?:/\d{1,4})?\s+$", before):
            continue  # a house number: "số 04 Hà Văn Mao", "ở 43 Nguyễn Văn Bá" are addresses
        if _names_a_lunar_year(toks[-2:]):
            continue  # "Đêm thơ Nguyên Tiêu Canh Tý": a festival of a lunar year
        if k == 0 and re.search(r"(?i)nông\s+thôn\s*$", before) is None and _not_before_regex().search(before):
            continue
        if name in _places() or (k > 0 and _is_place(name)):
            continue  # "Hà Giang"; "Tỉnh Đoàn Bắc Ninh" (but "Đặng Hòa Bình" is a person)
        needs = cues.only_after.get(name)
        if needs and not re.search(r"(?:" + "|".join(re.escape(w) for w in needs) + r")\s*$", before):
            continue  # "Hồ Chí Minh" is a person after "Chủ tịch", a city or an ideology elsewhere
        cue = bool(_before_regex().search(before))
        rule = "cued" if cue else ("after-place" if k else "full-name")
        score = 0.95 if cue else (0.85 if n >= 3 else 0.5)
        out.append(NameCandidate(a, b, name, rule, score))
    return out


def underthesea_persons(sentence: str) -> set[str]:
    """Names underthesea's CRF tagger marks B-PER/I-PER in one sentence (a secondary signal)."""
    try:
        from underthesea import ner
    except ImportError:  # pragma: no cover - underthesea is a dependency
        return set()
    names: set[str] = set()
    cur: list[str] = []
    for row in ner(sentence):
        word, tag = row[0], row[-1]
        if tag.endswith("PER"):
            if tag.startswith("B") and cur:
                names.add(" ".join(cur))
                cur = []
            cur.append(word)
        elif cur:
            names.add(" ".join(cur))
            cur = []
    if cur:
        names.add(" ".join(cur))
    return names
