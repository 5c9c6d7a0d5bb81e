"""Numbers printed apart from their labels are paired by printed order, and only when the
counts confirm it (issue 12: a number is never seated in the wrong row silently); OCR-damaged
labels are matched within one edit, anchored on the row's own number (issue 11)."""

import gongkai

HEAD = "某县某局2024年政府信息公开工作年度报告\n一、总体情况\n本年度工作平稳推进。\n三、收到和处理政府信息公开申请情况\n"
HEADER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） 自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计\n"
TAIL = "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n无。\n"


def _parse(body: str):
    return gongkai.parse_text(HEAD + HEADER + body + TAIL)


def _row(report, key):
    return [report.value(f"applications.{key}.{c}") for c in
            ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total")]


# 予以公开 and 部分公开 have their labels on lines of their own; their numbers follow in order.
SEPARATED = (
    "一、本年新收政府信息公开申请数量 5 0 0 0 0 0 5\n"
    "二、上年结转政府信息公开申请数量 1 0 0 0 0 0 1\n"
    "（一）予以公开\n"
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\n"
    "3 0 0 0 0 0 3\n"
    "2 0 0 0 0 0 2\n"
    "1.属于国家秘密 0 0 0 0 0 0 0\n"
)


def test_lines_apart_from_their_labels_are_paired_in_printed_order():
    r = _parse(SEPARATED)
    assert _row(r, "granted") == [3, 0, 0, 0, 0, 0, 3]
    assert _row(r, "partial") == [2, 0, 0, 0, 0, 0, 2]
    assert "table_rows_unpaired" not in r.codes()


def test_values_printed_above_their_labels_are_paired_too():
    body = SEPARATED.replace("（一）予以公开\n（二）部分公开（区分处理的，只计这一情形，不计其他情形）\n3 0 0 0 0 0 3\n2 0 0 0 0 0 2\n",
                             "3 0 0 0 0 0 3\n2 0 0 0 0 0 2\n（一）予以公开\n（二）部分公开（区分处理的，只计这一情形，不计其他情形）\n")
    r = _parse(body)
    assert _row(r, "granted") == [3, 0, 0, 0, 0, 0, 3] and _row(r, "partial") == [2, 0, 0, 0, 0, 0, 2]


def test_a_duplicated_line_never_shifts_a_number_into_the_next_row():
    r = _parse(SEPARATED.replace("3 0 0 0 0 0 3\n", "3 0 0 0 0 0 3\n3 0 0 0 0 0 3\n"))
    assert _row(r, "granted") == [None] * 7 and _row(r, "partial") == [None] * 7
    unpaired = [f for f in r.findings if f.code == "table_rows_unpaired"]
    assert len(unpaired) == 1 and "applications.granted.total" in unpaired[0].keys
    assert "applications.partial.natural" in unpaired[0].keys
    assert _row(r, "denied.state_secret") == [0] * 7  # the rows around are still read


def test_a_deleted_line_never_shifts_a_number_either():
    r = _parse(SEPARATED.replace("2 0 0 0 0 0 2\n", ""))
    assert _row(r, "granted") == [None] * 7 and _row(r, "partial") == [None] * 7
    assert "table_rows_unpaired" in r.codes()


def test_an_ocr_label_one_character_off_is_its_row_when_its_number_agrees():
    body = ("一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1\n"
            "5.属于三类内部事物信息 1 0 0 0 0 0 1\n")  # 务 read as 物
    assert _row(_parse(body), "denied.internal") == [1, 0, 0, 0, 0, 0, 1]


def test_a_label_with_another_rows_number_or_two_characters_off_is_not_matched():
    for label in ("9.属于三类内部事物信息", "5.属于三类外部事物信息"):  # no row 9.; two edits
        r = _parse("一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1\n" + label + " 1 0 0 0 0 0 1\n")
        assert "applications.denied.internal.natural" not in r.values(), label



def _unpaired_keys(report) -> set[str]:
    return {k for f in report.findings if f.code == "table_rows_unpaired" for k in f.keys}


# Three lines apart from their labels, and of the three labels only two printed (予以公开's lost
# in conversion): the lines pair with the three template rows between the anchors.
LABEL_LOST = (
    "一、本年新收政府信息公开申请数量 5 0 0 0 0 0 5\n"
    "二、上年结转政府信息公开申请数量 1 0 0 0 0 0 1\n"
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\n"
    "（三）不予公开 1.属于国家秘密\n"
    "3 0 0 0 0 0 3\n2 0 0 0 0 0 2\n1 0 0 0 0 0 1\n"
    "2.其他法律行政法规禁止公开 0 0 0 0 0 0 0\n"
)


def test_lines_pair_with_the_template_rows_when_a_label_is_lost():
    r = _parse(LABEL_LOST)
    assert _row(r, "granted") == [3, 0, 0, 0, 0, 0, 3]
    assert _row(r, "partial") == [2, 0, 0, 0, 0, 0, 2]
    assert _row(r, "denied.state_secret") == [1, 0, 0, 0, 0, 0, 1]


def _never_skipped(body: str) -> None:
    r = _parse(body)
    for key in ("granted", "partial", "denied.state_secret"):
        assert _row(r, key) == [None] * 7, key
        assert f"applications.{key}.natural" in _unpaired_keys(r), key
    assert _row(r, "denied.prohibited") == [0] * 7  # the rows around are still read


def test_a_line_that_lost_a_cell_is_never_skipped_in_the_order():
    """Six numbers for seven cells: skipping the line would pair the other two with the two
    printed labels (3|…|3 on 部分公开, a row down); the order is unconfirmed instead."""
    _never_skipped(LABEL_LOST.replace("2 0 0 0 0 0 2\n", "0 0 0 0 0 2\n"))


def test_a_line_with_an_extra_cell_is_never_skipped_either():
    _never_skipped(LABEL_LOST.replace("2 0 0 0 0 0 2\n", "2 0 0 0 0 0 0 2\n"))


def test_a_lone_number_among_the_lines_is_unplaced_not_a_row():
    """A stray number on a line of its own (a page number) is no row: the order still holds."""
    r = _parse(LABEL_LOST.replace("2 0 0 0 0 0 2\n", "2 0 0 0 0 0 2\n17\n"))
    assert _row(r, "partial") == [2, 0, 0, 0, 0, 0, 2] and _row(r, "denied.state_secret") == [1, 0, 0, 0, 0, 0, 1]
    assert "table_numbers_unplaced" in r.codes() and "table_rows_unpaired" not in r.codes()
