"""``vnreport``: a thin command line over the library.

JSON goes to stdout, progress and messages to stderr. Exit codes: 0 all done, 1 some
files failed, 2 usage error or unreadable input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Vietnamese civic reports -> typed JSON.")


def _err(message: str) -> None:
    typer.echo(message, err=True)


@app.command()
def extract(
    file: str = typer.Argument(..., help="A report file, or - for standard input."),
    pretty: bool = typer.Option(False, "--pretty", help="A terminal view instead of JSON."),
    explain: bool = typer.Option(False, "--explain", help="Show which cue, heading or model decided each label."),
    no_model: bool = typer.Option(False, "--no-model", help="Label paragraphs by cue words only."),
    tone_style: str = typer.Option("keep", "--tone-style", help="keep | traditional (hóa, ủy) | modern (hoá, uỷ)"),
) -> None:
    """Extract one report and print it as JSON."""
    from .errors import InputError
    from .io.readers import decode_bytes, read_path
    from .pipeline import Extractor
    from .schema import Source

    if tone_style not in ("keep", "traditional", "modern"):
        _err(f"vnreport: --tone-style must be keep, traditional or modern, not {tone_style!r}")
        raise typer.Exit(2)
    try:
        if file == "-":
            decoded = decode_bytes(sys.stdin.buffer.read(), name="<stdin>")
            src = Source(path=None, id="<stdin>", encoding=decoded.encoding, format="txt")
        else:
            decoded = read_path(file)
            src = Source(path=file, encoding=decoded.encoding, format="txt")
        ex = Extractor(use_model=not no_model, tone_style=tone_style)  # type: ignore[arg-type]
        report = ex.extract(decoded.text, source=src)
        report.warnings.extend(decoded.warnings)
    except InputError as e:
        _err(f"vnreport: {e}")
        raise typer.Exit(2) from None
    if pretty or explain:
        from .view import print_report

        print_report(report, explain=explain)
    else:
        sys.stdout.write(report.model_dump_json(indent=1) + "\n")


@app.command()
def batch(
    inputs: list[str] = typer.Argument(..., help="Files to extract."),
    out: Path = typer.Option(..., "-o", "--out", help="Output folder: one NAME.json per input."),
    no_model: bool = typer.Option(False, "--no-model", help="Label paragraphs by cue words only."),
) -> None:
    """Extract many reports; a failing file is listed and the rest go on."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from .batch import run_batch
    from .pipeline import Extractor

    console = Console(stderr=True)
    ex = Extractor(use_model=not no_model)
    failed: list[tuple[str, str]] = []
    with Progress(TextColumn("[bold]extract"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console, transient=False) as progress:
        task = progress.add_task("extract", total=len(inputs))

        def step(res: object) -> None:
            if getattr(res, "status") == "failed":
                failed.append((getattr(res, "input"), getattr(res, "error")))
            progress.advance(task)

        results = run_batch(inputs, out, extractor=ex, on_result=step)
    done = sum(r.status == "done" for r in results)
    console.print(f"{done} done, {len(failed)} failed -> {out}")
    for path, error in failed:
        console.print(f"[red]failed[/red] {path}: {error}")
    if failed:
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """Print the JSON Schema of a report."""
    from .schema import Report

    sys.stdout.write(json.dumps(Report.model_json_schema(), ensure_ascii=False, indent=1) + "\n")


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
