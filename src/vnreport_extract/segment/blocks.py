"""Cut a normalized report into blocks and tell each block's kind.

The shapes read (the words behind them live in ``data/vi/layout.json``):

* one block per non-empty line; a byline label on its own line ("Thực hiện:") joins the
  name on the next, and an agency in brackets or after a slash joins the name above it;
* a *flat* body, a line of many sentences (a scraped article that lost its paragraph
  breaks), is cut into sentences; a sentence carrying a photo credit is a caption;
* a photo caption glued to the next paragraph ("…chủ trì Hội nghịBáo cáo tại…") is cut
  at the glue, a lowercase letter running into a capitalised word;
* the headline is the first line that is not page residue, when it reads like one;
* headings: numbered ("I. KẾT QUẢ", "1. Về …"), upper case, or a short line without
  final punctuation that a longer paragraph follows; list items start with a marker;
* bylines and page residue are recognized by their patterns, near the end (or start).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache

from ..resources import NamedPattern, layout
from ..schema import SegmentKind
from .sentences import split_sentences

FLAT_LINE_CHARS = 1500
"""A line longer than this, with many sentences, is a body that lost its paragraph breaks."""
FLAT_LINE_SENTENCES = 6

_BULLET = re.compile(r"^(?:[-–—+•●▪◦*]\s*(?=\S)|[a-zđ]\)\s|\d{1,2}[.)]\s|[IVX]{1,5}[.)]\s)")
_DASH_BULLET = re.compile(r"^[-–—+•●▪◦]\s*\S")
_ROMAN_HEADING = re.compile(r"^[IVX]{1,5}[.)/]\s*\S")
_NUMBER_HEADING = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ]\)|\*)\s*\S")
_END_PUNCT = re.compile(r"[.;!?…]\s*[\"”’)]*$")
_INITIALS = re.compile(r"^(?:[A-ZĐ]\.)+(?:[A-ZĐ][^\W\d_]*)?$")
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_.]*\.?$")
_OPENER = re.compile(r"^(?:Sáng|Chiều|Trưa|Tối|Ngày|Hôm\s+nay|Vừa\s+qua|Chiều\s+qua|Sáng\s+qua|Trong\s+(?:hai\s+)?ngày)\b[^,]{0,25},")
_DEPICTION = re.compile(
    r"\b(?:đại\s+biểu|Đại\s+biểu|cử\s+tri|Cử\s+tri|[Đđ]ồng\s+chí|Ông|Bà|[Hh]ình\s+ảnh|chụp|[Tt]oàn\s+cảnh|[Qq]uang\s+cảnh)\b|^Lãnh\s+đạo\b"
)
# three capitalised syllables in a row, after the first word: most often a person's name
# an office then a two- to four-syllable name: "Chủ tịch nước Lương Văn Cần", "Đồng chí Lê Văn Nam"
_TITLED_NAME = re.compile(
    r"^(?:Đồng\s+chí|Ông|Bà|Chủ\s+tịch|Phó|Bí\s+thư|Bộ\s+trưởng|Thứ\s+trưởng|Thủ\s+tướng|Tổng\s+Bí\s+thư|Giám\s+đốc|Trưởng|Đại\s+biểu)"
    r"[^.,;:]{0,60}?\s(?:[A-ZĐÀ-Ỹ][a-zà-ỹđ]+\s){1,3}[A-ZĐÀ-Ỹ][a-zà-ỹđ]+\b"
)
_PERSON_NAME = re.compile(r"(?<=\S\s)(?:[A-ZĐÀ-Ỹ][a-zà-ỹđ]+\s){2,3}[A-ZĐÀ-Ỹ][a-zà-ỹđ]+\b")
_QUOTE_HEADING = re.compile(r"^[^:]{8,90}:\s+[A-ZĐÀ-Ỹ]")
_INLINE_AUTHOR = re.compile(r"\s(?:\|\s*)?(?=Tác\s+giả\s*:)")
_GLUE_EXCEPTIONS = frozenset(
    {"ThS", "TTr", "NXB", "TikTok", "YouTube", "VnExpress", "VietNamNet", "iPhone", "eKYC", "VinFast",
     "MobiFone", "VinaPhone", "VietinBank", "PetroVietnam", "VnEconomy", "ZaloPay", "MoMo", "VssID",
     "PCCCvCNCH", "TPHCM", "TP.HCM", "iHanoi", "eGov", "CCCDgắn", "HĐNDxã"}
)


@dataclass
class Block:
    start: int
    end: int
    kind: SegmentKind
    rule: str
    score: float = 0.9


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _lines(text: str) -> list[tuple[int, int, bool]]:
    """Non-empty lines as (start, end, follows a blank line)."""
    out = []
    pos = 0
    blank = True
    for line in text.split("\n"):
        a, b = _strip(text, pos, pos + len(line))
        if b > a:
            out.append((a, b, blank))
            blank = False
        else:
            blank = True
        pos += len(line) + 1
    return out


_TERMINAL = tuple(".!?:;…\"”’)]")


def _continues(s: str) -> bool:
    """Does a line start in the middle of a sentence ("công dân, ngày…", ", làm…", "“bất chấp”")?"""
    s = s.lstrip("“\"‘'(")
    return bool(s) and (s[0].islower() or s[0] in ",.;:)…")


def _join_wrapped(text: str, lines: list[tuple[int, int, bool]]) -> list[tuple[int, int]]:
    """Join lines that a hard wrap or a stripped link cut out of one paragraph.

    A line continues the one before when that one has no final punctuation and either
    the line starts mid-sentence, or the report is hard-wrapped (many such breaks) and
    the line before is about as long as the wrap width.
    """
    if not lines:
        return []
    mid_breaks = sum(
        1
        for (a0, b0, _), (a1, b1, blank) in zip(lines, lines[1:])
        if not blank and not text[a0:b0].endswith(_TERMINAL) and _continues(text[a1:b1])
    )
    wrapped = mid_breaks >= 3
    widths = sorted(b - a for a, b, _ in lines)
    wrap_width = widths[int(len(widths) * 0.75)] if widths else 0
    out: list[tuple[int, int]] = []
    last_len = 0
    for k, (a, b, blank) in enumerate(lines):
        if out and not blank:
            pa, pb = out[-1]
            prev = text[pa:pb]
            cur = text[a:b]
            after = lines[k + 1] if k + 1 < len(lines) else None
            first = len(out) == 1 and k == 1
            residue = _first_match(layout().boilerplate, prev) or _first_match(layout().byline, cur)
            joins = not residue and not prev.endswith(_TERMINAL) and (
                _continues(cur)
                or (wrapped and not first and last_len >= 0.6 * wrap_width and not _BULLET.match(cur))
                or (not first and after is not None and not after[2] and len(cur) <= 40 and _continues(text[after[0] : after[1]]))
            )
            if joins:
                out[-1] = (pa, b)
                last_len = b - a
                continue
        out.append((a, b))
        last_len = b - a
    return out


def _first_match(patterns: list[NamedPattern], s: str) -> str | None:
    for p in patterns:
        if p.regex.search(s):
            return p.id
    return None


def _word_span(text: str, i: int) -> tuple[int, int]:
    a = i
    while a > 0 and not text[a - 1].isspace():
        a -= 1
    b = i
    while b < len(text) and not text[b].isspace():
        b += 1
    return a, b


def _glue_exception(word: str) -> bool:
    return word in _GLUE_EXCEPTIONS or any(w in word for w in _GLUE_EXCEPTIONS)


def find_glue(text: str, a: int, b: int) -> list[int]:
    """Offsets in ``text[a:b]`` where a caption runs into the next paragraph with no space."""
    cuts = []
    # the word around a candidate and whether it is an exception, found once per word: a long
    # word with many lowercase-to-capital steps ("aBaB…") is otherwise rescanned at each one
    word_span, excepted = (-1, -1), False
    for i in range(a + 8, b - 1):
        left, ch, nxt = text[i - 1], text[i], text[i + 1]
        if not ch.isupper() or not (nxt.isalpha() or nxt.isspace()):
            continue
        if left.islower():
            j = i
            while j < b and text[j].isupper():
                j += 1
            if set(text[i:j]) <= set("IVXLC") and (j == b or not text[j].isalpha()):
                continue  # "khóaXII": a roman numeral, not a new sentence
            if not word_span[0] <= i < word_span[1]:
                word_span = _word_span(text, i)
                excepted = _glue_exception(text[word_span[0] : word_span[1]].strip(",;:()\"“”"))
            if excepted:
                continue
            if sum(c.isupper() for c in text[word_span[0] : min(i, word_span[0] + 3)]) >= 2:
                continue  # "VNeID": an acronym (its first letters capitals) with a lowercase letter inside
            # "mTTQ", "eKYC": a lone lowercase letter before capitals is a word, not a glue
            if i - 2 >= a and not text[i - 2].isalpha():
                continue
            cuts.append(i)
        elif left in ").”\"" and text[i - 2].islower() and nxt.islower():
            cuts.append(i)
    return cuts


def _is_heading(s: str, next_len: int) -> str | None:
    if len(s) > 160 or _END_PUNCT.search(s):
        return None
    letters = [c for c in s if c.isalpha()]
    if _ROMAN_HEADING.match(s):
        return "roman-numbered"
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.8 and len(letters) >= 6:
        return "upper-case"
    if s.endswith(":") and len(s.split()) <= 5:
        return "label-colon"
    if _NUMBER_HEADING.match(s) and len(s) <= 120:
        return "numbered"
    return None


def _is_caption(s: str) -> tuple[str, float] | None:
    data = layout()
    credit = _first_match([p for p in data.caption if p.id.startswith("photo-credit")], s)
    if credit and len(s) <= 400:
        return credit, 0.95
    if len(s) > 250 or s.endswith(":"):
        return None
    if re.match(r"\(?Ảnh\s+(?:minh\s+họa|tư\s+liệu)", s):
        return "illustration", 0.9  # "Ảnh minh họa (nguồn: VGP)"
    sentences = split_sentences(s)
    if len(sentences) > 1:
        return None
    if _OPENER.match(s):
        return None  # "Sáng 30/9, …": the report's opening sentence, not a picture
    scene = _first_match([p for p in data.caption if p.id == "scene"], s)
    if scene and len(s) <= 130:
        return scene, 0.75
    cue = _first_match([p for p in data.caption if p.id == "speaker"], s)
    if cue and not _END_PUNCT.search(s):
        return cue, 0.7
    if cue and len(s) <= 140 and _TITLED_NAME.search(s) and s.count(",") <= 3:
        return "person-doing", 0.6
    return None


def _depicts(s: str) -> bool:
    """Does a short line describe people or a scene (a caption) rather than a topic (a heading)?"""
    return bool(_DEPICTION.search(s) or _PERSON_NAME.search(s))


def _looks_like_name(s: str) -> bool:
    """A short run of capitalised words or an upper-case name: "Lê Hiền", "MINH THANH", "T.Bình"."""
    words = s.replace("(", " ").replace(")", " ").split()
    if not 1 <= len(words) <= 6 or len(s) > 60:
        return False
    return all(
        (_NAME_WORD.match(w) or _INITIALS.match(w)) and w[0].isupper()
        for w in words
        if w not in {"-", "/", "và"}
    )


def _is_byline(s: str, near_end: bool) -> str | None:
    data = layout()
    rule = _first_match(data.byline, s)
    if rule:
        return rule
    if near_end and _looks_like_name(s) and not _END_PUNCT.search(s):
        return "name-at-end"
    if near_end and re.fullmatch(r"[^\W\d_][\w.\s]{0,40}\(\s*[A-ZĐ][^()]{1,80}\)", s) and len(s) <= 110:
        return "name-agency"
    if near_end and re.fullmatch(r"\(\s*(?:[Nn]guồn|[Tt]heo)\b[^()]{1,80}\)", s):
        return "source-in-brackets"
    return None


def _join_bylines(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join "Thực hiện:" + name, and name + "(Agency)" or "/Agency", into one line."""
    out: list[tuple[int, int]] = []
    for a, b in lines:
        s = text[a:b]
        if out:
            pa, pb = out[-1]
            prev = text[pa:pb]
            joins_label = prev.endswith(":") and len(prev) <= 25 and _first_match(layout().byline, prev) and len(s) <= 60
            joins_agency = (
                (s.startswith("(") and s.endswith(")") and not re.match(r"\((?:Theo|Nguồn)\b", s) or s.startswith("/"))
                and len(s) <= 50
                and _looks_like_name(prev)
            )
            if joins_label or joins_agency:
                out[-1] = (pa, b)
                continue
        out.append((a, b))
    return out


