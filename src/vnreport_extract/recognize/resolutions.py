"""Numbered Party and State documents ("resolutions" in the report).

Forms read (the patterns and type codes live in ``data/vi/documents.json``):

* Party form ``N-XX/YY``: "Nghị quyết số 18-NQ/TW", "Hướng dẫn 12-HD/BTCTW";
* State form ``N/XX-YY``: "Quyết định số 123/QĐ-UBND", "Công văn số 2145/UBND-TCD";
* legal form ``N/YYYY/XX-YY``: "Nghị định số 100/2019/NĐ-CP", "Luật số 59/2020/QH14";
* bare references: a kind and a number, "Chỉ thị 05 của Bộ Chính trị", "Nghị quyết số 57".
  "Nghị quyết Trung ương 4" is not one: 4 numbers the plenum, not the document.

Around a number: the kind from the words just before it, else from its type code; the
issue date ("…, ngày 25/10/2017"), the issuer ("của Ban Chấp hành Trung ương Đảng khóa
XII") and a quoted title ("về “…”").
"""

from __future__ import annotations

import bisect
import re
from functools import cache

from pydantic import BaseModel

from ..resources import NamedPattern, read_json
from ..schema import DateMention, Provenance, Resolution


class DocumentData(BaseModel):
    kinds: list[str]
    bare_number_kinds: list[str]
    type_codes: dict[str, str]
    patterns: list[NamedPattern]


@cache
def document_data() -> DocumentData:
    return DocumentData.model_validate(read_json("documents.json"))


@cache
def _kind_before() -> re.Pattern[str]:
    kinds = sorted(document_data().kinds, key=len, reverse=True)
    alt = "|".join(re.escape(k) for k in kinds)
    # "Nghị quyết số", "Quyết định số:", "Kế hoạch" right before the number
    return re.compile(r"(?<!\w)(?P<kind>" + alt + r")(?:\s+(?:liên\s+tịch|số|số:))?\s*:?\s*$", re.IGNORECASE)


@cache
def _bare() -> re.Pattern[str]:
    kinds = sorted(document_data().bare_number_kinds, key=len, reverse=True)
    alt = "|".join(re.escape(k) for k in kinds)
    return re.compile(
        r"(?<!\w)(?P<kind>" + alt + r")\s+(?:số\s+)?(?P<number>\d{1,4})(?![\w/-]|[.,]\d|\s*(?:%|năm|tháng|ngày|người|lần))",
        re.IGNORECASE,
    )


_ISSUER_START = re.compile(r"^\s*(?:,\s*)?(?:do\s+|của\s+)(?=[A-ZĐÀ-Ỹ])")
# lower-case words that names of bodies carry ("Hội đồng nhân dân tỉnh", "khóa XII")
_BODY_WORDS = frozenset(
    "khóa khoá và nhân dân tỉnh huyện xã phường quận thị trấn thành phố thường vụ chấp hành trung ương ủy uỷ".split()
)


def _issuer(tail: str) -> tuple[str, int] | None:
    """The issuing body after "của"/"do": capitalised words, the lower-case second syllable of
    a capitalised one ("Bộ Chính trị", "Ban Chấp hành"), body words and a roman-numbered term.
    Returns the issuer and where it ends in ``tail``."""
    m = _ISSUER_START.match(tail)
    if m is None:
        return None
    words = list(re.finditer(r"[^\s,;:.()“”\"]+", tail[m.end() : m.end() + 160]))
    keep: list[re.Match[str]] = []
    for w in words:
        tok = w.group(0)
        if keep and tail[m.end() + keep[-1].end() : m.end() + w.start()] != " ":
            break
        prev = keep[-1].group(0) if keep else ""
        roman = bool(re.fullmatch(r"[IVXLC]+", prev))
        if tok[0].isupper() or tok.lower() in _BODY_WORDS or (prev[:1].isupper() and not roman and len(keep) < 12):
            keep.append(w)
            if len(keep) >= 14:
                break
            continue
        break
    while keep and keep[-1].group(0).lower() in ("và", "khóa", "khoá"):
        keep.pop()
    if not keep:
        return None
    end = m.end() + keep[-1].end()
    return tail[m.end() : end], end


