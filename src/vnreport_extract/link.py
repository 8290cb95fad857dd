"""People <-> positions, and later mentions -> people.

Shapes read: "Đồng chí X - P1, P2", "X, P1, P2", "X (P1)", "P1, P2 X", "P đồng chí X",
across the whole report; a person's positions are gathered in document order, each once.
Later references become mentions when they point at one person only: the full name
again, "ông/bà/đồng chí" + the given name ("ông Tâm"), or a title that only one linked
person holds ("đồng chí Bí thư", "Chủ tịch UBND phường").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from .normalize import retone
from .recognize.people import MAX_NER_SENTENCES, NameCandidate, covered_by, underthesea_persons
from .schema import Mention, Person, Position, Provenance

# spaces, or one mark among spaces; not "\s*(?:…|\s)\s*", three ways to split every run
# of spaces, cubic on a long one
_AFTER_NAME = re.compile(r"(?<!\s)(?=[\s\S])\s*(?:[-–—,(:]\s*)?$")
# ``(?<!\s)``, ``(?<![…])`` and one ``\s*`` per side of the mark: matched whole on short gaps,
# but searched, a run of spaces would be split every way, from each of its spaces
_BETWEEN_POSITIONS = re.compile(r"(?<!\s)\s*(?:(?:[,;]|kiêm|và|[-–—]|,\s*kiêm)\s*)?$")
# "…, giữ chức Bí thư Tỉnh ủy", "bầu ông X - … - làm Trưởng Đoàn": a post given to the person just named
_TAKES_POST = re.compile(
    r"(?<![\s,\-–—])[\s,\-–—]*(?:được\s+)?(?:bầu\s+)?(?:giữ\s+chức(?:\s+vụ)?|giữ\s+cương\s+vị|làm|đảm\s+nhận(?:\s+chức)?|kiêm\s+nhiệm)\s+$"
)
# "…, đồng chí X", "chức danh P đối với ông X"
_BEFORE_NAME = re.compile(r"^\s*(?:,\s*)?(?:(?:đối\s+với|cho)\s+)?(?:(?:đồng\s+chí|Đồng\s+chí|đ/c|ông|bà|Ông|Bà)\s+)?$")
_COURTESY = re.compile(r"(?:đồng\s+chí|Đồng\s+chí|ông|Ông|bà|Bà|đ/c)\s+$")


def _chain_after(text: str, end: int, by_start: dict[int, Position], starts: list[int]) -> list[Position]:
    out: list[Position] = []
    cursor = end
    first = True
    while True:
        # the first position at or after the cursor, by bisection (``starts`` is in order)
        k = bisect.bisect_left(starts, cursor)
        nxt = starts[k] if k < len(starts) and starts[k] - cursor <= 12 else None
        if nxt is None:
            break
        gap = text[cursor:nxt]
        ok = _AFTER_NAME.fullmatch(gap) if first else _BETWEEN_POSITIONS.fullmatch(gap)
        if not ok or (first and not gap.strip() and gap != " "):
            break
        if first and gap == " " and by_start[nxt].provenance.score < 0.5:
            break
        pos = by_start[nxt]
        out.append(pos)
        cursor = pos.end
        first = False
    k = bisect.bisect_left(starts, cursor)
    if k < len(starts) and starts[k] - cursor <= 30 and _TAKES_POST.fullmatch(text[cursor : starts[k]]):
        out.append(by_start[starts[k]])
    return out


def _chain_before(text: str, start: int, by_end: dict[int, Position], ends: list[int]) -> list[Position]:
    out: list[Position] = []
    cursor = start
    first = True
    while True:
        # the last position ending at or before the cursor, by bisection (``ends`` is in order)
        k = bisect.bisect_right(ends, cursor) - 1
        prev = ends[k] if k >= 0 and cursor - ends[k] <= 16 else None
        if prev is None:
            break
        gap = text[prev:cursor]
        ok = _BEFORE_NAME.match(gap) if first else re.fullmatch(r"\s*[,;]\s*|\s+[-–—]\s+|\s+", gap)
        if not ok:
            break
        pos = by_end[prev]
        out.insert(0, pos)
        cursor = pos.start
        first = False
    return out


def link_people(
    text: str,
    candidates: list[NameCandidate],
    positions: list[Position],
    *,
    sentence_of: Callable[[int], tuple[int, int]] | None = None,
    use_ner: bool = True,
) -> list[Person]:
    """Build people from name candidates and the positions beside them."""
    by_start = {p.start: p for p in positions}
    by_end = {p.end: p for p in positions}
    starts = sorted(by_start)
    ends = sorted(by_end)
    people: dict[str, Person] = {}
    doubtful: list[tuple[NameCandidate, list[Position]]] = []
    for c in candidates:
        linked = _chain_before(text, c.start, by_end, ends) + _chain_after(text, c.end, by_start, starts)
        if c.score < 0.6 and not linked:
            doubtful.append((c, linked))
            continue
        _add(people, c, linked)
    # two-syllable names with no cue: underthesea's CRF tagger decides, on a few sentences
    if use_ner and doubtful and sentence_of is not None:
        asked: dict[tuple[int, int], set[str]] = {}
        for c, linked in doubtful:
            span = sentence_of(c.start)
            if span not in asked:
                if len(asked) >= MAX_NER_SENTENCES:
                    continue
                asked[span] = underthesea_persons(text[span[0] : span[1]])
            if c.name in asked[span] or c.name in people:
                _add(people, c, linked, rule="underthesea-ner")
    result = sorted(people.values(), key=lambda p: p.start)
    for p in result:
        kept = [x for x in p.positions if x.provenance.score >= 0.4]
        # a bare title ("Thứ trưởng") said again of someone whose full post is known adds nothing
        keys = [_key(x.text) for x in kept]
        p.positions = [x for x, k in zip(kept, keys) if not any(o != k and o.startswith(k + " ") for o in keys)]
    _mentions(text, result, positions)
    return result


def _add(people: dict[str, Person], c: NameCandidate, linked: list[Position], rule: str | None = None) -> None:
    person = people.get(c.name)
    if person is None:
        person = Person(
            name=c.name,
            start=c.start,
            end=c.end,
            provenance=Provenance(name="people", pattern=rule or c.rule, score=c.score if not linked else max(c.score, 0.9)),
        )
        people[c.name] = person
    person.mentions.append(
        Mention(start=c.start, end=c.end, text=c.name, kind="name", provenance=Provenance(name="people", pattern=c.rule))
    )
    seen = {_key(p.text) for p in person.positions}
    for pos in linked:
        if _key(pos.text) not in seen:
            person.positions.append(pos)
            seen.add(_key(pos.text))


def _key(s: str) -> str:
    return retone(re.sub(r"\s+", " ", s).casefold())


def _mentions(text: str, people: list[Person], positions: list[Position]) -> None:
    named = {(m.start, m.end) for p in people for m in p.mentions}
    in_named = covered_by(list(named))
    # "ông Tâm": a given name after a courtesy word, when one person has it
    by_given: dict[str, list[Person]] = {}
    for p in people:
        by_given.setdefault(p.name.split()[-1], []).append(p)
    for m in re.finditer(r"(?<![\w])[A-ZĐÀ-Ỹ][a-zđà-ỹ]+(?![\w])", text):
        owners = by_given.get(m.group(0), [])
        if len(owners) != 1 or in_named(m.start()):
            continue
        if not _COURTESY.search(text[max(0, m.start() - 12) : m.start()]):
            continue
        owners[0].mentions.append(
            Mention(start=m.start(), end=m.end(), text=m.group(0), kind="short_name",
                    provenance=Provenance(name="link", pattern="courtesy+given-name", score=0.8))
        )
    # a title only one linked person holds
    holders: dict[str, list[Person]] = {}
    for p in people:
        for pos in p.positions:
            holders.setdefault(_key(pos.text), []).append(p)
    linked_spans = {(pos.start, pos.end) for p in people for pos in p.positions}
    for pos in positions:
        if (pos.start, pos.end) in linked_spans:
            continue
        owners = holders.get(_key(pos.text), [])
        if len(owners) == 1:
            owners[0].mentions.append(
                Mention(start=pos.start, end=pos.end, text=pos.text, kind="title",
                        provenance=Provenance(name="link", pattern="unique-title", score=0.7))
            )
    for p in people:
        p.mentions.sort(key=lambda m: m.start)
