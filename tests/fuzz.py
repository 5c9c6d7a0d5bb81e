"""Seeded byte-level damage of real files, for fuzzing the readers (tests/test_read_fuzz.py and
benchmarks/fuzz_readers.py): the same seed always gives the same damaged copies, so a failure
is reproduced from its name alone."""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable, Iterator

Mutation = Callable[[bytes, random.Random], bytes]


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data))]


def flip(data: bytes, rng: random.Random) -> bytes:
    """1–16 single bits flipped."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 16)):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def overwrite(data: bytes, rng: random.Random) -> bytes:
    """A run of 1–64 random bytes written over the data."""
    at = rng.randrange(len(data))
    chunk = rng.randbytes(rng.randint(1, 64))
    return data[:at] + chunk + data[at + len(chunk) :]


def insert(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + rng.randbytes(rng.randint(1, 256)) + data[at:]


def delete(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + data[at + rng.randint(1, 4096) :]


def duplicate(data: bytes, rng: random.Random) -> bytes:
    """A chunk of the file copied to another place in it (repeated objects, tags, headers)."""
    start = rng.randrange(len(data))
    chunk = data[start : start + rng.randint(1, 4096)]
    at = rng.randrange(len(data))
    return data[:at] + chunk + data[at:]


MUTATIONS: tuple[Mutation, ...] = (truncate, flip, overwrite, insert, delete, duplicate)


def damaged_copies(data: bytes, count: int, seed: int) -> Iterator[tuple[str, bytes]]:
    """``count`` damaged copies of ``data``, each named ``<mutation>#<seed>.<i>``."""
    for i in range(count):
        rng = random.Random(f"{seed}.{i}")
        mutation = MUTATIONS[i % len(MUTATIONS)]
        yield f"{mutation.__name__}#{seed}.{i}", mutation(data, rng)


def damaged_docx_parts(data: bytes, count: int, seed: int, part: str = "word/document.xml") -> Iterator[tuple[str, bytes]]:
    """Copies of a DOCX whose ``part`` is damaged inside an intact zip: the damage reaches the
    XML parser and the reader's walk, not only the zip's CRC check."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    for name, damaged in damaged_copies(entries[part], count, seed):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for filename, content in entries.items():
                archive.writestr(filename, damaged if filename == part else content)
        yield f"xml-{name}", out.getvalue()
