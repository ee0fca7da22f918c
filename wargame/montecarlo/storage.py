"""The batch directory.

    DIR/batch.json          the plan (see plan.py) and the batch's status
    DIR/ruleset.yaml        the ruleset as played (before --set and sweeps), so the batch can be resumed and audited
    DIR/script.yaml         the move script, if any
    DIR/points/point-NNNN.yaml   with --set or a sweep: each point's ruleset, extending ruleset.yaml with the
                            point's values, so that `wargame run` replays any run of the batch alone
    DIR/batch.lock          held by the process running the batch, and there only while it runs
    DIR/parts/runs/part-NNNNNN.parquet     one part per finished chunk, while the batch runs
    DIR/parts/series/part-NNNNNN.parquet
    DIR/runs.parquet, DIR/series.parquet   the finished tables, in run-id order
    DIR/summary.md, DIR/charts/*.png       the summary

A chunk counts as finished when its runs part exists. Parts are written to a temporary name and renamed, series
part first, so an interruption at any moment leaves only whole parts behind. When every chunk is finished the
parts are merged, in chunk order and in row groups of a fixed size, into the two tables; so the tables' bytes
depend only on the plan, not on how many workers played it, in which order chunks finished, or on resumes.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import shutil
from pathlib import Path
from typing import Any

import yaml

from ..errors import WargameError
from ..ruleset import digest_of
from ..yamlio import deep_merge, display_path, load_text
from . import overrides as ov
from .names import PYTHON, Names
from .plan import FORMAT, Plan

MANIFEST = "batch.json"
RULESET = "ruleset.yaml"
SCRIPT = "script.yaml"
LOCK = "batch.lock"
POINTS = "points"
POINTS_AT_START = 1_000   # sweeps up to this size get every point's ruleset file when they start (about 1 ms each)
TABLES = ("runs", "series")
ROW_GROUP = {"runs": 10_000, "series": 50_000}   # bounded buffers: memory stays flat as batches grow
COMPRESSION = "zstd"


class BatchDir:
    def __init__(self, path: str | Path, names: Names = PYTHON, temporary: bool = False):
        self.path = Path(path)
        self.temporary = temporary      # removed when the batch's Result goes: nothing there can be resumed
        self.parts = self.path / "parts"
        self.names = names
        self.where = names.given("out", str(self.path))    # how messages name it: '--out DIR' or "out='DIR'"

    # -- creating and reading ------------------------------------------------------------------------
    def check_new(self) -> None:
        """Refuse a directory that holds anything: a batch never overwrites or mixes with other files."""
        if self.path.exists() and not self.path.is_dir():
            raise WargameError(f"{self.where}: exists and is not a directory")
        if self.path.is_dir() and any(self.path.iterdir()):
            hint = f"use {self.names['resume']} to continue the batch in it" if (self.path / MANIFEST).exists() \
                else "choose an empty or new directory"
            raise WargameError(f"{self.where}: the directory is not empty; {hint}")
        if not self.path.exists():
            # Catch what would stop mkdir before any worker starts: the nearest existing ancestor must be a
            # directory we may write in.
            parent = self.path.absolute().parent
            while not parent.exists() and not parent.is_symlink() and parent != parent.parent:
                parent = parent.parent
            if not parent.is_dir():
                raise WargameError(f"{self.where}: cannot create the directory: {display_path(parent)} is not a "
                                   "directory")
            if not os.access(parent, os.W_OK | os.X_OK):
                raise WargameError(f"{self.where}: cannot create the directory: no permission to write in "
                                   f"{display_path(parent)}")

    def make_dir(self) -> None:
        """Create the directory; WargameError if the system refuses."""
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WargameError(f"{self.where}: cannot create the directory ({os_reason(exc)})") from None

    def create(self, plan: Plan) -> None:
        """Write the plan, the ruleset and the script into the new directory (made by make_dir, and locked)."""
        try:
            self._create(plan)
        except OSError as exc:
            raise WargameError(f"{self.where}: cannot write the batch ({os_reason(exc)})") from None

    def _create(self, plan: Plan) -> None:
        _write_text(self.path / RULESET, _yaml_text(plan.ruleset_data, width=120))
        if plan.script_data is not None:
            _write_text(self.path / SCRIPT, _yaml_text(plan.script_data))
        for table in TABLES:
            (self.parts / table).mkdir(parents=True, exist_ok=True)
        self.write_points(plan)
        self.write_manifest(plan, "running")

    def write_points(self, plan: Plan) -> None:
        """Write each point's ruleset that is not there yet (a batch started by an earlier version has none), for
        sweeps of up to POINTS_AT_START points; a larger sweep's are written when a replay asks for them."""
        if replays_from_points(plan) and plan.points <= POINTS_AT_START:
            for point in range(plan.points):
                point_ruleset(self.path, plan, point)

    def write_manifest(self, plan: Plan, status: str, **extra: Any) -> None:
        data = {"status": status, **extra, **plan.to_manifest()}
        _write_text(self.path / MANIFEST, json.dumps(data, indent=1, ensure_ascii=False) + "\n")

    def note_status(self, plan: Plan, status: str) -> None:
        """Record why the batch stopped, if the directory lets us: a full disk that stopped the batch may refuse
        this too, and the reason the batch stopped matters more than its status ('running' is resumed alike)."""
        with contextlib.suppress(OSError):
            self.write_manifest(plan, status)

    def read(self) -> tuple[dict, Plan]:
        """The manifest and plan of the batch in this directory, for --resume."""
        where = self.where
        if not (self.path / MANIFEST).is_file():
            raise WargameError(f"{where}: no batch to resume here (no {MANIFEST})")
        try:
            manifest = json.loads((self.path / MANIFEST).read_text(encoding="utf-8"))
            if manifest.get("format") != FORMAT:
                raise WargameError(f"{where}: {MANIFEST} has format {manifest.get('format')!r}; "
                                   f"this version reads format {FORMAT}")
            ruleset = _load_yaml(self.path / RULESET)
            script = _load_yaml(self.path / SCRIPT) if (self.path / SCRIPT).exists() else None
            wrong = _manifest_problems(manifest)
            if wrong:
                raise WargameError([f"{where}: {MANIFEST}: {w}; restore the file or start a new batch" for w in wrong])
            if digest_of(ruleset) != manifest["ruleset"]["digest"]:
                raise WargameError(f"{where}: {RULESET} no longer matches the batch (it was edited); "
                                   "restore it or start a new batch")
            return manifest, Plan.from_manifest(manifest, ruleset, script)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise WargameError(f"{where}: cannot read the batch ({type(exc).__name__}: {exc})") from None

    @contextlib.contextmanager
    def lock(self):
        """One coordinator per batch directory: a second one would write the same parts. The lock file is there
        only while a coordinator holds it, so a finished or interrupted batch leaves none behind."""
        try:
            import fcntl
        except ImportError:       # no advisory locks on this platform
            yield
            return
        path = self.path / LOCK
        while True:
            try:
                handle = open(path, "a+")
            except OSError as exc:     # a read-only or full file system: say so before anything else is tried
                raise WargameError(f"{self.where}: cannot write in the directory ({os_reason(exc)})") from None
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                raise WargameError(f"{self.where}: another wargame montecarlo is using this directory") from None
            # The coordinator before us removes the file before letting go of it: if we opened it just before
            # that, we now hold a file no one else will open, which keeps no one out. Take the one at the path.
            if _same_file(handle, path):
                break
            handle.close()
        with handle:
            try:
                yield
            finally:
                with contextlib.suppress(OSError):    # a directory gone read-only keeps the (empty) file
                    path.unlink()
                fcntl.flock(handle, fcntl.LOCK_UN)

    # -- parts ---------------------------------------------------------------------------------------
    def part(self, table: str, index: int) -> Path:
        return self.parts / table / f"part-{index:06d}.parquet"

    def finished_chunks(self) -> set[int]:
        """Chunks whose parts are both on disk. Leftovers of an interrupted write are removed."""
        done = set()
        for table in TABLES:
            folder = self.parts / table
            folder.mkdir(parents=True, exist_ok=True)
            for stray in folder.glob("*.tmp*"):
                stray.unlink(missing_ok=True)
        for path in (self.parts / "runs").glob("part-*.parquet"):
            index = int(path.stem.split("-")[1])
            if self.part("series", index).exists():
                done.add(index)
            else:
                path.unlink()
        return done

    def write_part(self, index: int, runs: bytes, series: bytes) -> None:
        _write_bytes(self.part("series", index), series)
        try:
            _write_bytes(self.part("runs", index), runs)
        except OSError:
            # Without its runs part the chunk is played again: its series part would only hold space.
            self.part("series", index).unlink(missing_ok=True)
            raise

    # -- the finished tables -------------------------------------------------------------------------
    def table(self, name: str) -> Path:
        return self.path / f"{name}.parquet"

    def compact(self, plan: Plan) -> dict[str, int]:
        """Merge the parts into runs.parquet and series.parquet; returns the row count of each."""
        rows = {}
        for name in TABLES:
            parts = [self.part(name, i) for i in range(plan.chunks)]
            missing = [p for p in parts if not p.exists()]
            if missing:
                raise WargameError(f"{self.where}: {len(missing)} parts of the {name} table are missing "
                                   f"(first: {missing[0].name})")
            rows[name] = _merge(parts, self.table(name), ROW_GROUP[name])
        return rows

    def remove_parts(self) -> None:
        shutil.rmtree(self.parts, ignore_errors=True)

    def complete(self) -> bool:
        return all(self.table(t).exists() for t in TABLES) and not self.parts.exists()


