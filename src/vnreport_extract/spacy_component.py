"""The same pipeline seen from spaCy.

>>> import vnreport_extract
>>> nlp = vnreport_extract.load()          # blank "vi" + our tokenizer + the extractor
>>> doc = nlp("Sáng ngày 23/9/2025, Đảng ủy xã Tân Hòa tổ chức hội nghị.")
>>> [s._.vr_value for s in doc.spans["vr_dates"]]
['2025-09-23']

Results live in ``doc.spans`` groups ``vr_segments``, ``vr_people``, ``vr_positions``,
``vr_dates`` and ``vr_resolutions``; each span's ``label_`` is its kind or label, and the
extensions (prefix ``vr_``) hold the label scores, normalized values and provenance. The
whole typed report is ``doc._.vr_report`` (as a plain dict, so DocBin and pickle keep it).
Nothing here re-implements extraction: the component calls :class:`Extractor`.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from .tokenizer import blank_vietnamese, create_tokenizer

__all__ = ["VnreportComponent", "create_tokenizer", "load", "make_vnreport_extractor"]

SPAN_GROUPS = ("vr_segments", "vr_people", "vr_positions", "vr_dates", "vr_resolutions")


def _register_extensions() -> None:
    # getter-free extensions with immutable defaults: nothing shared between docs
    for name in ("vr_label", "vr_scores", "vr_value", "vr_provenance"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    if not Doc.has_extension("vr_report"):
        Doc.set_extension("vr_report", default=None)


class VnreportComponent:
    """Runs :class:`~vnreport_extract.pipeline.Extractor` on ``doc.text`` and fills span groups."""

    def __init__(self, nlp: Language, name: str, use_model: bool = True) -> None:
        from .pipeline import Extractor

        _register_extensions()
        self.name = name
        self.extractor = Extractor(use_model=use_model)

    def __call__(self, doc: Doc) -> Doc:
        report = self.extractor.extract(doc.text)
        groups: dict[str, list[Span]] = {g: [] for g in SPAN_GROUPS}

        def span(start: int, end: int, label: str) -> Span | None:
            return doc.char_span(start, end, label=label, alignment_mode="expand")

        for seg in report.segments:
            s = span(seg.start, seg.end, seg.kind)
            if s is not None:
                s._.vr_label = seg.label
                s._.vr_scores = dict(seg.scores)
                s._.vr_provenance = seg.provenance.model_dump()
                groups["vr_segments"].append(s)
        for person in report.people:
            s = span(person.start, person.end, "PERSON")
            if s is not None:
                s._.vr_value = person.name
                s._.vr_provenance = person.provenance.model_dump()
                groups["vr_people"].append(s)
            for pos in person.positions:
                ps = span(pos.start, pos.end, "POSITION")
                if ps is not None:
                    ps._.vr_value = pos.canonical
                    ps._.vr_provenance = pos.provenance.model_dump()
                    groups["vr_positions"].append(ps)
        for d in report.dates:
            s = span(d.start, d.end, "DATE")
            if s is not None:
                s._.vr_value = d.value
                s._.vr_provenance = d.provenance.model_dump()
                groups["vr_dates"].append(s)
        for r in report.resolutions:
            s = span(r.start, r.end, "RESOLUTION")
            if s is not None:
                s._.vr_value = r.number
                s._.vr_provenance = r.provenance.model_dump()
                groups["vr_resolutions"].append(s)
        for g, spans in groups.items():
            doc.spans[g] = spans
        doc._.vr_report = report.model_dump(mode="json")
        return doc


@Language.factory("vnreport_extractor", default_config={"use_model": True})
def make_vnreport_extractor(nlp: Language, name: str, use_model: bool) -> VnreportComponent:
    """spaCy factory: ``nlp.add_pipe("vnreport_extractor")``."""
    return VnreportComponent(nlp, name, use_model=use_model)


def load(*, use_model: bool = True) -> Any:
    """A ready spaCy pipeline: blank ``vi`` with our tokenizer and the extractor."""
    nlp: Any = blank_vietnamese()
    nlp.add_pipe("vnreport_extractor", config={"use_model": use_model})
    return nlp
