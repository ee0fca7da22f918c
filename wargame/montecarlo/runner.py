"""The batch runner: plan, schedule chunks on an executor, save each as it finishes, resume, summarise."""

from __future__ import annotations

import base64
import collections
import contextlib
import copy
import numbers
import os
import tempfile
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import Problem, RulesetError, WargameError
from ..render import count
from ..ruleset import DEFAULT_RULESET, load_ruleset
from ..scripts import load_script
from ..yamlio import display_path
from . import overrides as ov
from .executors import WorkerDied, connect, default_workers, start_fork_server
from .names import PYTHON, Names
from .plan import Plan, auto_chunk, deescalating_actors, param_types, series_columns
from .storage import BatchDir, os_reason, replays_from_points
from .storage import replay_command as _command_in
from .sweeps import PointRejected, load_sweep
from .worker import RunFailed

EVENT_TURNS = ("first_stoppage_turn", "turns_to_deescalation")     # and deescalation_turn.<actor>
RETRIES = 3   # times a chunk may be in flight when worker processes die before the batch gives up


class BatchFailed(WargameError):
    """The batch stopped because a game failed, workers kept dying or the batch directory stopped taking writes
    (a full disk). Finished runs are saved; `.lines()` says what happened, one line each, and how to continue."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C stopped the batch (as SIGTERM does `wargame montecarlo`), after it said on stderr how many runs are
    saved and how to continue with resume=True."""


def require_analysis() -> None:
    # Looked up, not imported: matplotlib takes a quarter of a second to import, and only the charts need it.
    missing = [module for module in ("pandas", "pyarrow", "matplotlib") if not _installed(module)]
    if missing:
        raise WargameError(f"Monte Carlo batches need {', '.join(missing)}: install the 'analysis' extra "
                           "(pip install 'wargame[analysis]')")


def _installed(module: str) -> bool:
    import importlib.util
    import sys

    if module in sys.modules:
        return sys.modules[module] is not None      # None: blocked, as a test hides a library
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


@dataclass
class Result:
    """A finished batch. `runs` and `series` are pandas DataFrames; the summary's tables are too."""

    out: Path
    plan: Plan
    summary: Any
    elapsed: float = 0.0
    played: int = 0                   # runs played by this call (fewer than the total after --resume)
    _keep: Any = field(default=None, repr=False)   # the temporary directory, when no --out was given

    @cached_property
    def runs(self):
        import pandas as pd

        runs = pd.read_parquet(self.out / "runs.parquet")
        # pandas reads an integer column with nulls as float64 and one without as int32, so the type of an event's
        # turn would depend on whether every run had the event: always float64 here, NaN where it did not happen.
        events = [c for c in runs.columns if c in EVENT_TURNS or c.startswith("deescalation_turn.")]
        return runs.astype({c: "float64" for c in events})

    @cached_property
    def series(self):
        import pandas as pd

        return pd.read_parquet(self.out / "series.parquet")

    @property
    def outcomes(self):
        return self.summary.outcomes

    @property
    def indicators(self):
        return self.summary.indicators

    @property
    def sensitivity(self):
        return self.summary.sensitivity

    @property
    def by_value(self):
        return self.summary.by_value

    def replay_command(self, run_id: int) -> str:
        """The `wargame run` command that replays run `run_id` alone (see montecarlo.replay_command)."""
        return _replay(self.out, self.plan, run_id, PYTHON)

    def _repr_markdown_(self) -> str:
        """The summary, as a notebook shows the result. Its chart links are relative to DIR, and a notebook
        resolves them against its own folder, where they show as broken images: the charts go in the page."""
        text = self.summary.markdown
        for chart in self.summary.charts:
            try:
                encoded = base64.b64encode(chart.read_bytes()).decode("ascii")
            except OSError:       # removed since: the link stays, as in summary.md
                continue
            text = text.replace(f"]({chart.relative_to(self.out).as_posix()})",
                                f"](data:image/png;base64,{encoded})")
        return text

    def __str__(self) -> str:
        """print(result) shows the summary, as a notebook does."""
        return self.summary.markdown

    def __repr__(self) -> str:
        # Short: the generated one would print the whole plan, ruleset and sweep points included.
        return (f"<montecarlo.Result: {count(self.plan.total, 'run')} of up to {count(self.plan.turns, 'turn')}, "
                f"seed {self.plan.seed}, in {self.out}; .runs .series .outcomes .indicators .sensitivity .summary>")


