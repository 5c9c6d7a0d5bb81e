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


# --- damage to a report's text (tests/test_robustness.py, benchmarks/fuzz_text.py) ----------------

TextMutation = Callable[[str, random.Random], str]
# What a damaged text dump is made of: its own characters, digits, the separators of every layout,
# and the marks a decoder leaves (U+FFFD, NUL).
_NOISE = "0123456789０１２３\t\n |\u3000、，。：（）一二三四五六七八九十件条—/-\ufffd\x00"


def cut_span(text: str, rng: random.Random) -> str:
    """1–200 characters deleted."""
    at = rng.randrange(len(text))
    return text[:at] + text[at + rng.randint(1, 200) :]


def copy_span(text: str, rng: random.Random) -> str:
    """1–400 characters copied to another place."""
    at, to = rng.randrange(len(text)), rng.randrange(len(text))
    return text[:to] + text[at : at + rng.randint(1, 400)] + text[to:]


def noise(text: str, rng: random.Random) -> str:
    """1–32 characters of digits, separators and decoder marks inserted at random places."""
    out = list(text)
    for _ in range(rng.randint(1, 32)):
        out.insert(rng.randrange(len(out) + 1), rng.choice(_NOISE))
    return "".join(out)


def swap_lines(text: str, rng: random.Random) -> str:
    """Two lines swapped, 1–8 times: rows and headings out of order."""
    lines = text.split("\n")
    for _ in range(rng.randint(1, 8)):
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def digits(text: str, rng: random.Random) -> str:
    """1–10 digits changed to other digits."""
    places = [i for i, ch in enumerate(text) if ch.isdigit()]
    out = list(text)
    for i in rng.sample(places, min(len(places), rng.randint(1, 10))):
        out[i] = rng.choice("0123456789")
    return "".join(out)


def join_lines(text: str, rng: random.Random) -> str:
    """Line breaks dropped (1–50, or all): a crawler's one-line text."""
    if rng.random() < 0.2:
        return text.replace("\n", "")
    breaks = [i for i, ch in enumerate(text) if ch == "\n"]
    drop = set(rng.sample(breaks, min(len(breaks), rng.randint(1, 50))))
    return "".join(ch for i, ch in enumerate(text) if i not in drop)


def break_lines(text: str, rng: random.Random) -> str:
    """1–50 line breaks inserted inside lines: cells and labels wrapped."""
    out = list(text)
    for _ in range(rng.randint(1, 50)):
        out.insert(rng.randrange(len(out) + 1), "\n")
    return "".join(out)


TEXT_MUTATIONS: tuple[TextMutation, ...] = (cut_span, copy_span, noise, swap_lines, digits, join_lines, break_lines)


def mutated_texts(text: str, count: int, seed: int) -> Iterator[tuple[str, str]]:
    """``count`` damaged copies of a report's text, each named ``<mutation>#<seed>.<i>``."""
    for i in range(count):
        rng = random.Random(f"text.{seed}.{i}")
        mutation = TEXT_MUTATIONS[i % len(TEXT_MUTATIONS)]
        yield f"{mutation.__name__}#{seed}.{i}", mutation(text, rng) if text else text


# --- the loop a fuzzing child runs (benchmarks/fuzz_readers.py, benchmarks/fuzz_text.py) ------------


def run_cases(cases: Iterator[tuple[str, object]], call: Callable[[str, object], str], start: int, seconds: int) -> None:
    """Run ``call(name, case)`` for each case from number ``start`` on, printing one JSON line
    before it (so a crash names its case) and one with its outcome and time after: the name of
    what it returned or raised; ``HANG`` past ``seconds``; ``ESCAPED …`` for any exception
    that is not a GongkaiError."""
    import json
    import signal
    import time

    from gongkai.errors import GongkaiError

    def timeout(*_):
        raise TimeoutError

    signal.signal(signal.SIGALRM, timeout)
    for i, (name, case) in enumerate(cases):
        if i < start:
            continue
        print(json.dumps({"case": i, "name": name}), flush=True)
        began = time.perf_counter()
        signal.alarm(seconds)
        try:
            outcome = call(name, case)
        except GongkaiError as exc:
            outcome = type(exc).__name__
        except TimeoutError:
            outcome = "HANG"
        except Exception as exc:  # noqa: BLE001 - what the fuzzing is looking for
            outcome = f"ESCAPED {type(exc).__name__}: {str(exc)[:120]}"
        finally:
            signal.alarm(0)
        print(json.dumps({"case": i, "name": name, "outcome": outcome, "ms": (time.perf_counter() - began) * 1000}),
              flush=True)
