"""The same pipeline seen from spaCy.

>>> import vnreport_extract
>>> nlp = vnreport_extract.load()          # blank "vi" + our tokenizer + the extractor
>>> doc = nlp("Sáng ngày 23/9/2025, Đảng ủy xã Tân Hòa tổ chức hội nghị.")
>>> [(s.text, s._.vr_value) for s in doc.spans["vr_dates"]]
[('Sáng ngày 23/9/2025', '2025-09-23')]

Or, in a pipeline of your own (the factory is found through the ``spacy_factories`` entry
point, so no import is needed)::

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "vnreport.Tokenizer.v1"}}})
    nlp.add_pipe("vnreport_extractor")

Results live in five ``doc.spans`` groups:

=================  ==========================  ===========================================
group              ``span.label_``             ``span._.vr_value``
=================  ==========================  ===========================================
``vr_segments``    the block kind (paragraph,  the label (achievement, limitation,
                   heading, bullet, ...)       directive, other)
``vr_people``      ``PERSON``                  the name as written
``vr_positions``   ``POSITION``                the canonical form (abbreviations expanded)
``vr_dates``       ``DATE``                    ISO date, ``YYYY-MM-DD`` or ``YYYY-MM``
``vr_resolutions`` ``RESOLUTION``              the number, e.g. ``18-NQ/TW``
=================  ==========================  ===========================================

Span extensions (prefix ``vr_``, read-only getters, registered once):
``vr_value``, ``vr_label`` (segments), ``vr_scores`` (segments: per-label scores),
``vr_provenance`` (which rule or model found it, with pattern and score) and ``vr_item``
(the whole typed item as a dict: a position's title/body/unit, a date's precision, a
document's issuer, ...). Doc extensions: ``vr_report`` (the whole report as a JSON-ready
dict, see :func:`report_of`) and ``vr_items`` (the index the span getters read).

Every value lives in ``doc.user_data`` as plain data, so ``DocBin(store_user_data=True)``,
pickle and ``nlp.pipe(..., n_process=2)`` carry it. Span extensions are keyed by label and
character offsets, so a person and a position (or a heading and a date) at the same
offsets never overwrite each other. Offsets: the extractor works on normalized text;
spans are mapped back to ``doc.text`` with the report's offset map, and tokens are split
where an item starts or ends inside one (e.g. a caption glued to the next sentence), so
every span covers exactly the characters of its item.

Nothing here re-implements extraction: the component calls :class:`Extractor`.
"""

from __future__ import annotations

import bisect
from itertools import pairwise
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .normalize import _INVISIBLE
from .schema import Report
from .tokenizer import blank_vietnamese, create_tokenizer

__all__ = [
    "SPAN_GROUPS",
    "VnreportComponent",
    "create_tokenizer",
    "load",
    "make_vnreport_extractor",
    "register_extensions",
    "report_of",
]

SPAN_GROUPS = ("vr_segments", "vr_people", "vr_positions", "vr_dates", "vr_resolutions")
SPAN_EXTENSIONS = ("vr_value", "vr_label", "vr_scores", "vr_provenance", "vr_item")


def _key(span: Span) -> str:
    return f"{span.label_}:{span.start_char}:{span.end_char}"


def _item(span: Span) -> dict[str, Any] | None:
    items = span.doc._.vr_items
    if not items:
        return None
    found: dict[str, Any] | None = items.get(_key(span))
    return found


def _field(name: str) -> Any:
    def get(span: Span) -> Any:
        item = _item(span)
        return None if item is None else item.get(name)

    return get


_GETTERS = {
    "vr_value": _field("_value"),
    "vr_label": _field("_label"),
    "vr_scores": _field("scores"),
    "vr_provenance": _field("provenance"),
    "vr_item": _item,
}