def _flat_blocks(text: str, a: int, b: int) -> list[Block]:
    blocks = []
    for sa, sb in split_sentences(text, a, b):
        s = text[sa:sb]
        credit = "photo-credit" if _CREDIT.search(s) and not s.startswith(("Ảnh hưởng",)) else None
        if credit:
            # the credit's name ends the caption; what follows it starts the next sentence
            cut = _credit_end(text, sa, sb)
            blocks.append(Block(sa, cut, "caption", f"flat-{credit}", 0.9))
            if cut < sb:
                na, nb = _strip(text, cut, sb)
                if nb > na:
                    blocks.extend(_flat_sentence(text, na, nb))
            continue
        blocks.extend(_flat_sentence(text, sa, sb))
    if blocks and blocks[-1].kind == "paragraph" and _looks_like_name(text[blocks[-1].start : blocks[-1].end]):
        # the author's name ran onto the end of the body: "… chú trọng phòng ngừa. Văn Minh"
        blocks[-1].kind, blocks[-1].rule = "byline", "flat-name-at-end"
    return blocks


_LIST_DASH = re.compile(r"(?<=[:;])\s+(?=[-–]\s+\S)")


@cache
def _opener_regex() -> re.Pattern[str]:
    words = sorted(layout().sentence_openers, key=len, reverse=True)
    return re.compile(r"(?<=[a-zà-ỹđ0-9”)])\s+(?=(?:" + "|".join(re.escape(w) for w in words) + r")\b)")


