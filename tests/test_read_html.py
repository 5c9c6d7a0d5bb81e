"""HTML from any site builder reads as the whole report (issue 11 item 6), and deep pages neither
crash nor crawl (issue 12 item 3).

Every page is seed 002 (its paragraphs and its three tables, as in test_readers) laid out the
way a kind of site lays out an article: nested columns with sidebars, the report cut into
sibling blocks with the tables between them, an old layout-table site, Word's "Save as HTML".
Each must give the meta, sections and every value the .txt gives, and none of the site's text.
"""

from __future__ import annotations

import sys

import pytest

import gongkai
from gongkai.errors import InputTooLargeError
from test_readers import _same_meta_and_sections, _same_table_values, _seed_paragraphs, html_table, seed_tables

PARAGRAPHS = _seed_paragraphs()
TABLES = seed_tables()
CHROME = ["Latest news item", "Contact us", "Copyright 2024", "Related article", "Site map", "Home page"]


def _report_parts(wrap_paragraphs, wrap_table) -> list[str]:
    """The report in order: each narrative part wrapped, each table wrapped."""
    parts = []
    for i, lines in enumerate(PARAGRAPHS):
        parts.append(wrap_paragraphs(lines))
        if i < len(TABLES):
            parts.append(wrap_table(html_table(TABLES[i])))
    return parts


def _ps(lines: list[str]) -> str:
    return "".join(f"<p>{line}</p>" for line in lines)


SIDEBAR = """<div class="col-aside"><div class="box"><h3>Latest news</h3><ul>
<li><a href="/a">Latest news item one about the county</a></li><li><a href="/b">Latest news item two</a></li></ul></div>
<div class="box"><p>Contact us: 0537-7654321, 12 Renmin Road, open 9:00-17:00 on working days</p></div></div>"""
FOOTER = """<div class="bottom"><p>Copyright 2024 the county government. All rights reserved.</p>
<p><a href="/map">Site map</a> | <a href="/">Home page</a></p></div>"""
TOP = """<div class="top"><ul><li><a href="/">Home page</a></li><li><a href="/gk">Open government</a></li></ul></div>"""


def nested_columns() -> str:
    """A CMS page: the article three divs down in a column beside two sidebars."""
    article = "".join(_report_parts(lambda lines: _ps(lines), lambda table: table))
    return f"""<html><head><meta charset="utf-8"><title>site</title></head><body>{TOP}
<div class="container"><div class="row">{SIDEBAR}
<div class="col-main"><div class="detail"><div class="info"><p>Source: county office</p></div>
<div class="text">{article}</div></div></div>
<div class="col-aside2"><ul><li><a href="/r">Related article on open government</a></li></ul></div>
</div></div>{FOOTER}</body></html>"""


def sibling_blocks() -> str:
    """The report cut into sibling blocks, each table in a block of its own between them."""
    article = "".join(_report_parts(lambda lines: f'<div class="part">{_ps(lines)}</div>',
                                    lambda table: f'<div class="tbl" style="overflow:auto">{table}</div>'))
    return f"""<html><head><meta charset="utf-8"></head><body>{TOP}<div class="page">{SIDEBAR}
<div class="article">{article}</div></div>{FOOTER}</body></html>"""


def bare_tables_between_divs() -> str:
    """Narrative in divs of paragraphs, tables bare between them, all in one editor div."""
    article = "".join(_report_parts(lambda lines: f"<div>{_ps(lines)}</div>", lambda table: table))
    return f"""<html><head><meta charset="utf-8"></head><body>{TOP}<div class="wrap">
<div class="TRS_Editor">{article}</div>{SIDEBAR}</div>{FOOTER}</body></html>"""


def layout_table_site() -> str:
    """An old site laid out with a table: menu cell, article cell, footer row."""
    article = "".join(_report_parts(lambda lines: "<br>".join(lines) + "<br>", lambda table: table))
    menu = "".join(f'<tr><td><a href="/{i}">Open government menu {i}</a></td></tr>' for i in range(8))
    return f"""<html><head><meta charset="utf-8"></head><body>
<table width="1000" border="0"><tr><td colspan="2">County government web site</td></tr>
<tr><td width="200" valign="top"><table>{menu}</table>{SIDEBAR}</td>
<td width="800" valign="top"><table width="100%"><tr><td>{article}</td></tr></table></td></tr>
<tr><td colspan="2"><p>Copyright 2024 the county government. All rights reserved.</p></td></tr></table></body></html>"""


