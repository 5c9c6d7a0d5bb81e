"""cli: a thin shell over parse / corpus / eval. Exit 2 with one line for unreadable input."""

from __future__ import annotations

import json
import sys

import click

from . import __version__, parse
from .corpus import evaluate, report_files, run
from .errors import GongkaiError
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
def corpus_command(paths: tuple[str, ...], jobs: int | None, jsonl: bool) -> None:
    """Parse every report under PATHS; one line (or JSON row) per report, failures included."""
    files = report_files(paths)
    if not files:
        _fail(f"no report files under {' '.join(paths)}")
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


@main.command("eval")
@click.argument("gold_dir", default="corpus")
@click.option("--verbose", "-v", is_flag=True, help="List every differing field.")
def eval_command(gold_dir: str, verbose: bool) -> None:
    """Compare parses with the hand-checked gold in GOLD_DIR/gold/*.json; per-field accuracy."""
    result = evaluate(gold_dir)
    if not result.comparisons and not result.errors:
        _fail(f"no gold files (or no sources found) under {gold_dir}")
    total_ok = total = 0
    for group, (ok, n) in sorted(result.accuracy().items()):
        click.echo(f"{group:<10} {ok:>6}/{n:<6} {100 * ok / n:6.2f}%")
        total_ok += ok
        total += n
    if total:
        click.echo(f"{'all':<10} {total_ok:>6}/{total:<6} {100 * total_ok / total:6.2f}%")
    for line in result.skipped:
        click.echo(f"skipped: {line}")
    for line in result.errors:
        click.echo(f"error:   {line}")
    for c in result.comparisons if verbose else []:
        if not c.ok:
            note = f"  (known: {c.known_failure})" if c.known_failure else ""
            click.echo(f"{c.gold_id} [{c.source}] {c.field}: expected {c.expected!r}, got {c.actual!r}{note}")