@cache
def _heading_never_ends_with() -> frozenset[str]:
    return frozenset(w.lower() for w in layout().heading_never_ends_with)


def _starts_like_a_sentence(phrase: str) -> bool:
    return any(phrase == w or phrase.startswith(w + " ") for w in layout().heading_never_starts_with)


_TIME_OPENER = re.compile(r"(?:Sáng|Chiều|Trưa|Tối)\b")


def _splits_a_name_or_quote(phrase: str, after: str) -> bool:
    """Would a cut here split a name ("cử tri Diệp | Sáng đề nghị": "Sáng" is his given
    name, not a morning) or end a heading inside a quotation ("… tiêu hủy”, cử tri …")?"""
    words = phrase.split()
    if words and words[-1][:1].isupper() and _TIME_OPENER.match(after.lstrip()):
        return True
    return phrase.count("”") > phrase.count("“") or phrase.count('"') % 2 == 1


def _flat_sentence(text: str, a: int, b: int) -> list[Block]:
    """One sentence of a flat body, with what scraping ran into it split off:

    * list items after a colon or semicolon: "… sau: - Về phạm vi …; - Trách nhiệm …";
    * a sub-heading run into the sentence it heads: "Nâng cao chất lượng dạy nghề
      Theo báo cáo, năm qua …" (a capitalised phrase with no final punctuation,
      then a word that opens news sentences), or one marked "* ".
    """
    dashes = [m.end() for m in _LIST_DASH.finditer(text, a, b)]  # where each "- " item starts
    if dashes:
        out = _flat_sentence(text, *_strip(text, a, dashes[0])) if dashes[0] > a else []
        for start, nxt in zip(dashes, dashes[1:] + [b]):
            ia, ib = _strip(text, start, nxt)
            if ib > ia:
                out.append(Block(ia, ib, "bullet", "flat-list-item", 0.7))
        return out
    if text.startswith("* ", a):
        m = _opener_regex().search(text, a, b)
        cut = m.start() if m else b
        out = [Block(a, cut, "heading", "flat-star-heading", 0.7)]
        return out + ([Block(*_strip(text, cut, b), "paragraph", "flat-sentence", 0.8)] if cut < b else [])
    m = _opener_regex().search(text, a, min(b, a + 160))
    if m is not None:
        words = text[a : m.start()].split()
        if (
            3 <= len(words) <= 20
            and words[0][:1].isupper()
            and not _END_PUNCT.search(text[a : m.start()])
            and words[-1].lower() not in _heading_never_ends_with()
            and not _starts_like_a_sentence(text[a : m.start()])
            and not _splits_a_name_or_quote(text[a : m.start()], text[m.end() : m.end() + 12])
        ):
            ha, hb = _strip(text, a, m.start())
            pa, pb = _strip(text, m.start(), b)
            return [Block(ha, hb, "heading", "flat-run-in-heading", 0.6), Block(pa, pb, "paragraph", "flat-sentence", 0.8)]
    return [Block(a, b, "paragraph", "flat-sentence", 0.8)]