# -- replaying one run ------------------------------------------------------------------------------

def replays_from_points(plan: Plan) -> bool:
    """Whether the batch's games play other rulesets than DIR/ruleset.yaml: with --set or a sweep."""
    return bool(plan.fixed or plan.sweep)


def point_file(out: Path, plan: Plan, point: int) -> Path:
    width = max(4, len(str(plan.points - 1)))
    return Path(out) / POINTS / f"point-{point:0{width}d}.yaml"


def point_ruleset(out: Path, plan: Plan, point: int) -> Path:
    """A point's ruleset file in DIR/points, written if it is not there yet. OSError if DIR refuses it."""
    path = point_file(out, plan, point)
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        _write_text(path, point_ruleset_text(plan, point))
    return path


def replay_command(out: Path, plan: Plan, run_id: int) -> str:
    """The `wargame run` command that plays one run of the batch in DIR again, alone, turn for turn (writing its
    point's ruleset if it is not there yet). OSError if DIR refuses it."""
    point, _ = plan.locate(run_id)
    ruleset = point_ruleset(out, plan, point) if replays_from_points(plan) else Path(out) / RULESET
    return _run_command(ruleset, Path(out), plan, str(plan.seed_of(run_id)))


def _run_command(ruleset: Path, out: Path, plan: Plan, seed: str) -> str:
    words = ["wargame", "run", str(ruleset), "--seed", seed, "--turns", str(plan.turns)]
    if plan.script_data is not None:
        words += ["--script", str(out / SCRIPT)]
    return shlex.join(words)


