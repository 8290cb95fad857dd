"""The stages in order: the only place that knows the order.

normalize -> segment -> recognize (dates, documents, positions, people) -> link ->
event -> classify -> assemble a validated :class:`~vnreport_extract.schema.Report`.
"""

from __future__ import annotations

import bisect
import datetime
import hashlib
import re
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar, overload

from .classify import ParagraphClassifier
from .errors import InputError
from .link import link_people
from .normalize import ToneStyle, normalize
from .recognize.dates import recognize_dates
from .recognize.event import JUST_ISSUED, recognize_event
from .recognize.people import find_name_candidates
from .recognize.positions import recognize_positions
from .recognize.resolutions import is_issue_date_gap, recognize_resolutions
from .schema import DateMention, Provenance, Report, Segment, Sentence, Source
from .segment.blocks import segment_blocks
from .segment.sentences import split_sentences

DEFAULT_MAX_CHARS = 10_000_000
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

_C = TypeVar("_C")


class Extractor:
    """Loads what it needs once and extracts any number of reports.

    Args:
        use_model: use the trained paragraph classifier (else cue words decide).
        use_ner: let underthesea's CRF tagger settle doubtful two-syllable names.
        tone_style: tone placement of the output text; ``"keep"`` (default) leaves the
            source's, ``"traditional"`` ("hóa", "ủy") or ``"modern"`` ("hoá", "uỷ") rewrite it.
        max_chars: larger inputs are refused with :class:`InputError`.
    """

    def __init__(
        self,
        *,
        use_model: bool = True,
        use_ner: bool = True,
        tone_style: ToneStyle = "keep",
        max_chars: int = DEFAULT_MAX_CHARS,
    ) -> None:
        self.classifier = ParagraphClassifier(use_model=use_model)
        self.use_ner = use_ner
        self.tone_style: ToneStyle = tone_style
        self.max_chars = max_chars

    def extract(self, text: str, *, source: Source | dict[str, Any] | str | None = None) -> Report:
        """Extract one report from ``text`` (already decoded)."""
        src = _as_source(source)
        if not isinstance(text, str):
            raise InputError("expected text (str); read bytes with vnreport_extract.io.read_path", source=src.path)
        if len(text) > self.max_chars:
            raise InputError(f"input has {len(text):,} characters, over the limit of {self.max_chars:,}", source=src.path or src.id)
        bad = _LONE_SURROGATE.search(text)
        if bad:
            # from a "surrogateescape" decode, say: not text, and no JSON report could hold it
            raise InputError(
                f"not valid Unicode: lone surrogate U+{ord(bad.group()):04X} at character {bad.start():,}", source=src.path or src.id
            )
        if src.sha256 is None:
            src.sha256 = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        norm = normalize(text, tone_style=self.tone_style)
        t = norm.text
        warnings: list[str] = []
        if not t.strip():
            warnings.append("empty input: no text to extract from")
        if norm.points != [(0, 0)]:  # one point is enough when only leading characters went ("\ufeff…")
            src.offset_map = [(a, b) for a, b in norm.points]
        blocks = segment_blocks(t)

        posted = published_date(src.metadata)
        dates = recognize_dates(t, posted=posted)
        residue = [(b.start, b.end) for b in blocks if b.kind in ("boilerplate", "byline")]
        body = [(b.start, b.end) for b in blocks if b.kind == "paragraph"]
        title = next((t[b.start : b.end] for b in blocks if b.kind == "title"), None)
        resolutions = recognize_resolutions(t, dates)
        # a document's issue date is not the event's
        issued_at = sorted({r.end for r in resolutions})

        def issued(d: DateMention) -> bool:  # the nearest number before it, if its issue date (bisection)
            i = bisect.bisect_right(issued_at, d.start) - 1
            return i >= 0 and is_issue_date_gap(t, issued_at[i], d.start)

        event_dates = [d for d in dates if not issued(d)]
        event = recognize_event(title, body, t, event_dates, residue)
        if event.date is None and len(event_dates) < len(dates):
            # news of a document just issued ("UBND tỉnh vừa ban hành Chỉ thị … ngày 9/2/2024")
            just = [d for d in dates if issued(d) and JUST_ISSUED.search(t, max(0, d.start - 120), d.start)]
            event = recognize_event(title, body, t, just or dates, residue)
        if event.date is None and posted is not None:
            # no date in the text tells the event's: the day the source says it was published
            event = event.model_copy(
                update={"date": posted.isoformat(), "provenance": Provenance(name="event", pattern="published-metadata", score=0.5)}
            )
        if event.date:
            event_year = int(event.date[:4])
            if any(d.year_inferred and not d.value.startswith(str(event_year)) for d in dates):
                dates = recognize_dates(t, anchor_year=event_year, posted=posted)
                resolutions = recognize_resolutions(t, dates)
        positions = recognize_positions(t)

        sentence_spans: list[tuple[int, int]] = []
        segments: list[Segment] = []
        labelled = self.classifier.classify(
            [(t[b.start : b.end], b.kind) for b in blocks], flat=[b.rule.startswith("flat-") for b in blocks]
        )
        for b, lab in zip(blocks, labelled):
            sents = split_sentences(t, b.start, b.end)
            sentence_spans.extend(sents)
            segments.append(
                Segment(
                    start=b.start,
                    end=b.end,
                    text=t[b.start : b.end],
                    kind=b.kind,
                    label=lab.label,
                    scores={k: round(v, 4) for k, v in lab.scores.items()},
                    sentences=[Sentence(start=a, end=e, text=t[a:e]) for a, e in sents],
                    provenance=_block_provenance(b),
                    label_provenance=lab.provenance,
                )
            )
        sentence_starts = [a for a, _ in sentence_spans]

        def sentence_of(offset: int) -> tuple[int, int]:
            i = max(0, bisect.bisect_right(sentence_starts, offset) - 1)
            return sentence_spans[i] if sentence_spans else (0, len(t))

        excluded = [(b.start, b.end) for b in blocks if b.kind in ("byline", "boilerplate")]
        candidates = find_name_candidates(t, excluded)
        people = link_people(t, candidates, positions, sentence_of=sentence_of, use_ner=self.use_ner)

        return Report(
            text=t,
            title=title,
            event=event,
            people=people,
            dates=dates,
            resolutions=resolutions,
            segments=segments,
            source=src,
            warnings=warnings,
        )

    @overload
    def extract_many(
        self, items: Iterable[str], *, n_process: int = ..., batch_size: int = ...
    ) -> Iterator[Report]: ...

    @overload
    def extract_many(
        self, items: Iterable[tuple[str, _C]], *, n_process: int = ..., batch_size: int = ...
    ) -> Iterator[tuple[Report, _C]]: ...

    def extract_many(
        self,
        items: Iterable[str] | Iterable[tuple[str, Any]],
        *,
        n_process: int = 1,
        batch_size: int = 16,
    ) -> Iterator[Report | tuple[Report, Any]]:
        """Extract a stream of texts, in input order.

        Items may be texts, or ``(text, context)`` pairs (spaCy's ``as_tuples`` style), in
        which case ``(report, context)`` pairs come back, so ids or paths travel with their
        reports. With ``n_process > 1`` reports are made in worker processes that start with
        this extractor's settings and models (see :mod:`vnreport_extract.parallel`); the
        input is read lazily, ``batch_size`` texts per task.

        >>> ex = Extractor(use_ner=False)
        >>> [(r.dates[0].value, i) for r, i in ex.extract_many([("Ngày 2/9/2025, xã họp.", "a1")])]
        [('2025-09-02', 'a1')]
        """
        from .parallel import ordered_map

        if isinstance(items, str):
            raise InputError("extract_many takes an iterable of texts; for one text use extract(text)")
        unpacked = ((x[0], (x[1], True)) if isinstance(x, tuple) else (x, (None, False)) for x in items)
        if n_process <= 1:
            results: Iterator[tuple[Report, tuple[Any, bool]]] = ((self.extract(t), c) for t, c in unpacked)
        else:
            results = ordered_map(unpacked, extractor=self, n_process=n_process, batch_size=batch_size)
        for rep, (ctx, tupled) in results:
            yield (rep, ctx) if tupled else rep