_CREDIT = re.compile(r"(?<!\w)(?:Ảnh|ẢNH|Nguồn\s+ảnh)(?:\s+minh\s+họa|\s+tư\s+liệu)?\s*:\s*")


def _credit_end(text: str, a: int, b: int) -> int:
    """Where a photo credit's name ends: "Ảnh: Thanh Lê Báo cáo …" -> after "Lê"."""
    credits = list(_CREDIT.finditer(text, a, b))
    if not credits:
        return b
    i = credits[-1].end()  # the last credit in the sentence is the one that ends it
    words: list[tuple[int, int]] = []
    for w in re.finditer(r"\S+", text[i:b]):
        token = w.group(0)
        if not token[0].isupper() and not token.startswith("("):
            break
        words.append((i + w.start(), i + w.end()))
        if token.endswith((")", ".", ",")) or "/" in token or len(words) == 4:
            return i + w.end()
    if not words:
        return b
    if i + (words[-1][1] - i) >= b:
        return b
    # the last capitalised word began the next sentence
    keep = words[:-1] if len(words) >= 2 else words
    return keep[-1][1]


def segment_blocks(text: str) -> list[Block]:
    """Cut ``text`` into blocks with kinds (see the module docstring)."""
    data = layout()
    lines = _join_bylines(text, _join_wrapped(text, _lines(text)))
    blocks: list[Block] = []
    for a, b in lines:
        s = text[a:b]
        if len(s) > FLAT_LINE_CHARS and len(split_sentences(text, a, b)) >= FLAT_LINE_SENTENCES:
            blocks.extend(_flat_blocks(text, a, b))
            continue
        rule = _first_match(data.boilerplate, s)
        inline = _INLINE_AUTHOR.search(s)
        if inline and _first_match(data.boilerplate, s[: inline.start()].strip()):
            # "Ngày đăng: 02/02/2026 Lượt xem: 121 Tác giả: Nguyên Trang": residue, then the author
            cut = a + inline.start()
            ra, rb = _strip(text, a, cut)
            blocks.append(Block(ra, rb, "boilerplate", "residue-before-author", 0.85))
            ba, bb = _strip(text, cut, b)
            blocks.append(Block(ba + (1 if text[ba] == "|" else 0), bb, "byline", "inline-author", 0.85))
            continue
        if rule:
            blocks.append(Block(a, b, "boilerplate", rule, 0.95))
            continue
        glue = find_glue(text, a, b)
        if glue and glue[0] - a <= 300:
            cut = glue[0]
            blocks.append(Block(a, cut, "caption", "glued-caption", 0.9))
            a = cut
        blocks.append(Block(a, b, "paragraph", "line", 0.6))
    _assign_kinds(text, blocks)
    _mark_photo_series(text, blocks)
    return blocks