def point_ruleset_text(plan: Plan, point: int) -> str:
    """A point's ruleset as a file: `extends: ../ruleset.yaml` and the values the point changes. Where an
    extension cannot say it (a value set to null, which `extends:` reads as deleting the key, or a section set
    whole in another key order), the whole ruleset as the point plays it."""
    overrides = plan.overrides_of(point)
    values = ", ".join(f"{p}={ov.show_value(v)}" for p, v in overrides)
    what = f"sweep point {point} of a wargame montecarlo batch" if plan.sweep else "a wargame montecarlo batch"
    command = _run_command(point_file(Path(), plan, point), Path(), plan, "SEED")
    head = (f"# The ruleset of {what}, with {values}\n"
            f"# Replay one of its runs alone, in the batch's directory: {command}\n"
            "# (each run's seed is in runs.parquet and summary.md)\n")
    overlay = _overlay_of(plan.ruleset_data, overrides)
    if overlay is None:
        body = ov.apply(plan.ruleset_data, overrides)
    else:
        body = {"extends": f"../{RULESET}", **overlay}
    return head + _yaml_text(body, width=120)


def _overlay_of(base: dict, overrides: ov.Overrides) -> dict | None:
    """What an `extends:` file must hold for `base` to become `base` with the overrides set, exactly (key order
    included); None if no such file exists or a path cannot be followed."""
    changed = base
    for path, value in overrides:
        changed = _set_shared(changed, path, value)
        if changed is None:
            return None
    overlay = _difference(base, changed)
    merged = deep_merge(base, overlay, {}, {})
    return overlay if _identical(merged, changed) else None


