"""Positions: a title, then the body and the unit it belongs to.

"Bí thư Đảng ủy phường", "Phó Bí thư Thường trực Tỉnh ủy", "Chủ tịch UBND tỉnh Cao Bằng",
"Ủy viên Ban Thường vụ Thành ủy", "nguyên Bí thư Huyện ủy". The grammar lives in
``data/vi/positions.json``: titles (longest first, matched without regard to case), then a
tail of capitalised words, abbreviations and connector words ("xã", "nhân dân", "thường
vụ" …) that stops at punctuation, a verb, or a person's name. After a unit word ("tỉnh",
"phường") the next one to three capitalised words are the unit's name; a name that
follows ("… tỉnh Cao Bằng Nguyễn Minh Khải") belongs to the person, not the position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel

from ..normalize import retone
from ..resources import read_json, read_lines
from ..schema import Position, Provenance


class PositionData(BaseModel):
    titles: list[str]
    title_abbreviations: dict[str, str]
    bare_titles_need_body: list[str]
    tail_words: list[str]
    unit_words: list[str]
    stop_words: list[str]
    expansions: dict[str, str]


@cache
def position_data() -> PositionData:
    return PositionData.model_validate(read_json("positions.json"))


@cache
def family_names() -> frozenset[str]:
    return frozenset(read_lines("family_names.txt"))


_TOKEN = re.compile(r"[^\W_]+(?:[.&'’\-][^\W_]+)*\.?|\S")


@cache
def _title_regex() -> re.Pattern[str]:
    data = position_data()
    titles = sorted(set(data.titles), key=len, reverse=True)
    alt = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in titles)
    abbr = "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in sorted(data.title_abbreviations, key=len, reverse=True))
    return re.compile(
        r"(?<![\w.])(?P<former>nguyên\s+)?(?:(?P<title>" + alt + r")|(?P<abbr>" + abbr + r"))(?![^\W_])",
        re.IGNORECASE,
    )


@cache
def _phrases(words: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(sorted({tuple(w.lower().split()) for w in words}, key=len, reverse=True))


def _tokens(text: str, a: int, b: int) -> list[tuple[int, int, str]]:
    return [(a + m.start(), a + m.end(), m.group(0)) for m in _TOKEN.finditer(text[a:b])]


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper() and any(c.isalpha() for c in tok)


@cache
def _by_first_word(phrases: tuple[tuple[str, ...], ...]) -> dict[str, list[tuple[str, ...]]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for ph in phrases:  # longest first, as given
        if ph:
            index.setdefault(ph[0], []).append(ph)
    return index


def _match_phrase(toks: list[tuple[int, int, str]], i: int, phrases: tuple[tuple[str, ...], ...]) -> int:
    """Length in tokens of the longest phrase starting at toks[i], 0 if none."""
    if i >= len(toks):
        return 0
    # only the phrases whose first word is this token: trying all of them at every token
    # made a report dense with titles ("Chủ tịch Chủ tịch …") take minutes
    for ph in _by_first_word(phrases).get(toks[i][2].lower().rstrip("."), ()):
        n = len(ph)
        if i + n <= len(toks) and tuple(t[2].lower().rstrip(".") for t in toks[i : i + n]) == ph:
            return n
    return 0


def _is_name_start(toks: list[tuple[int, int, str]], i: int) -> bool:
    """Family name followed by a capitalised syllable: a person's name starts here."""
    if i + 1 >= len(toks):
        return False
    a, b = toks[i][2], toks[i + 1][2]
    return a in family_names() and _is_cap(b) and b.isalpha() and not b.isupper() and toks[i + 1][0] - toks[i][1] == 1


