"""A rich terminal view of a report (``vnreport extract --pretty``)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .schema import Report

LABEL_STYLES = {"achievement": "green", "limitation": "red", "directive": "blue", "other": "dim"}


def print_report(report: Report, *, explain: bool = False, console: Console | None = None) -> None:
    console = console or Console()
    console.rule(Text(report.title or "(no title)", style="bold"))
    ev = report.event
    console.print(f"event: {ev.kind or '-'} | date {ev.date or '-'} | place {ev.place or '-'} | organizer {ev.organizer or '-'}")
    if report.people:
        t = Table("person", "positions", title="People")
        for p in report.people:
            t.add_row(p.name, "; ".join(x.text for x in p.positions))
        console.print(t)
    if report.dates:
        t = Table("text", "value", "precision", title="Dates")
        for d in report.dates:
            t.add_row(d.text, d.value, d.precision)
        console.print(t)
    if report.resolutions:
        t = Table("number", "kind", "issued", "issuer", title="Documents")
        for r in report.resolutions:
            t.add_row(r.number, r.kind or "-", r.issued or "-", r.issuer or "-")
        console.print(t)
    for seg in report.segments:
        style = LABEL_STYLES.get(seg.label, "")
        head = Text(f"[{seg.kind}/{seg.label}] ", style=f"bold {style}")
        head.append(seg.text, style=style)
        console.print(head)
        if explain and seg.label_provenance is not None:
            lp = seg.label_provenance
            scores = ", ".join(f"{k} {v:.2f}" for k, v in sorted(seg.scores.items(), key=lambda kv: -kv[1]))
            console.print(Text(f"    why: {lp.source}:{lp.name} ({lp.pattern}) | {scores}", style="italic"))
    for w in report.warnings:
        console.print(f"[yellow]warning:[/yellow] {w}")