def register_extensions() -> None:
    """Register the ``vr_`` extensions on Doc and Span (idempotent; done on import).

    Span extensions are getters over ``doc._.vr_items``: no mutable default is shared
    between docs, and nothing is stored twice.
    """
    for name in SPAN_EXTENSIONS:
        if not Span.has_extension(name):
            Span.set_extension(name, getter=_GETTERS[name])
    for name in ("vr_report", "vr_items"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register_extensions()


def report_of(doc: Doc) -> Report:
    """The typed :class:`Report` behind a processed doc (also after DocBin or pickle)."""
    data = doc._.vr_report
    if data is None:
        raise ValueError("this Doc has not been through the 'vnreport_extractor' component")
    return Report.model_validate(data)


def _split_tokens_at(doc: Doc, cuts: set[int]) -> None:
    """Split every token that a cut offset falls strictly inside, so spans align exactly."""
    todo: list[tuple[Token, list[str]]] = []
    ordered = sorted(cuts)
    text = doc.text  # built from the tokens on every access: once, not once per token
    for token in doc:
        a, b = token.idx, token.idx + len(token.text)
        # cuts strictly inside the token (bisect: linear in the length overall, not tokens x cuts)
        inner = ordered[bisect.bisect_right(ordered, a) : bisect.bisect_left(ordered, b)]
        if not inner:
            continue
        bounds = [a, *inner, b]
        todo.append((token, [text[x:y] for x, y in pairwise(bounds)]))
    if not todo:
        return
    with doc.retokenize() as retokenizer:
        for token, orths in todo:
            # no parse in this pipeline: each piece is its own head
            heads: list[Token | tuple[Token, int]] = [(token, k) for k in range(len(orths))]
            retokenizer.split(token, orths, heads=heads)


class VnreportComponent:
    """Runs :class:`~vnreport_extract.pipeline.Extractor` on ``doc.text`` and fills span groups.

    Args:
        nlp: the pipeline (unused; spaCy's factory signature).
        name: the component's name in the pipeline.
        use_model: label paragraphs with the trained classifier (else cue words only).
        use_ner: let underthesea's CRF tagger settle doubtful two-syllable names.
    """

    def __init__(self, nlp: Language, name: str, *, use_model: bool = True, use_ner: bool = True) -> None:
        from .pipeline import Extractor

        register_extensions()
        self.name = name
        self.extractor = Extractor(use_model=use_model, use_ner=use_ner)

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        return self.set_annotations(doc, self.extractor.extract(text), text=text)

    def set_annotations(self, doc: Doc, report: Report, *, text: str | None = None) -> Doc:
        """Write ``report`` (extracted from ``doc.text``, which ``text`` may pass in) onto ``doc``."""
        raw = doc.text if text is None else text

        def to_raw_end(end: int, start: int) -> int:
            # the raw offset after the item's last character, not after invisibles that follow it
            e = report.to_raw(end)
            while e > start and ord(raw[e - 1]) in _INVISIBLE:
                e -= 1
            return e
        # (group, start, end, label, item dict with "_value"/"_label" added)
        found: list[tuple[str, int, int, str, dict[str, Any]]] = []

        def add(group: str, start: int, end: int, label: str, item: dict[str, Any], value: Any, lab: Any = None) -> None:
            item["_value"] = value
            item["_label"] = lab
            a = report.to_raw(start)
            found.append((group, a, to_raw_end(end, a), label, item))

        for seg in report.segments:
            d = seg.model_dump(mode="json", exclude={"sentences", "text"})
            add("vr_segments", seg.start, seg.end, seg.kind, d, seg.label, seg.label)
        for person in report.people:
            d = person.model_dump(mode="json", exclude={"positions"})
            add("vr_people", person.start, person.end, "PERSON", d, person.name)
            for pos in person.positions:
                add("vr_positions", pos.start, pos.end, "POSITION", pos.model_dump(mode="json"), pos.canonical)
        for date in report.dates:
            add("vr_dates", date.start, date.end, "DATE", date.model_dump(mode="json"), date.value)
        for res in report.resolutions:
            add("vr_resolutions", res.start, res.end, "RESOLUTION", res.model_dump(mode="json"), res.number)

        _split_tokens_at(doc, {a for _, a, _, _, _ in found} | {b for _, _, b, _, _ in found})
        groups: dict[str, list[Span]] = {g: [] for g in SPAN_GROUPS}
        items: dict[str, dict[str, Any]] = {}
        for group, start, end, label, item in found:
            span = doc.char_span(start, end, label=label, alignment_mode="strict")
            if span is None:  # only when an item edge sits inside white space
                span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            key = _key(span)
            if key in items:  # one position shared by several people: one span
                continue
            items[key] = item
            groups[group].append(span)
        for group, spans in groups.items():
            doc.spans[group] = spans
        doc._.vr_items = items
        doc._.vr_report = report.model_dump(mode="json")
        return doc


@Language.factory(
    "vnreport_extractor",
    default_config={"use_model": True, "use_ner": True},
)
def make_vnreport_extractor(nlp: Language, name: str, use_model: bool, use_ner: bool) -> VnreportComponent:
    """spaCy factory: ``nlp.add_pipe("vnreport_extractor")``.

    Config: ``use_model`` (trained paragraph classifier, default true) and ``use_ner``
    (underthesea's CRF tagger for doubtful names, default true).
    """
    return VnreportComponent(nlp, name, use_model=use_model, use_ner=use_ner)


def load(*, use_model: bool = True, use_ner: bool = True) -> Language:
    """A ready spaCy pipeline: blank ``vi`` with our tokenizer, then the extractor.

    Args:
        use_model: label paragraphs with the trained classifier (else cue words only).
        use_ner: let underthesea's CRF tagger settle doubtful two-syllable names.

    Returns:
        A :class:`spacy.language.Language`; call it on text, or ``nlp.pipe(texts, n_process=2)``.
    """
    nlp = blank_vietnamese()
    nlp.add_pipe("vnreport_extractor", config={"use_model": use_model, "use_ner": use_ner})
    return nlp
