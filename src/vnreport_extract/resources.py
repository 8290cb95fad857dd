"""Vietnamese language data: loaded from ``data/vi`` with importlib.resources, validated.

Every pattern in the data carries examples that must match and examples that must
not; :func:`check_examples` (run by the tests) proves them.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class NamedPattern(BaseModel):
    """A regular expression with an id and its own examples."""

    model_config = ConfigDict(extra="forbid")

    id: str
    pattern: str
    match: list[str] = Field(default_factory=list)
    no_match: list[str] = Field(default_factory=list)
    flags: str = ""

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, v: str) -> str:
        re.compile(v)
        return v

    @property
    def regex(self) -> re.Pattern[str]:
        return _compile(self.pattern, "i" in self.flags)


@cache
def _compile(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE if ignore_case else 0)


class LayoutData(BaseModel):
    model_config = ConfigDict(extra="allow")

    boilerplate: list[NamedPattern]
    byline: list[NamedPattern]
    caption: list[NamedPattern]
    heading_words: list[str]
    sentence_abbreviations: list[str]
    sentence_openers: list[str] = []
    heading_never_ends_with: list[str] = []
    heading_never_starts_with: list[str] = []


def read_json(name: str) -> Any:
    """Read ``data/vi/NAME`` from the installed package."""
    path = resources.files("vnreport_extract").joinpath("data", "vi", name)
    return json.loads(path.read_text(encoding="utf-8"))


def read_lines(name: str) -> list[str]:
    """Read a one-item-per-line list, skipping blanks and ``#`` comments."""
    path = resources.files("vnreport_extract").joinpath("data", "vi", name)
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


@cache
def layout() -> LayoutData:
    return LayoutData.model_validate(read_json("layout.json"))


def check_examples(patterns: list[NamedPattern]) -> list[str]:
    """Return a description of every example a pattern gets wrong."""
    problems = []
    for p in patterns:
        for ex in p.match:
            if not p.regex.search(ex):
                problems.append(f"{p.id}: should match {ex!r}")
        for ex in p.no_match:
            if p.regex.search(ex):
                problems.append(f"{p.id}: should not match {ex!r}")
    return problems
