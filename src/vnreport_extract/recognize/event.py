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

_KINDS = re.compile(
    r"(?i)(hội nghị(?: trực tuyến)?(?: (?:tổng kết|sơ kết|giao ban|tiếp xúc cử tri|đối thoại|quán triệt|chuyên đề|lần thứ \w+))?"
    r"|kỳ họp(?: thứ \w+)?|phiên họp(?: thường kỳ| thứ \w+)?|đại hội(?: đại biểu)?(?: lần thứ \w+)?|tiếp xúc cử tri|đối thoại"
    r"|họp mặt|lễ kỷ niệm|lễ trao|lễ ra quân|buổi làm việc|làm việc|buổi tiếp công dân|tiếp công dân|giao ban|lễ phát động|phiên giải trình|phiên chất vấn|giám sát)"
)
_PLACE = re.compile(r"\btại\s+((?:[^,.;:\n](?!\btổ chức\b|\bdiễn ra\b))*[^,.;:\n\s])")
_ORGANIZER = re.compile(r"(?:^|,\s*)((?:[A-ZĐÀ-Ỹ][^,.;:\n]{2,80}?))\s+(?:đã\s+)?(?:long trọng\s+)?(?:tổ chức|khai mạc|họp)\b")


def recognize_event(
    title: str | None,
    opening: list[tuple[int, int]],
    text: str,
    dates: list[DateMention],
    residue: list[tuple[int, int]],
) -> Event:
    """``opening``: spans of the first body paragraphs; ``residue``: spans of page residue."""

    def within(spans: list[tuple[int, int]], d: DateMention) -> bool:
        return any(a <= d.start < b for a, b in spans)

    date = None
    why = None
    for spans, rule in ((opening[:2], "opening"), (opening, "body")):
        found = [d for d in dates if within(spans, d) and d.precision == "day"]
        if found:
            date, why = found[0].value, rule
            break
    if date is None and title:
        t_dates = [d for d in dates if d.precision == "day" and text[d.start : d.end] in title]
        if t_dates:
            date, why = t_dates[0].value, "title"
    if date is None:
        posted = [d for d in dates if within(residue, d) and d.precision == "day"]
        if posted:
            date, why = posted[0].value, "posting-date"
    first = text[opening[0][0] : opening[0][1]] if opening else ""
    kind_m = _KINDS.search(title or "") or _KINDS.search(first)
    place_m = _PLACE.search(first)
    org_m = _ORGANIZER.search(first)
    organizer = org_m.group(1).strip() if org_m else None
    if organizer:
        organizer = re.sub(r"^(?:(?:Sáng|Chiều|Tối|Trưa)\s+)?(?:ngày\s+)?[\d/.\-]+\s*,?\s*", "", organizer) or None
    return Event(
        date=date,
        place=place_m.group(1).strip() if place_m else None,
        organizer=organizer,
        kind=kind_m.group(1) if kind_m else None,
        provenance=Provenance(name="event", pattern=why or "none", score=0.8 if date else 0.3),
    )
