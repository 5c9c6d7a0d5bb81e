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


# --- issue 11: titles and meta in the shapes of WORDING.md §7 (written here, made-up agencies) ----

BODY = "\n一、总体情况\n本年度主动公开政府信息56条。\n"
PERIOD_2023 = "本报告所列数据统计期限自2023年1月1日起至2023年12月31日止。"


@pytest.mark.parametrize(("text", "agency", "year"), [
    pytest.param("2023年度某某县农业农村局政府信息公开工作年度报告\n" + PERIOD_2023 + BODY,
                 "某某县农业农村局", 2023, id="year-first"),
    pytest.param("2022年某县人民政府信息公开工作年度报告" + BODY, "某县人民政府", 2022, id="year-first-government"),
    pytest.param("二〇二三年度某镇人民政府政务公开工作年度报告" + BODY, "某镇人民政府", 2023, id="year-first-chinese-year"),
    pytest.param("某市统计局关于2022年度政府信息公开工作情况的报告" + BODY, "某市统计局", 2022, id="guanyu"),
    pytest.param("某某县人民政府办公室\n2024年度\n政府信息公开工作年度报告" + BODY, "某某县人民政府办公室", 2024,
                 id="three-lines"),
    pytest.param("某区教育局2022年政府\n\n信息公开工作年度报告" + BODY, "某区教育局", 2022, id="split-inside-subject"),
    pytest.param("2024 年某市科委政府信息公开工作\n年度报告" + BODY, "某市科委", 2024, id="year-first-two-lines"),
    pytest.param("某区卫生健康委员会 2 0 2 3 年政府信息公开工作年度报告" + BODY, "某区卫生健康委员会", 2023,
                 id="spaced-year-digits"),
    pytest.param("某街道办事处2023政府信息公开工作年度报告" + BODY, "某街道办事处", 2023, id="no-nian"),
    pytest.param("# 某某县人民政府 2025 年 政府信息公开工作年度报告\n\n## 一、总体情况\n略。\n", "某某县人民政府", 2025,
                 id="markdown-heading"),
    pytest.param("**某某区司法局2023年度政府信息公开工作年度报告**" + BODY, "某某区司法局", 2023, id="markdown-bold"),
    pytest.param("某某市人民政府门户网站\n首页 > 政务公开 > 政府信息公开年报\n来源：某某市司法局　发布时间：2024-01-25\n"
                 "某某市司法局2023年政府信息公开工作年度报告" + BODY, "某某市司法局", 2023, id="crawler-header"),
    pytest.param("正文\n【字体：大 中 小】【打印】\n某乡人民政府\n2022年政府信息公开工作年度报告" + BODY, "某乡人民政府", 2022,
                 id="crawler-buttons"),
    pytest.param("当前位置：首页 > 年报 某某区商务局2023年政府信息公开工作年度报告 来源：某某区 根据《条例》规定编制本报告。"
                 "　　一、总体情况　　略。", "某某区商务局", 2023, id="one-line-breadcrumb"),
])
def test_title_shapes(text, agency, year):
    r = gongkai.parse_text(text)
    assert (r.meta.agency, r.meta.year) == (agency, year)
    assert "agency_missing" not in r.codes() and "year_missing" not in r.codes()


@pytest.mark.parametrize(("text", "agency", "year"), [
    pytest.param("某县交通运输局政府信息公开工作年度报告\n本报告所列数据统计期限为2021年1月1日至2021年12月31日。" + BODY,
                 "某县交通运输局", 2021, id="year-from-period"),
    pytest.param("某县人民政府信息公开年度报告\n现将本县2022年度政府信息公开工作情况报告如下。" + BODY,
                 "某县人民政府", 2022, id="year-from-opening"),
    pytest.param("2023年政府信息公开工作年度报告" + BODY + "六、其他需要报告的事项\n本年度未收取信息处理费。\n\n"
                 "某某镇人民政府\n2024年1月15日\n", "某某镇人民政府", 2023, id="agency-from-signature"),
    pytest.param("关于2023年度政府信息公开工作情况的报告\n本报告由某某市生态环境局根据《条例》要求编制。" + BODY,
                 "某某市生态环境局", 2023, id="agency-from-opening"),
    pytest.param("政府信息公开工作年度报告\n依据《条例》规定，某县住房和城乡建设局编制了2022年度政府信息公开工作年度报告。" + BODY,
                 "某县住房和城乡建设局", 2022, id="no-agency-no-year"),
])
def test_year_and_agency_from_the_body(text, agency, year):
    r = gongkai.parse_text(text)
    assert (r.meta.agency, r.meta.year) == (agency, year)


