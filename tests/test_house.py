"""House rules: language lives in rule files; importing gongkai stays light."""

import re
import subprocess
import sys
from pathlib import Path

import gongkai

PACKAGE = Path(gongkai.__file__).parent
CJK = re.compile(r"[\u4e00-\u9fff]")


def _code_lines(path: Path):
    """Lines of code outside docstrings and comments."""
    in_doc = False
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        stripped = line.strip()
        quotes = stripped.count('"""')
        if in_doc:
            in_doc = quotes % 2 == 0
            continue
        if stripped.startswith('"""'):
            in_doc = quotes == 1
            continue
        yield n, line.split("#", 1)[0]


# The one allowed place: pydantic Field descriptions repeat the official Chinese label.
ALLOWED = re.compile(r"description=")


def test_no_chinese_literals_in_code():
    offenders = [
        f"{p.relative_to(PACKAGE)}:{n}"
        for p in PACKAGE.rglob("*.py")
        for n, code in _code_lines(p)
        if CJK.search(code) and not ALLOWED.search(code)
    ]
    assert not offenders, f"Chinese vocabulary belongs in gongkai/rules/*.toml: {offenders}"


def test_import_does_not_load_jieba_or_heavy_readers():
    code = "import sys, gongkai; print(sorted(m for m in ('jieba','pdfplumber','pypdfium2','docx','pandas','dask') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
