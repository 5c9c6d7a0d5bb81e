"""What a researcher does in a notebook (issue 13, done-when): the whole corpus in one call,
two batches to Parquet read back as one dataset with the same dtypes, then one harmonised
measure plotted across the three template generations."""

import pytest

import gongkai
from conftest import CORPUS, SHARED

pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")


def test_the_corpus_as_a_notebook(tmp_path):
    if not SHARED.exists():
        pytest.skip("../shared is absent: the panel needs its pre-2019 and 2021 reports")
    wide = gongkai.frame([CORPUS, SHARED], workers=2)  # one call, every report
    assert len(wide) == 27 and wide.error_type.isna().all()

    dataset = tmp_path / "reports"
    dataset.mkdir()
    gongkai.frame([CORPUS]).to_parquet(dataset / "batch-1.parquet")  # two batches, made apart
    gongkai.frame([SHARED]).to_parquet(dataset / "batch-2.parquet")
    back = pd.read_parquet(dataset)
    assert back.dtypes.equals(wide.dtypes) and len(back) == len(wide)
    assert sorted(back.report_id) == sorted(wide.report_id)

    panel = gongkai.panel(back)
    received = panel.dropna(subset=["applications_received"])
    assert set(received.template) == {"pre2019", "2019", "2021"}
    assert received.year.min() == 2011 and received.year.max() == 2024
    series = received.groupby(["year", "template"]).applications_received.sum().unstack("template")
    assert series.loc[2022, "2021"] == 14 + 44 + 11  # the three Hebei departments

    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    ax = series.plot(marker="o", title="applications received, 2011–2024")
    ax.figure.savefig(tmp_path / "received.png")
    assert (tmp_path / "received.png").stat().st_size > 10_000
    assert {line.get_label() for line in ax.get_lines()} == {"2019", "2021", "pre2019"}
