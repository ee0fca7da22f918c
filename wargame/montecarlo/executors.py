"""Where chunks are played: in this process, in a local process pool, or on a Dask distributed cluster.

All three offer the same small interface to the runner, which is the one code path for scheduling, saving,
resuming and reporting:

    submit(index) -> future        play chunk `index` (futures have .result(), .exception() and .cancel())
    wait(futures) -> done          block until at least one has finished
    slots                          how many chunks to keep in flight
    close(abort)                   release the workers (abort: now, abandoning chunks in flight)

A chunk whose worker died fails with WorkerDied; the runner plays it again.
"""

from __future__ import annotations

import collections
import concurrent.futures as cf
import contextlib
import multiprocessing
import multiprocessing.connection as mp_connection
import multiprocessing.resource_tracker
import os
import signal
import sys
from typing import Any

from ..errors import WargameError
from .names import PYTHON, Names
from .plan import Plan
from .worker import run_chunk

CONNECT_TIMEOUT = "10s"
GREETING_SECONDS = 5     # after connecting, for the scheduler to answer: it takes milliseconds
NOT_DASK = "is it another service's port, such as the dashboard's? A scheduler listens on 8786 unless told otherwise"


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

    def close(self, abort: bool = False) -> None:
        pass


class WorkerDied(Exception):
    """A worker process ended (killed, out of memory) before handing back its chunk."""


def _serve(conn, plan: Plan) -> None:
    """A worker's life: play each chunk index received, send back its result, until told to stop."""
    # Ctrl-C is for the coordinating process, which saves what is finished and stops the workers; a worker that
    # died of it first would only add tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            index = conn.recv()
        except (EOFError, OSError):
            return
        if index is None:
            return
        try:
            reply = (True, run_chunk(plan, index))
        except Exception as exc:  # noqa: BLE001 - handed to the runner, which decides
            reply = (False, exc)
        try:
            conn.send(reply)
        except Exception as exc:  # noqa: BLE001 - an exception that cannot be pickled
            conn.send((False, RuntimeError(f"{type(reply[1]).__name__}: {reply[1]} ({exc})")))


def start_fork_server() -> None:
    """Start the process that local workers are forked from, where the platform has one, if it is not running.

    It imports the engine (mesa brings pandas and scipy): a second or more before the first worker can start.
    Started as a batch begins, that overlaps with reading the ruleset and planning the batch in this process.
    """
    if not _has_fork_server():
        return
    import multiprocessing.forkserver

    _context()
    with _ctrl_c_held():
        multiprocessing.forkserver.ensure_running()


def _has_fork_server() -> bool:
    return sys.platform != "win32" and "forkserver" in multiprocessing.get_all_start_methods()


def _context():
    if _has_fork_server():
        # A fork server started before any threads exist (the progress bar has one) gives clean, quick workers;
        # preloading the engine and the Parquet writer spares each worker the imports.
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["wargame.montecarlo.worker", "pyarrow.parquet"])
        return ctx
    return multiprocessing.get_context("spawn")


