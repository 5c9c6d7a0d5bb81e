"""Issue 14: what a notebook shows for a Report, a Table, a Finding and a Fact, and the check
page's content (its look in a browser is tests/test_browser.py)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

import gongkai
from gongkai.cli import main

from conftest import SEEDS, parsed_shared, shared


class _Page(HTMLParser):
    """The visible text of an HTML fragment, and its table cells as (text, attributes) rows."""

    def __init__(self, html: str):
        super().__init__()
        self.text: list[str] = []
        self.rows: list[list[tuple[str, dict]]] = []
        self._cell: tuple[list[str], dict] | None = None
        self._hidden = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._hidden += 1
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = ([], dict(attrs))

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._hidden -= 1
        elif tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(("".join(self._cell[0]).strip(), self._cell[1]))
            self._cell = None

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)
            if self._cell is not None:
                self._cell[0].append(data)

    @property
    def visible(self) -> str:
        return " ".join("".join(self.text).split())


@pytest.fixture(scope="module")
def hongze():
    return parsed_shared("pdf/huaian-hongze-2023.pdf")


def test_reprs_are_one_short_line(hongze):
    assert "\n" not in repr(hongze) and len(repr(hongze)) < 250
    assert repr(hongze).startswith("Report(agency='洪泽区人民政府', year=2023, template='2021'")
    assert str(hongze) == repr(hongze)
    assert repr(hongze.table("applications")) == "Table(kind='applications', template='2021', cells=161)"


def test_report_in_a_notebook(hongze):
    page = _Page(hongze._repr_html_())
    seen = page.visible
    for expected in ("洪泽区人民政府", "2023", "2021", "2023-01-01 – 2023-12-31", "总体情况", "其他需要报告的事项",
                     "applications.new.total", "21", "维持10+纠正1+其他0+尚未审结0=11 ≠ 总计0", "p.4"):
        assert expected in seen
    # a key measure: its printed label, key and number on one row
    row = next(r for r in page.rows if any(t == "applications.new.total" for t, _ in r))
    assert [t for t, _ in row][:3] == ["一、本年新收政府信息公开申请数量·总计", "applications.new.total", "21"]
    # a finding quotes its cells by their labels, the number marked
    assert "行政复议·总计 review.total = 0" in seen
    assert "<mark>0</mark>" in hongze._repr_html_()


def test_table_in_a_notebook_is_a_grid(hongze):
    rows = _Page(hongze.table("review")._repr_html_()).rows
    labels = [t for r in rows[:3] for t, _ in r]
    assert "行政复议" in labels and "复议后起诉" in labels and "结果维持" in labels
    values = rows[-1]
    assert [t.split()[0] for t, _ in values[1:]] == ["10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "0"]
    broken = [a["title"] for _, a in values if "gk-broken" in a.get("class", "")]
    assert broken[0] == "review.upheld · p.4" and len(broken) == 10  # both failed rows; 未经复议 is fine
    proactive = _Page(hongze.table("proactive")._repr_html_()).rows
    regulations = next(r for r in proactive if r[0][0] == "规章")
    assert [t for t, _ in regulations[1:]] == ["0", "0", "0", "", ""]  # not printed: blank, not 0


def test_finding_and_fact_in_a_notebook(hongze):
    finding = _Page(hongze.findings[0]._repr_html_()).visible
    assert "table4_review_total" in finding and "维持10+纠正1" in finding and "行政复议·结果维持 review.upheld = 10" in finding
    fact = hongze.facts[0]
    shown = hongze.facts[0]._repr_html_()
    assert f"<mark>{fact.surface}</mark>" in shown and fact.key in shown and "p.1" in _Page(shown).visible
    assert "2023 年，我区在政府网站平台" in _Page(shown).visible  # the sentence around it
    alone = gongkai.Finding(code="x", severity="error", message="1+1=2 ≠ 3", keys=("a.b",))
    assert "1+1=2 ≠ 3" in _Page(alone._repr_html_()).visible  # a finding made by hand shows too


def test_parts_stay_equal_and_serialisable(hongze):
    again = gongkai.Report.model_validate_json(hongze.model_dump_json())
    assert again == hongze and again.findings == hongze.findings
    assert "_gongkai_report" not in hongze.model_dump_json()
    assert hongze.findings[0]._repr_html_() == again.findings[0]._repr_html_()


def test_check_page_of_a_text_report():
    html = gongkai.parse(SEEDS[3]).to_html()
    page = _Page(html)
    assert "legacy_channel_exceeds_total" in page.visible
    assert 'id="finding-0"' in html and 'href="#f0-0"' in html and 'id="f0-0"' in html
    for external in ('href="http', "src=", "<link", "url(", "@import", "<script"):  # self-contained
        assert external not in html


def test_check_prints_pages_and_labels_not_a_row_of_numbers():
    result = CliRunner().invoke(main, ["check", str(shared("pdf/huaian-hongze-2023.pdf"))])
    assert "table4_review_total: 行政复议：维持10+纠正1+其他0+尚未审结0=11 ≠ 总计0  (p.4)" in result.output
    assert "行政复议·总计 (review.total) = 0  (p.4)" in result.output
    assert "10\t1\t0" not in result.output


def test_explain_prints_pages_and_the_findings():
    result = CliRunner().invoke(main, ["explain", str(shared("pdf/huaian-hongze-2024.pdf"))])
    assert "受理政府 信息公开申请 17 件]，均已在法定期限内予以答复。  (p.1)" in result.output
    assert "一、本年新收政府信息公开申请数量 × 总计 (applications.new.total) = 95  (p.3)" in result.output


def test_check_html_takes_one_file(tmp_path):
    result = CliRunner().invoke(main, ["check", str(SEEDS[0]), str(SEEDS[1]), "--html", str(tmp_path / "x.html")])
    assert result.exit_code == 2 and "--html writes the page of one file" in result.output
