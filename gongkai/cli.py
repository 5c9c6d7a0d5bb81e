"""cli: a thin shell over parse / corpus / eval. Exit 2 with one line for unreadable input."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__, parse
from .corpus import evaluate, report_files, run
from .errors import GongkaiError
from .models import Report
from .report import summary


def _fail(message: str) -> None:
    click.echo(f"gongkai: {message}", err=True)
    sys.exit(2)


@click.group()
@click.version_option(__version__, prog_name="gongkai")
def main() -> None:
    """Read 政府信息公开工作年度报告 into typed numbers and findings."""


@main.command("parse")
@click.argument("files", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the whole Report as JSON.")
def parse_command(files: tuple[str, ...], as_json: bool) -> None:
    """Parse FILES and print a summary of each (or the Reports as JSON, one per line)."""
    for path in files:
        try:
            report = parse(path)
        except GongkaiError as exc:
            _fail(str(exc))
        if as_json:
            payload = json.loads(report.model_dump_json())
            payload["values"] = report.values()
            click.echo(json.dumps(payload, ensure_ascii=False))
        else:
            click.echo(summary(report))


@main.command("corpus")
@click.argument("paths", nargs=-1, required=True)
@click.option("--jobs", "-j", type=int, default=None, help="Worker processes (default: all cores).")
@click.option("--jsonl", is_flag=True, help="One JSON row per report instead of a table.")
@click.option("--html", "html_dir", metavar="DIR", help="Write a check page per report and DIR/index.html instead.")
def corpus_command(paths: tuple[str, ...], jobs: int | None, jsonl: bool, html_dir: str | None) -> None:
    """Parse every report under PATHS; one line (or JSON row) per report, failures included."""
    files = report_files(paths)
    if not files:
        _fail(f"no report files under {' '.join(paths)}")
    if html_dir:
        _corpus_pages(files, html_dir, jobs)
        return
    failed = 0
    for row in run(files, workers=jobs):
        if jsonl:
            click.echo(json.dumps(row, ensure_ascii=False, default=str))
            continue
        if row["error"]:
            failed += 1
            click.echo(f"{row['path']}\tERROR\t{row['error']}")
            continue
        filled = sum(v is not None for k, v in row.items() if "." in k and not k.startswith("meta."))
        click.echo(
            f"{row['path']}\t{row['meta.agency']}\t{row['meta.year']}\t{row['meta.template']}\t"
            f"sections={row['sections']}\tvalues={filled}\terrors={row['errors']}\tfindings={row['findings'] or '-'}"
        )
    if not jsonl:
        click.echo(f"{len(files)} reports, {failed} unreadable")


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
    try:
        report = parse(file)
    except GongkaiError as exc:
        _fail(str(exc))
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
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file: source and findings.")
@click.option("--html", "html_out", metavar="OUT.html", help="Also write the check page of FILE (one file) to OUT.html.")
def check_command(files: tuple[str, ...], as_json: bool, html_out: str | None) -> None:
    """Reconcile FILES: each finding with its page and source lines, a table cell by its row and
    column labels.

    Exit status 1 if any finding is an error, 0 otherwise, 2 for unreadable input.
    """
    if html_out and len(files) > 1:
        _fail("--html writes the page of one file; for many use `gongkai corpus PATH... --html DIR`")
    errors = 0
    for path in files:
        try:
            report = parse(path)
        except GongkaiError as exc:
            _fail(str(exc))
        errors += sum(f.severity == "error" for f in report.findings)
        if html_out:
            _write_page(report, html_out)
        if as_json:
            findings = [json.loads(f.model_dump_json()) for f in report.findings]
            for payload, f in zip(findings, report.findings):
                payload["surfaces"] = [s.of(report.text) for s in f.spans]
            click.echo(json.dumps({"source": path, "findings": findings}, ensure_ascii=False))
            continue
        click.echo(f"{path}: {len(report.findings)} findings")
        _echo_findings(report)
    sys.exit(1 if errors else 0)


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
