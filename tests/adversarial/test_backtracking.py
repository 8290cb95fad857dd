"""No pattern can be driven into catastrophic backtracking, and no stage into quadratic time.

Two tables:

* every regular expression of the package (module constants, the cached builders, the
  named patterns of ``data/vi``) runs over "pumped" strings: a realistic line or one of the
  pattern's own examples with one character or word repeated a thousand times, then a
  character no pattern expects. A nested or overlapping quantifier (``(\\s*\\d+){0,3}``,
  ``(A|a)+`` over letters both branches read) takes minutes or forever on these.
* hostile reports aimed at the places that were quadratic or worse (each row says which),
  sized so the old code took minutes and the fixed one well under a second, through the
  whole extractor.

Both run under a generous hang guard (seconds, where the work takes milliseconds): it
catches what would never finish, it is not a performance assertion.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from vnreport_extract.pipeline import Extractor
from vnreport_extract.recognize.resolutions import document_data
from vnreport_extract.resources import NamedPattern, layout

from ..conftest import assert_spans_exact
from .guard import hang_guard

PUMP = 2000
PER_STRING_SECONDS = 5.0
"""One ``finditer`` over one pumped string takes microseconds to milliseconds; a cubic or
exponential pattern takes minutes. The bound only tells those apart."""
_MODULES = [
    "vnreport_extract.normalize",
    "vnreport_extract.segment.blocks",
    "vnreport_extract.segment.sentences",
    "vnreport_extract.recognize.dates",
    "vnreport_extract.recognize.event",
    "vnreport_extract.recognize.people",
    "vnreport_extract.recognize.positions",
    "vnreport_extract.recognize.resolutions",
    "vnreport_extract.link",
    "vnreport_extract.classify",
]

# Lines of the kind reports are made of: the pumped strings start from these.
SEEDS = [
    "Sáng ngày 23/9/2025, Đảng ủy xã Tân Hòa tổ chức Hội nghị tổng kết tại hội trường UBND xã.",
    "Thứ hai, 07/08/2024 10:30 (GMT+7) | 123",
    "Chủ tịch UBND tỉnh Cao Bằng Nguyễn Minh Khải phát biểu chỉ đạo Hội nghị",
    "Nghị quyết số 18-NQ/TW, ngày 25/10/2017 của Ban Chấp hành Trung ương Đảng khóa XII về “Một số vấn đề”",
    "Quyết định số 123/QĐ-UBND; Nghị định số 100/2019/NĐ-CP; Công văn số 2145/UBND-TCD",
    "từ 25-29/5/2020, ngày 10 và 11/12, tháng 10/2025, sáng 28-6, qua (6/2)",
    "Ảnh: Thanh Lê. Nguồn ảnh: TTXVN (ảnh: Minh Anh)",
    "Thực hiện: Nguyễn Hà (TTXVN) / Báo Nhân Dân",
    "I. KẾT QUẢ ĐẠT ĐƯỢC; 1.2. Về phát triển kinh tế; a) Nhiệm vụ; - Hoàn thành 15/15 chỉ tiêu …",
    "Đồng chí Trịnh Quang Thái - Phó Bí thư Thường trực, Chủ tịch HĐND tỉnh, kiêm Trưởng ban",
    "ông Tâm, bà Đỗ Thị Hạnh, Đ/c Lê Lợi và các đồng chí lãnh đạo tặng hoa chúc mừng",
    "Ngày đăng: 02/02/2026 Lượt xem: 121 Tác giả: Nguyên Trang | Chia sẻ",
    "https://www.example.vn/tin-tuc/hoi-nghi.html",
    "TP. Vinh, Th.S Lê, khóaXII, mTTQ, UBMTTQ, HĐNDxã “trích dẫn” (ngoặc) [vuông] ! ? ; :",
    "của đảng ủy ủy ban ưu tiên ước tính ở địa phương à ơi ừ",
]


def _patterns_of(value: Any) -> Iterator[re.Pattern[str]]:
    if isinstance(value, re.Pattern):
        yield value
    elif isinstance(value, NamedPattern):
        yield value.regex
    elif isinstance(value, dict):
        for v in value.values():
            yield from _patterns_of(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _patterns_of(v)


def all_patterns() -> dict[str, tuple[re.Pattern[str], list[str]]]:
    """Every pattern of the package by name, with the examples it carries."""
    found: dict[str, tuple[re.Pattern[str], list[str]]] = {}
    for name in _MODULES:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if callable(value) and hasattr(value, "cache_info") and getattr(value, "__module__", "") == name:
                try:
                    value = value()  # a cached builder: _title_regex(), _cue_weights() …
                except TypeError:
                    continue  # takes arguments: not a pattern builder
            for k, p in enumerate(_patterns_of(value)):
                if p.pattern and isinstance(p.pattern, str):
                    found.setdefault(f"{name.rsplit('.', 1)[-1]}.{attr}[{k}]", (p, []))
    data = [*layout().boilerplate, *layout().byline, *layout().caption, *document_data().patterns]
    for p in data:
        found[f"data.{p.id}"] = (p.regex, [*p.match, *p.no_match])
    return found


def _kind(c: str) -> object:
    """Letters and digits of one kind pump alike; any other character is its own kind."""
    return (unicodedata.category(c), c.isascii()) if c.isalnum() else c


def pumped(seed: str, n: int = PUMP, *, every: bool = False) -> Iterator[str]:
    """``seed`` with one character, then one word, repeated ``n`` times; a NUL after.

    Unless ``every``, a character is pumped once per kind of neighbourhood (the kinds of
    it and of the characters on either side), which keeps the sweep short.
    """
    seen: set[object] = set()
    for i, ch in enumerate(seed):
        key: object = (
            _kind(seed[i - 1]) if i else None,
            _kind(ch),
            _kind(seed[i + 1]) if i + 1 < len(seed) else None,
        )
        if ch.isspace():
            key = ch  # a run of spaces reads alike wherever it is
        if not every and key in seen:
            continue
        seen.add(key)
        yield seed[:i] + ch * n + seed[i:] + "\x00"
    for w in sorted(set(seed.split())):
        if not every and ("word", _kind(w[0]), len(w) > 2) in seen:
            continue
        seen.add(("word", _kind(w[0]), len(w) > 2))
        at = seed.index(w)
        yield seed[:at] + (w + " ") * (n // 4) + seed[at:] + "\x00"


PATTERNS = all_patterns()


def test_the_sweep_sees_the_patterns_that_matter() -> None:
    # if a refactor hides patterns from the sweep, it must not pass by checking nothing
    names = set(PATTERNS)
    for expected in ("sentences._END[0]", "data.timestamp", "data.party-form"):
        assert expected in names
    assert any(n.startswith("dates._PATTERNS") for n in names)
    assert any(n.startswith("positions._title_regex") for n in names)
    assert len(PATTERNS) >= 60


SEED_STRINGS = [s for seed in SEEDS for s in pumped(seed)]


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_no_pattern_backtracks_catastrophically(name: str) -> None:
    pattern, examples = PATTERNS[name]
    strings = SEED_STRINGS + [s for ex in examples for s in pumped(ex, every=True)]
    for s in strings:
        with hang_guard(f"pattern {name} ({pattern.pattern[:60]}…) on {s[:40]!r}…", PER_STRING_SECONDS):
            for _ in pattern.finditer(s):
                pass


def _report(lines: list[str]) -> str:
    return "Đảng ủy xã Tân Hòa tổng kết công tác năm 2025\n" + "\n".join(lines) + "\n"


# name -> (the text, what it aimed at)
HOSTILE: dict[str, tuple[Callable[[], str], str]] = {
    "run-of-full-stops": (
        lambda: "Kết quả" + "." * 100_000 + "x",
        "sentences: a mark run retried from every mark",
    ),
    "run-of-marks": (lambda: "Kết quả" + "!?" * 50_000 + "x", "sentences: the same with ! and ?"),
    "long-word-then-abbreviations": (
        lambda: "a" * 100_000 + " TP. Vinh TP. Vinh. Hà Nội",
        "sentences: the word before a full stop found by a regex tried from every offset",
    ),
    "abbreviation-chain": (
        lambda: "Xã " + "TP. Vinh " * 20_000,
        "sentences: the same search rerun from the last cut at each abbreviation",
    ),
    "timestamp-digits": (
        lambda: "1/1/2024" + "1" * 3000 + "x",
        "data timestamp: (\\s*[|]?\\s*\\d+){0,3}, cubic",
    ),
    "timestamp-spaces": (lambda: "1/1/2024" + " " * 100_000 + "x", "data timestamp: \\s*[|]?\\s*, quadratic"),
    "capitals-inside-a-word": (
        lambda: "Mở đầu. " + "aB" * 50_000,
        "blocks: the glued word rescanned at each capital",
    ),
    "place-then-spaces": (
        lambda: _report(["Họp tại" + " " * 100_000 + ","]),
        "event: tại\\s+ given back space by space",
    ),
    "issuer-of-ambiguous-words": (
        lambda: _report([f"Nghị quyết số {i}-NQ/TW của " + "à " * 20 for i in range(3000)]),
        "resolutions: issuer words both branches read, 2^15 ways each",
    ),
    "numbers-everywhere": (
        lambda: _report(["".join(f"Quyết định số {i}/QĐ-UBND, " for i in range(20_000))]),
        "resolutions: every number checked against every earlier one",
    ),
    "numbers-after-dates": (
        lambda: _report(
            ["".join(f"Ngày {i % 28 + 1}/1/2024 họp. Quyết định số {i}/QĐ-UBND. " for i in range(10_000))]
        ),
        "resolutions: an issue date before the number, searched back from the last date",
    ),
    "dates-in-every-paragraph": (
        lambda: _report(["Mở đầu.", "Mở đầu hai."] + ["Ngày 1/1/2024 họp."] * 20_000),
        "dates: every date against every earlier one; event: every date against every paragraph",
    ),
    "one-name-many-times": (
        lambda: _report(["Nguyễn Văn An và ông An. " * 10_000]),
        "link: every given name against every name mention",
    ),
    "residue-between-names": (
        lambda: _report(["Chia sẻ", "ông Nguyễn Văn An"] * 20_000),
        "people: every name against every residue block",
    ),
    "titles-and-names": (
        lambda: _report(["Chủ tịch UBND xã Nguyễn Văn An, " * 5_000]),
        "link: every name against every position, both ways",
    ),
}


@pytest.fixture(scope="module")
def light() -> Extractor:
    # the paragraph model's cost is linear per block; these rows are about the rules
    return Extractor(use_ner=False, use_model=False)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_report_finishes(name: str, light: Extractor) -> None:
    make, aimed_at = HOSTILE[name]
    text = make()
    with hang_guard(f"{name} ({aimed_at})"):
        report = light.extract(text)
    assert_spans_exact(report)
    assert report.to_raw(len(report.text)) == len(text)