def _joins_name(text: str, toks: list[tuple[int, int, str]], i: int) -> bool:
    """Is the dash at ``toks[i]`` inside a body's name ("Lao động - Thương binh và Xã hội"),
    rather than between two posts or a post and a name?"""
    if i == 0 or i + 1 >= len(toks) or not _is_cap(toks[i + 1][2]) or not toks[i - 1][2].isalpha():
        return False
    if text[toks[i - 1][1] : toks[i][0]] != " " or text[toks[i][1] : toks[i + 1][0]] != " ":
        return False
    return not _title_regex().match(text, toks[i + 1][0]) and not _is_name_start(toks, i + 1)


def _unit_name_length(toks: list[tuple[int, int, str]], i: int, run: int) -> int:
    """How many of ``run`` capitalised words after a unit word name the unit.

    "tỉnh Cao Bằng" -> 2; "tỉnh Cao Bằng Nguyễn Minh Khải" -> 2 (the rest is a person);
    "phường Lê Ích Mộc Trịnh Quang Thái" -> 3.
    """
    if run <= 3:
        if run == 3 and _is_name_start(toks, i + 1) and not _is_name_start(toks, i):
            return 1 if toks[i + 2][2] not in family_names() else run
        return run
    for k in (2, 3, 1):
        if k < run and toks[i + k][2] in family_names() and 2 <= run - k <= 4:
            return k
    return min(run, 3)


@dataclass
class _Tail:
    end: int
    unit: str | None
    body: str | None


def _tail(text: str, start: int, limit: int) -> _Tail:
    data = position_data()
    toks = _tokens(text, start, min(limit, start + 160))
    tail_ph = _phrases(tuple(data.tail_words))
    unit_ph = _phrases(tuple(data.unit_words))
    stop_ph = _phrases(tuple(data.stop_words))
    end = start
    i = 0
    body_start: int | None = None
    unit_start: int | None = None
    last_good = start
    while i < len(toks):
        a, b, tok = toks[i]
        gap = text[end:a] if end < a else ""
        if i > 0 and ("\n" in gap or len(gap) > 2):
            break
        if tok[:1].islower() and _match_phrase(toks, i, stop_ph):
            break  # a verb ("chỉ đạo"); capitalised it names a body ("Ban Chỉ đạo")
        if i > 0 and toks[i - 1][2].endswith(".") and not toks[i - 1][2][:-1].isupper():
            break  # "… HĐND tỉnh. Bên cạnh": the sentence ended
        n_unit = _match_phrase(toks, i, unit_ph)
        if n_unit:
            unit_start = a
            i += n_unit
            end = toks[i - 1][1]
            last_good = end
            # the unit's own name: one to three capitalised words, leaving a person's name alone
            run = 0
            while (
                i + run < len(toks)
                and _is_cap(toks[i + run][2])
                and toks[i + run][2].rstrip(".").isalpha()
                and text[toks[i + run - 1][1] : toks[i + run][0]] == " "
                and not toks[i + run - 1][2].endswith(".")  # "… HĐND tỉnh. Bên cạnh": a new sentence
            ):
                run += 1
            names = _unit_name_length(toks, i, run)
            if names:
                end = toks[i + names - 1][1]
                last_good = end
                i += names
            if names:
                break
            continue
        if tok in {"-", "–"} and _joins_name(text, toks, i):
            end = b
            i += 1  # "Bộ Lao động - Thương binh và Xã hội": one body's name
            continue
        if tok in {"-", "–", ",", ";", ":", "(", ")", "“", "”", '"', "/", "."}:
            break
        if tok.lower() in ("khóa", "khoá") and i + 1 < len(toks) and re.fullmatch(r"[IVXLC]+", toks[i + 1][2]):
            end = toks[i + 1][1]
            last_good = end
            i += 2
            continue
        n_tail = _match_phrase(toks, i, tail_ph)
        if n_tail:
            i += n_tail
            end = toks[i - 1][1]
            if toks[i - 1][2].lower() not in ("và", "của", "các"):
                last_good = end
            body_start = body_start if body_start is not None else a
            continue
        if _is_cap(tok):
            if _is_name_start(toks, i):
                break
            nxt_title = _title_regex().match(text, a)
            if nxt_title and not nxt_title.group(0).lower().startswith("đại biểu") and nxt_title.group(0) != "ĐBQH":
                break  # a second title starts: "ĐUV Phó Chủ tịch …" lists two posts
            end = b
            last_good = end
            body_start = body_start if body_start is not None else a
            i += 1
            continue
        break
    end = last_good
    while end > start and text[end - 1] in " .":
        end -= 1
    body = text[body_start:end].strip() if body_start is not None and body_start < end else None
    unit = text[unit_start:end].strip() if unit_start is not None and unit_start < end else None
    if body and unit and body.endswith(unit):
        body = body[: -len(unit)].strip() or None
    return _Tail(end=end, unit=unit, body=body)


