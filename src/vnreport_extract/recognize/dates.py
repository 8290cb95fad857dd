"""Calendar dates in Vietnamese reports, normalized to ISO 8601.

Forms read (made-up examples):

* ``ngày 23/9/2025``, ``23-9-2025``, ``23.9.2025`` -> 2025-09-23
* ``ngày 25 tháng 10 năm 2017`` -> 2017-10-25
* ``sáng 28-6``, ``chiều ngày 5/12``, ``(6/2)`` after "qua"/"nay": the year comes from context
* ``tháng 10/2025``, ``tháng 3 năm 2024`` -> month precision
* ranges: ``từ 25-29/5/2020``, ``từ ngày 12/3 đến ngày 14/3/2024``, ``ngày 10 và 11/12``,
  ``(03/02/1930 - 03/02/2025)``

Never dates: ``25,5%``, ``hơn 7 năm``, ``18-NQ/TW``, ``2021-2026``, ``16/17 chỉ tiêu``,
``123/QĐ-UBND``, ``100/2019/NĐ-CP``. A day and month without a year needs a cue word
before it ("ngày", "sáng", "từ" …), since "7/7 đại biểu" is a fraction. Every value is
checked against the calendar.
"""

from __future__ import annotations

import bisect
import calendar
import datetime
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import BaseModel

from ..resources import NamedPattern, read_json
from ..schema import DateMention, Provenance

_SEP = r"\s*[/.\-]\s*"
_DAY = r"(?P<d>[0-3]?\d)"
_MONTH = r"(?P<m>[01]?\d)"
_YEAR = r"(?P<y>(?:19|20)\d\d)"
_PART = r"(?:(?P<part>[Ss]áng|[Tt]rưa|[Cc]hiều|[Tt]ối|[Đđ]êm|[Rr]ạng\s+sáng)\s+(?:hôm\s+)?(?:ngày\s+)?|(?P<cue>[Nn]gày|[Mm]ùng|[Mm]ồng|[Hh]ôm|[Tt]ừ|[Đđ]ến|[Qq]ua\s*\(|[Nn]ay\s*\(|[Tt]rước|[Ss]au|[Tt]ới|[Tt]rong)\s*(?:ngày\s+)?)"
_NOT_BEFORE = r"(?<![\w/.\-,])"
_NOT_AFTER = r"(?![\w/]|[.\-]\d|,\d|\s*%)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "day-range-dmy",  # từ 25-29/5/2020, 10 và 11/12/2024, 25 đến 29/5
        re.compile(
            _PART.replace("?P<part>", "?P<part0>").replace("?P<cue>", "?P<cue0>") + r"?"
            + _NOT_BEFORE + r"(?P<d1>[0-3]?\d)\s*(?:-|–|và|đến|tới|,)\s*(?:ngày\s+)?" + _DAY + _SEP + _MONTH
            + r"(?:" + _SEP + _YEAR + r")?" + _NOT_AFTER
        ),
    ),
    (
        "day-month-range",  # từ ngày 1/1 - 4/2, (từ 26/1 -1/2), từ 28/12/2024 - 3/1/2025 is two full dates
        re.compile(
            _PART.replace("?P<part>", "?P<part0>").replace("?P<cue>", "?P<cue0>")
            + _NOT_BEFORE + r"(?P<d1>[0-3]?\d)\s*[/.]\s*(?P<m1>[01]?\d)\s*(?:-|–|đến|tới)\s*(?:ngày\s+)?" + _DAY + r"\s*[/.]\s*" + _MONTH
            + r"(?:" + _SEP + _YEAR + r")?" + _NOT_AFTER
        ),
    ),
    ("dmy", re.compile(r"(?:" + _PART + r")?" + _NOT_BEFORE + _DAY + _SEP + _MONTH + _SEP + _YEAR + _NOT_AFTER)),
    (
        "words-dmy",
        re.compile(
            r"(?:" + _PART + r")?" + r"(?:ngày\s+)?" + _NOT_BEFORE + _DAY + r"\s+tháng\s+" + _MONTH
            + r"(?:\s+năm\s+" + _YEAR + r")?" + r"(?!\w)"
        ),
    ),
    ("month-year", re.compile(r"(?<!\w)[Tt]háng\s+" + _MONTH + r"(?:" + _SEP + r"|\s+năm\s+)" + _YEAR + r"(?!\w|[/.\-]\d)")),
    ("dm", re.compile(_PART + _NOT_BEFORE + _DAY + _SEP + _MONTH + _NOT_AFTER)),
    # "Ngày truyền thống ngành (20/10)": a day and month alone in brackets
    ("bracketed-dm", re.compile(r"(?<=\()" + _DAY + r"\s*[/.\-]\s*" + _MONTH + r"(?=\))")),
    # page residue: "Đã đăng vào 14 Th5, 2023 lúc 08:12"
    ("short-month-name", re.compile(r"(?<!\w)" + _DAY + r"\s+Th(?P<m>1[0-2]|0?[1-9]),?\s+" + _YEAR + r"(?!\d)")),
    # "tháng 6" alone: a month of the report's year ("6 tháng đầu năm" is a duration, not this)
    ("month", re.compile(r"(?<!\w)[Tt]háng\s+(?P<m>1[0-2]|0?[1-9])(?![\w/.\-]|,\d|\s*(?:năm|tháng|-\s*\d|đến|và\s+\d))")),
]

