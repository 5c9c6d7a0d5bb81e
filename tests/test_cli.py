"""The CLI as a user runs it: summaries, JSON, exit status 2 for unreadable input."""

import json

import subprocess
import sys

from click.testing import CliRunner

from gongkai.cli import main
from conftest import CORPUS, SEEDS


def test_parse_summary():
    result = CliRunner().invoke(main, ["parse", str(SEEDS[1])])
    assert result.exit_code == 0
    assert "周村区投资促进中心" in result.output and "template_outdated" in result.output


def test_parse_json_is_the_whole_report():
    result = CliRunner().invoke(main, ["parse", "--json", str(SEEDS[0])])
    payload = json.loads(result.output)
    assert set(payload) >= {"meta", "values", "facts", "tables", "findings", "sections", "text"}
    assert payload["meta"]["agency"] == "济宁市投资促进局"


def test_missing_file_exits_2_with_one_line(tmp_path):
    result = CliRunner().invoke(main, ["parse", str(tmp_path / "absent.txt")])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "no such file" in result.output


def test_python_dash_m():
    out = subprocess.run([sys.executable, "-m", "gongkai", "parse", str(SEEDS[2])], capture_output=True, text=True)
    assert out.returncode == 0 and "汶上县投资促进服务中心" in out.stdout


def test_corpus_command_lists_every_report():
    result = CliRunner().invoke(main, ["corpus", "-j", "1", str(CORPUS)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split("\t")[:3] == ["report_id", "agency", "year"]  # the header row
    assert len(lines) == 1 + len(SEEDS) and "周村区投资促进中心" in result.stdout
    assert f"parsed {len(SEEDS)}, failed 0" in result.stderr
    assert "skipped: " in result.stderr and "README.md: a README" in result.stderr


def test_eval_prints_every_accuracy_row():
    from gongkai.corpus import evaluate

    result = CliRunner().invoke(main, ["eval", str(CORPUS)])
    assert result.exit_code == 0
    printed = {line.split()[0]: line.split()[1] for line in result.output.splitlines() if "%" in line}
    expected = {row: f"{ok}/{n}" for row, (ok, n) in evaluate(CORPUS).accuracy().items()}
    assert printed == expected
    assert {"all", "values_nonzero", "facts_keyed", "facts_other"} <= set(printed)


