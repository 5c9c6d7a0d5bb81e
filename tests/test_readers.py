"""PDF, DOCX and HTML give the Report the text path gives; bad input gives a typed error.

The DOCX and HTML files are built here from seed 002 (汶上县投资促进服务中心 2024): its
paragraphs, and its three tables rebuilt as real tables with the official merged cells
(gridSpan/vMerge in DOCX, rowspan/colspan in HTML) holding the seed's own numbers. The real
PDFs and the web page under ../shared are checked against their hand-checked gold.
"""

from __future__ import annotations

import io
import json
import sys

import pytest

import gongkai
from gongkai.errors import (
    CorruptFileError, EmptyInputError, EncodingError, EncryptedFileError, FileNotReadableError, GongkaiError,
    InputTooLargeError, MissingExtraError, NoTextLayerError, UnsupportedFormatError,
)
from gongkai.read import MAX_BYTES, cell_text, read
from gongkai.read_html import html_tables
from conftest import CORPUS, SEEDS, pdf_of, shared, zip_of

SEED = next(p for p in SEEDS if p.name.startswith("002_"))
SEED_TEXT = SEED.read_text(encoding="utf-8")


# ---------------------------------------------------------------- seed 002 as paragraphs + tables

def _seed_numbers() -> list[str]:
    """The seed's table numbers in reading order (its dump writes one cell per tab line)."""
    return [line.strip() for line in SEED_TEXT.splitlines() if line.startswith("\t") and line.strip().isdigit()]


def _seed_paragraphs() -> tuple[list[str], ...]:
    """The seed's narrative lines before table 2, between tables 2/3 and 3/4, and after table 4."""
    lines = SEED_TEXT.splitlines()
    kept: list[list[str]] = [[]]
    in_table = False
    for i, line in enumerate(lines):
        if line.startswith("\t"):
            in_table = True
            continue
        glued = i > 0 and lines[i - 1].startswith("\t")  # a cell's second line in the dump
        if not line.strip() or glued:
            continue
        if in_table:
            kept.append([])
            in_table = False
        kept[-1].append(line)
    assert len(kept) == 4, f"seed 002 has three tables: {[k[:1] for k in kept]}"
    return tuple(kept)


# A table as cells: (row, col, rowspan, colspan, text). Layouts are the official 2021 ones.
Cell = tuple[int, int, int, int, str]


def table2(numbers: list[str]) -> list[Cell]:
    n = iter(numbers)
    cells: list[Cell] = []
    row = 0

    def add(*items: Cell) -> None:
        cells.extend(items)

    for item, head, labels in (
        ("（一）", ["本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "行政规范性文件"]),
        ("（五）", ["本年处理决定数量"], ["行政许可"]),
        ("（六）", ["本年处理决定数量"], ["行政处罚", "行政强制"]),
        ("（八）", ["本年收费金额（单位：万元）"], ["行政事业性收费"]),
    ):
        add((row, 0, 1, 4, f"第二十条第{item}项"))
        row += 1
        add((row, 0, 1, 1, "信息内容"))
        if len(head) == 3:
            add(*[(row, 1 + k, 1, 1, h) for k, h in enumerate(head)])
        else:
            add((row, 1, 1, 3, head[0]))
        row += 1
        for label in labels:
            add((row, 0, 1, 1, label))
            if len(head) == 3:
                add(*[(row, 1 + k, 1, 1, next(n)) for k in range(3)])
            else:
                add((row, 1, 1, 3, next(n)))
            row += 1
    return cells


T3_ITEMS = [
    ("（一）予以公开", []),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", []),
    ("（三）不予公开", ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
                  "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"]),
    ("（四）无法提供", ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]),
    ("（五）不予处理", ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
                  "5.要求行政机关确认或重新出具已获取信息"]),
    ("（六）其他处理", ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                  "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"]),
    ("（七）总计", []),
]