def replay_command(out: str | Path, run_id: int) -> str:
    """The `wargame run` command that plays run `run_id` of the batch in `out` again, alone and turn for turn:
    the batch's ruleset (DIR/ruleset.yaml, or with --set or a sweep the run's point's ruleset in DIR/points,
    written now if the batch did not write it), the run's seed, the batch's --turns and script."""
    _, plan = BatchDir(out).read()
    return _replay(Path(out), plan, run_id, PYTHON)


def _replay(out: Path, plan: Plan, run_id: Any, names: Names) -> str:
    if isinstance(run_id, bool) or not isinstance(run_id, numbers.Integral) or not 0 <= run_id < plan.total:
        raise WargameError(f"run_id: expected a run id from 0 to {plan.total - 1:,}, got {run_id!r}")
    try:
        return _command_in(out, plan, int(run_id))
    except OSError as exc:
        raise WargameError(f"{BatchDir(out, names).where}: cannot write the point's ruleset "
                           f"({os_reason(exc)})") from None


def _in_a_starting_worker() -> bool:
    """Whether this is a worker process still importing the main module of its parent (multiprocessing's spawn
    and forkserver do that before a worker starts its work)."""
    import multiprocessing

    return bool(getattr(multiprocessing.current_process(), "_inheriting", False))


def _main_is_a_script() -> bool:
    """Whether this process runs a Python file (`python batch.py`), as opposed to a notebook, a console or the
    `wargame` command, whose workers do not run it again."""
    import sys

    main = sys.modules.get("__main__")
    file = getattr(main, "__file__", None)
    return file is not None and getattr(main, "__spec__", None) is None and \
        Path(file).resolve().parent != Path(__file__).resolve().parents[1]


