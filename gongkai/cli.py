"""cli: a thin shell over parse / check / corpus / series / eval.

Exit status, worst of all files: 0 fine; 1 a report has an error finding (``check``,
``series``); 2 an input is unreadable or not a report (and usage errors); 3 gongkai itself
failed on a file (an exception, a worker killed or timed out) — a bug to report.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from . import __version__, parse
from .corpus import Failure, Summary, evaluate, list_files, parse_many, write
from .errors import GongkaiError
from .models import Report
from .report import summary

OK, FINDING_ERRORS, UNREADABLE, CRASHED = 0, 1, 2, 3


def _fail(message: str) -> None:
    click.echo(f"gongkai: {message}", err=True)
    sys.exit(UNREADABLE)


def _reports(files: tuple[str, ...], jobs: int | None = 1) -> Iterator[tuple[Report | None, int]]:
    """Each file's Report (None when it failed, said on stderr) with its exit status."""
    for path, result in zip(files, parse_many(files, workers=jobs)):
        if isinstance(result, Failure):
            click.echo(f"gongkai: {result.message}" if not result.crash else
                       f"gongkai: {path}: {result.error}: {result.message} (a bug: please report it)", err=True)
            yield None, CRASHED if result.crash else UNREADABLE
        else:
            yield result, OK


@click.group()
@click.version_option(__version__, prog_name="gongkai")
def main() -> None:
    """Read 政府信息公开工作年度报告 into typed numbers and findings."""


