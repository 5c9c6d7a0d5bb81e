"""Corpus runs (issues 12 and 13): progress on a terminal, resume after a kill, exit status,
failures of every kind as error rows, and parse/check going on past a bad file."""

import json
import os
import re
import faulthandler
import fcntl
import pty
import shutil
import signal
import struct
import termios
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import gongkai
from conftest import ROOT, SEEDS, SHARED
from gongkai.cli import main
from gongkai.corpus import Failure, imap

POEM = "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。\n"


@pytest.fixture
def reports(tmp_path) -> Path:
    """A folder of 60 report files (the seeds under other names), a poem and a .doc."""
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(12):
        for seed in SEEDS:
            shutil.copy(seed, folder / f"{i:02d}-{seed.name}")
    (folder / "poem.txt").write_text(POEM, encoding="utf-8")
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    return folder


def _run(args, slow=0.0, batch=None, **kwargs):
    """`gongkai ARGS` in a fresh process; ``slow`` seconds added to each file, ``batch`` rows
    per CSV/Parquet write (so that a kill can land between writes)."""
    code = "import sys, time, gongkai.corpus as c, gongkai.sinks as s\n"
    if batch:
        code += f"s._BATCH_ROWS = {batch}\n"
    if slow:
        code += f"parse = c._parse\nc._parse = lambda p: (time.sleep({slow}), parse(p))[1]\n"
    code += "from gongkai.cli import main\nmain()\n"
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], cwd=ROOT, start_new_session=True, **kwargs)


def _ids(output: Path) -> list[str]:
    if output.suffix == ".jsonl":
        return [json.loads(line)["source"] for line in output.read_text(encoding="utf-8").splitlines()]
    from gongkai.frames import read

    return list(read(output, shape="long" if "long" in output.name else "wide").report_id.drop_duplicates()) \
        if "long" in output.name else list(read(output).report_id)


def _written(output: Path) -> bool:
    """Some of the run is on disk: a Parquet part, a CSV batch, JSON lines."""
    if output.suffix == ".parquet":
        return any(output.glob("part-*.parquet"))
    if output.suffix == ".csv":
        return output.with_name(output.name + ".offset").exists()
    return output.exists() and output.read_text(encoding="utf-8").count("\n") >= 3


