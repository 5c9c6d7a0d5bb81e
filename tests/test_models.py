"""The Report model: JSON round trip, flat values, spans."""

import pytest
from pydantic import ValidationError

import gongkai
from gongkai.models import Span
from conftest import SEEDS


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_json_round_trip(path):
    r = gongkai.parse(path)
    assert gongkai.Report.model_validate_json(r.model_dump_json()) == r


def test_models_are_frozen_values():
    r = gongkai.parse(SEEDS[0])
    with pytest.raises(ValidationError):
        r.meta.year = 1999  # type: ignore[misc]
    assert hash(Span(start=1, end=2)) == hash(Span(start=1, end=2))


def test_span_rejects_inverted_range():
    with pytest.raises(ValidationError):
        Span(start=5, end=2)


def test_value_of_a_key_and_of_an_absent_key():
    r = gongkai.parse(SEEDS[0])  # 济宁市投资促进局 2023: 主动公开政府信息数206条, table 3 all zeros
    assert (r.value("narrative.proactive.total"), r.value("applications.new.total")) == (206, 0)
    assert r.value("legacy.proactive.total") is None and "legacy.proactive.total" not in r.values()
    with pytest.raises(gongkai.UnknownKeyError):  # issue 13: a typo is not an absent value
        r.value("no.such.key")