_PARTS_OF_DAY = {"sáng": "morning", "rạng sáng": "morning", "trưa": "noon", "chiều": "afternoon", "tối": "evening", "đêm": "evening"}
_YEAR_WORD = re.compile(r"(?<!\w)[Nn]ăm\s+((?:19|20)\d\d)(?!\w|\s*-\s*\d)")


@dataclass
class _Found:
    start: int
    end: int
    day: int | None
    month: int
    year: int | None
    part: str | None
    rule: str
    range_id: int | None = None


def _valid(y: int, m: int, d: int | None) -> bool:
    if not 1 <= m <= 12 or not 1900 <= y <= 2100:
        return False
    return d is None or 1 <= d <= calendar.monthrange(y, m)[1]


class _Taken:
    """The text already read as dates, as merged spans in order.

    ``free(a, b)`` answers as a check against every span taken would, in log time (that
    scan is quadratic on a report full of dates); spans are non-empty, so overlapping the
    union is overlapping one of them.
    """

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def free(self, a: int, b: int) -> bool:
        i = bisect.bisect_left(self.starts, b) - 1  # the last span starting before b ends last
        return i < 0 or self.ends[i] <= a

    def append(self, span: tuple[int, int]) -> None:
        a, b = span
        lo = bisect.bisect_right(self.ends, a)  # the first span ending after a
        hi = bisect.bisect_left(self.starts, b)  # past the last span starting before b
        if lo < hi:  # overlapping spans merge into one
            a, b = min(a, self.starts[lo]), max(b, self.ends[hi - 1])
        self.starts[lo:hi] = [a]
        self.ends[lo:hi] = [b]


def _scan(text: str) -> list[_Found]:
    taken = _Taken()
    found: list[_Found] = []
    range_id = 0
    free = taken.free

    for rule, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            g = m.groupdict()
            part = (g.get("part") or g.get("part0") or "").lower() or None
            part = re.sub(r"\s+", " ", part) if part else None
            year = int(g["y"]) if g.get("y") else None
            month = int(g["m"])
            day = int(g["d"]) if g.get("d") else None
            if rule == "day-range-dmy":
                if year is None and not (g.get("part0") or g.get("cue0")) and not re.match(r"\d+\s*-\s*\d", m.group(0)):
                    continue
                d1 = int(g["d1"])
                a = m.start("d1")
                if not free(a, m.end()) or d1 >= (day or 0):
                    continue
                range_id += 1
                start = m.start("part0") if g.get("part0") else a
                # the first day of the range: its span ends where its number does
                found.append(_Found(start, m.end("d1"), d1, month, year, part, rule, range_id))
                found.append(_Found(m.start("d"), m.end(), day, month, year, None, rule, range_id))
                taken.append((start, m.end()))
                continue
            if rule == "day-month-range":
                a = m.start("d1")
                d1, m1 = int(g["d1"]), int(g["m1"])
                if not free(a, m.end()) or not 1 <= m1 <= 12 or (m1, d1) >= (month, day or 0):
                    continue
                range_id += 1
                start = m.start("part0") if g.get("part0") else a
                if g.get("cue0"):
                    # "từ ngày 1/1 - 4/2": the connector is context, "ngày 1/1" the date
                    start = m.start("cue0") + (0 if g["cue0"].lower().split()[0] in ("ngày", "mùng", "mồng", "hôm") else len(g["cue0"]))
                    while start < a and text[start] in " (":
                        start += 1
                found.append(_Found(start, m.end("m1"), d1, m1, year, part, rule, range_id))
                found.append(_Found(m.start("d"), m.end(), day, month, year, None, rule, range_id))
                taken.append((start, m.end()))
                continue
            if rule == "words-dmy" and year is None and not (g.get("part") or g.get("cue")):
                continue
            start = m.start()
            cue = g.get("cue")
            if cue and cue.lower().split()[0] not in ("ngày", "mùng", "mồng", "hôm"):
                # a connector ("từ", "đến", "qua (") is context, not part of the date
                start = m.start("cue") + len(cue)
                while start < m.end() and text[start] in " (":
                    start += 1
            if not free(start, m.end()):
                continue
            found.append(_Found(start, m.end(), day, month, year, part, rule))
            taken.append((start, m.end()))
    found.sort(key=lambda f: f.start)
    return found


