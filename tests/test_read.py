"""Decoding: strict attempts in order, BOMs honoured, junk refused with a typed error."""

import pytest

import gongkai
from gongkai.errors import EmptyInputError, EncodingError, FileNotReadableError, UnsupportedFormatError
from gongkai.read import OffsetText, decode, fold
from conftest import SEEDS

TEXT = SEEDS[0].read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_encodings_give_the_same_report(tmp_path, encoding):
    path = tmp_path / f"r-{encoding}.txt"
    path.write_bytes(TEXT.encode(encoding))
    r = gongkai.parse(path)
    assert r.text == TEXT
    assert r.meta.agency == "济宁市投资促进局"


def test_gbk_is_not_mistaken_for_utf8():
    data = "济宁市投资促进局2023年政府信息公开工作年度报告".encode("gbk")
    assert decode(data).startswith("济宁市投资促进局")


@pytest.mark.parametrize("data,error", [
    (b"", EmptyInputError),
    (b"   \n\n", EmptyInputError),
    (bytes(range(256)) * 40, EncodingError),
    (b"\x00\x01\x02binary\x00junk" * 100, EncodingError),
])
def test_bad_bytes(tmp_path, data, error):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(error):
        gongkai.parse(path)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(FileNotReadableError, match="no such file"):
        gongkai.parse(tmp_path / "absent.txt")
    with pytest.raises(FileNotReadableError, match="directory"):
        gongkai.parse(tmp_path)


@pytest.mark.parametrize("suffix", [".doc", ".wps", ".ofd", ".png"])
def test_unsupported_formats_say_how_to_convert(tmp_path, suffix):
    path = tmp_path / f"report{suffix}"
    path.write_bytes(b"whatever")
    with pytest.raises(UnsupportedFormatError, match="convert|OCR|PDF"):
        gongkai.parse(path)


def test_fold_keeps_length_and_offsets():
    text = "主动公开政府信息数２０６条[bookmark: _x]“三安全一稳定”"
    folded = fold(text)
    assert len(folded) == len(text)
    assert "206条" in folded and "bookmark" not in folded and '"三安全一稳定"' in folded


def test_offset_text_maps_back():
    import regex

    text = "主动公开政府\n信息 1136 条"
    joined = OffsetText.dropping(text, regex.compile(r"\n"))
    assert joined.text == "主动公开政府信息 1136 条"
    start = joined.text.index("1136")
    span = joined.span(start, start + 4)
    assert text[span.start : span.end] == "1136"
