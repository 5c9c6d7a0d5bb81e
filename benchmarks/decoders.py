"""gongkai's decoder against charset-normalizer on the corpus's texts, run by hand:

    python benchmarks/decoders.py      (charset-normalizer is optional)

Every .txt of corpus/ and ../shared/corpus, in the encodings reports come in (UTF-8, UTF-8
with BOM, GBK, GB18030, UTF-16 with and without BOM), clean and with one invalid byte in the
middle. A decode is correct when it gives the report's text (line ends normalised), U+FFFD
aside for the damaged copies. Prints, per decoder, the correct share per variant and the total
time. The figures are in docs/robustness.md.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gongkai.errors import GongkaiError  # noqa: E402
from gongkai.read import decode  # noqa: E402

FILES = sorted((ROOT / "corpus").glob("*.txt")) + sorted((ROOT.parent / "shared" / "corpus").rglob("*.txt"))
ENCODINGS = ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be"]
# An invalid unit in each encoding: a byte no UTF-8 or GB18030 sequence starts with; in UTF-16 a
# lone high surrogate.
BAD = {"utf-16": "\ud800".encode("utf-16-le", "surrogatepass"), "utf-16-le": "\ud800".encode("utf-16-le", "surrogatepass"),
       "utf-16-be": "\ud800".encode("utf-16-be", "surrogatepass")}


def variants(text: str) -> list[tuple[str, bytes]]:
    out = []
    for encoding in ENCODINGS:
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            continue  # GBK lacks a character of this text
        out.append((encoding, data))
        middle = len(text[: len(text) // 2].encode(encoding))  # between two characters
        out.append((f"{encoding}+bad byte", data[:middle] + BAD.get(encoding, b"\xff") + data[middle:]))
    return out


def normalizer(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return None if best is None else str(best)


def gongkai_decode(data: bytes) -> str | None:
    try:
        return decode(data)
    except GongkaiError:
        return None


def correct(decoded: str | None, text: str) -> bool:
    if decoded is None:
        return False
    decoded = decoded.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return decoded.replace("\ufffd", "") == text.replace("\r\n", "\n")


def main() -> None:
    decoders: dict[str, Callable[[bytes], str | None]] = {"gongkai": gongkai_decode}
    try:
        import charset_normalizer

        decoders[f"charset-normalizer {charset_normalizer.__version__}"] = normalizer
    except ImportError:
        print("charset-normalizer is not installed: gongkai alone")
    cases = [(name, data, text) for path in FILES for text in [path.read_text(encoding="utf-8")]
             for name, data in variants(text)]
    print(f"{len(FILES)} texts, {len(cases)} encoded copies")
    for label, decoder in decoders.items():
        right: dict[str, list[bool]] = {}
        start = time.perf_counter()
        for name, data, text in cases:
            right.setdefault(name, []).append(correct(decoder(data), text))
        seconds = time.perf_counter() - start
        total = sum(sum(r) for r in right.values())
        print(f"\n{label}: {total}/{len(cases)} correct, {seconds * 1000 / len(cases):.2f} ms per copy")
        for name, results in right.items():
            print(f"  {name:22} {sum(results)}/{len(results)}")


if __name__ == "__main__":
    main()