def _word_cell(text: str, rowspan: int, colspan: int) -> str:
    span = (f" rowspan={rowspan}" if rowspan > 1 else "") + (f" colspan={colspan}" if colspan > 1 else "")
    inner = f"<span lang=EN-US style='font-size:10.5pt'>{text}<o:p></o:p></span>" if text.isdigit() else (
        f"<span style='font-family:SimSun'>{text}<span lang=EN-US><o:p></o:p></span></span>" if text else
        "<span lang=EN-US><o:p>&nbsp;</o:p></span>")
    return (f"<td width=57{span} valign=top style='border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt'>"
            f"<p class=MsoNormal align=center style='text-align:center'>{inner}</p></td>")


def _word_table(cells) -> str:
    rows: dict[int, list[str]] = {}
    for r, c, rs, cs, text in sorted(cells):
        rows.setdefault(r, []).append(_word_cell(text, rs, cs))
    body = "".join(f"<tr style='height:20.0pt'>{''.join(tds)}</tr>" for _, tds in sorted(rows.items()))
    ghost = "<![if !supportMisalignedColumns]><tr height=0>" + "<td width=57 style='border:none'></td>" * 4 + "</tr><![endif]>"
    return (f"<div align=center><table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 "
            f"style='border-collapse:collapse;mso-table-layout-alt:fixed'>{body}{ghost}</table></div>")


def _word_paragraphs(lines: list[str]) -> str:
    out = []
    for line in lines:
        # Word wraps runs of digits in their own span: 2024 in <span lang=EN-US>.
        runs = "".join(f"<span lang=EN-US>{piece}</span>" if piece.isdigit() else
                       f"<span style='font-family:FangSong'>{piece}</span>" for piece in _digit_runs(line))
        out.append(f"<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt'>{runs}"
                   "<span lang=EN-US><o:p></o:p></span></p>")
    return "".join(out)


def _digit_runs(line: str) -> list[str]:
    import re

    return [piece for piece in re.split(r"(\d+)", line) if piece]


def word_save_as_html() -> str:
    """Word's "Save as HTML": MsoNormal paragraphs, digits in <span lang=EN-US>, <o:p> tags,
    conditional comments, a ghost row of empty cells."""
    article = "".join(
        _word_paragraphs(lines) + (_word_table(TABLES[i]) if i < len(TABLES) else "") for i, lines in enumerate(PARAGRAPHS)
    )
    return f"""<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">
<head><meta http-equiv=Content-Type content="text/html; charset=utf-8"><meta name=Generator content="Microsoft Word 15">
<style><!-- p.MsoNormal {{mso-style-unhide:no;margin:0cm;font-size:10.5pt}} --></style>
<!--[if gte mso 9]><xml><o:shapedefaults v:ext="edit" spidmax="1026"/></xml><![endif]--></head>
<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>
<div class=WordSection1 style='layout-grid:15.6pt'>{article}</div></body></html>"""


def aspnet_form() -> str:
    """An ASP.NET WebForms site: the whole page inside one <form>, the report in one <p> of
    lines and the tables, the signature in the paragraph after it."""
    body = "".join(_report_parts(lambda lines: "<p>" + "<br>".join(lines) + "</p>", lambda table: table))
    return f"""<html><head><meta charset="utf-8"></head><body><form method="post" action="./show.aspx?id=1" id="form1">
<div class="aspNetHidden"><input type="hidden" name="__VIEWSTATE" value="abc"></div>{TOP}
<div id="main"><div class="con">{body}</div>{SIDEBAR}</div>{FOOTER}</form></body></html>"""


PAGES = {
    "nested-columns": nested_columns,
    "sibling-blocks": sibling_blocks,
    "bare-tables-between-divs": bare_tables_between_divs,
    "layout-table": layout_table_site,
    "word-save-as-html": word_save_as_html,
    "aspnet-form": aspnet_form,
}


@pytest.fixture(scope="module")
def txt_report():
    from test_readers import _txt_report

    return _txt_report()


@pytest.mark.parametrize("name", PAGES)
def test_every_site_shape_gives_the_whole_report(tmp_path, txt_report, name):  # issue 11 item 6
    path = tmp_path / f"{name}.html"
    path.write_bytes(PAGES[name]().encode("utf-8"))
    report = gongkai.parse(path)
    _same_meta_and_sections(report, txt_report)
    _same_table_values(report, txt_report)
    for chrome in CHROME:
        assert chrome not in report.text, chrome


