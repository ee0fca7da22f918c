"""The same batch on a Dask distributed cluster (a LocalCluster on 127.0.0.1) gives the same tables; an address
where no scheduler answers is one line."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading

import pytest

from conftest import ROOT
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


class NotDask:
    """A service on 127.0.0.1 that is not a Dask scheduler: one that accepts and says nothing (as the dashboard's
    HTTP server waits for a request), or one that answers at once with an HTTP reply."""

    def __init__(self, reply: bytes | None):
        self.reply = reply
        self.server = socket.create_server(("127.0.0.1", 0))
        self.address = f"tcp://127.0.0.1:{self.server.getsockname()[1]}"
        self.held: list[socket.socket] = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                conn, _ = self.server.accept()
                self.held.append(conn)
                if self.reply is not None:
                    conn.sendall(self.reply)

    def close(self) -> None:
        for conn in self.held:
            conn.close()
        self.server.close()


@pytest.mark.parametrize("reply, words", [
    (None, "connected, but no Dask scheduler answered within 6 s: is it another service's port, such as the "
           "dashboard's? A scheduler listens on 8786 unless told otherwise"),
    (b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n",
     "connected, but what answered is not a Dask scheduler: is it another service's port"),
])
def test_a_scheduler_address_where_another_service_listens_is_one_line(tmp_path, reply, words):
    service = NotDask(reply)
    out = tmp_path / "mc"
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"}
    try:
        result = subprocess.run([sys.executable, "-m", "wargame", "montecarlo", "--runs", "5", "--turns", "2",
                                 "--scheduler", service.address, "--out", str(out)], cwd=ROOT, capture_output=True,
                                text=True, env=env, timeout=60)
    finally:
        service.close()
    assert result.returncode == 2
    assert result.stderr.startswith(f"--scheduler {service.address}: {words}"), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not out.exists()
