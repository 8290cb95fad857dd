"""``vnreport``: a thin command line over the library.

JSON goes to stdout, progress and messages to stderr. Exit codes: 0 all done, 1 some
files failed, 2 usage error or unreadable input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

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
    from .io.readers import read_document
    from .pipeline import Extractor

    if tone_style not in ("keep", "traditional", "modern"):
        _err(f"vnreport: --tone-style must be keep, traditional or modern, not {tone_style!r}")
        raise typer.Exit(2)
    try:
        decoded, src = read_document(file)
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
    inputs: list[str] = typer.Argument(..., help="Files, folders (recursive), glob patterns in quotes, or - for stdin."),
    out: Path = typer.Option(..., "-o", "--out", help="Output folder: NAME.json per input, manifest.jsonl, errors.jsonl."),
    jobs: int | None = typer.Option(None, "-j", "--jobs", help="Worker processes (default: the machine's cores)."),
    engine: str = typer.Option("local", "--engine", help="local | dask"),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786."),
    db: Path | None = typer.Option(None, "--db", help="Also write every report into this SQLite archive."),
    include: list[str] = typer.Option([], "--include", help="File-name pattern for folders, e.g. '*.htm*' (repeatable)."),
    stdin_format: str = typer.Option("txt", "--stdin-format", help="Format of -: txt | html | docx | jsonl"),
    force: bool = typer.Option(False, "--force", help="Redo inputs the manifest says are done."),
    no_model: bool = typer.Option(False, "--no-model", help="Label paragraphs by cue words only."),
    html: bool = typer.Option(False, "--html", help="Also write NAME.html per report and an index.html for the run."),
) -> None:
    """Extract many reports; a failing file is listed and the rest go on; re-runs skip finished inputs."""
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.table import Table
    from rich.text import Text

    from .batch import FileResult, run_batch, summarize
    from .engines import default_jobs

    if engine not in ("local", "dask"):
        _err(f"vnreport: --engine must be local or dask, not {engine!r}")
        raise typer.Exit(2)
    if scheduler and engine != "dask":
        _err("vnreport: --scheduler goes with --engine dask")
        raise typer.Exit(2)
    if stdin_format not in ("txt", "html", "docx", "jsonl"):
        _err(f"vnreport: --stdin-format must be txt, html, docx or jsonl, not {stdin_format!r}")
        raise typer.Exit(2)
    if jobs is not None and jobs < 1:
        _err("vnreport: -j must be 1 or more")
        raise typer.Exit(2)
    n_jobs = jobs or default_jobs()

    class Rate(ProgressColumn):
        """Documents per second, skipped ones not counted (they cost nothing)."""

        def render(self, task: Task) -> Text:
            worked = task.fields.get("worked", 0)
            elapsed = task.elapsed or 0.0
            return Text(f"{worked / elapsed:.1f} docs/s" if elapsed > 0 and worked else "- docs/s", style="cyan")

    console = Console(stderr=True)
    failed: list[FileResult] = []
    with Progress(TextColumn("[bold]extract"), BarColumn(), MofNCompleteColumn(), Rate(), TimeElapsedColumn(),
                  TextColumn("left"), TimeRemainingColumn(), console=console, transient=False) as progress:
        task = progress.add_task("extract", total=None, worked=0)

        def step(res: FileResult) -> None:
            if res.status == "failed":
                failed.append(res)
            worked = progress.tasks[0].fields.get("worked", 0) + (res.status != "skipped")
            progress.update(task, advance=1, worked=worked)

        try:
            results = run_batch(inputs, out, jobs=n_jobs, engine=engine, scheduler=scheduler, db=db,
                                use_model=not no_model, include=include, stdin_format=stdin_format, force=force,
                                on_result=step, on_total=lambda n: progress.update(task, total=n))
        except (OSError, RuntimeError, ValueError) as e:
            _err(f"vnreport: {e}")
            raise typer.Exit(2) from None
    summary = summarize(results)
    table = Table(title=f"vnreport batch -> {out}", show_header=True)
    table.add_column("")
    table.add_column("count", justify="right")
    for k in ("done", "skipped", "failed"):
        table.add_row(k, str(summary[k]), style="red" if k == "failed" and summary[k] else None)
    for label, n in sorted(summary["labels"].items()):
        table.add_row(f"label {label}", str(n))
    for enc, n in sorted(summary["encodings"].items()):  # legacy encodings stand out here
        table.add_row(f"read as {enc}", str(n))
    console.print(table)
    console.print(f"{summary['done']} done, {summary['skipped']} skipped, {len(failed)} failed -> {out}")
    for r in failed:  # a .jsonl line's error already starts with "line N:"
        console.print(f"[red]failed[/red] {escape(r.input)}: {escape(r.error or '')}", highlight=False)
    if html:
        from .review import write_index

        console.print(f"review pages -> {write_index(results, out)}")
    if failed:
        raise typer.Exit(1)


query_app = typer.Typer(add_completion=False, no_args_is_help=True,
                        help="Ask an archive made by `vnreport batch --db`.")
app.add_typer(query_app, name="query")

_DB = typer.Option(..., "--db", help="The SQLite archive (vnreport batch ... --db FILE).")
_FORMAT = typer.Option("table", "--format", "-f", help="table | json | csv")


def _answer(db: Path, fmt: str, ask: object, *args: str) -> None:
    """Run one query function and print its rows as a table (stderr-free), JSON or CSV."""
    from .archive import open_archive

    if fmt not in ("table", "json", "csv"):
        _err(f"vnreport: --format must be table, json or csv, not {fmt!r}")
        raise typer.Exit(2)
    try:
        conn = open_archive(db)
    except FileNotFoundError as e:
        _err(f"vnreport: {e}")
        raise typer.Exit(2) from None
    import sqlite3

    try:
        rows = ask(conn, *args)  # type: ignore[operator]
    except sqlite3.DatabaseError as e:
        _err(f"vnreport: {db}: not a vnreport archive or damaged ({e})")
        raise typer.Exit(2) from None
    finally:
        conn.close()
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    elif fmt == "csv":
        import csv

        cols = list(rows[0]) if rows else []
        w = csv.DictWriter(sys.stdout, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(show_lines=True)
        for c in (rows[0] if rows else ["(no rows)"]):
            table.add_column(str(c), overflow="fold")
        for r in rows:
            table.add_row(*("" if v is None else str(v) for v in r.values()))
        Console().print(table)
        _err(f"{len(rows)} rows")


@query_app.command("cites")
def query_cites(number: str = typer.Argument(..., help="A document number, e.g. 18-NQ/TW."),
                db: Path = _DB, fmt: str = _FORMAT) -> None:
    """Reports that cite a given document number."""
    from .archive import cites

    _answer(db, fmt, cites, number)


@query_app.command("directed")
def query_directed(person: str = typer.Argument(..., help="A person's name, e.g. 'Nguyễn Văn An'."),
                   db: Path = _DB, fmt: str = _FORMAT) -> None:
    """What a named person directed: the directive paragraphs attributed to them."""
    from .archive import directed

    _answer(db, fmt, directed, person)


@query_app.command("limitations")
def query_limitations(words: str = typer.Argument(..., help="A word or phrase, e.g. 'ngập úng'."),
                      db: Path = _DB, fmt: str = _FORMAT) -> None:
    """Limitation paragraphs mentioning a word or phrase (full-text search)."""
    from .archive import limitations

    _answer(db, fmt, limitations, words)


@query_app.command("search")
def query_search(words: str = typer.Argument(..., help="A word or phrase."),
                 db: Path = _DB, fmt: str = _FORMAT) -> None:
    """Any paragraph mentioning a word or phrase (full-text search)."""
    from .archive import search

    _answer(db, fmt, search, words)


@query_app.command("dates")
def query_dates(start: str = typer.Argument(..., help="First day, YYYY-MM-DD."),
                end: str = typer.Argument(..., help="Last day, YYYY-MM-DD."),
                db: Path = _DB, fmt: str = _FORMAT) -> None:
    """Reports whose event falls in a date range."""
    import re

    from .archive import in_range

    for d in (start, end):
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", d):
            _err(f"vnreport: dates are YYYY-MM-DD, not {d!r}")
            raise typer.Exit(2)
    _answer(db, fmt, in_range, start, end)


@app.command()
def schema() -> None:
    """Print the JSON Schema of a report."""
    from .schema import Report

    sys.stdout.write(json.dumps(Report.model_json_schema(), ensure_ascii=False, indent=1) + "\n")


from .cli_review import register as _register_review  # noqa: E402

_register_review(app)


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