@contextlib.contextmanager
def _ctrl_c_held():
    """Hold Ctrl-C back while the fork server and the workers start.

    A terminal's Ctrl-C goes to every process of the command. The fork server only ignores it once it has imported
    the engine, and a worker only once it has received its plan: caught before that, each would print a
    traceback of its own. Processes started with SIGINT blocked keep it blocked, so they never see it; this
    process sees a Ctrl-C pressed meanwhile as soon as they are started, and stops the batch as usual.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    # Started first: starting it unblocks SIGINT in this process, which would let the fork server see it.
    multiprocessing.resource_tracker.ensure_running()
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


class _Worker:
    def __init__(self, ctx, plan: Plan):
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=_serve, args=(child, plan), daemon=True, name="wargame-montecarlo")
        self.process.start()
        child.close()
        self.job: tuple[int, cf.Future] | None = None


class LocalPool:
    """Worker processes on this machine, each with a pipe of its own.

    Not concurrent.futures.ProcessPoolExecutor: its workers share one result pipe and its lock, so a worker
    killed while sending a chunk's result leaves the pool hung. Here a dead worker only loses its own chunk
    (reported as WorkerDied, for the runner to replay) and is replaced; the others carry on.
    """

    def __init__(self, plan: Plan, workers: int):
        self.plan = plan
        self.workers = workers
        self.slots = 2 * workers + 2
        self.name = f"{workers} local worker processes"
        self._ctx = _context()
        self._queue: collections.deque[tuple[int, cf.Future]] = collections.deque()
        with _ctrl_c_held():
            self._pool = [_Worker(self._ctx, plan) for _ in range(workers)]

    def submit(self, index: int) -> cf.Future:
        future: cf.Future = cf.Future()
        self._queue.append((index, future))
        self._dispatch()
        return future

    def _dispatch(self) -> None:
        for worker in self._pool:
            if not self._queue:
                return
            if worker.job is None:
                index, future = self._queue.popleft()
                if future.cancelled():
                    continue
                worker.job = (index, future)
                try:
                    worker.conn.send(index)
                except OSError:
                    pass        # the worker is dead: its sentinel will say so in wait()

    def wait(self, futures) -> set:
        while True:
            done = {f for f in futures if f.done()}
            if done:
                return done
            self._dispatch()
            busy = [w for w in self._pool if w.job is not None]
            if not busy:
                raise RuntimeError("no chunk is being played")  # a runner bug: waiting on nothing
            ready = mp_connection.wait([w.conn for w in busy] + [w.process.sentinel for w in busy])
            for worker in busy:
                if worker.conn in ready or worker.process.sentinel in ready:
                    self._collect(worker)

    def _collect(self, worker: _Worker) -> None:
        index, future = worker.job
        reply = None
        if worker.conn.poll():
            try:
                reply = worker.conn.recv()
            except (EOFError, OSError):   # died part-way through sending
                reply = None
        if reply is not None:
            ok, value = reply
            worker.job = None
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)
            return
        if worker.process.is_alive():
            return
        code = worker.process.exitcode
        future.set_exception(WorkerDied(f"a worker process died (exit code {code}) while playing chunk {index}"))
        worker.conn.close()
        self._pool[self._pool.index(worker)] = _Worker(self._ctx, self.plan)

    def close(self, abort: bool = False) -> None:
        pool, self._pool = self._pool, []
        for worker in pool:
            if not abort and worker.process.is_alive():
                try:
                    worker.conn.send(None)
                except OSError:
                    pass
        for worker in pool:
            if abort:
                worker.process.terminate()
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        for _, future in self._queue:
            future.cancel()
        self._queue.clear()


class DaskCluster:
    """Chunks as tasks on a Dask distributed scheduler. The plan is scattered to every worker once."""

    def __init__(self, plan: Plan, address: str, timeout: float | str | None = None, names: Names = PYTHON):
        where = names.given("scheduler", address)
        try:
            import dask
            from distributed import Client
        except ImportError:
            raise WargameError(f"{where}: needs Dask distributed: install the 'cluster' extra "
                               "(pip install 'wargame[cluster]')") from None
        from dask.utils import parse_timedelta
        from distributed.comm.addressing import parse_address, parse_host_port
        from distributed.comm.registry import get_backend

        try:
            scheme, location = parse_address(address)
            get_backend(scheme)     # an unknown scheme would leave a half-made Client stalling for 20 s
            if scheme in ("tcp", "tls"):
                parse_host_port(location)
        except ValueError as exc:
            raise WargameError(f"{where}: expected an address like tcp://HOST:PORT ({exc})") from None
        if timeout is None:
            # Dask's own default (30 s) is long for a typo'd address; its setting wins when the user changed it.
            configured = dask.config.get("distributed.comm.timeouts.connect", "30s")
            timeout = configured if configured not in ("30s", 30) else CONNECT_TIMEOUT
        why = _no_scheduler_at(address, parse_timedelta(timeout, "s"))
        if why:
            raise WargameError(f"{where}: {why}")
        try:
            self.client = Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise WargameError(f"{where}: cannot reach the Dask scheduler ({reason})") from None
        threads = sum(self.client.nthreads().values())
        if threads == 0:
            self.client.close()
            raise WargameError(f"{where}: the cluster has no workers")
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

    def close(self, abort: bool = False) -> None:
        # Closing the client releases its tasks on the cluster, finished or not.
        try:
            self.client.close()
        except Exception:  # noqa: BLE001 - closing a client to a lost scheduler must not mask the real error
            pass


def _no_scheduler_at(address: str, seconds: float) -> str | None:
    """Why no Dask scheduler answers at `address`, or None when one does, said within `seconds` plus a few.

    Dask's Client bounds only the TCP connection by its timeout, not the greeting that follows: at a port where
    another service listens (the dashboard's 8787 is an easy mistake) it waits for an answer forever, or reads an
    HTTP reply as the length of a message and fails allocating exabytes. Greeting the address first, with a
    deadline, turns both into one line.
    """
    import asyncio
    import threading

    from distributed.comm import connect as greet
    from distributed.security import Security

    arguments = Security().get_connection_args("client")
    found: list[str | None] = []

    async def hello() -> None:
        comm = await asyncio.wait_for(greet(address, timeout=seconds, **arguments), seconds + GREETING_SECONDS)
        await comm.close()

    def attempt() -> None:
        try:
            asyncio.run(hello())
            found.append(None)
        except TimeoutError:      # connected, then no greeting: the connection's own timeout raises OSError
            found.append(f"connected, but no Dask scheduler answered within {seconds + GREETING_SECONDS:g} s: "
                         f"{NOT_DASK}")
        except OSError as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            found.append(f"cannot reach the Dask scheduler ({reason})")
        except Exception:  # noqa: BLE001 - whatever a service that is not Dask sends back breaks the reading
            found.append(f"connected, but what answered is not a Dask scheduler: {NOT_DASK}")

    # On a thread of its own with its own event loop: a notebook's main thread already runs one.
    thread = threading.Thread(target=attempt, name="wargame-dask-greeting", daemon=True)
    thread.start()
    thread.join()
    return found[0] if found else "cannot reach the Dask scheduler"


def connect(plan: Plan, workers: int | None, scheduler: str | None, names: Names = PYTHON,
            chunks: int | None = None):
    """The executor that plays the batch's `chunks` chunks (default: all of them). `names` says how errors name
    the scheduler argument."""
    if scheduler:
        return DaskCluster(plan, scheduler, names=names)
    # A worker with no chunk to play would only cost its start-up (and its memory): 20 runs asked of 999 workers
    # start one.
    workers = min(workers or default_workers(), plan.chunks if chunks is None else max(1, chunks))
    if workers == 1:
        return Inline(plan)
    return LocalPool(plan, workers)
