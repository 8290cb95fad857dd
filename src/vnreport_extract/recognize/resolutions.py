"""Numbered Party and State documents ("resolutions" in the report).

Forms read (the patterns and type codes live in ``data/vi/documents.json``):

* Party form ``N-XX/YY``: "Nghị quyết số 18-NQ/TW", "Hướng dẫn 12-HD/BTCTW";
* State form ``N/XX-YY``: "Quyết định số 123/QĐ-UBND", "Công văn số 7690/UBND-BTCD";
* legal form ``N/YYYY/XX-YY``: "Nghị định số 100/2019/NĐ-CP", "Luật số 59/2020/QH14";
* bare references: a kind and a number, "Chỉ thị 05 của Bộ Chính trị", "Nghị quyết số 57".
  "Nghị quyết Trung ương 4" is not one: 4 numbers the plenum, not the document.

Around a number: the kind from the words just before it, else from its type code; the
issue date ("…, ngày 25/10/2017"), the issuer ("của Ban Chấp hành Trung ương Đảng khóa
XII") and a quoted title ("về “…”").
"""

from __future__ import annotations

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


_ISSUER = re.compile(
    r"^\s*(?:,\s*)?(?:do\s+|của\s+)(?P<issuer>(?:[A-ZĐÀ-Ỹ][\w&.]*|[a-zđà-ỹ]+)(?:\s+(?:[A-ZĐÀ-Ỹ][\w&.\-]*|[a-zđà-ỹ]+)){0,14}?)"
    r"(?=\s+(?:về|ban\s+hành|quy\s+định|hướng\s+dẫn|thực\s+hiện|đã|đề\s+ra|nhằm|trong|và\s+các|với)\b|\s*[,.;:()“\"”]|\s*$)"
)
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
    taken: list[tuple[int, int]] = []
    for p in data.patterns:
        for m in p.regex.finditer(text):
            a, b = m.span("number")
            if any(not (b <= x or a >= y) for x, y in taken):
                continue
            number = _clean_number(m.group("number"))
            if p.id == "state-form" and not _plausible_state_code(m.group("code"), data):
                continue
            found.append((a, b, number, p.id, m.group("code")))
            taken.append((a, b))
    for m in _bare().finditer(text):
        a, b = m.span("number")
        if any(not (b <= x or a >= y) for x, y in taken):
            continue
        found.append((a, b, m.group("number"), "bare-number", ""))
        taken.append((a, b))
    found.sort()
    out: list[Resolution] = []
    seen: set[str] = set()
    for a, b, number, rule, code in found:
        key = re.sub(r"^0+(?=\d)", "", number.casefold())
        if key in seen:
            continue
        seen.add(key)
        kind, start = _kind_for(text, a, number, code, data)
        after = text[b : b + 200]
        issued = _issue_date(b, dates or [])
        tail_from = b
        if issued is not None:
            tail_from = issued.end
        tail = text[tail_from : tail_from + 200]
        issuer_m = _ISSUER.match(tail)
        issuer = issuer_m.group("issuer").strip() if issuer_m else None
        title_from = tail_from + (issuer_m.end() if issuer_m else 0)
        title_m = _TITLE.match(text[title_from : title_from + 320])
        del after
        out.append(
            Resolution(
                start=start,
                end=b,
                text=text[start:b],
                number=number,
                kind=kind,
                type_code=_type_code(number) or None,
                issuer=issuer,
                issued=issued.value if issued is not None and issued.precision == "day" else None,
                title=title_m.group("title").strip() if title_m else None,
                provenance=Provenance(name="resolutions", pattern=rule, score=0.95 if rule != "bare-number" else 0.8),
            )
        )
    return out


def _plausible_state_code(code: str, data: DocumentData) -> bool:
    """State-form numbers name a known type code or an issuing body ("7690/UBND-BTCD")."""
    return code in data.type_codes or code.isupper() and len(code) >= 2


def _kind_for(text: str, a: int, number: str, code: str, data: DocumentData) -> tuple[str | None, int]:
    before = text[max(0, a - 40) : a]
    m = _kind_before().search(before)
    if m:
        kind = m.group("kind")
        return kind[0].upper() + kind[1:], a - (len(before) - m.start())
    code = _type_code(number) or code
    return data.type_codes.get(code or ""), a


def _issue_date(end: int, dates: list[DateMention]) -> DateMention | None:
    """A date right after the number: "18-NQ/TW, ngày 25/10/2017" or "… ban hành ngày …"."""
    for d in dates:
        if end <= d.start <= end + 30:
            return d
    return None