def test_no_agency_anywhere_is_a_finding():
    r = gongkai.parse_text("2023年政府信息公开工作年度报告\n本报告根据《条例》要求编制。\n现将我局2023年度工作情况报告如下。" + BODY)
    assert r.meta.agency is None and "agency_missing" in r.codes()
    assert r.meta.year == 2023


@pytest.mark.parametrize(("sentence", "start", "end"), [
    pytest.param("统计期限为 2024 年 1 月 1 日至 12 月 31 日。", "2024-01-01", "2024-12-31", id="spaced"),
    pytest.param("本年度报告中所列数据的统计周期\n为 2024 年 1 月 1 日至 12 月 31 日。", "2024-01-01", "2024-12-31",
                 id="zhouqi-over-a-line-break"),
    pytest.param("统计时间：2020年1月1日——2020年12月31日。", "2020-01-01", "2020-12-31", id="double-dash"),
    pytest.param("本报告统计期限为2023年1-12月。", "2023-01-01", "2023-12-31", id="months"),
    pytest.param("统计期间为2022年1月至6月。", "2022-01-01", "2022-06-30", id="half-year"),
])
def test_statistics_period_shapes(sentence, start, end):
    r = gongkai.parse_text("某县水利局政府信息公开工作年度报告\n" + sentence + BODY)
    assert (r.meta.period_start.isoformat(), r.meta.period_end.isoformat()) == (start, end)
    assert r.meta.year == int(start[:4])


@pytest.mark.parametrize(("path", "agency", "year", "period"), [
    ("markdown/shanghai-kewei-2024.md", "上海市科委", 2024, ("2024-01-01", "2024-12-31")),  # year-first title over two lines
    ("markdown/shuyang-2025-ocr.md", "沐阳县人民政府", 2025, ("2025-01-01", "2025-12-31")),  # '# ' heading; the OCR's 沐
])
def test_markdown_reports_meta(path, agency, year, period):
    r = gongkai.parse(shared(path))
    assert (r.meta.agency, r.meta.year, r.meta.template) == (agency, year, "2021")
    assert (r.meta.period_start.isoformat(), r.meta.period_end.isoformat()) == period


# --- issue 11 item 7: one-line web text with a misprinted heading ---------------------------------

GAP = "　　"  # crawler text keeps the page's ideographic indents between paragraphs
HEADINGS = {
    "general": "一、总体情况",
    "proactive": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "review": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}


def one_line_report(headings: dict[str, str]) -> str:
    """A made-up provincial department's report as a crawler stores it: a header, then every
    section, table cell and sentence on one line, table cells run together."""
    h = headings
    cells = GAP.join
    return (
        "标题：某省某某厅2022年政府信息公开工作年度报告\n时间：2023-01-20\n\n"
        + GAP + "根据《中华人民共和国政府信息公开条例》规定，发布本年度报告。报告中所列数据统计期限为2022年1月1日至12月31日。"
        + GAP + h["general"] + GAP + "2022年，某某厅落实政务公开各项部署，全年共收到政府信息公开申请3件，当年办结3件。"
        + GAP + h["proactive"] + GAP
        + cells(["第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "规章", "0", "0", "0",
                 "行政规范性文件", "4", "1", "20", "第二十条第（五）项", "信息内容", "本年处理决定数量", "行政许可", "150"])
        + GAP + h["applications"]
        + "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况自然人法人或其他组织总计商业企业"
          "科研机构社会公益组织法律服务机构其他一、本年新收政府信息公开申请数量3000003二、上年结转政府信息公开申请数量0000000"
          "三、本年度办理结果（一）予以公开3000003（七）总计3000003四、结转下年度继续办理0000000"
        + GAP + h["review"] + "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉结果维持结果纠正"
          "其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计000000000000000"
        + GAP + h["problems"] + GAP + "政策解读形式还不够丰富。下一步将加强解读。"
        + GAP + h["other"] + GAP + "本年度未收取信息处理费。"
    )


