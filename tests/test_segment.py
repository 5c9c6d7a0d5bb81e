"""Sections and metadata of the founding reports and of odd inputs."""

import pytest

import gongkai
from conftest import SEEDS, shared, shared_files

STANDARD = ["general", "proactive", "applications", "review", "problems", "other"]


def seed(n: int):
    return gongkai.parse(SEEDS[n])


def test_seed_000_numbering_variants():
    r = seed(0)
    assert [s.kind for s in r.sections] == STANDARD
    assert [s.number for s in r.sections] == ["一、", "2、", "3、", "四、", "五、", "六、"]
    assert r.section("other").title == "其他报告事项如下"


def test_seed_001_place_from_body_and_outdated_template():
    r = seed(1)
    assert r.meta.agency == "周村区投资促进中心"  # the title says only 区投资促进中心
    assert r.meta.template == "2019" and r.meta.year == 2023
    assert "template_outdated" in r.codes()


def test_seed_003_pre2019_layout():
    r = seed(3)
    assert r.meta.template == "pre2019"
    kinds = [s.kind for s in r.sections]
    assert kinds[0] == "legacy" and kinds[-1] == "statistics"
    assert [s.number for s in r.sections[:9]] == [f"{n}、" for n in "一二三四五六七八九"]
    assert r.sections[8].title == "其他需要说明的事项"


def test_seed_004_missing_review_section_is_a_finding():
    r = seed(4)
    assert [s.kind for s in r.sections] == ["general", "proactive", "applications", "problems", "other"]
    missing = [f for f in r.findings if f.code == "section_missing"]
    assert len(missing) == 1 and "行政复议" in missing[0].message


def test_section_spans_cover_their_heading():
    for path in SEEDS:
        r = gongkai.parse(path)
        for s in r.sections:  # every seed section has a printed heading
            assert s.heading is not None, (path.name, s.kind)
            assert s.title in r.text[s.heading.start : s.heading.end]
            assert r.text[s.heading.start :].startswith(s.number)


def test_title_split_over_lines_with_markers():
    text = "[bookmark: _GoBack]\n区某某局\n\n2022年度政府信息公开工作年度报告\n一、总体情况\n周村区某某局2022年公开信息3条。\n"
    r = gongkai.parse_text(text)
    assert r.meta.year == 2022
    assert r.meta.agency == "周村区某某局"


def test_one_line_crawler_text_finds_inline_headings():
    r = gongkai.parse(shared("hebei/hebei-gxt-2022.txt"))
    assert [s.kind for s in r.sections] == STANDARD
    assert r.meta.agency == "河北省工业和信息化厅" and r.meta.period_end.isoformat() == "2022-12-31"


def test_pdf_text_meta_with_spaced_labels():
    r = gongkai.parse(shared("pdf/huaian-hongze-2023.pdfplumber.txt"))
    assert r.meta.phone == "0517-87222589"  # printed as 电 话 ： in the PDF text
    assert r.meta.address == "淮安市洪泽区洪泽湖大道 90号"  # joined across a PDF line break


def test_missing_sections_are_findings_not_exceptions():
    r = gongkai.parse_text("某局2023年政府信息公开工作年度报告\n一、总体情况\n本年无。\n第二十条第（一）项\n")
    assert r.meta.template is None and "template_unknown" in r.codes()  # no table header to tell it by
    assert [s.kind for s in r.sections] == ["general", "proactive"]  # 二 recovered from 第二十条第（一）项
    missing = [f.message for f in r.findings if f.code == "section_missing"]
    assert [m[:6] for m in missing] == ["缺少第三部分", "缺少第四部分", "缺少第五部分", "缺少第六部分"]


@pytest.mark.parametrize("path", shared_files(), ids=lambda p: p.name)
def test_every_shared_report_is_read(path):
    """Each file under ../shared is a real, readable report: a refusal would be a regression."""
    if path.suffix in (".pdf", ".html"):
        pytest.importorskip("pypdfium2" if path.suffix == ".pdf" else "selectolax")
    r = gongkai.parse(path)
    assert r.meta.template is not None and len(r.sections) >= 5, ([s.kind for s in r.sections], r.meta.template)


@pytest.mark.parametrize("closing,expected", [
    ("\n某局\n2024年1月20日\n", "2024-01-20"),
    ("\n某局\n二○二四年一月二十日\n", "2024-01-20"),
    ("（共五部分）。 二〇二四年三月十日 附表", "2024-03-10"),
    ("\n统计期限自\n2023年1月1日\n至2023年12月31日。\n", None),  # a date of the report year is no signing date
])
def test_publication_date_from_the_signing_line(closing, expected):
    r = gongkai.parse_text("某局2023年政府信息公开工作年度报告\n一、总体情况\n略。" + closing)
    assert (r.meta.published.isoformat() if r.meta.published else None) == expected