@pytest.mark.parametrize("name", ["out.parquet", "out.csv", "out-long.csv", "out.jsonl"])
def test_resume_after_a_kill_loses_and_duplicates_nothing(reports, tmp_path, name):
    output = tmp_path / name
    shape = ["--shape", "long"] if "long" in name else []
    run = _run(["corpus", reports, "-o", output, "-j", "2", *shape], slow=0.05, batch=4,
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not _written(output) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert run.poll() is None, "the run ended before it could be killed"
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    before = _ids(output) if output.exists() else []
    assert 0 < len(set(before)) < 61  # killed part-way
    done = _run(["corpus", reports, "-o", output, "-j", "2", "--resume", *shape],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, err = done.communicate(timeout=120)
    assert done.returncode == 2, err  # the poem is not a report
    ids = _ids(output)
    assert len(ids) == len(set(ids)) == 61, "a file lost or written twice"
    kept = int(re.search(r"\(\+(\d+) already in the output\)", err).group(1))
    assert 0 < kept <= len(set(before))  # what the killed run finished (a half-written batch is redone)
    if name == "out-long.csv":  # every report whole: as many rows as a run that was never killed
        from gongkai.frames import read

        long = read(output, shape="long")
        one = long[long.report_id.str.endswith("00-" + SEEDS[0].name)]
        assert len(one) == len(gongkai.frame(SEEDS[0], shape="long"))


def test_a_partial_last_line_or_batch_is_cut_on_resume(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in SEEDS[:3]:
        shutil.copy(seed, folder / seed.name)
    jsonl, csv = tmp_path / "out.jsonl", tmp_path / "out.csv"
    runner = CliRunner()
    assert runner.invoke(main, ["corpus", str(folder), "-o", str(jsonl), "-j", "1"]).exit_code == 0
    assert runner.invoke(main, ["corpus", str(folder), "-o", str(csv), "-j", "1"]).exit_code == 0
    lines = jsonl.read_text(encoding="utf-8").splitlines(keepends=True)
    jsonl.write_text("".join(lines[:2]) + lines[2][:100], encoding="utf-8")  # killed inside line 3
    whole = csv.stat().st_size
    with open(csv, "a", encoding="utf-8") as f:  # killed inside a batch
        f.write('"' + str(folder / "x.txt") + '","half a row')
    csv.with_name("out.csv.offset").write_text(str(whole))
    for output in (jsonl, csv):
        result = runner.invoke(main, ["corpus", str(folder), "-o", str(output), "-j", "1", "--resume"])
        assert result.exit_code == 0, result.stderr
        assert sorted(_ids(output)) == sorted(str(folder / s.name) for s in SEEDS[:3])
    assert not csv.with_name("out.csv.offset").exists()


def test_an_existing_output_is_not_overwritten(tmp_path):
    output = tmp_path / "out.csv"
    output.write_text("mine\n")
    result = CliRunner().invoke(main, ["corpus", str(SEEDS[0]), "-o", str(output)])
    assert result.exit_code == 2 and "--resume" in result.stderr and output.read_text() == "mine\n"


def test_progress_bar_on_a_terminal_and_quiet_when_piped(reports, tmp_path):
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a terminal 100 wide
    run = _run(["corpus", reports, "-o", tmp_path / "a.parquet", "-j", "2"], stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the terminal closed: the run is over
            break
        if not chunk:
            break
        seen += chunk
    run.wait()
    text = seen.decode("utf-8", "replace")
    assert "100%" in text and "61/61" in text and "report/s" in text
    piped = _run(["corpus", reports, "-o", tmp_path / "b.parquet", "-j", "2"], stdout=subprocess.DEVNULL,
                 stderr=subprocess.PIPE, text=True)
    _, err = piped.communicate(timeout=120)
    assert "%|" not in err and "parsed 60, failed 1, skipped 1" in err


def test_summary_and_exit_status_when_a_file_is_not_a_report(reports, tmp_path):
    output = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["corpus", str(reports), "-o", str(output), "-j", "2"])
    assert result.exit_code == 2
    assert "parsed 60, failed 1, skipped 1" in result.stderr
    assert "NotAReportError" in result.stderr and "finding" in result.stderr and "template_outdated" in result.stderr
    assert f"skipped: {reports / 'old.doc'}: .doc is not read directly" in result.stderr
    errors = [json.loads(x) for x in output.read_text(encoding="utf-8").splitlines() if '"error_type"' in x[:300]]
    assert [(e["source"], e["error_type"]) for e in errors] == [(str(reports / "poem.txt"), "NotAReportError")]


def test_every_file_fine_exits_0_and_a_crash_exits_3(monkeypatch, tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["corpus", str(SEEDS[0]), str(SEEDS[1]), "-o", str(tmp_path / "a.csv")]).exit_code == 0
    import gongkai.corpus as corpus

    parse = corpus._parse
    monkeypatch.setattr(corpus, "_parse", lambda p: 1 / 0 if p == str(SEEDS[1]) else parse(p))
    result = runner.invoke(main, ["corpus", *map(str, SEEDS), "-o", str(tmp_path / "b.csv"), "-j", "2"])
    assert result.exit_code == 3, result.stderr
    assert "crashed      1  ZeroDivisionError" in result.stderr
    from gongkai.frames import read

    wide = read(tmp_path / "b.csv")
    assert list(wide.error_type.fillna("-")) == ["-", "ZeroDivisionError", "-", "-", "-"]
    assert wide.agency.iloc[0] == "济宁市投资促进局"


def _flaky(path: str):
    """A parse that fails in every way a worker can: a test hook for the pool."""
    name = Path(path).name
    if name == "exit":
        os._exit(7)
    if name == "segfault":
        faulthandler.disable()  # pytest's would print the stack of the forked worker
        os.kill(os.getpid(), signal.SIGSEGV)
    if name == "oom":
        os.kill(os.getpid(), signal.SIGKILL)
    if name == "hang":
        time.sleep(60)
    if name == "bug":
        raise IndexError("a bug")
    return gongkai.parse(path)


def test_worker_deaths_timeouts_and_bugs_become_failures_in_input_order():
    paths = [str(SEEDS[0]), "exit", str(SEEDS[1]), "segfault", "oom", "hang", "bug", "missing.txt", str(SEEDS[2])]
    out = list(imap(_flaky, paths, workers=2, timeout=3))
    assert [getattr(r, "source", None) or r.source for r in out] == paths
    kinds = [(r.error, r.crash) if isinstance(r, Failure) else r.meta.agency for r in out]
    assert kinds == ["济宁市投资促进局", ("WorkerCrashed", True), "周村区投资促进中心", ("WorkerCrashed", True),
                     ("WorkerCrashed", True), ("Timeout", True), ("IndexError", True),
                     ("FileNotReadableError", False), "汶上县投资促进服务中心"]
    assert "SIGSEGV" in out[3].message and "SIGKILL" in out[4].message and "status 7" in out[1].message


def test_parse_many_yields_in_input_order_with_failures(tmp_path):
    poem = tmp_path / "poem.txt"
    poem.write_text(POEM, encoding="utf-8")
    out = list(gongkai.parse_many([SEEDS[2], poem, SEEDS[0], SEEDS[1]], workers=2))
    assert [r.meta.year if isinstance(r, gongkai.Report) else r.error for r in out] == [2024, "NotAReportError", 2023, 2023]


def test_parse_and_check_go_on_past_a_bad_file_and_exit_with_the_worst(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["parse", str(SEEDS[0]), str(tmp_path / "absent.txt"), str(SEEDS[1])])
    assert result.exit_code == 2
    assert "济宁市投资促进局" in result.stdout and "周村区投资促进中心" in result.stdout
    assert "no such file" in result.stderr
    assert runner.invoke(main, ["check", str(SEEDS[4])]).exit_code == 1  # section_missing is an error
    assert runner.invoke(main, ["check", str(SEEDS[4]), str(tmp_path / "absent.txt")]).exit_code == 2
    assert runner.invoke(main, ["check", str(SEEDS[0])]).exit_code == 0


def test_one_json_shape_for_parse_check_and_corpus(tmp_path):
    runner = CliRunner()
    parsed = runner.invoke(main, ["parse", "--json", str(SEEDS[0])]).stdout
    checked = runner.invoke(main, ["check", "--json", str(SEEDS[0])]).stdout
    streamed = runner.invoke(main, ["corpus", "--jsonl", "-j", "1", str(SEEDS[0])]).stdout
    assert parsed == checked == streamed
    assert gongkai.Report.model_validate_json(parsed) == gongkai.parse(SEEDS[0])


def test_series_command_over_a_corpus_output(tmp_path):
    if not SHARED.exists():
        pytest.skip("../shared is absent")
    output = tmp_path / "out.jsonl"
    runner = CliRunner()
    files = [SHARED / "pdf/huaian-hongze-2024.pdf", SHARED / "pdf/huaian-hongze-2023.pdf", SEEDS[0]]
    assert runner.invoke(main, ["corpus", *map(str, files), "-o", str(output), "-j", "2"]).exit_code == 0
    result = runner.invoke(main, ["series", str(output)])
    assert result.exit_code == 0
    assert "洪泽区: 2023, 2024" in result.stdout
    assert "series_repeated_text: 叙述内容28%与2023年度报告相同或近似" in result.stdout
