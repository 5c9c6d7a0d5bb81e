"""apidoc: docs/api.md, the API reference, generated from the docstrings of the public API.

The public API is what ``gongkai.__all__`` exports and the ``gongkai.spacy`` component; each
class, function and public method has a docstring with an example (a test runs them all and
keeps docs/api.md equal to ``python -m gongkai.apidoc``).
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from functools import cached_property
from importlib import import_module
from types import ModuleType
from typing import Any

from pydantic import BaseModel

HEAD = """# API reference

Generated from the docstrings by `python -m gongkai.apidoc > docs/api.md`; a test keeps this file
current and runs every example (from the project root, with `gongkai` imported; the PDF examples
need the shared corpus beside the checkout). The stages behind these are described in
[architecture.md](architecture.md); every key is in [fields.md](fields.md), every finding code
in [checks.md](checks.md).
"""

MODULES = {
    "gongkai": "Parsing and the models it returns",
    "gongkai.spacy": "spaCy component and training data (the `[spacy]` extra)",
}


def public(module: ModuleType) -> list[tuple[str, Any]]:
    """The documented objects of a module: its ``__all__``, else what it defines without an underscore."""
    names = getattr(module, "__all__", None) or [
        n for n, v in vars(module).items()
        if not n.startswith("_") and (inspect.isclass(v) or inspect.isfunction(v))
        and getattr(v, "__module__", None) == module.__name__
    ]
    return [(n, getattr(module, n)) for n in names if not n.startswith("__")]


def methods(cls: type) -> Iterator[tuple[str, Any]]:
    """A class's own public methods and properties (not those pydantic or object give it)."""
    for name, value in vars(cls).items():
        if name.startswith("_") or name in vars(BaseModel):
            continue
        if inspect.isfunction(value) or isinstance(value, (property, cached_property)):
            yield name, value


def objects(module_name: str | None = None) -> Iterator[tuple[str, Any]]:
    """Every documented object (of one module, or all) by its dotted name, in the reference's order."""
    for name_of_module in [module_name] if module_name else list(MODULES):
        module = import_module(name_of_module)
        for name, value in public(module):
            yield f"{name_of_module}.{name}", value
            if inspect.isclass(value):
                for method, member in methods(value):
                    yield f"{name_of_module}.{name}.{method}", member


def _signature(value: Any) -> str:
    """``(a: int, b: str = 'x') -> T`` as written in the source (annotations are strings here)."""
    if isinstance(value, (property, cached_property)):
        return " (property)"
    sig = inspect.signature(value)
    params = []
    for p in sig.parameters.values():
        text = p.name + (f": {p.annotation}" if p.annotation is not p.empty else "")
        params.append(text + (f" = {p.default!r}" if p.default is not p.empty else ""))
    returns = f" -> {sig.return_annotation}" if sig.return_annotation is not sig.empty else ""
    return f"({', '.join(params)}){returns}"


def _fields(cls: type[BaseModel]) -> str:
    rows = [f"| `{name}` | `{_type(info.annotation)}` | {info.description or ''} |"
            for name, info in cls.model_fields.items()]
    return "\n| field | type | description |\n|---|---|---|\n" + "\n".join(rows) + "\n"


def _type(annotation: Any) -> str:
    name = annotation.__name__ if isinstance(annotation, type) else str(annotation)
    return name.replace("typing.", "").replace("gongkai.models.", "").replace("|", "\\|")


def _fenced(doc: str) -> str:
    """A docstring with its examples (``>>>`` blocks up to a blank line) fenced as code."""
    out: list[str] = []
    in_example = False
    for line in doc.splitlines():
        if line.startswith(">>>") and not in_example:
            out.append("```pycon")
            in_example = True
        elif in_example and not line.strip():
            out.append("```")
            in_example = False
        out.append(line)
    return "\n".join(out + (["```"] if in_example else [])) + "\n"


def markdown() -> str:
    parts = [HEAD]
    for module_name, title in MODULES.items():
        parts.append(f"\n## `{module_name}` — {title}\n")
        for dotted, value in objects(module_name):
            level = "###" if dotted.count(".") == module_name.count(".") + 1 else "####"
            kind = "class " if inspect.isclass(value) else ""
            parts.append(f"\n{level} {kind}`{dotted}{'' if inspect.isclass(value) else _signature(value)}`\n\n")
            parts.append(_fenced(inspect.getdoc(value) or ""))
            if inspect.isclass(value) and issubclass(value, BaseModel):
                parts.append(_fields(value))
    return "".join(parts)


if __name__ == "__main__":
    print(markdown(), end="")