def run(ruleset: str | Path | None = None, *, runs: int | None = None, turns: int | None = None,
        seed: int | None = None, script: str | Path | None = None, workers: int | None = None,
        scheduler: str | None = None, overrides: Any = None, sweep: str | Path | dict | None = None,
        out: str | Path | None = None, resume: bool = False, every: int | None = None, chunk: int | None = None,
        progress: bool = True, charts: bool = True, console: Any = None, names: Names = PYTHON) -> Result:
    """Play a Monte Carlo batch and return it as a Result: its tables as pandas DataFrames and its summary.

    ruleset     a ruleset file (default: the 2026 rare-earth ruleset)
    runs        games to play (at each sweep point); turns: the turn limit of each game (default: the ruleset's)
    seed        the batch seed (default 0): each run's seed is derived from it with numpy's SeedSequence
    script      a YAML move script pinning some actors' moves
    workers     local worker processes (default: one per core; 1 plays in this process)
    scheduler   a Dask scheduler address such as 'tcp://10.0.0.5:8786', instead of local workers
    overrides   ruleset parameters to set: {'economy.shortage_convexity': 1.2} or ['path=value', ...]
    sweep       a sweep file (or the same structure as a dict) varying parameters over a grid or a Latin hypercube
    out         the batch directory, new or empty (default: a temporary one, kept while the Result is alive,
                and no charts drawn)
    resume      continue the batch in `out`; arguments left as None are taken from it, others must agree
    every       record the per-turn series every `every` turns (default 1); the last turn is always recorded
    chunk       runs per chunk, the unit saved at once and played again after a crash (default: about 1% of the
                batch, between 50 and 250 runs)
    progress    a progress bar on stderr (plain lines where stderr is not a terminal); False for silence
    charts      draw the PNG charts in `out`/charts
    console     the rich Console that progress is written to (default: one on stderr)
    names       how error messages name these arguments (default: by these keywords; the command line passes
                names.COMMAND_LINE, its flags)

    Raises WargameError for bad input, BatchFailed when the batch stops part-way, and Interrupted (a
    KeyboardInterrupt) on Ctrl-C; after either of the last two, the finished runs are kept in `out` (when given)
    and resume=True continues.
    """
    if _in_a_starting_worker():
        # A worker process re-runs the main module of the script that started the batch; a call at its top level
        # (not under `if __name__ == "__main__":`) would start a batch in every worker. It stops quietly here,
        # and the batch, seeing its workers die before playing anything, says why.
        raise SystemExit(1)
    require_analysis()
    n = names
    runs, turns, seed, every, chunk, workers = _check_arguments(
        n, ruleset=ruleset, runs=runs, turns=turns, seed=seed, script=script, workers=workers, scheduler=scheduler,
        sweep=sweep, out=out, every=every, chunk=chunk)
    if workers is not None and scheduler is not None:
        raise WargameError(f"{n['workers']} and {n['scheduler']} exclude each other: local processes or a Dask "
                           "cluster")
    if scheduler is None and not resume and runs is not None and runs > (chunk or auto_chunk(runs)) \
            and (workers or default_workers()) > 1:
        start_fork_server()       # a batch of more than one chunk, on local workers: they start while we plan
    keep = None
    if out is None:
        if resume:
            raise WargameError(f"{n['resume']} needs {n['out']}: the directory of the batch to continue")
        keep = tempfile.TemporaryDirectory(prefix="wargame-mc-")
        out = Path(keep.name)
    folder = BatchDir(out, n, temporary=keep is not None)
    if resume:
        manifest, plan = folder.read()
        _check_same(plan, manifest, ruleset=ruleset, runs=runs, turns=turns, seed=seed, script=script,
                    overrides=overrides, sweep=sweep, every=every, chunk=chunk, out=folder.path, names=n)
    else:
        if runs is None:
            raise WargameError(f"{n['runs']} is required to start a batch (or {n['resume']} to continue one)")
        if keep is None:
            folder.check_new()
        plan = make_plan(ruleset, runs=runs, turns=turns, seed=0 if seed is None else seed, script=script,
                         overrides=overrides, sweep=sweep, every=1 if every is None else every, chunk=chunk, names=n)
    say = _Console(console, progress, n)
    started = time.perf_counter()
    played = 0
    if resume:
        with folder.lock():
            try:
                folder.write_points(plan)
            except OSError as exc:
                raise WargameError(f"{folder.where}: cannot write in the directory ({os_reason(exc)})") from None
            if not folder.complete():
                try:
                    folder.write_manifest(plan, "running")
                    done = folder.finished_chunks()
                except OSError as exc:
                    raise WargameError(f"{folder.where}: cannot write in the directory ({os_reason(exc)})") \
                        from None
                played = _finish(plan, folder, [i for i in range(plan.chunks) if i not in done], workers,
                                 scheduler, say)
    else:
        executor = connect(plan, workers, scheduler, names=n)
        try:
            folder.make_dir()
            with folder.lock():
                folder.create(plan)
                played = _finish(plan, folder, list(range(plan.chunks)), workers, scheduler, say, executor)
        finally:
            executor.close(abort=True)
    elapsed = time.perf_counter() - started
    from .summary import summarise

    try:
        summary = summarise(folder.path, plan, charts=charts and keep is None)
    except KeyboardInterrupt:
        say.note(f"interrupted while writing the summary: {_saved_line(folder, plan.total, plan, n, 'write it')}")
        raise Interrupted from None
    except OSError as exc:
        raise BatchFailed([f"{folder.where}: cannot write the summary ({os_reason(exc)})",
                           _saved_line(folder, plan.total, plan, n, "once it can be written again, write it")]) \
            from None
    return Result(folder.path, plan, summary, elapsed, played, keep)