@cache
def _expansions() -> list[tuple[re.Pattern[str], str]]:
    """The abbreviations and what they expand to, longest first, compiled once."""
    data = position_data()
    out = []
    for table in (data.expansions, data.title_abbreviations):
        for abbr in sorted(table, key=len, reverse=True):
            out.append((re.compile(r"(?<![\w.])" + re.escape(abbr) + r"(?![\w])"), table[abbr]))
    return out


def canonical(text: str) -> str:
    """Expand abbreviations: "Chủ tịch UBND phường" -> "Chủ tịch Ủy ban nhân dân phường"."""
    out = text
    for pattern, expansion in _expansions():
        out = pattern.sub(expansion, out)
    out = re.sub(r"\s+", " ", out)
    # the traditional tone placement, so one office has one canonical spelling
    return retone(out)


def recognize_positions(text: str) -> list[Position]:
    """Every position in ``text``; bare titles ("Chủ tịch") are kept, marked by a lower score,
    and the linker keeps them only next to a name."""
    data = position_data()
    need_body = {t.lower() for t in data.bare_titles_need_body}
    out: list[Position] = []
    original = text
    text = retone(text)  # same length: "Uỷ viên" matches "Ủy viên"; spans slice the original
    for m in _title_regex().finditer(text):
        title = m.group("title") or m.group("abbr")
        t_start = m.start("title") if m.group("title") else m.start("abbr")
        t_end = m.end()
        tail_from = t_end
        if m.group("abbr") and title.rstrip(".").upper() in ("CT", "BT", "PCT"):
            if text[t_end : t_end + 1] == ".":
                tail_from = t_end + 1  # "CT.HĐND xã", "CT. Hội LHTN xã": the dot ends the abbreviation
            elif not (title.endswith(".") or text[t_end : t_end + 1] == " "):
                continue
        while tail_from < len(text) and text[tail_from] == " " and tail_from > t_end:
            tail_from += 1
        tail = _tail(text, tail_from, len(text))
        end = max(t_end, tail.end)
        has_tail = end > t_end
        if not has_tail and title.lower() in need_body:
            score = 0.4
        elif not title[0].isupper() and not has_tail:
            continue
        else:
            score = 0.85 if has_tail else 0.7
        if not title[0].isupper() and title.lower() in ("đại biểu", "ủy viên", "trưởng", "phó") and not has_tail:
            continue
        start = m.start()
        pos_text = original[start:end]
        out.append(
            Position(
                start=start,
                end=end,
                text=pos_text,
                title=re.sub(r"\s+", " ", title),
                body=tail.body,
                unit=tail.unit,
                canonical=canonical(original[t_start:end]),
                former=bool(m.group("former")),
                provenance=Provenance(name="positions", pattern="title+tail" if has_tail else "bare-title", score=score),
            )
        )
    return _drop_nested(out)


def _drop_nested(positions: list[Position]) -> list[Position]:
    out: list[Position] = []
    for p in sorted(positions, key=lambda p: (p.start, -(p.end - p.start))):
        if out and p.start < out[-1].end:
            continue
        out.append(p)
    return out
