"""The same batch on a Dask distributed cluster (a LocalCluster on 127.0.0.1) gives the same tables."""

from __future__ import annotations

import pytest

from wargame import montecarlo
from wargame.ruleset import DEFAULT_RULESET

distributed = pytest.importorskip("distributed")


def test_a_dask_cluster_plays_the_same_batch(tmp_path):
    rules = tmp_path / "rules.yaml"     # a private copy: both batches must play the same rules
    rules.write_text(DEFAULT_RULESET.read_text(encoding="utf-8"), encoding="utf-8")
    local = montecarlo.run(rules, runs=40, turns=10, seed=4, workers=1, out=tmp_path / "local", progress=False,
                           charts=False)
    with distributed.LocalCluster(host="127.0.0.1", n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        remote = montecarlo.run(rules, runs=40, turns=10, seed=4, scheduler=cluster.scheduler_address, chunk=6,
                                out=tmp_path / "dask", progress=False, charts=False)
    assert remote.played == 40
    for name in ("runs.parquet", "series.parquet"):
        assert (local.out / name).read_bytes() == (remote.out / name).read_bytes(), name
    # The same but for the directory its replay commands name.
    assert (local.out / "summary.md").read_text().replace(str(local.out), "DIR") == \
        (remote.out / "summary.md").read_text().replace(str(remote.out), "DIR")