_TITLE = re.compile(r"^\s*,?\s*(?:về\s+(?:việc\s+)?|V/v\s+)[“\"](?P<title>[^”\"]{3,300})[”\"]")


def _clean_number(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _type_code(number: str) -> str | None:
    m = re.match(r"\d+-([A-Za-zĐđ]+)/", number) or re.match(r"\d+/(?:\d{4}/)?([A-Za-zĐđ]+\d*)", number)
    return m.group(1) if m else None


def recognize_resolutions(text: str, dates: list[DateMention] | None = None) -> list[Resolution]:
    """Find numbered documents in ``text``; ``dates`` (already recognized) give issue dates."""
    data = document_data()
    found: list[tuple[int, int, str, str, str]] = []  # start, end, number, rule, code
    taken = _Taken()
    for p in data.patterns:
        for m in p.regex.finditer(text):
            a, b = m.span("number")
            if taken.overlaps(a, b):
                continue
            number = _clean_number(m.group("number"))
            if p.id == "state-form" and not _plausible_state_code(m.group("code"), data):
                continue
            found.append((a, b, number, p.id, m.group("code")))
            taken.add(a, b)
    for m in _bare().finditer(text):
        a, b = m.span("number")
        if taken.overlaps(a, b):
            continue
        found.append((a, b, m.group("number"), "bare-number", ""))
        taken.add(a, b)
        # "Nghị định 29 và 178", "Quyết định 1880, 309": the list goes on under the same kind
        cursor = b
        while (more := _BARE_MORE.match(text, cursor)) is not None:
            a2, b2 = more.span("number")
            if taken.overlaps(a2, b2):
                break
            found.append((a2, b2, more.group("number"), "bare-number-list", ""))
            taken.add(a2, b2)
            cursor = b2
    found.sort()
    # the dates' starts and ends, for bisection; None when not in order (then scanned)
    starts = [d.start for d in dates or []]
    ends = [d.end for d in dates or []]
    date_starts = starts if all(x <= y for x, y in zip(starts, starts[1:])) else None
    date_ends = ends if all(x <= y for x, y in zip(ends, ends[1:])) else None
    out: list[Resolution] = []
    by_key: dict[str, Resolution] = {}
    list_kind: str | None = None
    for a, b, number, rule, code in found:
        key = re.sub(r"^0+(?=\d)", "", number.casefold().replace("–", "-"))  # "40 – CT/TW" is "40-CT/TW"
        kind, start = _kind_for(text, a, number, code, data)
        if rule == "bare-number-list" and kind is None:
            kind = list_kind  # "Nghị định 29 và 178": the kind of the list's head
        list_kind = kind
        issued = _issue_date(text, b, dates or [], date_starts) or _issue_date_before(text, start, dates or [], date_ends)
        tail_from = b
        if issued is not None and issued.start >= b:
            tail_from = issued.end
        tail = text[tail_from : tail_from + 200]
        found_issuer = _issuer(tail)
        issuer = found_issuer[0] if found_issuer else None
        title_from = tail_from + (found_issuer[1] if found_issuer else 0)
        title_m = _TITLE.match(text[title_from : title_from + 320])
        issued_value = issued.value if issued is not None and issued.precision == "day" else None
        title = title_m.group("title").strip() if title_m else None
        earlier = by_key.get(key)
        if earlier is not None:
            # each document once: a later mention may say what the first did not
            earlier.issued = earlier.issued or issued_value
            earlier.issuer = earlier.issuer or issuer
            earlier.title = earlier.title or title
            earlier.kind = earlier.kind or kind
            continue
        res = Resolution(
            start=start,
            end=b,
            text=text[start:b],
            number=number,
            kind=kind,
            type_code=_type_code(number) or None,
            issuer=issuer,
            issued=issued_value,
            title=title,
            provenance=Provenance(name="resolutions", pattern=rule, score=0.95 if rule != "bare-number" else 0.8),
        )
        by_key[key] = res
        out.append(res)
    full = {(r.kind, re.match(r"\d+", r.number).group(0).lstrip("0")) for r in out if not r.number.isdigit()}  # type: ignore[union-attr]
    return [r for r in out if not (r.number.isdigit() and (r.kind, r.number.lstrip("0")) in full)]


class _Taken:
    """Disjoint, non-empty spans already taken, kept in order: an overlap test in log time
    (a scan of every earlier number is quadratic on a report full of them)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, a: int, b: int) -> bool:
        # the last span starting before ``b`` ends last of those, the spans being disjoint
        i = bisect.bisect_left(self.starts, b) - 1
        return i >= 0 and self.ends[i] > a

    def add(self, a: int, b: int) -> None:
        i = bisect.bisect_left(self.starts, a)
        self.starts.insert(i, a)
        self.ends.insert(i, b)


def _plausible_state_code(code: str, data: DocumentData) -> bool:
    """State-form numbers name a known type code or an issuing body ("2145/UBND-TCD")."""
    return code in data.type_codes or code.isupper() and len(code) >= 2


def _kind_for(text: str, a: int, number: str, code: str, data: DocumentData) -> tuple[str | None, int]:
    before = text[max(0, a - 40) : a]
    m = _kind_before().search(before)
    if m:
        kind = m.group("kind")
        return kind[0].upper() + kind[1:], a - (len(before) - m.start())
    code = _type_code(number) or code
    return data.type_codes.get(code or ""), a


_BARE_MORE = re.compile(r"\s*(?:,|và)\s*(?:số\s+)?(?P<number>\d{1,4})(?![\w/-]|[.,]\d|\s*(?:%|năm|tháng|ngày|người|lần))")
_ISSUE_GAP = re.compile(r"[ \t]*,?[ \t]*(?:\([ \t]*)?(?:(?:ban\s+hành|ký)[ \t]+)?")


def is_issue_date_gap(text: str, end: int, date_start: int) -> bool:
    """Does a date starting at ``date_start`` read as the issue date of a number ending at ``end``?"""
    return 0 <= date_start - end <= 30 and _ISSUE_GAP.fullmatch(text[end:date_start]) is not None


def _issue_date(text: str, end: int, dates: list[DateMention], starts: list[int] | None = None) -> DateMention | None:
    """A date right after the number, on its line: "18-NQ/TW, ngày 25/10/2017",
    "… (ban hành ngày …)". A date on the next line opens the next paragraph instead.

    ``starts``: the dates' starts, given only when in order (as recognized): the first date
    at or after ``end`` is then found by bisection instead of a scan of every date.
    """
    found: DateMention | None = None
    if starts is not None:
        i = bisect.bisect_left(starts, end)
        found = dates[i] if i < len(dates) and starts[i] <= end + 30 else None
    else:
        found = next((d for d in dates if end <= d.start <= end + 30), None)
    if found is None:
        return None
    # the date's own words ("ngày …") belong to its span; only a comma, a bracket or
    # "ban hành"/"ký" may stand between, and never a line break
    if not is_issue_date_gap(text, end, found.start):
        return None
    return found


_ISSUED_BEFORE = re.compile(r"(?:đã\s+)?(?:ban\s+hành|ký|thông\s+qua)\s+[^.;\n]{0,40}$")


def _issue_date_before(
    text: str, start: int, dates: list[DateMention], ends: list[int] | None = None
) -> DateMention | None:
    """"Ngày 3/4/2024, Ban Thường vụ … đã ban hành Kế hoạch số 27-KH/…": the date before,
    in the same sentence, with "ban hành" or "ký" between.

    ``ends``: the dates' ends, given only when in order: the last date ending before
    ``start`` is then found by bisection (a scan back from the last date is quadratic)."""
    if ends is not None:
        i = bisect.bisect_right(ends, start)
        dates = dates[max(0, i - 1) : i]
    for d in reversed(dates):
        if d.end > start:
            continue
        if start - d.end > 120:
            return None
        between = text[d.end : start]
        if re.search(r"[.;\n]", between):
            return None
        return d if _ISSUED_BEFORE.search(between) else None
    return None
