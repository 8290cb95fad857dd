"""The event a report is about: its date, place, organizer and kind.

The date is the first dated mention in the opening paragraphs ("Sáng ngày 23/9/2025,
Đảng ủy phường … tổ chức Hội nghị …"), else one in the headline, else the page's posting
date. The kind is the event noun of the headline or opening ("Hội nghị tổng kết", "Kỳ họp
thứ …", "Đại hội", "tiếp xúc cử tri"); the place follows "tại"; the organizer is the
subject before "tổ chức".
"""

from __future__ import annotations

import re

from ..schema import DateMention, Event, Provenance
from .people import covered_by

_KINDS = re.compile(
    r"(?i)(hội nghị(?: trực tuyến)?(?: (?:tổng kết|sơ kết|giao ban|tiếp xúc cử tri|đối thoại|quán triệt|chuyên đề|lần thứ \w+))?"
    r"|kỳ họp(?: thứ \w+)?|phiên họp(?: thường kỳ| thứ \w+)?|đại hội(?: đại biểu)?(?: lần thứ \w+)?|tiếp xúc cử tri|đối thoại"
    r"|họp mặt|lễ kỷ niệm|lễ trao|lễ ra quân|buổi làm việc|làm việc|buổi tiếp công dân|tiếp công dân|giao ban|lễ phát động|phiên giải trình|phiên chất vấn|giám sát)"
)
# ``(?!\s)``: the spaces after "tại" are taken whole; given back one by one they only fail
# again, quadratically, on "tại" + many spaces + ","
_PLACE = re.compile(r"\btại\s+(?!\s)((?:[^,.;:\n](?!\btổ chức\b|\bdiễn ra\b))*[^,.;:\n\s])")
# ``(?<!\s)``: tried only where a run of spaces begins; tried inside one, each start takes
# the rest of the run and gives it back, quadratic on a long run, for the same matches
_ORGANIZING = re.compile(r"(?<!\s)\s+(?:đã\s+|vừa\s+)?(?:long\s+trọng\s+)?(?:tổ\s+chức|khai\s+mạc|họp)\b")
_OPENING_PHRASE = re.compile(
    r"^(?:(?i:sáng|chiều|trưa|tối|ngày|hôm\s+nay|vừa\s+qua|mới\s+đây|trong\s+(?:hai\s+)?ngày)\b|tại\b|Tại\b|\(|[\d/.\-]+$)"
)


def _organizer(sentence: str) -> str | None:
    """The subject before "tổ chức"/"khai mạc": "Sáng 27/12, Đảng ủy xã Tân Hòa, huyện Phú Bình
    tổ chức …" -> "Đảng ủy xã Tân Hòa, huyện Phú Bình" (date and place phrases dropped)."""
    m = _ORGANIZING.search(sentence)
    if m is None:
        return None
    head = sentence[: m.start()]
    if "." in head.rstrip(".")[-200:] and re.search(r"\.\s", head):
        head = re.split(r"\.\s", head)[-1]
    parts = [p.strip() for p in head.split(",")]
    # what comes before the last date or place phrase ("Chào mừng …, sáng 24/3, Đoàn phường …")
    timed = [i for i, p in enumerate(parts) if p and _OPENING_PHRASE.match(p)]
    if timed:
        parts = parts[timed[-1] + 1 :]
    while parts and not parts[0]:
        parts.pop(0)
    organizer = ", ".join(p for p in parts if p)
    if not organizer or len(organizer) > 120 or not organizer[0].isupper():
        return None
    return organizer


_EARLIER = re.compile(r"(?:^|[.!?\n]\s*)(?:Trước\s+đó|Trước\s+đây|Cách\s+đây|Hồi|Năm\s+ngoái)\b[^.!?\n]*$")


def _earlier(text: str, at: int) -> bool:
    """Is the date in a sentence that tells of something before the event ("Trước đó, ngày …")?"""
    return _EARLIER.search(text, max(0, at - 200), at) is not None


# what a report's event is done with: a date in a sentence with one of these is the event's;
# a date in a sentence without ("nơi xảy ra vụ tai nạn ngày …") is more likely background
_EVENT_WORDS = re.compile(
    r"(?i)(?<!\w)(?:tổ\s+chức|họp|khai\s+mạc|bế\s+mạc|diễn\s+ra|làm\s+việc|hội\s+nghị|kỳ\s+họp|đại\s+hội|tiếp\s+xúc|tiếp\s+công\s+dân"
    r"|đối\s+thoại|chủ\s+trì|dự|thăm|kiểm\s+tra|giám\s+sát|ra\s+quân|phát\s+động|trao|công\s+bố|ban\s+hành|ký)(?!\w)"
)
# news of a document: "UBND tỉnh vừa ban hành Chỉ thị số 03/CT-UBND ngày 9/2/2024 …"
JUST_ISSUED = re.compile(r"(?i)(?<!\w)(?:vừa|mới|đã)\s+(?:ký\s+)?(?:ban\s+hành|ký|công\s+bố)(?!\w)")


def _sentence_around(text: str, at: int) -> str:
    """The sentence holding offset ``at`` (cut at . ! ? and line ends; at most 400 characters each side)."""
    lo = max(0, at - 400)
    before = text[lo:at]
    cut = max(before.rfind(c) for c in ".!?\n")
    start = lo + cut + 1 if cut >= 0 else lo
    m = re.compile(r"[.!?\n](?!\d)").search(text, at, min(len(text), at + 400))
    return text[start : m.start() if m else min(len(text), at + 400)]


def recognize_event(
    title: str | None,
    opening: list[tuple[int, int]],
    text: str,
    dates: list[DateMention],
    residue: list[tuple[int, int]],
) -> Event:
    """``opening``: spans of the first body paragraphs; ``residue``: spans of page residue."""

    date = None
    why = None
    # an anniversary ("(26/3/1931 - 26/3/2025)"): the founding day is history, and the day
    # it comes round again is the occasion, seldom the day of the event itself
    latest = max((int(d.value[:4]) for d in dates), default=0)
    old_ranges = {d.range_id for d in dates if d.range_id and int(d.value[:4]) < latest - 2}

    def historic(d: DateMention) -> bool:
        return int(d.value[:4]) < latest - 2 or d.range_id in old_ranges

    for spans, rule in ((opening[:2], "opening"), (opening, "body")):
        in_spans = covered_by(spans)  # every date against every paragraph is quadratic
        found = [
            d for d in dates if in_spans(d.start) and d.precision == "day" and not _earlier(text, d.start) and not historic(d)
        ]
        if found:
            # the first date told with the event, else the first date
            told = next((d for d in found if _EVENT_WORDS.search(_sentence_around(text, d.start))), found[0])
            date, why = told.value, rule
            break
    if date is None and title:
        t_dates = [d for d in dates if d.precision == "day" and text[d.start : d.end] in title]
        if t_dates:
            date, why = t_dates[0].value, "title"
    if date is None:
        in_residue = covered_by(residue)
        posted = [d for d in dates if in_residue(d.start) and d.precision == "day"]
        if posted:
            date, why = posted[0].value, "posting-date"
    first = text[opening[0][0] : opening[0][1]] if opening else ""
    kind_m = _KINDS.search(title or "") or _KINDS.search(first)
    place_m = _PLACE.search(first)
    organizer = _organizer(first)
    return Event(
        date=date,
        place=place_m.group(1).strip() if place_m else None,
        organizer=organizer,
        kind=kind_m.group(1) if kind_m else None,
        provenance=Provenance(name="event", pattern=why or "none", score=0.8 if date else 0.3),
    )
