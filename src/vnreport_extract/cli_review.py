"""``vnreport show``: one report as a self-contained HTML review page.

Kept apart from ``cli.py`` so the review page can grow without touching the core
commands; ``cli.py`` calls :func:`register`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer


def _err(message: str) -> None:
    typer.echo(message, err=True)


def show(
    file: Annotated[
        str, typer.Argument(help="A report (text), a report's JSON from `vnreport extract`, or - for stdin.")
    ],
    out: Annotated[
        Path | None,
        typer.Option("-o", "--out", help="Where to write the page (default: stdout)."),
    ] = None,
    no_model: Annotated[bool, typer.Option("--no-model", help="Label paragraphs by cue words only.")] = False,
) -> None:
    """Write a review page: the text with people, positions, dates and documents highlighted."""
    from pydantic import ValidationError

    from .errors import InputError
    from .io.readers import read_document
    from .review import render_report, write_report_page
    from .schema import Report

    try:
        decoded, src = read_document(file)
        report: Report | None = None
        if file.lower().endswith(".json") or decoded.text.lstrip().startswith("{"):
            # An extraction already made: show it as it is, without extracting again.
            try:
                report = Report.model_validate_json(decoded.text)
            except ValidationError as e:
                if file.lower().endswith(".json"):
                    first = e.errors()[0]
                    where = ".".join(str(x) for x in first["loc"]) or "(top)"
                    raise InputError(f"not a report's JSON: {where}: {first['msg']}", source=file) from None
        if report is None:
            from .pipeline import Extractor

            report = Extractor(use_model=not no_model).extract(decoded.text, source=src)
            report.warnings.extend(decoded.warnings)
    except InputError as e:
        _err(f"vnreport: {e}")
        raise typer.Exit(2) from None
    if out is None or str(out) == "-":
        sys.stdout.write(render_report(report))
        return
    try:
        write_report_page(report, out)
    except OSError as e:
        _err(f"vnreport: cannot write {out}: {e.strerror or e}")
        raise typer.Exit(2) from None
    _err(f"wrote {out}")


def register(app: typer.Typer) -> None:
    """Add ``show`` to the ``vnreport`` command line."""
    app.command("show")(show)
