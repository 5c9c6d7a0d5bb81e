"""A template generation is one rule file (issue 10): a made-up one, loaded from tests/, is read
by the table reader, the digit decoder and the checks with no Python of its own."""

from pathlib import Path

import pytest

import gongkai
from gongkai import template
from gongkai.errors import RuleError

HERE = Path(__file__).parent

REPORT = """某某局2099年政府信息公开工作年度报告
一、总体情况
本年度共收到政府信息公开申请10件。
三、收到和处理政府信息公开申请情况
申请人类别\t自然人\t法人\t总计
一、本年新收申请\t{new}
（一）予以公开\t6\t2\t8
（二）不予公开\t1\t0\t1
（三）总计\t7\t{closed_legal}\t9
二、结转下年度\t3\t1\t4
"""


@pytest.fixture
def generation_2099(monkeypatch):
    monkeypatch.setenv("GONGKAI_RULES_PATH", str(HERE / "generations"))
    return template.generation("2099")


def test_the_rule_file_declares_rows_columns_and_identities(generation_2099):
    table = generation_2099.table("applications")
    assert [r.key for r in table.rows] == ["new", "granted", "denied", "closed", "carried_forward"]
    assert table.result_rows() == ["granted", "denied"]
    sums = [(e.identity.code, e.scope, e.left, e.right) for e in template.equations(table)]
    assert ("table3_result_sum", "legal_person", ("applications.granted.legal_person", "applications.denied.legal_person"),
            ("applications.closed.legal_person",)) in sums
    assert len(sums) == 3 + 3 + 5  # balance and result sum per column, row sum per row


def test_a_report_in_the_new_generation_is_read_by_its_labels(generation_2099):
    r = gongkai.parse_text(REPORT.format(new="10\t3\t13", closed_legal="2"))
    assert r.meta.template == "2099"
    assert r.value("applications.new.total") == 13
    assert r.value("applications.closed.legal_person") == 2
    assert r.value("applications.carried_forward.natural") == 3
    assert "table_missing" not in r.codes()  # the generation has no table 2 or 4 to miss


def test_run_together_digits_are_decoded_by_the_new_identities(generation_2099):
    r = gongkai.parse_text(REPORT.format(new="10313", closed_legal="2"))  # 10|3|13: only 10+3=13
    assert [r.value(f"applications.new.{c}") for c in ("natural", "legal_person", "total")] == [10, 3, 13]


def test_the_new_identities_are_checked(generation_2099):
    r = gongkai.parse_text(REPORT.format(new="10\t3\t13", closed_legal="3"))  # 7+3 ≠ 9, 2+1 ≠ 3
    codes = r.codes()
    assert "table3_row_sum" in codes and "table3_result_sum" in codes and "table3_balance" in codes


def test_without_the_rule_file_the_generation_does_not_exist(monkeypatch):
    monkeypatch.delenv("GONGKAI_RULES_PATH", raising=False)
    with pytest.raises(RuleError, match="2099"):
        template.generation("2099")
    assert gongkai.parse_text(REPORT.format(new="10\t3\t13", closed_legal="2")).meta.template != "2099"
