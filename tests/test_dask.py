"""Beyond one machine: gongkai.dask.frame and `gongkai corpus --scheduler` on a LocalCluster
(two worker processes), the fixed schema kept and to_parquet working."""

import pytest
from click.testing import CliRunner

import gongkai
from conftest import CORPUS, SEEDS

pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        yield c


def test_dask_frame_on_a_cluster_writes_parquet_of_the_fixed_schema(cluster, tmp_path):
    import gongkai.dask

    with distributed.Client(cluster):
        frame = gongkai.dask.frame([CORPUS], files_per_partition=2)
        assert frame.npartitions == 3
        frame.to_parquet(tmp_path / "out")
    back = pd.read_parquet(tmp_path / "out")
    local = gongkai.frame([CORPUS])
    assert back.dtypes.equals(local.dtypes)
    assert sorted(back.report_id) == sorted(local.report_id)
    assert back.set_index("report_id").loc[str(SEEDS[0]), "narrative.proactive.total"] == 206


def test_corpus_command_on_an_existing_cluster(cluster, tmp_path, monkeypatch):
    from gongkai.cli import main
    from gongkai.frames import read

    poem = tmp_path / "poem.txt"
    poem.write_text("床前明月光，疑是地上霜。\n", encoding="utf-8")
    output = tmp_path / "out.parquet"
    result = CliRunner().invoke(main, ["corpus", str(CORPUS), str(poem), "-o", str(output),
                                       "--scheduler", cluster.scheduler_address])
    assert result.exit_code == 2, result.stderr  # the poem
    wide = read(output)
    assert len(wide) == len(SEEDS) + 1
    assert wide.set_index("report_id").loc[str(poem), "error_type"] == "NotAReportError"
    assert set(wide.agency.dropna()) == {gongkai.parse(s).meta.agency for s in SEEDS}