def table3(numbers: list[str]) -> list[Cell]:
    n = iter(numbers)
    cells: list[Cell] = [
        (0, 0, 3, 3, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"),
        (0, 3, 1, 7, "申请人情况"),
        (1, 3, 2, 1, "自然人"), (1, 4, 1, 5, "法人或其他组织"), (1, 9, 2, 1, "总计"),
        *[(2, 4 + k, 1, 1, h) for k, h in enumerate(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"])],
    ]

    def numbers_row(row: int) -> None:
        cells.extend((row, 3 + k, 1, 1, next(n)) for k in range(7))

    for row, label in ((3, "一、本年新收政府信息公开申请数量"), (4, "二、上年结转政府信息公开申请数量")):
        cells.append((row, 0, 1, 3, label))
        numbers_row(row)
    row = 5
    result_rows = sum(max(1, len(subs)) for _, subs in T3_ITEMS)
    cells.append((row, 0, result_rows, 1, "三、本年度办理结果"))
    for item, subs in T3_ITEMS:
        if not subs:
            cells.append((row, 1, 1, 2, item))
            numbers_row(row)
            row += 1
            continue
        cells.append((row, 1, len(subs), 1, item))
        for sub in subs:
            cells.append((row, 2, 1, 1, sub))
            numbers_row(row)
            row += 1
    cells.append((row, 0, 1, 3, "四、结转下年度继续办理"))
    numbers_row(row)
    return cells


def table4(numbers: list[str]) -> list[Cell]:
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    cells: list[Cell] = [(0, 0, 1, 5, "行政复议"), (0, 5, 1, 10, "行政诉讼")]
    cells += [(1, k, 2, 1, h) for k, h in enumerate(results)]
    cells += [(1, 5, 1, 5, "未经复议直接起诉"), (1, 10, 1, 5, "复议后起诉")]
    cells += [(2, 5 + k, 1, 1, h) for k, h in enumerate(results + results)]
    cells += [(3, k, 1, 1, v) for k, v in enumerate(numbers)]
    return cells


def seed_tables(numbers: list[str] | None = None) -> list[list[Cell]]:
    numbers = numbers if numbers is not None else _seed_numbers()
    assert len(numbers) == 10 + 175 + 15
    return [table2(numbers[:10]), table3(numbers[10:185]), table4(numbers[185:])]


def expected_rows(cells: list[Cell]) -> list[str]:
    """The rows a reader must write: tab-joined, span continuations empty."""
    height = max(r + rs for r, _, rs, _, _ in cells)
    width = max(c + cs for _, c, _, cs, _ in cells)
    grid = [[""] * width for _ in range(height)]
    for r, c, _, _, text in cells:
        grid[r][c] = text
    return ["\t".join(row) for row in grid]


# ---------------------------------------------------------------- file builders

def build_docx(path, paragraphs: tuple[list[str], ...], tables: list[list[Cell]]) -> None:
    import docx

    document = docx.Document()
    for i, lines in enumerate(paragraphs):
        for line in lines:
            document.add_paragraph(line)
        if i < len(tables):
            cells = tables[i]
            height = max(r + rs for r, _, rs, _, _ in cells)
            width = max(c + cs for _, c, _, cs, _ in cells)
            table = document.add_table(rows=height, cols=width)
            for r, c, rs, cs, text in cells:
                top = table.cell(r, c)
                if rs > 1 or cs > 1:
                    top = top.merge(table.cell(r + rs - 1, c + cs - 1))
                top.text = text
    document.save(path)


def html_table(cells: list[Cell]) -> str:
    rows: dict[int, list[str]] = {}
    for r, c, rs, cs, text in sorted(cells):
        span = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
        rows.setdefault(r, []).append(f"<td{span}><p>{text or '&nbsp;'}</p></td>")
    return "<table border=1>" + "".join(f"<tr>{''.join(tds)}</tr>" for _, tds in sorted(rows.items())) + "</table>"


def build_html(paragraphs: tuple[list[str], ...], tables: list[list[Cell]], charset: str = "gbk") -> bytes:
    body = []
    for i, lines in enumerate(paragraphs):
        body += [f"<p>{line}</p>" for line in lines]
        if i < len(tables):
            body.append(html_table(tables[i]))
    page = f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>site</title><script>var nav = "skip me";</script><style>p {{ color: red }}</style></head><body>
<div class="header"><ul class="nav"><li><a href="/">home page</a></li><li>about</li></ul></div>
<div class="breadcrumb">home &gt; reports</div>
<div class="main"><div class="TRS_Editor">{''.join(body)}</div></div>
<div class="footer">copyright 2024 | contact us | site map</div></body></html>"""
    # Pages that declare GB2312 are written in GBK in practice (e.g. "·"), hence GB18030 decoding.
    return page.encode({"gb2312": "gbk"}.get(charset, charset))


def _txt_report():
    return gongkai.parse(SEED)


def _same_meta_and_sections(report, reference) -> None:
    assert report.meta == reference.meta
    assert [(s.kind, s.title, s.number) for s in report.sections] == [
        (s.kind, s.title, s.number) for s in reference.sections
    ]
    for s in report.sections:  # spans point into the document's own text
        assert report.text[s.heading.start : s.heading.end].strip()


def _same_table_values(report, reference) -> None:
    expected = reference.values()
    gold = _gold(SEED.stem)["values"]  # the .txt path reads the seed's hand-checked values
    assert {k: expected.get(k) for k in gold} == gold
    assert report.values() == expected


# ---------------------------------------------------------------- DOCX

@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory):
    path = tmp_path_factory.mktemp("docx") / "002.docx"
    build_docx(path, _seed_paragraphs(), seed_tables())
    return path


def test_docx_has_the_seed_meta_and_sections(seed_docx):
    report = gongkai.parse(seed_docx)
    assert report.format == "docx"
    _same_meta_and_sections(report, _txt_report())


def test_docx_tables_are_grids_with_merged_cells_empty(seed_docx):
    text = read(seed_docx).text
    for cells in seed_tables():
        rows = expected_rows(cells)
        assert "\n\n" + "\n".join(rows) + "\n\n" in text + "\n"


def test_docx_table_cells_land_in_their_columns(tmp_path):
    numbers = [str(100 + i) for i in range(200)]  # all different: a shifted column shows
    path = tmp_path / "numbered.docx"
    build_docx(path, _seed_paragraphs(), seed_tables(numbers))
    lines = read(path).text.splitlines()
    assert "\t（三）不予公开\t1.属于国家秘密\t" + "\t".join(map(str, range(138, 145))) in lines
    assert "\t\t8.属于行政查询事项\t" + "\t".join(map(str, range(187, 194))) in lines
    assert "\t".join(map(str, range(285, 300))) in lines  # table 4: 15 numbers, none glued


def test_docx_gives_the_txt_values(seed_docx):
    _same_table_values(gongkai.parse(seed_docx), _txt_report())


# ---------------------------------------------------------------- HTML

@pytest.mark.parametrize("charset", ["gbk", "gb2312", "utf-8"])
def test_html_has_the_seed_meta_and_sections(tmp_path, charset):
    path = tmp_path / f"002-{charset}.html"
    path.write_bytes(build_html(_seed_paragraphs(), seed_tables(), charset))
    report = gongkai.parse(path)
    assert report.format == "html"
    _same_meta_and_sections(report, _txt_report())
    for chrome in ("skip me", "home page", "copyright", "reports", "color: red"):
        assert chrome not in report.text


def test_html_tables_resolve_rowspan_and_colspan(tmp_path):
    numbers = [str(100 + i) for i in range(200)]
    page = build_html(_seed_paragraphs(), seed_tables(numbers)).decode("gbk")
    grids = html_tables(page)
    assert [["\t".join(r) for r in g] for g in grids] == [expected_rows(t) for t in seed_tables(numbers)]


def test_html_nbsp_cells_are_blank_and_cell_lines_join():
    grids = html_tables("<table><tr><td>&nbsp;</td><td>商业<br>企业</td><td>Total<br/>2023</td>"
                       "<td> 1136 </td></tr></table>")
    assert grids == [[["", "商业企业", "Total 2023", "1136"]]]
    assert cell_text("\u00a0 \u3000") == "" and cell_text("三\n、\n本\n年") == "三、本年"


def test_html_gives_the_txt_values(tmp_path):
    path = tmp_path / "002.html"
    path.write_bytes(build_html(_seed_paragraphs(), seed_tables()))
    _same_table_values(gongkai.parse(path), _txt_report())


def test_html_charset_from_bom_and_mislabelled_pages(tmp_path):
    body = "<html><body><p>某某局2023年政府信息公开工作年度报告</p><p>一、总体情况</p></body></html>"
    (tmp_path / "bom.html").write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    (tmp_path / "liar.html").write_bytes(body.replace("<html>", '<html><meta charset="utf-8">').encode("gbk"))
    for name in ("bom.html", "liar.html"):
        assert gongkai.parse(tmp_path / name).meta.year == 2023


def _gold(gold_id: str) -> dict:
    return json.loads((CORPUS / "gold" / f"{gold_id}.json").read_text(encoding="utf-8"))


def test_real_web_page_matches_the_gold_of_its_text():
    page = shared("pingtan/2015-qu.html")
    gold = _gold("pingtan-2015-qu")
    report = gongkai.parse(page)
    meta = report.meta.model_dump(mode="json")
    assert {k: meta.get(k) for k in gold["meta"]} == gold["meta"]
    assert [[s.kind, s.title] for s in report.sections] == gold["sections"]
    assert "\n指标名称\t计量单位\t2015年度\t历年累计\n" in report.text
    assert "\n主动公开文件数\t条\t2949\t81916\n" in report.text


def test_real_web_page_gives_the_values_of_its_text():
    page = shared("pingtan/2015-qu.html")
    gold = _gold("pingtan-2015-qu")["values"]
    values = gongkai.parse(page).values()
    assert {k: values.get(k) for k in gold} == gold
    # The page's text runs 主动公开's two cells together (294981916) where the HTML separates them.
    from_text = gongkai.parse(shared("pingtan/2015-qu.txt")).values()
    glued = {"legacy.proactive.total", "legacy.proactive.channel.website"}
    glued |= {k + ".cumulative" for k in glued}
    assert {k: from_text.get(k) for k in gold if k not in glued} == {k: v for k, v in gold.items() if k not in glued}
    assert [from_text[k] for k in sorted(glued)] == [None] * 4


# ---------------------------------------------------------------- PDF

PDFS = ["huaian-hongze-2023", "huaian-hongze-2024", "huaian-shi-2024"]


@pytest.mark.parametrize("gold_id", PDFS)
def test_real_pdf_matches_its_gold(gold_id):
    path = shared(f"pdf/{gold_id}.pdf")
    gold = _gold(gold_id)
    report = gongkai.parse(path)
    assert report.format == "pdf"
    meta = report.meta.model_dump(mode="json")
    assert {k: meta.get(k) for k in gold["meta"]} == gold["meta"]
    assert [[s.kind, s.title] for s in report.sections] == gold["sections"]
    values = report.values()
    assert {k: values.get(k) for k in gold["values"]} == gold["values"]


@pytest.mark.parametrize("gold_id", PDFS)
def test_pdf_pages_and_table_rows(gold_id):
    doc = read(shared(f"pdf/{gold_id}.pdf"))
    assert doc.format == "pdf" and doc.page_starts[0] == 0 and len(doc.page_starts) >= 5
    assert doc.page_of(0) == 1 and doc.page_of(len(doc.text) - 1) == len(doc.page_starts)
    rows = [line for line in doc.text.splitlines() if "\t" in line]
    assert any(line.startswith("一、本年新收政府信息公开申请数量\t\t\t") for line in rows)
    assert not any("- " in line and " -" in line for line in rows)  # no page footer inside a cell
    assert all(line.count("\t") in (1, 3, 9, 14) for line in rows), "columns stay aligned"


def test_pdf_table_4_keeps_the_printed_error():
    """洪泽 2023 prints 维持10 + 纠正1 with 总计0: the grid keeps each number in its column."""
    doc = read(shared("pdf/huaian-hongze-2023.pdf"))
    assert "\n10\t1\t0\t0\t0\t0\t0\t0\t0\t0\t5\t0\t0\t0\t0\n" in doc.text
    review = doc.text.index("10\t1\t0\t0\t0")
    assert doc.page_of(review) == 4


def test_pdf_big_numbers_and_split_rows():
    doc = read(shared("pdf/huaian-shi-2024.pdf"))
    assert "\n一、本年新收政府信息公开申请数量\t\t\t3001\t53\t0\t0\t61\t4\t3119\n" in doc.text
    assert "\n行政处罚\t3985758\n" in doc.text
    assert "\n72\t64\t178\t37\t351\t13\t4\t8\t1\t26\t12\t1\t1\t6\t20\n" in doc.text


# ---------------------------------------------------------------- bad input

def _blank_pdf() -> bytes:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _encrypted_pdf() -> bytes:
    """A one-page PDF whose standard security handler wants a password we do not have."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>",
        b"<</Filter/Standard/V 1/R 2/O <" + b"11" * 32 + b">/U <" + b"22" * 32 + b">/P -4>>",
    ]
    return pdf_of(objects, b"/Encrypt 4 0 R/ID[<%s><%s>]" % (b"00" * 16, b"00" * 16))


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504

BAD = [
    ("scanned.pdf", _blank_pdf, NoTextLayerError, r"scanned\.pdf: .*no text layer.*OCR.*ocrmypdf"),
    ("locked.pdf", _encrypted_pdf, EncryptedFileError, r"locked\.pdf: .*password"),
    ("junk.pdf", lambda: bytes(range(256)) * 20, CorruptFileError, r"junk\.pdf: not a readable PDF"),
    ("truncated.pdf", lambda: b"%PDF-1.7\n1 0 obj\n<</Type/Catalog", CorruptFileError, r"not a readable PDF"),
    ("junk.docx", lambda: bytes(range(256)) * 20, CorruptFileError, r"junk\.docx: .*zip container is broken"),
    ("nodoc.docx", lambda: zip_of({"hello.txt": b"hi"}), CorruptFileError, r"without word/document\.xml"),
    ("badxml.docx", lambda: zip_of({"[Content_Types].xml": b"<oops", "word/document.xml": b"<oops"}),
     CorruptFileError, r"not a readable DOCX"),
    ("locked.docx", lambda: OLE + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64, EncryptedFileError,
     r"locked\.docx: .*password"),
    ("old.docx", lambda: OLE + "WordDocument".encode("utf-16-le") + b"\x00" * 64, UnsupportedFormatError,
     r"old Word.*libreoffice --headless --convert-to docx"),
    ("many.docx", lambda: zip_of({f"word/p{i}.xml": b"" for i in range(2001)} | {"word/document.xml": b""}),
     InputTooLargeError, r"many\.docx: .*2002 parts.*zip bomb"),
    ("junk.html", lambda: b"\x00\x01\x02binary\x00junk" * 100, EncodingError, r"junk\.html: not readable"),
    ("scripts.html", lambda: b"<html><body><script>var a = 1;</script><nav>menu</nav></body></html>",
     CorruptFileError, r"scripts\.html: .*no text"),
    ("empty.pdf", lambda: b"", EmptyInputError, r"empty\.pdf: the file is empty"),
    ("empty.docx", lambda: b"", EmptyInputError, r"empty\.docx: the file is empty"),
    ("blank.html", lambda: b"  \n\n ", EmptyInputError, r"blank\.html: the file is empty"),
]


@pytest.mark.parametrize("name,make,error,message", BAD, ids=[b[0] for b in BAD])
def test_bad_input_gives_a_clear_error(tmp_path, name, make, error, message):
    path = tmp_path / name
    path.write_bytes(make())
    with pytest.raises(error, match=message):
        gongkai.parse(path)


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".html", ".txt"])
def test_a_100_mb_file_is_refused_without_reading_it(tmp_path, monkeypatch, suffix):
    path = tmp_path / f"huge{suffix}"
    with open(path, "wb") as f:
        f.truncate(100 * 1024 * 1024)  # sparse: no disk, no memory
    monkeypatch.setattr("pathlib.Path.read_bytes", lambda self: pytest.fail("read a huge file"))
    with pytest.raises(InputTooLargeError, match=rf"huge\{suffix}: {100 * 1024 * 1024} bytes is past the {MAX_BYTES}"):
        gongkai.parse(path)