@pytest.mark.parametrize("misprint", [
    pytest.param({}, id="as-printed"),
    pytest.param({"applications": "三、收到和处理政府信息公开申倩况"}, id="three-misprinted"),
    pytest.param({"applications": "收到和处理政府信息公开申请情况"}, id="three-without-number"),
    pytest.param({"applications": "三、收到和处理申情况"}, id="three-garbled"),
    pytest.param({"proactive": "二、主动公开政府信患情况"}, id="two-misprinted"),
    pytest.param({"review": "四、政府信息公开行政复仪、行政诉讼情况"}, id="four-misprinted"),
    pytest.param({"review": "政府信息公开行政复议、行政诉讼情况"}, id="four-without-number"),
    pytest.param({"problems": "五、存在的主要问题及改近情况"}, id="five-misprinted-no-cue"),
    pytest.param({"other": "六、其它需要报告的事项"}, id="six-misprinted"),
])
def test_a_misprinted_heading_starts_its_own_section(misprint):
    headings = HEADINGS | misprint
    r = gongkai.parse_text(one_line_report(headings))
    assert "\n" not in r.text[r.sections[0].span.start :]  # every section is on the one line
    assert [s.kind for s in r.sections] == STANDARD
    for s in r.sections:  # each span starts at its own heading, never inside the section before
        assert r.text[s.span.start :].startswith(headings[s.kind]), (s.kind, r.text[s.span.start : s.span.start + 20])
    for before, after in zip(r.sections, r.sections[1:]):
        assert before.span.end == after.span.start
    recovered = [s.kind for s in r.sections if s.recovered]
    assert recovered == list(misprint)
    assert "section_missing" not in r.codes()


def test_a_recovered_section_in_line_text_starts_at_its_cue_line():
    """Line-broken text keeps its behaviour: a lost heading's section starts at its cue's line."""
    text = "某局2023年政府信息公开工作年度报告\n一、总体情况\n略。\n二、主动公开政府信息情况\n略。\n第二十条第（一）项\n"
    text += "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n四、政府信息公开行政复议、行政诉讼情况\n"
    r = gongkai.parse_text(text)
    applications = r.section("applications")
    assert applications.recovered and r.text[applications.span.start :].startswith("（本列数据的勾稽关系为")
    # no heading is printed, so the section takes the template's title; the finding names the cue
    assert applications.title == "收到和处理政府信息公开申请情况"
    recovered = next(f for f in r.findings if f.code == "section_recovered")
    assert "（本列数据的勾稽关系为" in recovered.message


@pytest.mark.parametrize(("layout", "subtopic", "table_heading"), [
    pytest.param(layout, *case[:2], id=f"{case[2]}-{layout}")
    for case in [("三、主动公开工作情况", "一、主动公开政府信息情况", "subtopic-three-table-one"),
                 ("（三）主动公开情况", "二、主动公开政府信息情况", "bracketed-subtopic")]
    for layout in ("lines", "one-line")
] + [
    pytest.param("lines", "4、主动公开工作情况", "1、主动公开政府信息情况", id="arabic-numbering-lines"),
    pytest.param("lines", "三、主动公开情况", "主动公开政府信息情况", id="table-heading-unnumbered-lines"),
])
def test_a_narrative_subtopic_does_not_take_the_table_sections_place(layout, subtopic, table_heading):
    """总体情况 often has its own numbered sub-topics (…三、主动公开工作情况); when the table
    section's heading is misnumbered or unnumbered, the heading printing the template's own title
    is section 二, not the sub-topic before it."""
    parts = ["某区某局2024年政府信息公开工作年度报告", "一、总体情况", "本局深化政务公开。", subtopic,
             "本局通过网站主动公开政府信息120条。", table_heading, "第二十条第（一）项", "信息内容 本年制发件数 本年废止件数 现行有效件数",
             "规章 0 0 0", "二、收到和处理政府信息公开申请情况", "本年新收政府信息公开申请数量 3 0 0 0 0 0 3",
             "三、政府信息公开行政复议、行政诉讼情况", "四、存在的主要问题及改进情况", "解读不够。", "五、其他需要报告的事项", "无。"]
    r = gongkai.parse_text(("\n" if layout == "lines" else "　").join(parts))
    proactive = r.section("proactive")
    assert proactive is not None
    assert r.text[proactive.span.start :].startswith(table_heading), r.text[proactive.span.start : proactive.span.start + 20]
    general = r.section("general")
    assert subtopic in r.text[general.span.start : general.span.end]
    assert "本局通过网站主动公开政府信息120条" in r.text[general.span.start : general.span.end]
