"""The typed report: the one contract every stage speaks.

Every item that points into the text carries ``start`` (inclusive) and ``end``
(exclusive) offsets into :attr:`Report.text`, and :class:`Report` checks on
validation that ``text[start:end]`` equals the item's own ``text``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "1.0"

SegmentKind = Literal["title", "heading", "paragraph", "bullet", "caption", "byline", "boilerplate"]
Label = Literal["achievement", "limitation", "directive", "other"]
LABELS: tuple[Label, ...] = ("achievement", "limitation", "directive", "other")
DatePrecision = Literal["day", "month"]


class Provenance(BaseModel):
    """Which rule or model produced an item, and how sure it is."""

    model_config = ConfigDict(frozen=True)

    source: Literal["rule", "model", "structure"] = "rule"
    name: str = Field(description="recognizer, rule set or model name")
    pattern: str | None = Field(default=None, description="the id of the pattern or cue that fired")
    score: float = Field(default=1.0, ge=0.0, le=1.0)


class Span(BaseModel):
    """A stretch of :attr:`Report.text`."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} before start {self.start}")
        return self


class Sentence(Span):
    pass


class Position(Span):
    """A position as written ("Bí thư Đảng ủy phường") and its parts."""

    title: str = Field(description="the office itself, e.g. 'Phó Bí thư Thường trực'")
    body: str | None = Field(default=None, description="the body the office belongs to, e.g. 'Đảng ủy'")
    unit: str | None = Field(default=None, description="the administrative unit, e.g. 'phường Phúc La'")
    canonical: str = Field(description="abbreviations expanded, e.g. 'Chủ tịch Ủy ban nhân dân phường'")
    former: bool = Field(default=False, description="'nguyên ...': a post held earlier")
    provenance: Provenance


class Mention(Span):
    """A place in the text that refers to a person (full name, short name or title)."""

    kind: Literal["name", "short_name", "title"] = "name"
    provenance: Provenance


class Person(BaseModel):
    name: str
    start: int = Field(ge=0, description="first full-name mention")
    end: int = Field(ge=0)
    positions: list[Position] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)
    provenance: Provenance


class DateMention(Span):
    value: str = Field(description="ISO 8601: YYYY-MM-DD or YYYY-MM")
    precision: DatePrecision
    part_of_day: Literal["morning", "noon", "afternoon", "evening"] | None = None
    year_inferred: bool = Field(default=False, description="the text gave no year; it was resolved from context")
    range_id: int | None = Field(default=None, description="dates of one range share an id")
    provenance: Provenance


class Resolution(Span):
    """A numbered Party or State document ("Nghị quyết số 18-NQ/TW")."""

    number: str = Field(description="as written without 'số', e.g. '18-NQ/TW'")
    kind: str | None = Field(default=None, description="as the text names it, e.g. 'Nghị quyết'")
    type_code: str | None = Field(default=None, description="e.g. 'NQ', 'QĐ'")
    issuer: str | None = None
    issued: str | None = Field(default=None, description="issue date, ISO")
    title: str | None = None
    provenance: Provenance


class Segment(Span):
    kind: SegmentKind
    label: Label = "other"
    scores: dict[str, float] = Field(default_factory=dict, description="per-label scores, summing to 1")
    sentences: list[Sentence] = Field(default_factory=list)
    provenance: Provenance = Field(description="how the kind was decided")
    label_provenance: Provenance | None = Field(default=None, description="what decided the label")


class Event(BaseModel):
    date: str | None = Field(default=None, description="ISO date of the reported event")
    place: str | None = None
    organizer: str | None = None
    kind: str | None = Field(default=None, description="e.g. 'Hội nghị tổng kết', 'Kỳ họp'")
    provenance: Provenance | None = None


class Source(BaseModel):
    path: str | None = None
    id: str | None = None
    sha256: str | None = None
    encoding: str | None = None
    format: str | None = None
    metadata: dict[str, object] = Field(default_factory=dict)
    offset_map: list[tuple[int, int]] = Field(
        default_factory=list,
        description="(text offset, raw offset) pairs where the shift between them changes; "
        "see Report.to_raw",
    )


class Report(BaseModel):
    """A Vietnamese civic report, extracted."""

    schema_version: str = SCHEMA_VERSION
    text: str
    title: str | None = None
    event: Event = Field(default_factory=Event)
    people: list[Person] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    resolutions: list[Resolution] = Field(default_factory=list)
    segments: list[Segment] = Field(default_factory=list)
    source: Source = Field(default_factory=Source)
    warnings: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _spans_match_text(self) -> Report:
        text = self.text
        n = len(text)

        def check(span: Span, what: str) -> None:
            if span.end > n or text[span.start : span.end] != span.text:
                raise ValueError(
                    f"{what} [{span.start}:{span.end}] does not match the text: {span.text[:40]!r}"
                )

        for seg in self.segments:
            check(seg, "segment")
            for s in seg.sentences:
                check(s, "sentence")
        for p in self.people:
            if p.end > n or text[p.start : p.end] != p.name:
                raise ValueError(f"person [{p.start}:{p.end}] does not match {p.name!r}")
            for pos in p.positions:
                check(pos, "position")
            for m in p.mentions:
                check(m, "mention")
        for d in self.dates:
            check(d, "date")
        for r in self.resolutions:
            check(r, "resolution")
        return self

    def to_raw(self, offset: int) -> int:
        """Map an offset into :attr:`text` back to the raw input's characters."""
        from .normalize import offset_to_raw

        return offset_to_raw(self.source.offset_map, offset)

    def by_label(self, label: Label) -> list[Segment]:
        """Segments with the given label, in document order."""
        return [s for s in self.segments if s.label == label]