def test_a_directory_named_like_a_report(tmp_path):
    (tmp_path / "report.pdf").mkdir()
    with pytest.raises(FileNotReadableError, match="is a directory"):
        gongkai.parse(tmp_path / "report.pdf")


@pytest.mark.parametrize("suffix,hint", [
    (".doc", "libreoffice --headless --convert-to docx"), (".wps", "libreoffice --headless --convert-to docx"),
    (".ofd", "PDF"), (".png", "OCR"), (".jpg", "OCR"), (".tiff", "OCR"),
])
def test_formats_we_do_not_read_say_how_to_convert(tmp_path, suffix, hint):
    path = tmp_path / f"report{suffix}"
    path.write_bytes(b"whatever")
    with pytest.raises(UnsupportedFormatError, match=rf"report\{suffix}: .*{hint}"):
        gongkai.parse(path)


@pytest.mark.parametrize("suffix,module,extra", [
    (".pdf", "pypdfium2", "pdf"), (".docx", "docx", "docx"), (".html", "selectolax.lexbor", "html"),
])
def test_a_missing_extra_names_what_to_install(tmp_path, monkeypatch, suffix, module, extra):
    path = tmp_path / f"r{suffix}"
    path.write_bytes(zip_of({"word/document.xml": b""}) if suffix == ".docx" else b"<p>x</p> %PDF")
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(MissingExtraError, match=rf"gongkai\[{extra}\]"):
        gongkai.parse(path)


def test_every_reader_error_is_a_gongkai_error():
    for error in (CorruptFileError, EncryptedFileError, NoTextLayerError, InputTooLargeError, MissingExtraError):
        assert issubclass(error, GongkaiError)


def test_gold_sources_include_the_real_files():
    """Once added, the PDF/HTML sources are evaluated by `gongkai eval` with the txt ones."""
    for gold_id, source in [*((g, f"../shared/corpus/pdf/{g}.pdf") for g in PDFS),
                            ("pingtan-2015-qu", "../shared/corpus/pingtan/2015-qu.html")]:
        sources = _gold(gold_id)["sources"]
        assert source in sources and sources[0].endswith(".txt"), sources