def _set_shared(data: Any, path: str, value: Any) -> Any:
    """`data` with one value set, copying only the mappings and lists on the way to it (the rest is shared with
    `data`, so that a sweep of many points costs little). Follows a path as overrides.apply does: the longest
    key that matches, a list element by its index, a new key in an existing mapping. None if it cannot."""
    import copy

    parts = path.split(".")
    root = copy.copy(data)
    node, i = root, 0
    while True:
        if isinstance(node, dict):
            for j in range(len(parts), i, -1):
                key: Any = ".".join(parts[i:j])
                if key in node:
                    break
            else:
                if i != len(parts) - 1:
                    return None
                key, j = parts[i], i + 1
        elif isinstance(node, list):
            try:
                key, j = int(parts[i]), i + 1
                node[key]
            except (ValueError, IndexError):
                return None
        else:
            return None
        if j == len(parts):
            node[key] = copy.deepcopy(value)
            return root
        child = copy.copy(node[key])
        node[key] = child
        node, i = child, j


def _difference(base: dict, changed: dict) -> dict:
    out: dict = {key: None for key in base if key not in changed}     # null deletes a key in an extension
    for key, value in changed.items():
        old = base.get(key, _ABSENT)
        if _identical(old, value):
            continue
        out[key] = _difference(old, value) if isinstance(old, dict) and isinstance(value, dict) else value
    return out


_ABSENT = object()