def _check_arguments(n: Names, *, ruleset, runs, turns, seed, script, workers, scheduler, sweep, out, every,
                     chunk) -> tuple:
    """Refuse arguments of the wrong kind, one problem each, before anything is read or written. Whole numbers
    may be numpy integers (from np.arange, a DataFrame): they are returned as Python ints."""
    problems: list[str] = []

    def whole(key: str, value: Any, least: int) -> Any:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            problems.append(f"{n[key]}: expected a whole number of at least {least}, got {value!r}")
            return value
        value = int(value)
        if value < least:
            expected = {"seed": "0 or more", "workers": "at least 1"}.get(key, f"a whole number of at least {least}")
            problems.append(f"{n[key]}: expected {expected}, got {value}")
        return value

    runs, turns, every, chunk, workers = (whole(key, value, 1) for key, value in (
        ("runs", runs), ("turns", turns), ("every", every), ("chunk", chunk), ("workers", workers)))
    seed = whole("seed", seed, 0)
    files = (("ruleset", ruleset), ("script", script), ("out", out), ("sweep", sweep))
    for key, value in files:
        if value is not None and not isinstance(value, (str, os.PathLike)) and not (key == "sweep" and
                                                                                     isinstance(value, dict)):
            kind = "a file path or a dict of the same structure" if key == "sweep" else \
                "a directory path" if key == "out" else "a file path"
            problems.append(f"{n[key]}: expected {kind}, got {value!r}")
    if isinstance(out, (str, os.PathLike)) and not os.fspath(out).strip():
        # Path("") is the current directory: an empty --out would otherwise be told apart from it nowhere.
        problems.append(f"{n['out']}: expected a directory path, got nothing")
    if scheduler is not None and (not isinstance(scheduler, str) or not scheduler.strip()):
        problems.append(f"{n['scheduler']}: expected an address like tcp://HOST:PORT, got "
                        f"{'nothing' if isinstance(scheduler, str) else repr(scheduler)}")
    if problems:
        raise WargameError(problems)
    return runs, turns, seed, every, chunk, workers


def _finish(plan: Plan, folder: BatchDir, todo: list[int], workers: int | None, scheduler: str | None,
            say: "_Console", executor: Any = None) -> int:
    """Play the chunks still to do, then merge the parts into the finished tables."""
    played = 0
    if todo:
        executor = executor or connect(plan, workers, scheduler, names=say.names, chunks=len(todo))
        try:
            already = plan.total - sum(len(plan.chunk_range(i)) for i in todo)
            played = _play(plan, folder, executor, todo, say, already)
        except KeyboardInterrupt:
            folder.note_status(plan, "interrupted")     # --resume sets it back to running
            raise
        except WargameError:
            folder.note_status(plan, "failed")
            raise
        finally:
            executor.close(abort=True)
    try:
        rows = folder.compact(plan)
        folder.write_manifest(plan, "complete", rows=rows)
    except KeyboardInterrupt:
        folder.note_status(plan, "interrupted")
        say.note(f"interrupted while merging the tables: {_saved_line(folder, plan.total, plan, say.names)}")
        raise Interrupted from None
    except OSError as exc:
        folder.note_status(plan, "failed")
        raise _cannot_write(folder, "the merged tables", exc, plan.total, plan, say.names) from None
    folder.remove_parts()
    return played


def _cannot_write(folder: BatchDir, what: str, exc: OSError, saved: int, plan: Plan, names: Names) -> "BatchFailed":
    """A full disk or a file system gone read-only stops the batch: every finished run is kept, and --resume
    carries on once DIR can be written again."""
    return BatchFailed([f"{folder.where}: cannot write {what} ({os_reason(exc)})",
                        _saved_line(folder, saved, plan, names, "once it can be written again, continue")])


# About a week of a 100-core cluster; beyond it even the list of chunks still to play outgrows memory.
MAX_RUNS = 100_000_000


