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
    heavy = "('jieba','pdfplumber','pypdfium2','docx','pandas','dask','spacy','PIL')"
    code = f"import sys, gongkai; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_package_type_checks():
    """mypy, configured in pyproject.toml, finds nothing (issue 10: part of the test command)."""
    root = PACKAGE.parent
    out = subprocess.run([sys.executable, "-m", "mypy"], cwd=root, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_every_dependency_is_imported():
    """A dependency in pyproject is one the code imports (the test tools aside)."""
    import tomllib

    project = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = list(project["dependencies"])
    names += [d for extra, deps in project["optional-dependencies"].items() if extra != "test" for d in deps]
    modules = {"python-docx": "docx", "dask[dataframe]": "dask", "pillow": "PIL"}
    code = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py"))
    for spec in names:
        name = re.split(r"[<>=!~ ]", spec, maxsplit=1)[0]
        if name.startswith("gongkai"):
            continue
        module = modules.get(name, name).replace("-", "_")
        assert re.search(rf"^\s*(?:import|from) {module}\b", code, re.M) or f'"{module}"' in code, f"{name} is never imported"