_TERM = re.compile(r"(?<!\w)nhiệm\s+kỳ\s+((?:19|20)\d\d)\s*[-–]\s*(?:19|20)\d\d")
# events that open a term: a congress, an election, its consultations
_NEW_TERM_EVENT = re.compile(r"(?i)đại\s+hội|hiệp\s+thương|bầu\s+cử|ứng\s+cử")
# ``(?<!\d)`` and ``\s*(?:,\s*)?``: tried inside a run of digits, or splitting spaces around an
# optional comma every way, the search is quadratic or worse; these read the same strings
_DOC_NUMBER_BEFORE = re.compile(r"(?<!\d)\d+\s*[-/]\s*[A-ZĐ][\w/\-]*\s*(?:,\s*)?(?:ngày\s+)?$|ban\s+hành\s+ngày\s*$")
# "hoàn thành trước ngày 15/1/2025": a deadline is ahead of the report, not its time
_DEADLINE_BEFORE = re.compile(r"(?i)(?:trước|chậm\s+nhất|hạn|đến\s+hết|kể\s+từ)\s+(?:ngày\s+)?$")
_DASH_ONLY = re.compile(r"[ \t]*[-–][ \t]*")
_FAR_YEAR = re.compile(r"(?i)(?:đến|tới|tầm\s+nhìn|giai\s+đoạn|trước|mục\s+tiêu|vào)\s+(?:năm\s+)?$")


class YearClue(NamedPattern):
    """A phrase that places the report in time (see ``data/vi/dates.json``)."""

    tells: Literal["present", "past", "plan", "reviewed"]
    shift: int = 0


class DateData(BaseModel):
    heavenly_stems: dict[str, int]
    earthly_branches: dict[str, int]
    year_clues: list[YearClue]


@cache
def date_data() -> DateData:
    return DateData.model_validate(read_json("dates.json"))


def lunar_year(stem: str, branch: str, near: int) -> int | None:
    """The Gregorian year of a sexagenary name nearest ``near`` ("Giáp Thìn" near 2020 -> 2024).

    A stem fixes the year modulo 10 and a branch modulo 12; names whose two parts differ
    in parity ("Giáp Sửu") name no year.
    """
    data = date_data()
    s, b = data.heavenly_stems.get(stem), data.earthly_branches.get(branch)
    if s is None or b is None or s % 2 != b % 2:
        return None
    base = next(y for y in range(1980, 2040) if y % 10 == s and y % 12 == b)
    return min((base - 60, base, base + 60), key=lambda y: (abs(y - near), -y))


@dataclass
class _YearContext:
    """The year a date written without one takes, by its month.

    ``year`` for most months. A report placed in time by a lunar new year ("Tết Giáp Thìn")
    speaks of November and December of the year before. A report that tells a finished
    year ("Năm 2023, toàn xã đã …", "tổng kết năm 2023") is a year-end review: its
    November and December are that year's, its January and February the next year's.
    """

    year: int | None
    why: str = "none"
    december_before: bool = False
    finished: int | None = None

    def for_month(self, month: int) -> int | None:
        if self.year is None:
            return None
        if self.december_before and month >= 11:
            return self.year - 1
        if self.finished and month <= 2:
            return self.finished + 1
        if self.finished and month >= 11:
            return self.finished
        return self.year


def _clues(text: str, near: int) -> dict[str, list[int]]:
    """Years the report's time clues name, by what they tell."""
    out: dict[str, list[int]] = {"present": [], "past": [], "plan": [], "reviewed": [], "lunar": []}
    for clue in date_data().year_clues:
        for m in clue.regex.finditer(text):
            g = m.groupdict()
            if g.get("stem"):
                year = lunar_year(g["stem"], g["branch"], near)
                if year is not None:
                    out["lunar"].append(year)
                    out[clue.tells].append(year)
                continue
            y = g.get("y") or g.get("y2")
            if y:
                out[clue.tells].append(int(y) + clue.shift)
    return out