def _identical(a: Any, b: Any) -> bool:
    """Equal, of the same types, with mappings' keys in the same order (1 and 1.0 differ, as do {a, b} and
    {b, a}: the engine may read either difference)."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_identical(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(map(_identical, a, b))
    return a == b


def _manifest_problems(m: Any) -> list[str]:
    """What is missing or of the wrong kind in a manifest (edited by hand, or damaged), one line each: the plan
    read from it must be the one the batch was started with, or --resume would play something else."""
    if not isinstance(m, dict):
        return [f"expected a JSON object, got {type(m).__name__}"]
    problems = []

    def whole(value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)

    def texts(value: Any, size: int | None = None) -> bool:
        return isinstance(value, list) and all(
            isinstance(v, str) if size is None else
            isinstance(v, list) and len(v) == size and isinstance(v[0], str) for v in value)

    checks = [("runs", lambda v: whole(v) and v >= 1, "a whole number of at least 1"),
              ("turns", lambda v: whole(v) and v >= 1, "a whole number of at least 1"),
              ("every", lambda v: whole(v) and v >= 1, "a whole number of at least 1"),
              ("chunk", lambda v: whole(v) and v >= 1, "a whole number of at least 1"),
              ("seed", lambda v: whole(v) and v >= 0, "a whole number, 0 or more"),
              ("ruleset", lambda v: isinstance(v, dict) and all(isinstance(v.get(k), str)
                                                                for k in ("file", "id", "digest")),
               "an object with the ruleset's file, id and digest"),
              ("set", lambda v: texts(v, 2), "a list of [path, value] pairs"),
              ("sweep", lambda v: v is None or (isinstance(v, dict) and isinstance(v.get("method"), str)
                                                and texts(v.get("parameters")) and isinstance(v.get("file"), str)
                                                and isinstance(v.get("points"), list) and v["points"]
                                                and all(texts(p, 2) for p in v["points"])),
               "null or a sweep with its method, parameters and points"),
              ("columns", lambda v: texts(v) and bool(v), "a list of indicator names"),
              ("deescalators", texts, "a list of actor ids"),
              ("outcomes", lambda v: texts(v, 2) and bool(v), "a list of [id, label] pairs"),
              ("param_types", lambda v: texts(v, 2) and all(t[1] in ("float", "string") for t in v),
               "a list of [path, 'float' or 'string'] pairs"),
              ("stoppage_below", lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
               "a number")]
    for key, ok, expected in checks:
        if key not in m:
            problems.append(f"'{key}' is missing")
        elif not ok(m[key]):
            problems.append(f"'{key}' should be {expected}, got {json.dumps(m[key], ensure_ascii=False)[:60]}")
    if not problems:
        points = len(m["sweep"]["points"]) if m["sweep"] else 1
        if m.get("total") != points * m["runs"]:
            problems.append(f"'total' should be {points * m['runs']:,} (runs × sweep points), "
                            f"got {json.dumps(m.get('total'))}")
    return problems


def _merge(parts: list[Path], dest: Path, group: int) -> int:
    """Stream parts into one file in row groups of exactly `group` rows (the last one shorter)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    tmp = dest.with_name(dest.name + ".tmp")
    writer = None
    pending: list = []
    waiting = total = 0
    try:
        for path in parts:
            table = pq.read_table(path, pre_buffer=False)
            if writer is None:
                writer = pq.ParquetWriter(tmp, table.schema, compression=COMPRESSION)
            pending.append(table)
            waiting += table.num_rows
            total += table.num_rows
            if waiting >= group:
                merged = pa.concat_tables(pending)
                start = 0
                while waiting - start >= group:
                    writer.write_table(merged.slice(start, group), row_group_size=group)
                    start += group
                pending, waiting = [merged.slice(start)], waiting - start
        if writer is not None and waiting:
            writer.write_table(pa.concat_tables(pending), row_group_size=group)
        if writer is not None:
            writer.close()
            writer = None
        os.replace(tmp, dest)
    except BaseException:
        # Interrupted or refused (a full disk): the parts are intact, and a half-merged table goes.
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.close()
        tmp.unlink(missing_ok=True)
        raise
    return total


def _yaml_text(data: Any, **options: Any) -> str:
    # libyaml where installed: four times quicker than the pure-Python emitter on a ruleset (a batch writes one
    # as it starts, and a sweep may have 100,000 points to write), and the same text.
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, **options)


def _write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)      # half a file would only take the space a retry needs
        raise


def _same_file(handle: Any, path: Path) -> bool:
    """Whether the open file `handle` is still the one at `path`."""
    try:
        at_path = os.stat(path)
    except FileNotFoundError:
        return False
    opened = os.fstat(handle.fileno())
    return (opened.st_dev, opened.st_ino) == (at_path.st_dev, at_path.st_ino)


def _write_text(path: Path, text: str) -> None:
    _write_bytes(path, text.encode("utf-8"))


def os_reason(exc: OSError) -> str:
    """'Not a directory: afile' rather than '[Errno 20] Not a directory: 'afile/sub''."""
    text = exc.strerror or type(exc).__name__
    return f"{text}: {exc.filename}" if exc.filename else text


def _load_yaml(path: Path) -> Any:
    doc, problems = load_text(path.read_text(encoding="utf-8"), str(path))
    if problems:
        raise ValueError(problems[0])
    return doc.data
