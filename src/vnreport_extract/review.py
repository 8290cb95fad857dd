"""A review page: one extracted report as a self-contained HTML page, and a run index.

Archivists check an extraction by eye before they trust it. :func:`render_report` lays the
report's text out with every person, position, date and numbered document highlighted
(hovering one shows its normalized value and the rule or model that found it), each
block tinted by its label with the label's score, and a side panel listing the people,
dates, documents and the three lists (achievements, limitations, directives).
:func:`write_index` does the same for a ``vnreport batch`` run and adds ``index.html``.

Safe by construction: every string that comes from a report goes through Jinja's
autoescape or :func:`markupsafe.escape`; the page's own script and style are pinned by
their hashes in a Content-Security-Policy, so even a slip in escaping could not run a
script smuggled in by a report. The page loads nothing from outside (no fonts, no CDN).

The text container holds every character of :attr:`Report.text` in order and nothing
else (badges and tooltips are CSS generated content or live outside it), so a highlight's
offset on the page is the number of characters before it in the container, exactly the
offset the JSON gives. The browser tests check that.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .schema import LABELS, Provenance, Report

if TYPE_CHECKING:  # jinja2 and markupsafe load only when a page is rendered
    from jinja2 import Environment
    from markupsafe import Markup

# Nested highlights open outer-first; at equal spans this order decides which is outside.
_KIND_RANK = {"resolution": 0, "position": 1, "person": 2, "mention": 3, "date": 4}
_SHOWN_LABELS = ("achievement", "limitation", "directive")


@dataclass(frozen=True)
class Highlight:
    """One highlighted stretch of :attr:`Report.text` and what hovering it tells."""

    start: int
    end: int
    kind: str  # person | mention | position | date | resolution
    ident: str  # unique within the page; the HTML id of its first fragment
    value: str  # the normalized value, shown in the side panel and the tooltip's first line
    tip: str  # the full tooltip: value, parts, and which rule or model found it


def _why(p: Provenance | None) -> str:
    if p is None:
        return "found by: (not recorded)"
    pattern = f" / {p.pattern}" if p.pattern else ""
    return f"found by {p.source}: {p.name}{pattern} · score {p.score:.2f}"


def _parts(*pairs: tuple[str, object]) -> str:
    return " · ".join(f"{k} {v}" for k, v in pairs if v is not None and v != "" and v is not False)


def highlights(report: Report) -> list[Highlight]:
    """Every entity span of ``report`` as a :class:`Highlight`, in text order.

    A person's first full-name mention is the person's own highlight; later mentions are
    ``mention`` highlights that name the person they were linked to.
    """
    out: list[Highlight] = []
    for i, person in enumerate(report.people):
        posts = "; ".join(p.canonical + (" (former)" if p.former else "") for p in person.positions)
        tip = "\n".join(
            x
            for x in (
                f"person: {person.name}",
                f"positions: {posts}" if posts else "positions: (none linked)",
                f"{len(person.mentions)} mention(s)",
                _why(person.provenance),
            )
            if x
        )
        out.append(Highlight(person.start, person.end, "person", f"person-{i}", person.name, tip))
        for j, m in enumerate(person.mentions):
            if (m.start, m.end) == (person.start, person.end):
                continue
            out.append(
                Highlight(
                    m.start,
                    m.end,
                    "mention",
                    f"person-{i}-m{j}",
                    person.name,
                    f"mention ({m.kind}) of {person.name}\n{_why(m.provenance)}",
                )
            )
        for j, pos in enumerate(person.positions):
            detail = _parts(("title", pos.title), ("body", pos.body), ("unit", pos.unit))
            tip = f"position → {pos.canonical}\n{detail}\nheld by {person.name}" + (
                " (former post)" if pos.former else ""
            )
            out.append(
                Highlight(
                    pos.start,
                    pos.end,
                    "position",
                    f"person-{i}-p{j}",
                    pos.canonical,
                    f"{tip}\n{_why(pos.provenance)}",
                )
            )
    for i, d in enumerate(report.dates):
        extra = _parts(
            ("precision", d.precision),
            ("part of day", d.part_of_day),
            ("range", d.range_id),
        )
        inferred = "\nyear inferred from context" if d.year_inferred else ""
        out.append(
            Highlight(
                d.start,
                d.end,
                "date",
                f"date-{i}",
                d.value,
                f"date → {d.value}\n{extra}{inferred}\n{_why(d.provenance)}",
            )
        )
    for i, r in enumerate(report.resolutions):
        detail = _parts(("kind", r.kind), ("type", r.type_code), ("issuer", r.issuer), ("issued", r.issued))
        title = f"\ntitle: {r.title}" if r.title else ""
        out.append(
            Highlight(
                r.start,
                r.end,
                "resolution",
                f"doc-{i}",
                r.number,
                f"document → {r.number}\n{detail}{title}\n{_why(r.provenance)}",
            )
        )
    out = [h for h in out if h.end > h.start]
    out.sort(key=lambda h: (h.start, -h.end, _KIND_RANK[h.kind]))
    return out


@dataclass
class _Open:
    hl: Highlight
    start: int
    end: int = -1
    first: bool = False


@dataclass
class _Region:
    """Tokens of one stretch of text: ``("open", _Open) | ("text", str) | ("close", None)``."""

    tokens: list[tuple[str, Any]] = field(default_factory=list)


def _near(hls: Sequence[Highlight], a: int, b: int) -> list[Highlight]:
    """The highlights overlapping ``[a, b)``, found by bisection (``hls`` in text order)."""
    starts = [h.start for h in hls]
    longest = max(h.end - h.start for h in hls)
    lo, hi = bisect.bisect_left(starts, a - longest), bisect.bisect_left(starts, b)
    return [h for h in hls[lo:hi] if h.end > a]


def _region_tokens(text: str, a: int, b: int, hls: Sequence[Highlight], seen: set[str]) -> _Region:
    """Properly nested open/text/close tokens for ``text[a:b]``.

    Highlights that cross each other (or a block boundary) are cut into fragments that
    nest; each fragment knows its own offsets, and only an entity's first fragment gets
    its HTML id.
    """
    inside = [h for h in hls if h.start < b and h.end > a] if len(hls) < 64 else _near(hls, a, b)
    cuts = sorted({a, b} | {max(a, h.start) for h in inside} | {min(b, h.end) for h in inside})
    region = _Region()
    stack: list[_Open] = []
    for x, y in pairwise(cuts):
        covering = [h for h in inside if h.start <= x and h.end >= y]
        k = 0
        while k < len(stack) and k < len(covering) and stack[k].hl is covering[k]:
            k += 1
        while len(stack) > k:
            stack.pop().end = x
            region.tokens.append(("close", None))
        for h in covering[k:]:
            frag = _Open(h, x, first=h.ident not in seen)
            seen.add(h.ident)
            stack.append(frag)
            region.tokens.append(("open", frag))
        region.tokens.append(("text", text[x:y]))
    while stack:
        stack.pop().end = b
        region.tokens.append(("close", None))
    return region


def _region_html(region: _Region) -> str:
    from markupsafe import escape

    parts: list[str] = []
    for kind, tok in region.tokens:
        if kind == "text":
            parts.append(str(escape(tok)))
        elif kind == "close":
            parts.append("</mark>")
        else:
            h = tok.hl
            ident = f' id="{escape(h.ident)}"' if tok.first else ""
            parts.append(
                f'<mark class="hl hl-{h.kind}"{ident} tabindex="0" data-ent="{escape(h.ident)}"'
                f' data-kind="{h.kind}" data-s="{tok.start}" data-e="{tok.end}"'
                f' data-es="{h.start}" data-ee="{h.end}" data-tip="{escape(h.tip)}">'
            )
    return "".join(parts)


def _band(score: float) -> int:
    """Four tint strengths, so a 0.35 label looks fainter than a 0.9 one."""
    return 1 if score < 0.4 else 2 if score < 0.6 else 3 if score < 0.8 else 4


def _labelled(kind: str, label: str) -> bool:
    return kind in ("paragraph", "bullet", "heading") or label != "other"


def _segment_tip(report: Report, i: int) -> str:
    seg = report.segments[i]
    lines = [f"block {i}: {seg.kind} [{seg.start}:{seg.end}]", f"kind {_why(seg.provenance)}"]
    if _labelled(seg.kind, seg.label):
        score = seg.scores.get(seg.label)
        lines.append(f"label {seg.label}" + (f" {score:.2f}" if score is not None else ""))
        lines.append(f"label {_why(seg.label_provenance)}")
        if seg.scores:
            ranked = sorted(seg.scores.items(), key=lambda kv: -kv[1])
            lines.append("scores: " + " · ".join(f"{k} {v:.2f}" for k, v in ranked))
    return "\n".join(lines)


def render_text(report: Report, hls: Sequence[Highlight] | None = None) -> Markup:
    """The inner HTML of the page's text container.

    Its text content is exactly ``report.text``: blocks are ``<div class="seg">``, text
    between blocks sits in ``<span class="gap">`` (hidden when it is only whitespace).
    """
    from markupsafe import Markup, escape

    text = report.text
    hls = (
        highlights(report)
        if hls is None
        else sorted(hls, key=lambda h: (h.start, -h.end, _KIND_RANK[h.kind]))
    )
    seen: set[str] = set()
    parts: list[str] = []
    at = 0

    def gap(a: int, b: int) -> None:
        if b <= a:
            return
        cls = "gap" if not text[a:b].strip() else "gap gap-text"
        parts.append(f'<span class="{cls}">{_region_html(_region_tokens(text, a, b, hls, seen))}</span>')

    order = sorted(
        range(len(report.segments)), key=lambda k: (report.segments[k].start, report.segments[k].end)
    )
    for i in order:
        seg = report.segments[i]
        start = max(seg.start, at)  # overlapping blocks: show each character once
        if seg.end <= start:
            continue
        gap(at, start)
        classes = ["seg", f"seg-{seg.kind}"]
        badge: str = seg.kind
        if _labelled(seg.kind, seg.label):
            score = seg.scores.get(seg.label, seg.label_provenance.score if seg.label_provenance else 1.0)
            classes += [f"lab-{seg.label}", f"band-{_band(score)}"]
            badge = f"{seg.kind} · {seg.label} {score:.2f}"
        parts.append(
            f'<div class="{" ".join(classes)}" id="seg-{i}" data-s="{start}" data-e="{seg.end}"'
            f' data-label="{escape(seg.label)}" data-badge="{escape(badge)}"'
            f' data-tip="{escape(_segment_tip(report, i))}">'
            f"{_region_html(_region_tokens(text, start, seg.end, hls, seen))}</div>"
        )
        at = seg.end
    gap(at, len(text))
    return Markup("".join(parts))


# --- assets -------------------------------------------------------------------------


@cache
def _asset(name: str) -> str:
    return (
        resources.files("vnreport_extract")
        .joinpath("data")
        .joinpath("review")
        .joinpath(name)
        .read_text(encoding="utf-8")
    )


def _csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _csp(script: str, style: str) -> str:
    # Nothing may load from anywhere; only our own inline script and style (by hash) run.
    return (
        "default-src 'none'; "
        f"script-src {_csp_hash(script)}; style-src {_csp_hash(style)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


@cache
def _env() -> Environment:
    from jinja2 import Environment, StrictUndefined

    def loader(name: str) -> str:
        return _asset(name)

    from jinja2 import FunctionLoader

    return Environment(
        loader=FunctionLoader(loader),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _page(template: str, **context: Any) -> str:
    from markupsafe import Markup

    style = _asset("review.css")
    script = _asset("review.js")
    return (
        _env()
        .get_template(template)
        .render(
            style=Markup(style),
            script=Markup(script),
            csp=_csp(script, style),
            **context,
        )
    )


# --- one report ---------------------------------------------------------------------


def _fmt_score(report: Report, i: int) -> str:
    seg = report.segments[i]
    return f"{seg.scores.get(seg.label, 0.0):.2f}"


def render_report(report: Report, *, index_href: str | None = None) -> str:
    """One report as a self-contained HTML page (a ``str`` to write as UTF-8).

    Args:
        report: the extracted report.
        index_href: a link back to the run's index page, when the page is part of a run.
    """
    hls = highlights(report)
    first = {h.ident: h for h in hls}
    lists = {
        label: [
            {"id": f"seg-{i}", "text": s.text, "score": _fmt_score(report, i), "kind": s.kind}
            for i, s in enumerate(report.segments)
            if s.label == label
        ]
        for label in _SHOWN_LABELS
    }
    people = [
        {
            "id": f"person-{i}",
            "name": p.name,
            "positions": [
                {"canonical": pos.canonical, "text": pos.text, "former": pos.former, "id": f"person-{i}-p{j}"}
                for j, pos in enumerate(p.positions)
            ],
            "mentions": len(p.mentions),
            "linked": f"person-{i}" in first,
        }
        for i, p in enumerate(report.people)
    ]
    counts = Counter(s.label for s in report.segments if _labelled(s.kind, s.label))
    kinds = Counter(h.kind for h in hls)
    return _page(
        "page.html.j2",
        report=report,
        title=report.title or (report.source.path or "(untitled report)"),
        text_html=render_text(report, hls),
        people=people,
        dates=[{"id": f"date-{i}", "d": d} for i, d in enumerate(report.dates)],
        docs=[{"id": f"doc-{i}", "r": r} for i, r in enumerate(report.resolutions)],
        lists=lists,
        counts={lab: counts.get(lab, 0) for lab in LABELS},
        kinds=kinds,
        index_href=index_href,
    )


def write_report_page(report: Report, path: str | Path, *, index_href: str | None = None) -> Path:
    """Render ``report`` and write it to ``path`` atomically; returns the path."""
    from .batch import write_atomic

    target = Path(path)
    write_atomic(target, render_report(report, index_href=index_href))
    return target


# --- a run --------------------------------------------------------------------------


def _doc_key(kind: str | None, number: str, type_code: str | None) -> str:
    # "18-NQ/TW" names one document on its own; a bare "18" only with its kind.
    return number if type_code or "/" in number else f"{kind or ''} {number}".strip()


@dataclass
class IndexRow:
    """One line of the run index (a report that was written, or a file that failed)."""

    input: str
    page: str | None = None
    title: str | None = None
    date: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    people: int = 0
    dates: int = 0
    docs: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


def _bar_chart(items: Sequence[tuple[str, int, str]], *, width: int = 360, label_w: int = 150) -> Markup:
    """A horizontal bar chart as inline SVG: (label, value, css class) per bar."""
    from markupsafe import Markup, escape

    bar_h, gap = 18, 6
    top = max((v for _, v, _ in items), default=0) or 1
    height = max(1, len(items)) * (bar_h + gap)
    span = width - label_w - 40
    rows = []
    for k, (label, value, cls) in enumerate(items):
        y = k * (bar_h + gap)
        w = max(1, round(span * value / top)) if value else 0
        short = label if len(label) <= 22 else label[:21] + "…"
        rows.append(
            f'<g class="bar {escape(cls)}"><title>{escape(label)}: {value}</title>'
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{escape(short)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" rx="3"></rect>'
            f'<text class="val" x="{label_w + w + 4}" y="{y + 13}">{value}</text></g>'
        )
    return Markup(
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
        + "".join(rows)
        + "</svg>"
    )


def _summarise(report: Report) -> tuple[Counter[str], dict[str, str]]:
    cited: Counter[str] = Counter()
    names: dict[str, str] = {}
    for key, r in {(_doc_key(r.kind, r.number, r.type_code)): r for r in report.resolutions}.items():
        cited[key] += 1  # reports citing it, not mentions: one long report must not dominate
        names.setdefault(key, f"{r.kind} {r.number}" if r.kind else r.number)
    return cited, names


def render_index(
    rows: Sequence[IndexRow], *, cited: Counter[str], names: dict[str, str], top: int = 10
) -> str:
    """The run's index page from its rows and the run's document citation counts."""
    totals: Counter[str] = Counter({lab: 0 for lab in LABELS})
    for row in rows:
        totals.update(row.counts)
    label_chart = _bar_chart([(lab, totals[lab], f"lab-{lab}") for lab in LABELS])
    most = cited.most_common(top)
    doc_chart = _bar_chart([(names.get(k, k), n, "doc") for k, n in most]) if most else None
    return _page(
        "index.html.j2",
        rows=rows,
        labels=LABELS,
        label_chart=label_chart,
        doc_chart=doc_chart,
        n_done=sum(r.error is None for r in rows),
        n_failed=sum(r.error is not None for r in rows),
    )


def write_index(results: Iterable[Any], out_dir: str | Path) -> Path:
    """Write ``NAME.html`` beside each ``NAME.json`` of a batch run, and ``index.html``.

    Args:
        results: the :class:`~vnreport_extract.batch.FileResult` list that
            :func:`~vnreport_extract.batch.run_batch` returns (anything with ``input``,
            ``output``, ``status`` and ``error`` attributes). Done results are read back
            from their JSON; failed ones become rows that show their error.
        out_dir: the run's output folder.

    Returns:
        The path of ``index.html``.
    """
    from .batch import write_atomic

    out = Path(out_dir)
    rows: list[IndexRow] = []
    cited: Counter[str] = Counter()
    names: dict[str, str] = {}
    for res in results:
        output = getattr(res, "output", None)
        if getattr(res, "status", "done") != "done" or not output:
            rows.append(IndexRow(input=str(res.input), error=str(getattr(res, "error", None) or "failed")))
            continue
        json_path = Path(output)
        try:
            report = Report.model_validate_json(json_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            rows.append(IndexRow(input=str(res.input), error=f"cannot read {json_path.name}: {e}"))
            continue
        page = json_path.with_suffix(".html")
        if page.name == "index.html":  # a report named "index" must not take the run's index
            page = page.with_name("index_report.html")
        write_report_page(report, out / page.name, index_href="index.html")
        c, n = _summarise(report)
        cited.update(c)
        for k, v in n.items():
            names.setdefault(k, v)
        counts = Counter(s.label for s in report.segments if _labelled(s.kind, s.label))
        rows.append(
            IndexRow(
                input=str(res.input),
                page=page.name,
                title=report.title,
                date=report.event.date,
                counts={lab: counts.get(lab, 0) for lab in LABELS},
                people=len(report.people),
                dates=len(report.dates),
                docs=len(report.resolutions),
                warnings=list(report.warnings),
            )
        )
    target = out / "index.html"
    write_atomic(target, render_index(rows, cited=cited, names=names))
    return target