def _context_year(text: str, found: list[_Found], anchor_year: int | None) -> _YearContext:
    """The year a date written without one takes.

    The caller's anchor (the event's year) first; then what the report says of its own
    time ("dịp Tết Giáp Thìn", "so với cùng kỳ năm 2023"); then the most common year of
    full dates that are not a document's issue date; then the start of the latest term
    named ("nhiệm kỳ 2025-2030": congresses and elections happen in its first year); then
    the most common "năm YYYY" that is not a far target ("đến năm 2030"); then a term or
    a period under review.
    """
    if anchor_year:
        return _YearContext(anchor_year, "anchor")
    stated = [int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", text)]
    near = max(stated) if stated else 2020
    clues = _clues(text, near)
    if clues["present"]:
        year = max(clues["present"])
        return _YearContext(year, "present", december_before=year in clues["lunar"])
    years = Counter(
        f.year
        for f in found
        if f.year and f.day and not _DOC_NUMBER_BEFORE.search(text[max(0, f.start - 30) : f.start]) and not _DEADLINE_BEFORE.search(text[max(0, f.start - 20) : f.start])
    )
    if years:
        return _YearContext(max(years.items(), key=lambda kv: (kv[1], kv[0]))[0], "full-dates")
    terms = [int(y) for y in _TERM.findall(text)]
    if terms and _NEW_TERM_EVENT.search(text):
        return _YearContext(max(terms), "new-term")
    words = Counter(
        int(m.group(1)) for m in _YEAR_WORD.finditer(text) if not _FAR_YEAR.search(text[max(0, m.start() - 15) : m.start()])
    )
    if words:
        year = max(words.items(), key=lambda kv: (kv[1], kv[0]))[0]
        finished = max(clues["past"], default=None)
        return _YearContext(year, "year-words", finished=finished if finished not in clues["plan"] else None)
    if clues["reviewed"]:
        return _YearContext(max(clues["reviewed"]), "reviewed-period")
    return _YearContext(None)


POSTED_LEAD_DAYS = 60
"""A date without a year in a report posted on day P is the latest such day no more than this
many days after P ("ngày 28/12" posted on 5/1/2017 is 28/12/2016; "ngày 5/2" is 5/2/2017)."""


def year_near_posting(posted: datetime.date, month: int, day: int | None) -> int:
    """The year that puts day/month last on or before ``posted`` + POSTED_LEAD_DAYS."""
    limit = posted + datetime.timedelta(days=POSTED_LEAD_DAYS)
    for year in (limit.year, limit.year - 1):
        last = calendar.monthrange(year, month)[1]
        if datetime.date(year, month, min(day or 1, last)) <= limit:
            return year
    return limit.year - 2


def recognize_dates(text: str, *, anchor_year: int | None = None, posted: datetime.date | None = None) -> list[DateMention]:
    """Find every calendar date in ``text``.

    ``posted`` is the day the report was published, when its source says so (a page's
    metadata, a feed's field): a date without a year then takes the year that puts it
    last on or before that day (a few weeks' lead allowed). Otherwise ``anchor_year`` (the
    event's year when the caller knows it), else what the report says of its own time.
    """
    found = _scan(text)
    # "(03/02/1930 - 03/02/2025)": two full dates joined by a dash are one range
    next_id = max((f.range_id or 0 for f in found), default=0) + 1
    for f, g in zip(found, found[1:]):
        if f.range_id is None and g.range_id is None and f.day and g.day and f.year and g.year and _DASH_ONLY.fullmatch(text, f.end, g.start):
            f.range_id = g.range_id = next_id
            next_id += 1
    # a range's year, when only its end has one, belongs to both ends
    by_range: dict[int, int] = {}
    for f in found:
        if f.range_id and f.year:
            by_range[f.range_id] = f.year
    context = _context_year(text, found, anchor_year)
    # "Thứ Sáu, 20/12/2024 | 16:45 … Chiều ngày 20/12": the same day told again
    full_dates = {(f.day, f.month): f.year for f in found if f.year and f.day}
    out: list[DateMention] = []
    for k, f in enumerate(found):
        year = f.year or (by_range.get(f.range_id) if f.range_id else None)
        inferred = f.year is None
        if year is None:
            # "từ ngày 12/3 đến ngày 14/3/2024": the next dated mention close by lends its year
            nxt = next((g for g in found[k + 1 : k + 2] if g.year and g.start - f.end <= 25), None)
            year = (
                nxt.year
                if nxt
                else full_dates.get((f.day, f.month))
                or (year_near_posting(posted, f.month, f.day) if posted else None)
                or context.for_month(f.month)
            )
        if year is None or not _valid(year, f.month, f.day):
            continue
        value = f"{year:04d}-{f.month:02d}" + (f"-{f.day:02d}" if f.day else "")
        out.append(
            DateMention(
                start=f.start,
                end=f.end,
                text=text[f.start : f.end],
                value=value,
                precision="day" if f.day else "month",
                part_of_day=_PARTS_OF_DAY.get(f.part) if f.part else None,  # type: ignore[arg-type]
                year_inferred=inferred,
                range_id=f.range_id,
                provenance=Provenance(name="dates", pattern=f.rule, score=0.8 if inferred else 0.95),
            )
        )
    return out