def test_word_html_reads_like_plain_html(txt_report):
    """Cells of Word's tables hold their number alone: no <o:p>, no stray space from the spans."""
    from gongkai.read_html import html_tables

    grids = html_tables(word_save_as_html())
    assert grids[2][3] == ["0"] * 15  # table 4's numbers, one per cell
    assert len(grids) == 3 and all(len(row) == 10 for row in grids[1])


# ---------------------------------------------------------------- deep pages (issue 12 item 3)

def _nested_tables(depth: int) -> bytes:
    head = "<html><body><p>某县某局2023年政府信息公开工作年度报告</p><p>一、总体情况</p>"
    return (head + "<table><tr><td>" * depth + "本年度主动公开政府信息206条" + "</td></tr></table>" * depth
            + "</body></html>").encode("utf-8")


def test_a_few_hundred_nested_tables_read_without_recursion(tmp_path):
    path = tmp_path / "tables.html"
    path.write_bytes(_nested_tables(400))
    assert sys.getrecursionlimit() < 2000  # the old reader recursed once per level and died here
    assert "本年度主动公开政府信息206条" in gongkai.read(path).text


@pytest.mark.parametrize("page", [
    "<html><body>" + "<div>" * 100_000 + "<p>x</p>" + "</div>" * 100_000 + "</body></html>",
    "<html><body>" + "<span>" * 100_000 + "x</body></html>",
    "<html><body>" + "<table><tr><td>" * 5000 + "x</body></html>",
], ids=["divs", "unclosed-spans", "tables"])
def test_a_page_nested_past_the_limit_is_refused_before_parsing(tmp_path, page):
    """The HTML parser itself is quadratic in the nesting depth (100,000 divs: minutes)."""
    from gongkai.read_html import MAX_DEPTH

    path = tmp_path / "deep.html"
    path.write_bytes(page.encode("utf-8"))
    with pytest.raises(InputTooLargeError, match=rf"deep\.html: elements nested more than {MAX_DEPTH} deep"):
        gongkai.read(path)


def test_a_page_of_too_many_tags_is_refused_before_parsing(tmp_path):
    """Each element costs the walks tens of microseconds: 64 MB of tags would take minutes."""
    from gongkai.read_html import MAX_TAGS

    path = tmp_path / "many.html"
    path.write_bytes(("<html><body>" + "<p>x</p>" * (MAX_TAGS // 2 + 1) + "</body></html>").encode())
    with pytest.raises(InputTooLargeError, match=rf"many\.html: more than {MAX_TAGS} tags"):
        gongkai.read(path)


def test_unclosed_tags_that_the_parser_closes_do_not_count_as_depth(tmp_path):
    """Sloppy pages leave <p>, <li>, <td> or a <span> inside a closed <div> open: not deep."""
    cells = "<tr><td>1<td>2" * 2000
    spans = "<div><span><font>text</div>" * 3000
    page = f"<html><body><p>某县某局2023年政府信息公开工作年度报告<p>一、总体情况{spans}<ul>{'<li>item' * 2000}</ul><table>{cells}</table></body></html>"
    path = tmp_path / "sloppy.html"
    path.write_bytes(page.encode("utf-8"))
    text = gongkai.read(path).text
    assert "一、总体情况" in text and text.count("item") == 2000 and text.count("text") == 3000


def test_every_walk_is_linear_in_depth(monkeypatch):
    """All walks take an element's children through one helper: each element's children are
    taken a bounded number of times (weighing, then reading the article), however deep — the
    old selection searched every subtree again from each of its ancestors."""
    import gongkai.read_html as read_html

    taken = []
    original = read_html._children
    monkeypatch.setattr(read_html, "_children", lambda node: taken.append(1) or original(node))

    def count(depth: int) -> int:
        taken.clear()
        page = "<html><body>" + "<div>" * depth + "<p>某县某局2023年政府信息公开工作年度报告</p>" + "</div>" * depth + "</body></html>"
        read_html.read(page.encode("utf-8"), "deep.html")
        return len(taken)

    assert count(400) <= 2 * count(200) + 10
    assert count(400) <= 2 * 400 + 10