def _assign_kinds(text: str, blocks: list[Block]) -> None:
    n = len(blocks)
    content = [i for i, bl in enumerate(blocks) if bl.kind != "boilerplate"]
    title_at = _find_title(text, blocks, content)
    last_body = max((i for i in content if blocks[i].rule in ("line",)), default=-1)
    for i, bl in enumerate(blocks):
        if bl.kind != "paragraph" or bl.rule != "line":
            continue
        s = text[bl.start : bl.end]
        if i == title_at:
            bl.kind, bl.rule, bl.score = "title", "first-line", 0.9
            continue
        # bylines: among the last few content blocks
        # how many content blocks follow (by bisection: a list per block is quadratic on long lists)
        n_tail = len(content) - bisect.bisect_right(content, i)
        near_end = n_tail <= 3 and i > 0
        byline = _is_byline(s, near_end)
        if byline and (near_end or byline in ("author-label",)) and len(s) <= 80:
            bl.kind, bl.rule, bl.score = "byline", byline, 0.85
            continue
        if _DASH_BULLET.match(s):
            bl.kind, bl.rule, bl.score = "bullet", "list-marker", 0.9
            continue
        next_len = blocks[i + 1].end - blocks[i + 1].start if i + 1 < n else 0
        heading = _is_heading(s, next_len)
        if heading:
            bl.kind, bl.rule, bl.score = "heading", heading, 0.8
            continue
        if _BULLET.match(s):
            bl.kind, bl.rule, bl.score = "bullet", "list-marker", 0.8
            continue
        caption = _is_caption(s)
        if caption:
            bl.kind, bl.rule, bl.score = "caption", caption[0], caption[1]
            continue
        short_bare = len(s) <= 130 and not _END_PUNCT.search(s) and not s.endswith(":")
        if short_bare and n_tail <= 1 and len(s) <= 60:
            if _depicts(s) or any(c.isdigit() for c in s):
                bl.kind, bl.rule, bl.score = "caption", "short-line-depicting", 0.55
            else:
                bl.kind, bl.rule, bl.score = "byline", "short-line-at-end", 0.6
            continue
        if short_bare and 0 < i < last_body and i + 1 < n and blocks[i + 1].kind == "paragraph":
            if _QUOTE_HEADING.search(s):
                bl.kind, bl.rule, bl.score = "heading", "speaker-quote-heading", 0.6
            elif _depicts(s):
                bl.kind, bl.rule, bl.score = "caption", "short-line-depicting", 0.6
            elif next_len > 2 * len(s):
                bl.kind, bl.rule, bl.score = "heading", "short-line-before-paragraph", 0.6
            continue


def _mark_photo_series(text: str, blocks: list[Block]) -> None:
    """Two or more short lines in a row, without final punctuation and not names, are the
    captions of a row of pictures ("Khu dân cư số 1 (…)", "Khu dân cư số 2 (…)")."""

    def candidate(bl: Block) -> bool:
        s = text[bl.start : bl.end]
        loose = bl.kind == "paragraph" and bl.rule == "line" or bl.rule in ("short-line-at-end", "short-line-before-paragraph")
        return (
            loose
            and len(s) <= 100
            and not _END_PUNCT.search(s)
            and not s.endswith(":")
            and not _looks_like_name(s)
        )

    i = 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and candidate(blocks[j]):
            j += 1
        if j - i >= 2:
            for bl in blocks[i:j]:
                bl.kind, bl.rule, bl.score = "caption", "photo-series", 0.55
        i = max(j, i + 1)


def _find_title(text: str, blocks: list[Block], content: list[int]) -> int | None:
    for i in content[:1]:
        bl = blocks[i]
        s = text[bl.start : bl.end]
        if bl.rule != "line" or len(s) > 250 or len(content) < 2:
            return None
        if _END_PUNCT.search(s) or s.endswith(":"):
            return None
        return i
    return None
