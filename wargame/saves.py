"""Saved games: versioned JSON holding the ruleset's identity, the seed, every move, event and instructor
intervention, and a snapshot of the state with every random stream, so that a loaded game continues exactly
as if it had never been saved. docs/saves.md describes the format.

Saves are written atomically (a temporary file in the same folder, flushed to disk, then renamed over the
old one), so a failed save never damages the file already on disk. Loading only reads: it checks the
format, the version, a checksum over the content and the ruleset's digest, and reports what is wrong in
one line.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import hashlib
import json
import math
import os
import random
import tempfile
import types
import typing
from collections.abc import Collection
from pathlib import Path
from typing import Any

import numpy as np

from .errors import Problem, RulesetError, SaveError, WargameError
from .model import WargameModel
from .moves import Adjudication, Event
from .policies import BUILTIN, HumanPolicy
from .ruleset import DEFAULT_RULESET, Ruleset, load_ruleset, ruleset_from_data
from .scripts import Script
from .state import GameState
from .turn import TurnReport
from .yamlio import display_path

FORMAT = "wargame-save"
VERSION = 2
READABLE = (1, 2)       # version 1 had no interventions, pending human moves or per-turn event ranges
REQUIRED = ("ruleset", "seed", "turn_limit", "policies", "history", "events", "state", "rng")


# The modules whose code decides how a game unfolds: a save records their digest, so that a replay that
# diverges can say whether the engine changed since the game was played.
ENGINE_MODULES = ("agents", "conditions", "economy", "effects", "forecast", "indicators", "instructor", "market",
                  "model", "moves", "network", "observation", "policies", "politics", "reader", "ruleset",
                  "scripts", "state", "trade", "turn", "yamlio")


@functools.lru_cache(maxsize=1)
def engine_digest() -> str:
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in ENGINE_MODULES:
        try:
            h.update(name.encode() + b"\0" + (here / f"{name}.py").read_bytes())
        except OSError:
            h.update(name.encode() + b"\0missing")
    return h.hexdigest()


def engine_changed(doc: dict) -> bool:
    """True if the save records an engine digest and the code running now differs from it."""
    recorded = (doc.get("engine") or {}).get("digest")
    return recorded is not None and recorded != engine_digest()


def _canonical(doc: dict) -> bytes:
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _checksum(doc: dict) -> str:
    return hashlib.sha256(_canonical({k: v for k, v in doc.items() if k != "checksum"})).hexdigest()


def _rng_state(gen) -> dict:
    return gen.bit_generator.state


def _random_state(rnd) -> list:
    version, internal, gauss = rnd.getstate()
    return [version, list(internal), gauss]


def _event_ranges(model: WargameModel) -> list[list[int]]:
    """Where each turn's report events sit in the event log (the instructor's events fall between them)."""
    index = {id(e): i for i, e in enumerate(model.events)}
    ranges, end = [], 0
    for report in model.reports:
        if report.events and id(report.events[0]) in index:
            start = index[id(report.events[0])]
            end = start + len(report.events)
        else:
            start = end
        ranges.append([start, end])
    return ranges


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("wargame")
    except Exception:  # noqa: BLE001 - not installed as a distribution: the digest still identifies the code
        return "unknown"


def snapshot(model: WargameModel, embed_ruleset: bool = True) -> dict:
    """The whole game as plain data (the content of a save file)."""
    rules = model.rules
    ranges = _event_ranges(model)
    pending = {a: list(agent.policy.pending) for a, agent in model.actors.items()
               if isinstance(agent.policy, HumanPolicy) and agent.policy.pending is not None}
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "ruleset": {"id": rules.id, "name": rules.name, "digest": rules.digest, "file": rules.file,
                    "data": rules.raw if embed_ruleset else None},
        "engine": {"version": _version(), "digest": engine_digest()},
        "seed": model.seed,
        "turn_limit": model.turn_limit,
        "policies": dict(model.policy_names),
        "script": model.script.to_data() if model.script else None,
        "history": [{"turn": r.turn, "orders": r.orders,
                     "rejected": {a: [list(x) for x in rej] for a, rej in r.adjudication.rejected.items() if rej},
                     "indicators": r.indicators, "events": span} for r, span in zip(model.reports, ranges)],
        "events": [e.to_dict() for e in model.events],
        "interventions": copy.deepcopy(model.interventions),
        "pending": pending,
        "state": model.state.to_dict(),
        "rng": {"model": _rng_state(model.rng), "random": _random_state(model.random),
                "actors": {a: _rng_state(agent.stream) for a, agent in model.actors.items()}},
    }
    # A round trip through JSON text makes the snapshot exactly what a reader of the file will see (key order
    # kept: the engine iterates some of these mappings).
    doc = json.loads(json.dumps(doc, ensure_ascii=False))
    doc["checksum"] = _checksum(doc)
    return doc


def save_game(model: WargameModel, path: str | Path, embed_ruleset: bool = True) -> Path:
    """Write the game to `path` atomically. Raises SaveError (and leaves any existing file intact) on failure."""
    path = Path(path)
    shown = display_path(path)
    try:
        text = json.dumps(snapshot(model, embed_ruleset), ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise SaveError(Problem(shown, "", f"cannot save this game: {exc}")) from None
    write_atomic(path, text)
    return path


def check_writable(path: str | Path) -> None:
    """Raise SaveError now if a save could not be written at `path` (a folder in the way, a missing or read-only
    folder), so that a headless game or an instructor's session is not played only to be lost at the end. Makes
    the folder, as saving would, and leaves nothing else behind."""
    fd, tmp = _temporary_beside(Path(path))
    os.close(fd)
    os.unlink(tmp)


def _temporary_beside(path: Path) -> tuple[int, str]:
    """A new temporary file in `path`'s folder (made if need be), to be renamed over `path`."""
    shown = display_path(path)
    if path.is_dir():
        raise SaveError(Problem(shown, "", "cannot write the save: it is a folder"))
    _make_folder(path, shown)
    try:
        return tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise SaveError(Problem(shown, "", f"cannot write the save: {exc.strerror or exc}")) from None


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` all at once: readers see the old file or the new one, never a mix."""
    shown = display_path(path)
    fd, tmp = _temporary_beside(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private; a save is an ordinary document.
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise SaveError(Problem(shown, "", f"cannot write the save: {exc.strerror or exc}")) from None
    _sync_folder(path.parent)


def _make_folder(path: Path, shown: str) -> None:
    """Make the folder a save goes in; a file standing where a folder should be is named."""
    for folder in (path.parent, *path.parent.parents):
        if folder.exists():
            if not folder.is_dir():
                raise SaveError(Problem(shown, "", f"cannot write the save: {display_path(folder)} is a file, "
                                                   "not a folder"))
            break
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SaveError(Problem(shown, "", f"cannot write the save: {exc.strerror or exc}")) from None


def _sync_folder(folder: Path) -> None:
    # Makes the rename itself durable; not every platform allows opening a folder.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def read_save(path: str | Path) -> dict:
    """Read and check a save file without building a game. The file is only read."""
    shown = display_path(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise SaveError(Problem(shown, "", "file not found")) from None
    except IsADirectoryError:
        raise SaveError(Problem(shown, "", "is a folder, not a save file")) from None
    except OSError as exc:
        raise SaveError(Problem(shown, "", f"cannot read the save: {exc.strerror or exc}")) from None
    return check_save(raw, shown)


def check_save(raw: bytes | str, shown: str = "<save>") -> dict:
    """Parse and check the text of a save."""
    if not raw:
        raise SaveError(Problem(shown, "", "the file is empty (not a wargame save)"))
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise SaveError(Problem(shown, "", "not a wargame save (the file is not UTF-8 text; corrupted?)")) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        # A complete save ends with its closing brace; text that stops short of it was cut off.
        what = "truncated" if not text.rstrip().endswith("}") or exc.pos >= len(text.rstrip()) else "corrupted"
        where = f"{exc.msg.removesuffix(' at')} at line {exc.lineno} column {exc.colno}"
        raise SaveError(Problem(shown, "", f"not a readable save: the JSON is {what} ({where})")) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise SaveError(Problem(shown, "format", f"not a wargame save (expected format '{FORMAT}')"))
    version = doc.get("version")
    if version not in READABLE:
        newer = isinstance(version, int) and version > VERSION
        raise SaveError(Problem(shown, "version", f"save format version {version!r} is not supported "
                                                  f"(this version of wargame reads versions "
                                                  f"{', '.join(map(str, READABLE))})"
                                                  + ("; it was written by a newer wargame" if newer else "")))
    if "checksum" not in doc:
        raise SaveError(Problem(shown, "checksum", "the save has no checksum (it was not written by wargame)"))
    if doc["checksum"] != _checksum(doc):
        raise SaveError(Problem(shown, "checksum", "the save's content does not match its checksum "
                                                   "(the file was edited or corrupted)"))
    problems = shape_problems(doc, shown)
    if problems:
        raise SaveError(problems)
    return doc


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: str(value).lower(), list: "a list", dict: "a mapping"}.get(type(value), type(value).__name__)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# No number in a game comes near this (the largest are losses in yen, around 1e14); far larger ones overflow the
# engine's arithmetic (to infinity, which cannot be rounded or turned into a date).
MAX_MAGNITUDE = 1e18


def _number(value: Any) -> bool:
    """A finite number of a size a game can hold (JSON as Python writes it may hold NaN and Infinity)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) \
        and abs(value) <= MAX_MAGNITUDE


# What a save holds, checked wherever it is read (see shape_problems). The state's fields and the events are
# checked against their classes' type annotations; the rest against the descriptions below, in which a name is
# one of: whole (a whole number of at least 0), number, text, the ruleset's actor, move, inject, node or lane,
# or moves (a list of moves); a trailing '?' allows null (and, in an intervention, leaving it out).

# The details of each kind of instructor intervention (instructor.perform reads them).
INTERVENTION_FIELDS: dict[str, dict[str, str]] = {
    "inject": {"inject": "inject"},
    "event": {"text": "text"},
    "reveal": {"actor": "actor"},
    "hide": {"actor": "actor"},
    "override": {"actor": "actor", "moves": "moves", "by": "text?"},
    "pause": {"note": "text?"},
    "resume": {},
    "policy": {"actor": "actor", "policy": "text"},
    "branch": {"parent": "text?"},
}
# The entries of the state's lists of records.
STATE_RECORDS: dict[str, dict[str, str]] = {
    "active": {"move": "move", "actor": "actor", "since": "whole", "until": "whole?"},
    "projects": {"arrives": "whole", "node": "node?", "lane": "lane?", "amount": "number", "by": "actor?"},
}
# State fields whose numbers have bounds beyond being numbers.
STATE_BOUNDS: dict[str, tuple[float, float]] = {"turn": (0, math.inf), "relations": (-1.0, 1.0),
                                                 "resolve": (0.0, 1.0), "beliefs": (math.ulp(0.0), math.inf)}
# State fields that saves written before they existed lack (a game then starts them empty).
STATE_ADDED_LATER = ("flows", "last_played_public")
# State fields that grow as a game is played, and what their keys name. Every other field has the size it has
# in a new game of the save's ruleset: an entry for each node, lane, commodity, actor or government.
STATE_GROWING: dict[str, str | None] = {
    "relations": "pair", "last_played": "move", "last_played_public": "move", "last_played_by": "actor/move",
    "uses": "actor/move", "streaks": "outcome", "revealed": "actor", "active": None, "projects": None,
    "flows": None, "indicators": None, "chance": None}
# State fields holding the state of a random stream.
STATE_STREAMS = ("chance",)


@functools.lru_cache(maxsize=None)
def _annotations(cls: type) -> dict[str, Any]:
    """A dataclass's public fields and their types."""
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls) if not f.name.startswith("_")}


def _expected(hint: Any) -> str:
    """A type annotation in words: 'a list of numbers', 'a mapping', 'text or null'."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return " or ".join("null" if a is type(None) else _expected(a) for a in args)
    plain = {int: "a whole number", float: "a number", str: "text", bool: "true or false"}
    if hint in plain:
        return plain[hint]
    origin = typing.get_origin(hint) or hint
    item = (args[0] if origin in (list, tuple) else args[-1]) if args else None
    inner = {int: "whole numbers", float: "numbers", str: "names"}.get(item)
    if origin in (list, tuple):
        return "a list" + (f" of {inner}" if inner else "")
    if origin is dict:
        return "a mapping" + (f" of {inner}" if inner else "")
    return "anything"


class _Checker:
    """Collects what is wrong in a save, one Problem per key, naming it and what was expected. With the ruleset
    the game was played with, also what a save of that ruleset must hold: its actors, moves and sizes."""

    def __init__(self, shown: str, rules: Ruleset | None, as_game: bool = False):
        self.shown, self.rules, self.as_game = shown, rules, as_game
        self.problems: list[Problem] = []

    def say(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.shown, path, message))

    def bad(self, path: str, expected: str, value: Any) -> None:
        got = repr(value) if isinstance(value, (int, float, str)) and not isinstance(value, bool) else _kind(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) \
                and abs(value) > MAX_MAGNITUDE:
            expected += f" no larger than {MAX_MAGNITUDE:g}"
        self.say(path, f"expected {expected}, got {got}")

    # -- single values ----------------------------------------------------------------------------------
    def known(self, kind: str) -> Collection | None:
        """The ids or positions the ruleset has of a kind (None: anything of the right type, without one)."""
        rules = self.rules
        if rules is None:
            return None
        return {"actor": rules.actors, "move": rules.moves, "inject": rules.injects,
                "outcome": {o.id for o in rules.outcomes}, "node": range(len(rules.network.nodes)),
                "lane": range(len(rules.network.lanes))}.get(kind)

    def is_known(self, path: str, value: Any, kind: str) -> bool:
        known = self.known(kind)
        if known is None or value in known:
            return True
        where = f"the ruleset '{self.rules.id}'"
        if isinstance(known, range):
            self.bad(path, f"a {kind} of {where} (0 to {len(known) - 1})", value)
        else:
            self.bad(path, f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} of {where}", value)
        return False

    def value(self, path: str, value: Any, spec: str) -> bool:
        """Check one value against a description (see INTERVENTION_FIELDS)."""
        kind, optional = spec.rstrip("?"), spec.endswith("?")
        if value is None and optional:
            return True
        if kind in ("whole", "node", "lane"):
            if not _whole(value) or not _number(value) or value < 0:
                self.bad(path, "a whole number of at least 0" if kind == "whole" else f"a {kind} number", value)
                return False
            return kind not in ("node", "lane") or self.is_known(path, value, kind)
        if kind == "number":
            if not _number(value):
                self.bad(path, "a number", value)
                return False
            return True
        if kind == "moves":
            if not isinstance(value, list):
                self.bad(path, "a list of moves", value)
                return False
            return all([self.value(f"{path}[{i}]", m, "move") for i, m in enumerate(value)])
        if not isinstance(value, str):
            self.bad(path, "text" if kind == "text" else f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} (its id)",
                     value)
            return False
        return kind == "text" or self.is_known(path, value, kind)

    def record(self, path: str, rec: Any, spec: dict[str, str], complete: bool = False) -> bool:
        """Check a mapping's keys against descriptions; say which are missing (`complete`: every key must be
        there, even those that may be null)."""
        if not isinstance(rec, dict):
            self.bad(path, "a mapping", rec)
            return False
        ok = True
        for key, described in spec.items():
            if key not in rec and (complete or not described.endswith("?")):
                self.say(f"{path}.{key}", "missing from the save")
                ok = False
            elif not self.value(f"{path}.{key}", rec.get(key), described):
                ok = False
        return ok

    def typed(self, path: str, value: Any, hint: Any, bounds: tuple[float, float] | None = None,
              nullable: bool = False) -> bool:
        """Check a value against a type annotation (int, float, str, list[...], dict[str, ...], X | None, Any),
        and its numbers against `bounds`."""
        args = typing.get_args(hint)
        origin = typing.get_origin(hint) or hint
        if hint is Any:
            return True
        if origin in (typing.Union, types.UnionType):
            if value is None and type(None) in args:
                return True
            options = [a for a in args if a is not type(None)]
            if len(options) == 1:
                return self.typed(path, value, options[0], bounds, nullable=True)
            fits = any(isinstance(value, typing.get_origin(a) or a) for a in options)
        elif hint is int:
            fits = _whole(value) and _number(value) and (bounds is None or bounds[0] <= value <= bounds[1])
        elif hint is float:
            fits = _number(value) and (bounds is None or bounds[0] <= value <= bounds[1])
        elif origin in (list, tuple):
            if not isinstance(value, list):
                fits = False
            else:
                item = args[0] if args else Any
                return all([self.typed(f"{path}[{i}]", v, item, bounds) for i, v in enumerate(value)])
        elif origin is dict:
            if not isinstance(value, dict):
                fits = False
            else:
                item = args[1] if args else Any
                return all([self.typed(f"{path}.{k}", v, item, bounds) for k, v in value.items()])
        else:
            fits = isinstance(value, origin)
        if not fits:
            expected = _expected(hint)
            if bounds is not None and hint in (int, float):
                low, high = bounds
                expected += (f" from {low:g} to {high:g}" if high != math.inf else
                             " above 0" if low == math.ulp(0.0) else f" of at least {low:g}")
            self.bad(path, expected + (" or null" if nullable else ""), value)
        return fits

    def stream(self, path: str, value: Any) -> None:
        """The state of a PCG64 random stream: what numpy accepts and gives back unchanged."""
        try:
            generator = np.random.PCG64()
            generator.state = value
            fits = generator.state == value
        except (TypeError, ValueError, KeyError, OverflowError, AttributeError):
            fits = False
        if not fits:
            self.bad(path, "the state of a PCG64 random stream", value)

    # -- the parts of a save ------------------------------------------------------------------------------
    def state(self, state: dict, history: list) -> None:
        for name, hint in _annotations(GameState).items():
            path = f"state.{name}"
            if name not in state:
                if name not in STATE_ADDED_LATER:
                    self.say(path, "missing from the save")
                continue
            value = state[name]
            if name in STATE_STREAMS:
                if value is not None:
                    self.stream(path, value)
                continue
            if not self.typed(path, value, hint, STATE_BOUNDS.get(name)):
                continue
            if name in STATE_RECORDS:
                for i, rec in enumerate(value):
                    self.record(f"{path}[{i}]", rec, STATE_RECORDS[name], complete=True)
            if name == "beliefs":
                for observer, targets in value.items():
                    for target, pair in targets.items():
                        if len(pair) != 2:
                            self.bad(f"{path}.{observer}.{target}", "a list of 2 numbers (a Beta distribution's "
                                                                    "alpha and beta)", pair)
        if _whole(state.get("turn")) and isinstance(history, list) and state["turn"] != len(history):
            self.bad("state.turn", f"the number of turns in the history ({len(history)})", state["turn"])
        projects = state.get("projects")
        for i, p in enumerate(projects if isinstance(projects, list) else []):
            if isinstance(p, dict) and (p.get("node") is None) == (p.get("lane") is None):
                self.say(f"state.projects[{i}]", "expected either a node or a lane, not both or neither")
        if self.rules is not None and not self.problems:     # (sizes and ids once every type is right)
            self.state_fits(state)

    def state_fits(self, state: dict) -> None:
        """Sizes as in a new game of the ruleset; keys of the fields that grow naming what the ruleset has."""
        fresh = self.fresh_state()
        for name, value in state.items():
            if name not in fresh:
                continue
            path = f"state.{name}"
            if name in STATE_GROWING:
                keys = STATE_GROWING[name]
                if keys is not None and isinstance(value, dict):
                    for key in value:
                        self.key(f"{path}.{key}", key, keys)
                elif keys is not None and isinstance(value, list):
                    for i, key in enumerate(value):
                        self.key(f"{path}[{i}]", key, keys)
            else:
                self.same_size(path, value, fresh[name])
        for i, entry in enumerate(state.get("active") or []):
            # A move in force acts through its effects for the actor who played it, which only its actors have.
            move = self.rules.moves.get(entry.get("move")) if isinstance(entry, dict) else None
            if move is not None and entry.get("actor") in self.rules.actors and entry["actor"] not in move.actors:
                self.bad(f"state.active[{i}].actor", f"an actor who can play '{move.id}' "
                                                     f"({', '.join(move.actors)})", entry["actor"])
        if isinstance(state.get("indicators"), dict):
            self.indicators("state.indicators", state["indicators"])
        if state.get("outcome") is not None:
            self.value("state.outcome", state["outcome"], "outcome")

    def key(self, path: str, key: Any, keys: str) -> None:
        """A key of a growing mapping: an actor, a move, an outcome, 'actor/move' or 'actor|actor'."""
        if keys in ("actor", "move", "outcome"):
            self.value(path, key, keys)
            return
        sep = "/" if keys == "actor/move" else "|"
        parts = key.split(sep) if isinstance(key, str) else []
        kinds = ("actor", "move") if sep == "/" else ("actor", "actor")
        if len(parts) != 2 or any(self.known(k) is not None and p not in self.known(k) for p, k in zip(parts, kinds)):
            self.say(path, f"expected a key '{'actor/move' if sep == '/' else 'actor|actor'}' naming the ruleset "
                           f"'{self.rules.id}''s {'actor and move' if sep == '/' else 'actors'}")

    def same_size(self, path: str, value: Any, fresh: Any) -> None:
        if isinstance(fresh, list) and isinstance(value, list):
            if len(value) != len(fresh):
                self.bad(f"{path} (length)", f"{len(fresh)} entries, as in every game of the ruleset "
                                             f"'{self.rules.id}'", len(value))
                return
            for i, (v, f) in enumerate(zip(value, fresh)):
                self.same_size(f"{path}[{i}]", v, f)
        elif isinstance(fresh, dict) and isinstance(value, dict):
            for key in fresh:
                if key not in value:
                    self.say(f"{path}.{key}", "missing from the save")
                else:
                    self.same_size(f"{path}.{key}", value[key], fresh[key])
            for key in value:
                if key not in fresh:
                    self.say(f"{path}.{key}", f"not expected here (expected only {', '.join(map(str, fresh))})")

    def indicators(self, path: str, saved: dict) -> None:
        """Indicators have the keys and kinds of a new game's (numbers, texts, mappings of numbers)."""
        def like(p: str, value: Any, fresh: Any) -> None:
            if isinstance(fresh, dict):
                if not isinstance(value, dict):
                    self.bad(p, "a mapping", value)
                    return
                for key, v in value.items():
                    like(f"{p}.{key}", v, fresh.get(key, next(iter(fresh.values()), 0.0)))
            elif isinstance(fresh, str):
                if not isinstance(value, str):
                    self.bad(p, "text", value)
            elif not _number(value):
                self.bad(p, "a number", value)

        fresh = self.fresh_indicators()
        for key, value in fresh.items():
            if key not in saved:
                self.say(f"{path}.{key}", "missing from the save")
            else:
                like(f"{path}.{key}", saved[key], value)

    def fresh_state(self) -> dict:
        return _fresh(self.rules)[0]

    def fresh_indicators(self) -> dict:
        return _fresh(self.rules)[1]

    def streams(self, rng: dict) -> None:
        for key in ("model", "random", "actors"):
            if key not in rng:
                self.say(f"rng.{key}", "missing from the save")
        if "model" in rng:
            self.stream("rng.model", rng["model"])
        if "random" in rng:
            self.random_stream("rng.random", rng["random"])
        actors = rng.get("actors", {})
        if not isinstance(actors, dict):
            self.bad("rng.actors", "a mapping of actor to the state of its random stream", actors)
            return
        for actor, value in actors.items():
            if self.value(f"rng.actors.{actor}", actor, "actor"):
                self.stream(f"rng.actors.{actor}", value)
        for actor in self.known("actor") or ():
            if actor not in actors:
                self.say(f"rng.actors.{actor}", "missing from the save")

    def random_stream(self, path: str, value: Any) -> None:
        """The state of Python's random generator: [version, 625 whole numbers, a number or null]."""
        fits = isinstance(value, list) and len(value) == 3 and isinstance(value[1], list) and \
            (value[2] is None or _number(value[2]))
        if fits:
            try:
                state = (value[0], tuple(value[1]), value[2])
                probe = random.Random()
                probe.setstate(state)
                fits = probe.getstate() == state
            except (TypeError, ValueError, OverflowError):
                fits = False
        if not fits:
            self.bad(path, "the state of Python's random generator ([version, 625 numbers, gauss])", value)

    def history(self, history: list, events: list) -> None:
        for i, item in enumerate(history):
            path = f"history[{i}]"
            if not isinstance(item, dict):
                self.bad(path, "a mapping", item)
                continue
            if not _whole(item.get("turn")):
                self.bad(f"{path}.turn", "a turn number", item.get("turn"))
            elif item["turn"] != i + 1:
                self.bad(f"{path}.turn", f"turn {i + 1} (the history lists every turn in order)", item["turn"])
            orders = item.get("orders")
            if not isinstance(orders, dict):
                self.bad(f"{path}.orders", "a mapping", orders)
            else:
                # A replay reports moves the ruleset does not have as where the save diverges; a game built
                # from the record (loaded or resumed) cannot show them.
                for actor, moves in orders.items():
                    if self.value(f"{path}.orders.{actor}", actor, "actor"):
                        if self.as_game:
                            self.value(f"{path}.orders.{actor}", moves, "moves")
                        elif not isinstance(moves, list) or not all(isinstance(m, str) for m in moves):
                            self.bad(f"{path}.orders.{actor}", "a list of moves", moves)
            rejected = item.get("rejected", {})
            if not isinstance(rejected, dict):
                self.bad(f"{path}.rejected", "a mapping", rejected)
            else:
                for actor, pairs in rejected.items():
                    where = f"{path}.rejected.{actor}"
                    if not self.value(where, actor, "actor"):
                        continue
                    if not isinstance(pairs, list):
                        self.bad(where, "a list of [move, reason]", pairs)
                        continue
                    for j, pair in enumerate(pairs):
                        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
                            self.bad(f"{where}[{j}]", "[move, reason]", pair)
            indicators = item.get("indicators")
            if not isinstance(indicators, dict):
                self.bad(f"{path}.indicators", "a mapping", indicators)
            elif self.rules is not None:
                self.indicators(f"{path}.indicators", indicators)
            span = item.get("events")
            if span is not None and not (isinstance(span, list) and len(span) == 2 and all(map(_whole, span))
                                         and 0 <= span[0] <= span[1] <= len(events)):
                self.bad(f"{path}.events", f"[start, end] in the event log (0 to {len(events)})", span)

    def events(self, events: list) -> None:
        hints = _annotations(Event)
        for i, item in enumerate(events):
            path = f"events[{i}]"
            if not isinstance(item, dict):
                self.bad(path, "a mapping", item)
                continue
            for name, hint in hints.items():
                if name not in item and name in ("turn", "kind", "text"):
                    self.say(f"{path}.{name}", "missing from the save")
                elif self.typed(f"{path}.{name}", item.get(name), hint) and item.get(name) is not None:
                    if name == "actor":      # (not the move: a rejected move may be one the ruleset lacks)
                        self.value(f"{path}.{name}", item[name], name)
                    elif name == "visible_to":
                        for j, actor in enumerate(item[name]):
                            self.value(f"{path}.{name}[{j}]", actor, "actor")

    def interventions(self, interventions: list) -> None:
        from .instructor import KINDS

        for i, rec in enumerate(interventions):
            path = f"interventions[{i}]"
            if not isinstance(rec, dict):
                self.bad(path, "a mapping", rec)
                continue
            if not _whole(rec.get("turn")):
                self.bad(f"{path}.turn", "a turn number", rec.get("turn"))
            if rec.get("kind") not in KINDS:
                self.bad(f"{path}.kind", f"one of {', '.join(KINDS)}", rec.get("kind"))
            else:
                self.record(path, rec, INTERVENTION_FIELDS[rec["kind"]])

    def save(self, doc: dict) -> None:
        if not _whole(doc["seed"]) or doc["seed"] < 0:
            self.bad("seed", "a whole number of at least 0", doc["seed"])
        if not _whole(doc["turn_limit"]) or doc["turn_limit"] < 1:
            self.bad("turn_limit", "a whole number of at least 1", doc["turn_limit"])
        info = doc["ruleset"]
        if not isinstance(info, dict):
            self.bad("ruleset", "a mapping (id, name, file, digest, data)", info)
        else:
            for key, hint in (("id", str), ("digest", str), ("file", str | None), ("data", dict | None)):
                self.typed(f"ruleset.{key}", info.get(key), hint)
        engine = doc.get("engine", {})
        if not isinstance(engine, dict) or not isinstance(engine.get("digest", ""), str):
            self.bad("engine", "a mapping (version, digest)", engine)
        policies = doc["policies"]
        if not isinstance(policies, dict):
            self.bad("policies", "a mapping of actor to policy", policies)
        else:
            for actor, name in policies.items():
                if not isinstance(name, str) or not (name in BUILTIN or ":" in name):
                    self.bad(f"policies.{actor}", f"{', '.join(BUILTIN)} or module:Class", name)
        if doc.get("script") is not None and not isinstance(doc["script"], dict):
            self.bad("script", "a move script (a mapping with 'turns') or null", doc["script"])
        for key in ("history", "events"):
            if not isinstance(doc[key], list):
                self.bad(key, "a list", doc[key])
        if isinstance(doc["events"], list):
            self.events(doc["events"])
            if isinstance(doc["history"], list):
                self.history(doc["history"], doc["events"])
        if not isinstance(doc["state"], dict):
            self.bad("state", "a mapping", doc["state"])
        else:
            self.state(doc["state"], doc["history"])
        if not isinstance(doc["rng"], dict):
            self.bad("rng", "a mapping", doc["rng"])
        else:
            self.streams(doc["rng"])
        interventions = doc.get("interventions") or []
        if not isinstance(interventions, list):
            self.bad("interventions", "a list", interventions)
        else:
            self.interventions(interventions)
        pending = doc.get("pending") or {}
        if not isinstance(pending, dict) or not all(isinstance(m, list) for m in pending.values()):
            self.bad("pending", "a mapping of player to a list of moves", pending)
        else:
            for actor, moves in pending.items():
                if self.value(f"pending.{actor}", actor, "actor"):
                    self.value(f"pending.{actor}", moves, "moves")


_FRESH: dict[str, tuple[dict, dict]] = {}


def _fresh(rules: Ruleset) -> tuple[dict, dict]:
    """A new game's state and indicators for `rules`: the sizes and keys a save of that ruleset must have."""
    from .indicators import baseline
    from .state import initial_state

    if rules.digest not in _FRESH:
        state = initial_state(rules, np.random.default_rng(0))
        _FRESH[rules.digest] = state.to_dict(), baseline(rules, state)
    return _FRESH[rules.digest]


MAX_PROBLEMS = 20       # a save with every number replaced would otherwise print thousands of lines


def shape_problems(doc: dict, shown: str, rules: Ruleset | None = None, as_game: bool = False) -> list[Problem]:
    """What is the wrong shape in a save whose checksum matches (written by another program, or edited and
    re-sealed): one Problem per key, naming it and what was expected, rather than a failure deep in loading or
    in a later turn. With `rules` (the ruleset the game was played with), also every actor, move, node and lane
    it names, and the sizes of the state (one entry per node, lane, commodity...). `as_game`: the save's record
    is to become a game's (loading, resuming), not only to be replayed and compared."""
    missing = [k for k in REQUIRED if k not in doc]
    if missing:
        return [Problem(shown, key, "missing from the save") for key in missing]
    checker = _Checker(shown, rules, as_game)
    checker.save(doc)
    problems = list(dict.fromkeys(checker.problems))
    if len(problems) > MAX_PROBLEMS:
        more = len(problems) - MAX_PROBLEMS + 1
        problems = problems[:MAX_PROBLEMS - 1] + [Problem(shown, "", f"and {more} more problems")]
    return problems


def resolve_ruleset(doc: dict, path: str | Path, ruleset: Ruleset | str | Path | None = None) -> Ruleset:
    """The ruleset a save was played with: `ruleset` if given, else the copy embedded in the save, else its
    file. Raises SaveError if that ruleset is not the one the game was played with, or if the save does not
    fit it (actors, moves or sizes it does not have: see shape_problems)."""
    shown = display_path(path)
    info = doc["ruleset"] if isinstance(doc.get("ruleset"), dict) else {}
    if ruleset is not None:
        rules = ruleset if isinstance(ruleset, Ruleset) else load_ruleset(ruleset)
    elif info.get("data") is not None:
        try:
            rules = ruleset_from_data(info["data"], info.get("file") or f"{shown} (embedded ruleset)")
        except RulesetError as exc:
            more = f" (and {len(exc.problems) - 1} more problems)" if len(exc.problems) > 1 else ""
            raise SaveError(Problem(shown, "ruleset.data", "the embedded ruleset no longer loads: "
                                                           f"{exc.lines()[0]}{more}")) from None
    else:
        found = _ruleset_file(info.get("file"), Path(path).parent)
        if found is None:
            raise SaveError(Problem(shown, "ruleset.file",
                                    f"the ruleset file '{info.get('file')}' is not embedded in the save and was "
                                    "not found; name it with --ruleset"))
        rules = load_ruleset(found)
    if rules.digest != info.get("digest"):
        raise SaveError(Problem(shown, "ruleset.digest",
                                f"the ruleset '{rules.id}' ({rules.file}) has changed since this game was saved "
                                f"(digest {str(info.get('digest'))[:12]} in the save, {rules.digest[:12]} now)"))
    check_fits(doc, shown, rules)
    return rules


def check_fits(doc: dict, shown: str, rules: Ruleset, as_game: bool = False) -> None:
    """Raise SaveError, one line per problem, if the save does not fit `rules` (see shape_problems)."""
    problems = shape_problems(doc, shown, rules, as_game)
    if problems:
        raise SaveError(problems)


def _ruleset_file(name: str | None, beside: Path) -> Path | None:
    if not name:
        return None
    candidates = [Path(name), beside / name, DEFAULT_RULESET.parent / Path(name).name]
    return next((c for c in candidates if c.is_file()), None)


def ruleset_file_changed(doc: dict) -> bool:
    """True if the ruleset file a save names now differs from the copy the game was played with."""
    found = _ruleset_file(doc.get("ruleset", {}).get("file"), Path("."))
    if found is None:
        return False
    try:
        return load_ruleset(found).digest != doc["ruleset"].get("digest")
    except WargameError:
        return True


def load_game(path: str | Path, ruleset: Ruleset | str | Path | None = None,
              trusted: Collection[str] = ()) -> WargameModel:
    """Rebuild a saved game exactly: continuing it gives the same future as if it had never been saved.
    `trusted` names the players' own policy classes ('package.module:Class') the save may use (see new_game)."""
    doc = read_save(path)
    rules = resolve_ruleset(doc, path, ruleset)
    return restore(doc, rules, str(path), trusted)


def restore(doc: dict, rules: Ruleset, where: str = "<save>", trusted: Collection[str] = ()) -> WargameModel:
    """Build the game a checked save document holds, with `rules` (see resolve_ruleset)."""
    from . import instructor
    from .scripts import _read  # the same validation as a script file
    from .yamlio import Document

    check_fits(doc, display_path(where), rules, as_game=True)
    part = "script"     # the part of the save being read, named if it is damaged
    try:
        script: Script | None = None
        if doc.get("script"):
            script = _read(Document(doc["script"], f"{where} (script)"), rules)
        part = "policies"
        model = new_game(doc, rules, script, where, trusted)
        part = "state"
        model.state = GameState.from_dict(doc["state"], {m.id: m.family for m in rules.moves.values()})
        part = "rng"
        model.rng.bit_generator.state = doc["rng"]["model"]
        version, internal, gauss = doc["rng"]["random"]
        model.random.setstate((version, tuple(internal), gauss))
        for actor, state in doc["rng"]["actors"].items():
            model.actors[actor].stream.bit_generator.state = state
        part = "events"
        model.events = [Event.from_dict(e) for e in doc["events"]]
        part = "history"
        model.reports = []
        for h in doc["history"]:
            adj = Adjudication(accepted={a: list(m) for a, m in h["orders"].items()},
                               rejected={a: [tuple(x) for x in h.get("rejected", {}).get(a, [])]
                                         for a in h["orders"]})
            if "events" in h:
                start, end = h["events"]
                events = model.events[start:end]
            else:
                events = [e for e in model.events if e.turn == h["turn"]]
            adj.events = [e for e in events if e.kind in ("move", "rejected", "effect") and e.turn == h["turn"]]
            model.reports.append(TurnReport(h["turn"], adj.accepted, adj, h["indicators"], events))
            for name in model.datacollector.model_vars:
                model.datacollector.model_vars[name].append(h["indicators"].get(name, 0.0))
        model.steps = model.state.turn
        model.running = model.state.outcome is None and model.state.turn < model.turn_limit
        part = "interventions"
        model.interventions.extend(copy.deepcopy(doc.get("interventions") or []))
        instructor.reinstate(model)
        part = "pending"
        for actor, moves in (doc.get("pending") or {}).items():
            if isinstance(model.actors[actor].policy, HumanPolicy):
                model.actors[actor].policy.pending = list(moves)
    except SaveError:
        raise
    except WargameError as exc:
        raise SaveError([Problem(display_path(where), part, line) for line in exc.lines()]) from None
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise SaveError(Problem(display_path(where), part, f"the save is damaged ({type(exc).__name__}: {exc})")) \
            from None
    return model


def new_game(doc: dict, rules: Ruleset, script: Script | None = None, where: str = "<save>",
             trusted: Collection[str] = ()) -> WargameModel:
    """A fresh game with a save's seed, policies, script and turn limit: its turn 1, as first played.

    A save may name a player's own policy class ('package.module:Class'). Making it would import that module
    and run its code, which no save text may cause by itself: such a class is used only if the caller
    names it in `trusted` (--trust-policy on the command line); otherwise SaveError names it."""
    policies = doc["policies"]
    untrusted = [(actor, name) for actor, name in policies.items() if name not in BUILTIN and name not in trusted]
    if untrusted:
        raise SaveError([Problem(display_path(where), f"policies.{actor}",
                                 f"played by the Python class '{name}', which a save does not import by itself; "
                                 f"if you trust it, give --trust-policy {name} (trusted=['{name}'] in Python)")
                         for actor, name in untrusted])
    humans = tuple(a for a, name in policies.items() if name == "human")
    try:
        return WargameModel(rules, rng=doc["seed"], policies={a: p for a, p in policies.items() if p != "human"},
                            script=script, turns=doc["turn_limit"], humans=humans)
    except SaveError:
        raise
    except WargameError as exc:
        # An actor the ruleset does not have, or a policy that cannot be made: the save's fault, so say where.
        raise SaveError([Problem(display_path(where), "policies", line) for line in exc.lines()]) from None


def standing(doc: dict) -> str:
    """Where a saved game stands, for a list of saves: '12 of 52 turns played · Tokyo, Beijing at the keyboard ·
    unfinished'."""
    names = {a: spec.get("name", a) for a, spec in ((doc.get("ruleset") or {}).get("data") or {}).get("actors", {}).items()
             if isinstance(spec, dict)}
    humans = [names.get(a, a) for a, policy in doc.get("policies", {}).items() if policy == "human"]
    who = f"{', '.join(humans)} at the keyboard" if humans else "the AI playing"
    outcome = (doc.get("state") or {}).get("outcome")
    return (f"{len(doc.get('history', []))} of {doc.get('turn_limit')} turns played · {who} · "
            + (f"ended: {str(outcome).replace('_', ' ')}" if outcome else "unfinished"))


def describe(doc: dict) -> str:
    """One line about a save: ruleset, seed, turns played and outcome."""
    state = doc.get("state", {})
    outcome = state.get("outcome") or "unfinished"
    return (f"{doc.get('ruleset', {}).get('id')} · seed {doc.get('seed')} · {len(doc.get('history', []))} turns "
            f"· {outcome}")