def make_plan(ruleset: str | Path | None, *, runs: int, turns: int | None, seed: int, script: str | Path | None,
              overrides: Any, sweep: str | Path | dict | None, every: int, chunk: int | None,
              names: Names = PYTHON) -> Plan:
    """Check the ruleset, overrides, sweep and script, and fix what the batch will play (the numbers are
    checked by run(), before anything is read). Raises WargameError on any bad input."""
    n = names
    rules = load_ruleset(ruleset)
    base = copy.deepcopy(rules.raw)
    # Every problem with the assignments at once: unreadable or repeated ones, unknown paths, then the values
    # the ruleset rejects.
    fixed, problems = ov.read_assignments(overrides, n)
    # In a fixed order, so that the batch (its table columns, manifest and summary) does not depend on the order
    # the assignments were given in. A section set whole comes before the settings inside it.
    fixed = ov.in_order(fixed)
    known = []
    for path, value in fixed:
        try:
            ov.check_path(base, path, value)
            known.append((path, value))
        except WargameError as error:
            problems += [f"{n['overrides']}: {p.message}" for p in error.problems]
    known = tuple(known)
    try:
        played = ov.build(base, known, file=rules.file, label=n["overrides"].rstrip("="))
    except RulesetError as error:
        problems += error.problems
        played = None
    chosen = script_obj = None
    # The turn limit, sweep and script are checked against the ruleset the assignments make, beside any problem
    # with an assignment whose path is unknown: every mistake in one pass, rather than one more after each fix.
    if played is not None:
        problem = None if turns is None else played.turn_limit_problem(turns)
        if problem:
            problems.append(f"{n['turns']}: {problem}")
        try:
            chosen = load_sweep(sweep, base, known, seed, fixed_label=n["overrides"]) if sweep is not None else None
        except WargameError as error:
            problems += error.problems
        try:
            script_obj = load_script(script, played) if script is not None else None
        except WargameError as error:
            problems += error.problems
    if problems:
        raise WargameError(problems)
    n_points = len(chosen.points) if chosen else 1
    total = n_points * runs
    if total > MAX_RUNS:
        per_point = f" ({runs:,} at each of {n_points:,} sweep points)" if chosen else ""
        raise WargameError(f"{n['runs']}: a batch plays at most {MAX_RUNS:,} games; this one would play "
                           f"{total:,}{per_point}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        ver = version("wargame")
    except PackageNotFoundError:
        ver = ""
    plan = Plan(ruleset_data=base, ruleset_file=rules.file, ruleset_id=rules.id, ruleset_digest=rules.digest,
                script_data=script_obj.to_data() if script_obj else None, fixed=fixed, sweep=chosen, runs=runs,
                turns=turns or played.max_turns, seed=seed, every=every, chunk=chunk or auto_chunk(total),
                columns=series_columns(played), deescalators=deescalating_actors(played),
                outcomes=tuple((o.id, o.label) for o in played.outcomes), param_types=param_types(fixed, chosen),
                version=ver)
    if chosen is None:
        plan.remember(0, played)       # the one point's ruleset: the games in this process and the summary use it
    return plan


def _check_same(plan: Plan, manifest: dict, *, out: Path, ruleset, runs, turns, seed, script, overrides, sweep,
                every, chunk, names: Names = PYTHON) -> None:
    """With --resume, anything given must agree with the batch being resumed. Reports every disagreement."""
    n = names
    problems: list = []

    def differ(key: str, given: Any, stored: Any) -> None:
        problems.append(f"{n['resume']}: {n.given(key, given)} differs from the batch in {out} ({stored}); "
                        "leave it out or give the same value")

    def not_the_one(what: str, hint: str = "") -> None:
        problems.append(f"{n['resume']}: the {what} is not the one the batch in {out} was started with{hint}")

    for key, given, stored in (("runs", runs, plan.runs), ("turns", turns, plan.turns), ("seed", seed, plan.seed),
                               ("every", every, plan.every), ("chunk", chunk, plan.chunk)):
        if given is not None and given != stored:
            differ(key, given, stored)
    checks = []
    if ruleset is not None:
        def same_ruleset() -> None:
            if load_ruleset(ruleset).digest != plan.ruleset_digest:
                not_the_one(f"ruleset {display_path(ruleset)}",
                            " (it differs or was edited); leave it out to use the batch's copy")
        checks.append(same_ruleset)
    if overrides is not None:
        def same_overrides() -> None:
            asked = ov.in_order(ov.parse_assignments(overrides, n))
            if dict(asked) != dict(plan.fixed):     # the same settings in any order are the same batch
                given = " ".join(f"{p}={ov.show_value(v)}" for p, v in asked) or "none"
                stored = " ".join(f"{p}={ov.show_value(v)}" for p, v in ov.in_order(plan.fixed)) or "none"
                differ("overrides", given, stored)
        checks.append(same_overrides)
    if sweep is not None:
        def same_sweep() -> None:
            again = load_sweep(sweep, plan.ruleset_data, plan.fixed, plan.seed, fixed_label=n["overrides"])
            if plan.sweep is None or again.to_manifest()["points"] != plan.sweep.to_manifest()["points"]:
                not_the_one(f"sweep {sweep}")
        checks.append(same_sweep)
    if script is not None:
        def same_script() -> None:
            rules = ov.build(plan.ruleset_data, plan.fixed, file=plan.ruleset_file)
            if plan.script_data != load_script(script, rules).to_data():
                not_the_one(f"script {script}")
        checks.append(same_script)
    for check in checks:
        try:
            check()
        except WargameError as error:      # a file that cannot be read is one more problem to report
            problems += error.problems
    if problems:
        raise WargameError(problems)


def _play(plan: Plan, folder: BatchDir, executor, todo: list[int], say: "_Console", total_done: int) -> int:
    """Keep the executor's slots full, save each chunk as it finishes. Returns the number of runs played."""
    queue = collections.deque(todo)
    inflight: dict[Any, int] = {}
    crashes: collections.Counter = collections.Counter()
    played = 0
    label = f"playing {count(plan.total, 'run')} of up to {count(plan.turns, 'turn')}"
    if plan.sweep:
        label += f" ({plan.runs:,} at each of {count(plan.points, 'sweep point')})"
    label += f" on {executor.name}"
    if total_done:
        label += f" ({total_done:,} already played)"

    def save(future, index: int) -> None:
        nonlocal played
        result = future.result()
        try:
            folder.write_part(index, result.runs_part, result.series_part)
        except OSError as exc:
            raise _WriteRefused(exc) from None
        played += result.runs
        if bar is not None:
            bar.advance(result.runs)

    def save_finished() -> None:
        for future, index in list(inflight.items()):
            if future.done() and not future.cancelled() and future.exception() is None:
                save(future, index)
                del inflight[future]

    bar = None      # until the progress bar starts: a Ctrl-C may come before
    try:
        with say.progress(label, plan.total, total_done) as bar:
            while queue or inflight:
                while queue and len(inflight) < executor.slots:
                    index = queue.popleft()
                    inflight[executor.submit(index)] = index
                broken = []
                for future in executor.wait(inflight):
                    index = inflight.pop(future)
                    error = future.exception()
                    if error is None:
                        save(future, index)
                    elif _is_worker_death(error):
                        broken.append(index)
                    else:
                        save_finished()
                        executor.close(abort=True)
                        raise _failure(error, plan, folder, total_done + played, say.names)
                if broken:
                    # Play the chunks of dead workers again; a chunk that keeps killing workers stops the batch.
                    for index in broken:
                        crashes[index] += 1
                    worst = max(broken, key=lambda i: crashes[i])
                    if crashes[worst] >= RETRIES:
                        save_finished()
                        executor.close(abort=True)
                        runs = plan.chunk_range(worst)
                        why = "out of memory, or killed"
                        if total_done + played == 0 and _main_is_a_script():
                            why = ("as they started: in a script, put the call to montecarlo.run under "
                                   "`if __name__ == \"__main__\":`, since worker processes run the script's top level")
                        raise BatchFailed([
                            f"worker processes died {crashes[worst]} times while playing runs "
                            f"{runs.start}–{runs.stop - 1} ({why})",
                            _saved_line(folder, total_done + played, plan, say.names)])
                    say.note(f"a worker process died; playing its {len(broken)} unfinished "
                             f"chunk{'s' if len(broken) > 1 else ''} again")
                    queue.extendleft(sorted(broken, reverse=True))
    except KeyboardInterrupt:
        with contextlib.suppress(_WriteRefused):
            save_finished()
        executor.close(abort=True)
        say.note("interrupted: " + _saved_line(folder, total_done + played, plan, say.names))
        raise Interrupted from None
    except _WriteRefused as refused:
        executor.close(abort=True)
        raise _cannot_write(folder, "a finished chunk", refused.error, total_done + played, plan,
                            say.names) from None
    return played


class _WriteRefused(Exception):
    """DIR refused a finished chunk's part (full disk, read-only file system)."""

    def __init__(self, error: OSError):
        super().__init__(error)
        self.error = error


def _is_worker_death(error: BaseException) -> bool:
    return isinstance(error, WorkerDied)


def _saved_line(folder: BatchDir, saved: int, plan: Plan, names: Names, then: str = "continue") -> str:
    if folder.temporary:
        # Removed as soon as the error is handled: a hint to resume it would point at nothing.
        return (f"{saved:,} of {plan.total:,} runs were played in a temporary directory, removed with them; give "
                f"{names['out']} to keep a batch that can be resumed")
    return (f"{saved:,} of {plan.total:,} runs are saved in {folder.path}; {then} with "
            f"{names.resume_hint(folder.path)}")


def _failure(error: BaseException, plan: Plan, folder: BatchDir, saved: int, names: Names) -> WargameError:
    if isinstance(error, PointRejected):
        # Bad input met late, not a failed game: resuming would meet it again, and replaying a seed cannot help.
        file = plan.sweep.file if plan.sweep else ""
        return WargameError([Problem(file, "", line) for line in error.lines()])
    if isinstance(error, RunFailed):
        return BatchFailed([str(error), _replay_line(folder, plan, error), _saved_line(folder, saved, plan, names)])
    name = type(error).__name__
    text = str(error).splitlines()[0] if str(error) else ""
    return BatchFailed([f"the batch stopped: {name}: {text}" if text else f"the batch stopped: {name}",
                        _saved_line(folder, saved, plan, names)])


def _replay_line(folder: BatchDir, plan: Plan, error: RunFailed) -> str:
    if not folder.temporary:
        with contextlib.suppress(OSError):       # a DIR that refuses the point's ruleset: say it as below
            return f"replay it alone with: {_command_in(folder.path, plan, error.run_id)}"
    # The batch's directory is gone (or refused the point's ruleset file): the ruleset it started from.
    ruleset = f" {plan.ruleset_file}" if Path(plan.ruleset_file).resolve() != DEFAULT_RULESET else ""
    return (f"replay it alone with: wargame run{ruleset} --seed {error.seed} --turns {plan.turns}"
            + (" (with the batch's --set and sweep parameters)" if replays_from_points(plan) else ""))


def _stderr_console():
    """A rich console on stderr that falls silent when the pipe it writes to is gone.

    A terminal's Ctrl-C also stops a program reading the output (`2>&1 | tee log`). Rich's own answer to the broken
    pipe is to exit at once (SystemExit), which would cut short the batch's record that it was interrupted; with
    nobody left to tell, the batch only stops telling.
    """
    from rich.console import Console

    class StderrConsole(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True

    return StderrConsole(stderr=True)


# Where stderr is a file (a log, nohup, a SLURM job), a line now and then stands in for the bar: when both this
# share of the batch and this many seconds have passed since the last one, so that a log gets about ten lines
# and never more than two a minute. A batch of at least LOG_PLAN_RUNS runs says first what it will play.
LOG_EVERY_SHARE = 0.1
LOG_EVERY_SECONDS = 30.0
LOG_PLAN_RUNS = 100


class _Console:
    """Progress and notes on stderr, through rich: a bar on a terminal or in a notebook, lines in a log."""

    def __init__(self, console: Any, enabled: bool, names: Names = PYTHON):
        self._console = console
        self.enabled = enabled
        self.names = names

    @property
    def console(self):
        # Made when first needed: a silent batch that nothing goes wrong in never imports rich.
        if self._console is None:
            self._console = _stderr_console()
        return self._console

    def progress(self, label: str, total: int, done: int):
        if not self.enabled:
            return _NoProgress()
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn,
                                   TimeElapsedColumn)

        live = self.console.is_terminal or self.console.is_jupyter
        if not live:
            if total >= LOG_PLAN_RUNS:
                self.note(label)
            return _LogLines(self, total, done)
        self.console.print(label, highlight=False, markup=False)
        progress = Progress(TextColumn("runs"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                            TimeElapsedColumn(), TextColumn("ETA"), _time_left_column(), console=self.console,
                            transient=False)
        return _Bar(progress, total, done)

    def note(self, text: str) -> None:
        self.console.print(text, highlight=False, markup=False, soft_wrap=True)


class _NoProgress:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def advance(self, n: int) -> None:
        pass


class _LogLines:
    """Progress as plain lines, for a stderr that is not a terminal: a bar's redrawing would be lost there (rich
    draws nothing), or fill a log with control characters."""

    def __init__(self, say: _Console, total: int, done: int, clock=time.monotonic):
        self.say, self.total, self.clock = say, total, clock
        self.done = self.first = self.told = done
        self.started = self.told_at = clock()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def advance(self, n: int) -> None:
        self.done += n
        now = self.clock()
        if self.done >= self.total or now - self.told_at < LOG_EVERY_SECONDS \
                or self.done - self.told < LOG_EVERY_SHARE * self.total:
            return       # the last line, with the time taken, is the command's own
        self.told, self.told_at = self.done, now
        self.say.note(self.line(now))

    def line(self, now: float) -> str:
        elapsed = now - self.started
        rate = (self.done - self.first) / elapsed if elapsed > 0 else 0.0
        text = f"played {self.done:,} of {self.total:,} runs ({100 * self.done / self.total:.0f}%)"
        if rate > 0:
            shown = f"{rate:,.0f}" if rate >= 10 else f"{rate:.1f}" if rate >= 0.1 else f"{rate:.2g}"
            # The rate of this command's own games: those of an earlier, resumed command took time it did not see.
            text += (f"; {shown} runs/s for {_duration(elapsed)}, "
                     f"about {_duration((self.total - self.done) / rate)} left")
        return text


def _duration(seconds: float) -> str:
    """'45 s', '3 min 20 s', '2 h 05 min': a log's reader wants the size of it, not H:MM:SS."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def _time_left_column():
    """The bar's time left, at the rate of this command's runs since it started.

    Rich's own estimate divides the runs of its last 30 s by the time between the first and the last update in
    them: runs arrive a chunk at a time, and two workers finishing chunks together made it a fraction of a
    second, so a quarter of the way through a 40-second batch the bar said one second was left.
    """
    from rich.progress import ProgressColumn
    from rich.text import Text

    class TimeLeft(ProgressColumn):
        def render(self, task) -> Text:
            if task.finished:
                return Text("0:00:00", style="progress.remaining")
            played = task.completed - task.fields.get("first", 0)
            if played <= 0 or not task.elapsed:
                return Text("-:--:--", style="progress.remaining")
            seconds = round((task.total - task.completed) * task.elapsed / played)
            return Text(f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}",
                        style="progress.remaining")

    return TimeLeft()


class _Bar:
    def __init__(self, progress, total: int, done: int):
        self.progress = progress
        # The runs an earlier, resumed command played took time this one did not see: the rate leaves them out.
        self.task = progress.add_task("runs", total=total, completed=done, first=done)

    def __enter__(self):
        self.progress.start()
        return self

    def __exit__(self, *exc):
        self.progress.stop()
        return False

    def advance(self, n: int) -> None:
        self.progress.advance(self.task, n)