@main.command("parse")
@click.argument("files", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Each Report as one line of JSON (docs/data.md).")
def parse_command(files: tuple[str, ...], as_json: bool) -> None:
    """Parse FILES and print a summary of each (or each Report as JSON); a file that fails is
    said on stderr and the rest go on."""
    status = OK
    for report, code in _reports(files):
        status = max(status, code)
        if report is not None:
            click.echo(report.model_dump_json() if as_json else summary(report))
    sys.exit(status)


@main.command("corpus")
@click.argument("paths", nargs=-1, required=True)
@click.option("--output", "-o", type=click.Path(dir_okay=True), default=None,
              help="Write to out.parquet (a folder of parts), out.csv or out.jsonl instead of stdout.")
@click.option("--shape", type=click.Choice(["wide", "long"]), default="wide", show_default=True,
              help="Parquet/CSV: a row per report (wide) or per value (long).")
@click.option("--resume", is_flag=True, help="Complete an existing output: skip the files already in it.")
@click.option("--jobs", "-j", type=int, default=None, help="Worker processes (default: all cores).")
@click.option("--timeout", type=float, default=300.0, show_default=True,
              help="Seconds one file may take before its worker is stopped (an error row).")
@click.option("--scheduler", default=None, help="Address of a Dask scheduler to parse on (tcp://host:8786).")
@click.option("--jsonl", is_flag=True, help="Without -o: each Report as a JSON line on stdout.")
@click.option("--html", "html_dir", metavar="DIR", help="Write a check page per report and DIR/index.html instead.")
def corpus_command(paths: tuple[str, ...], output: str | None, shape: str, resume: bool, jobs: int | None,
                   timeout: float, scheduler: str | None, jsonl: bool, html_dir: str | None) -> None:
    """Parse every report under PATHS, one row per report, failures included as error rows.

    A progress bar on a terminal, a summary on stderr at the end; exit status 2 when a file could
    not be read, 3 when gongkai failed on one, 0 otherwise.
    """
    from tqdm import tqdm

    from .sinks import PrintSink, open_sink

    listing = list_files(paths)
    for path, why in listing.skipped:
        click.echo(f"skipped: {path}: {why}", err=True)
    if not listing.files:
        _fail(f"no report files under {' '.join(paths)}")
    if html_dir:
        _corpus_pages(listing.files, html_dir, jobs)
        return
    try:
        sink = open_sink(output, shape, resume) if output else PrintSink(click.echo, "json" if jsonl else "wide")
    except GongkaiError as exc:
        _fail(str(exc))
    todo = sum(f not in sink.done for f in listing.files)
    terminal = sys.stderr.isatty()
    width = (os.get_terminal_size(sys.stderr.fileno()).columns or 80) if terminal else None  # 0 on a bare pty
    with tqdm(total=todo, unit="report", file=sys.stderr, disable=not terminal, ncols=width) as bar:
        result = write(paths, sink, shape, workers=jobs, resume=resume, timeout=timeout, scheduler=scheduler,
                       progress=lambda _: bar.update(), listing=listing)
    _summarise(result)
    sys.exit(result.status)


def _summarise(result: Summary) -> None:
    for line in result.lines():
        click.echo(line, err=True)


def _corpus_pages(files: list[str], out_dir: str, jobs: int | None) -> None:
    from .display import write_corpus

    index = write_corpus(files, out_dir, workers=jobs)
    click.echo(f"{len(files)} reports: {index}")


@main.command("show")
@click.argument("file")
@click.option("--page", "-p", "page", type=int, required=True, help="1-based page of the PDF.")
@click.option("--output", "-o", "out", required=True, metavar="PAGE.png", help="Where to write the image.")
@click.option("--scale", type=float, default=2.0, show_default=True, help="Pixels per point.")
def show_command(file: str, page: int, out: str, scale: float) -> None:
    """Render PAGE of a PDF report to an image with what gongkai read outlined: table cells in
    blue, narrative facts in green, the cells and facts a finding names in red."""
    try:
        parse(file).page_image(page, scale).save(out)
    except GongkaiError as exc:
        _fail(str(exc))
    click.echo(f"wrote {out}", err=True)


@main.command("explain")
@click.argument("file")
def explain_command(file: str) -> None:
    """Each narrative fact of FILE with its rule id and the source line, the match highlighted."""
    report, status = next(_reports((file,)))
    if report is None:
        sys.exit(status)
    for i, f in enumerate(report.facts):
        extras = [f"~{f.value}" if f.approximate else "", f"{f.percent}%" if f.percent is not None else "",
                  f"parent #{f.parent}" if f.parent is not None else "", f"subject={f.subject}" if f.subject else ""]
        click.echo(f"#{i} {f.key} = {f.value}{f.unit}  [{f.rule_id}] ({f.section}) {' '.join(e for e in extras if e)}")
        click.echo(f"    {_marked_line(report.text, f.span)}{_on_page(f.page)}")
    if not report.facts:
        click.echo("no narrative facts")
    if report.findings:
        click.echo(f"{len(report.findings)} findings:")
        _echo_findings(report)


_CONTEXT = 60  # characters shown on each side of a span when its line is longer


def _marked_line(text: str, span) -> str:
    """The source line(s) around a span, the span in brackets (highlighted on a terminal); a
    long line (crawler text is often one line) is cut to some context on each side."""
    start = max(text.rfind("\n", 0, span.start) + 1, span.start - _CONTEXT)
    end = text.find("\n", span.end)
    end = min(len(text) if end < 0 else end, span.end + _CONTEXT)
    before = ("…" if start > 0 and text[start - 1] != "\n" else "") + text[start : span.start]
    after = text[span.end : end] + ("…" if end < len(text) and text[end] != "\n" else "")
    marked = before + click.style(f"[{span.of(text)}]", fg="red", bold=True) + after
    return marked.replace("\n", " ").strip()


@main.command("check")
@click.argument("files", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Each Report as one line of JSON, as parse --json.")
@click.option("--html", "html_out", metavar="OUT.html", help="Also write the check page of FILE (one file) to OUT.html.")
def check_command(files: tuple[str, ...], as_json: bool, html_out: str | None) -> None:
    """Reconcile FILES: each finding with its page and source lines, a table cell by its row and
    column labels.

    Exit status 1 if any finding is an error, 2 for an unreadable input, 3 if gongkai failed on
    one (the worst of all files); 0 otherwise. A file that fails does not stop the others.
    """
    if html_out and len(files) > 1:
        _fail("--html writes the page of one file; for many use `gongkai corpus PATH... --html DIR`")
    status = OK
    for report, code in _reports(files):
        status = max(status, code)
        if report is None:
            continue
        if any(f.severity == "error" for f in report.findings):
            status = max(status, FINDING_ERRORS)
        if html_out:
            _write_page(report, html_out)
        if as_json:
            click.echo(report.model_dump_json())
            continue
        click.echo(f"{report.source}: {len(report.findings)} findings")
        _echo_findings(report)
    sys.exit(status)


@main.command("series")
@click.argument("paths", nargs=-1, required=True)
@click.option("--jobs", "-j", type=int, default=None, help="Worker processes for report files (default: all cores).")
def series_command(paths: tuple[str, ...], jobs: int | None) -> None:
    """Cross-year checks per agency over PATHS: report files and folders, or the .jsonl output of
    ``gongkai corpus -o out.jsonl``. Reports are grouped by agency (names normalised: see
    docs/panel.md) and ordered by year; exit status 1 if any finding is an error."""
    from .harmonise import group_by_agency
    from .reconcile import reconcile_series

    status, reports = OK, []
    for path in paths:
        if path.endswith(".jsonl"):
            reports += _load_jsonl(path)
            continue
        for report, code in _reports(tuple(list_files([path]).files), jobs):
            status = max(status, code)
            reports += [report] if report is not None else []
    for key, group in group_by_agency(reports).items():
        years = ", ".join(str(r.meta.year) for r in group)
        click.echo(f"{key}: {years}")
        for f in reconcile_series(group):
            status = max(status, FINDING_ERRORS if f.severity == "error" else OK)
            click.echo(f"  [{f.severity}] {f.code}: {f.message}")
    sys.exit(status)


def _load_jsonl(path: str) -> list[Report]:
    """The Reports of a ``gongkai corpus`` JSONL output (its error lines left out)."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            data = json.loads(line) if line.strip() else {}
            if "meta" in data:  # a Report, not a failed file's line
                out.append(Report.model_validate(data))
    return out


def _echo_findings(report: Report) -> None:
    """Each finding with its page, then each place it points at: a table cell by its printed
    row and column labels, any other span by its source line with the span marked."""
    for f in report.findings:
        click.echo(f"  [{f.severity}] {f.code}: {f.message}{_on_page(f.page)}")
        for span in f.spans:
            cell = report.cell_at(span)
            where = _on_page(report.page_of(span.start))
            if cell is not None:
                labels = " × ".join(x for x in (cell.row, cell.column) if x)
                click.echo(f"      {labels} ({cell.key}) = {click.style(cell.raw, fg='red', bold=True)}{where}")
            else:
                click.echo(f"      {_marked_line(report.text, span)}{where}")


def _on_page(page: int | None) -> str:
    return f"  (p.{page})" if page is not None else ""


def _write_page(report: Report, out: str) -> None:
    Path(out).write_text(report.to_html(), encoding="utf-8")
    click.echo(f"wrote {out}", err=True)


@main.command("eval")
@click.argument("gold_dir", default="corpus")
@click.option("--verbose", "-v", is_flag=True, help="List every differing field.")
def eval_command(gold_dir: str, verbose: bool) -> None:
    """Compare parses with the hand-checked gold in GOLD_DIR/gold/*.json; per-field accuracy,
    non-zero values and keyed facts apart; a known failure counts as not matched."""
    result = evaluate(gold_dir)
    if not result.comparisons and not result.errors:
        _fail(f"no gold files (or no sources found) under {gold_dir}")
    for row, (ok, n) in result.accuracy().items():  # the groups, all, then the rows that cannot flatter
        click.echo(f"{row:<14} {ok:>6}/{n:<6} {100 * ok / n:6.2f}%")
    for line in result.skipped:
        click.echo(f"skipped: {line}")
    for line in result.errors:
        click.echo(f"error:   {line}")
    for c in result.comparisons if verbose else []:
        if not c.ok:
            note = f"  (known: {c.known_failure})" if c.known_failure else ""
            click.echo(f"{c.gold_id} [{c.source}] {c.field}: expected {c.expected!r}, got {c.actual!r}{note}")
