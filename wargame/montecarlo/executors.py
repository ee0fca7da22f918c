"""Where chunks are played: in this process, in a local process pool, or on a Dask distributed cluster.

All three offer the same small interface to the runner, which is the one code path for scheduling, saving,
resuming and reporting:

    submit(index) -> future        play chunk `index` (futures have .result() and .cancel())
    wait(futures) -> done          block until at least one has finished
    slots                          how many chunks to keep in flight
    close(abort)                   release the workers (abort: now, abandoning chunks in flight)
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import signal
import sys
from typing import Any

from ..errors import WargameError
from .plan import Plan
from .worker import run_chunk

_PLAN: Plan | None = None
CONNECT_TIMEOUT = "10s"


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


class Inline:
    """Plays each chunk in this process when it is submitted: one worker, no start-up cost, easy to debug."""

    name = "this process"

    def __init__(self, plan: Plan):
        self.plan = plan
        self.workers = 1
        self.slots = 1

    def submit(self, index: int) -> cf.Future:
        future: cf.Future = cf.Future()
        try:
            future.set_result(run_chunk(self.plan, index))
        except Exception as exc:  # noqa: BLE001 - handed to the runner like a worker's error
            future.set_exception(exc)
        return future

    def wait(self, futures) -> set:
        return {f for f in futures if f.done()}

    def restart(self) -> None:
        pass

    def close(self, abort: bool = False) -> None:
        pass


def _init_worker(plan: Plan) -> None:
    # Ctrl-C is for the coordinating process, which saves what is finished and stops the pool; a worker that
    # died of it first would only add tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _PLAN
    _PLAN = plan


def _run_pooled(index: int):
    return run_chunk(_PLAN, index)


def _context():
    if sys.platform != "win32" and "forkserver" in multiprocessing.get_all_start_methods():
        # A fork server started before any threads exist (the progress bar has one) gives clean, quick workers;
        # preloading the engine spares each worker the imports.
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["wargame.montecarlo.worker"])
        return ctx
    return multiprocessing.get_context("spawn")


class LocalPool:
    """A pool of worker processes on this machine, each holding the plan (sent once, at start-up)."""

    def __init__(self, plan: Plan, workers: int):
        self.plan = plan
        self.workers = workers
        self.slots = 2 * workers + 2
        self.name = f"{workers} local worker processes"
        self._pool = self._start()

    def _start(self) -> cf.ProcessPoolExecutor:
        return cf.ProcessPoolExecutor(max_workers=self.workers, mp_context=_context(), initializer=_init_worker,
                                      initargs=(self.plan,))

    def submit(self, index: int) -> cf.Future:
        return self._pool.submit(_run_pooled, index)

    def wait(self, futures) -> set:
        done, _ = cf.wait(futures, return_when=cf.FIRST_COMPLETED)
        return done

    def restart(self) -> None:
        """Replace a pool broken by a worker that died (killed, out of memory)."""
        self.close(abort=True)
        self._pool = self._start()

    def close(self, abort: bool = False) -> None:
        if self._pool is None:
            return
        pool, self._pool = self._pool, None
        if abort:
            processes = list((getattr(pool, "_processes", None) or {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                if process.is_alive():
                    process.terminate()
            for process in processes:
                process.join(timeout=5)
        else:
            pool.shutdown(wait=True)


class DaskCluster:
    """Chunks as tasks on a Dask distributed scheduler. The plan is scattered to every worker once."""

    def __init__(self, plan: Plan, address: str, timeout: float | str | None = None):
        try:
            import dask
            from distributed import Client
        except ImportError:
            raise WargameError("--scheduler needs Dask distributed: install the 'cluster' extra "
                               "(pip install 'wargame[cluster]')") from None
        from distributed.comm.addressing import parse_address, parse_host_port

        try:
            scheme, location = parse_address(address)
            if scheme in ("tcp", "tls"):
                parse_host_port(location)
        except ValueError as exc:
            raise WargameError(f"--scheduler {address}: expected an address like tcp://HOST:PORT ({exc})") from None
        if timeout is None:
            # Dask's own default (30 s) is long for a typo'd address; its setting wins when the user changed it.
            configured = dask.config.get("distributed.comm.timeouts.connect", "30s")
            timeout = configured if configured not in ("30s", 30) else CONNECT_TIMEOUT
        try:
            self.client = Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise WargameError(f"--scheduler {address}: cannot reach the Dask scheduler ({reason})") from None
        threads = sum(self.client.nthreads().values())
        if threads == 0:
            self.client.close()
            raise WargameError(f"--scheduler {address}: the cluster has no workers")
        self.workers = threads
        self.slots = 2 * threads + 2
        self.name = f"{threads} Dask worker threads at {address}"
        self.plan = plan
        self._plan = self.client.scatter(plan, broadcast=True, hash=False)

    def submit(self, index: int) -> Any:
        return self.client.submit(run_chunk, self._plan, index, key=f"wargame-{self.plan.key}-{index}", pure=False)

    def wait(self, futures) -> set:
        from distributed import wait

        with self.client.as_current():
            return set(wait(list(futures), return_when="FIRST_COMPLETED").done)

    def restart(self) -> None:
        pass

    def close(self, abort: bool = False) -> None:
        # Closing the client releases its tasks on the cluster, finished or not.
        try:
            self.client.close()
        except Exception:  # noqa: BLE001 - closing a client to a lost scheduler must not mask the real error
            pass


def connect(plan: Plan, workers: int | None, scheduler: str | None):
    if scheduler:
        return DaskCluster(plan, scheduler)
    workers = workers or default_workers()
    if workers == 1:
        return Inline(plan)
    return LocalPool(plan, workers)