PUBLISHED_KEYS = ("published", "published_at", "date_published", "pubdate", "date")
"""Metadata keys (a page's, a JSON Lines record's) that may hold the report's publication day."""


def published_date(metadata: dict[str, object]) -> datetime.date | None:
    """The publication day a source's metadata gives ("2017-02-07", "2017-02-07T08:00:00+07:00"), if any."""
    for key in PUBLISHED_KEYS:
        value = metadata.get(key)
        m = re.match(r"((?:19|20)\d\d)-(\d\d)-(\d\d)", value) if isinstance(value, str) else None
        if m:
            try:
                return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
    return None


def _as_source(source: Source | dict[str, Any] | str | None) -> Source:
    if source is None:
        return Source()
    if isinstance(source, Source):
        return source.model_copy()
    if isinstance(source, str):
        return Source(path=source)
    return Source.model_validate(source)


def _block_provenance(b: Any) -> Any:
    from .schema import Provenance

    return Provenance(source="structure", name="segment", pattern=b.rule, score=b.score)


_default: Extractor | None = None


def extract(text: str, *, source: Source | dict[str, Any] | str | None = None) -> Report:
    """Extract one report with a process-wide :class:`Extractor` (models load once)."""
    global _default
    if _default is None:
        _default = Extractor()
    return _default.extract(text, source=source)
