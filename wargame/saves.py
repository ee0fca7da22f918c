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
import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Collection
from pathlib import Path
from typing import Any

from .errors import Problem, RulesetError, SaveError, WargameError
from .model import WargameModel
from .moves import Adjudication, Event
from .policies import BUILTIN, HumanPolicy
from .ruleset import DEFAULT_RULESET, Ruleset, load_ruleset, ruleset_from_data
from .savecheck import shape_problems
from .scripts import Script
from .state import GameState
from .turn import TurnReport
from .yamlio import display_path

FORMAT = "wargame-save"
VERSION = 2
READABLE = (1, 2)       # version 1 had no interventions, pending human moves or per-turn event ranges


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
        text = save_text(model, embed_ruleset)
    except (TypeError, ValueError) as exc:
        raise SaveError(Problem(shown, "", f"cannot save this game: {exc}")) from None
    write_atomic(path, text)
    return path


def save_text(model: WargameModel, embed_ruleset: bool = True) -> str:
    """The text of a save of the game as it stands: what save_game writes."""
    return json.dumps(snapshot(model, embed_ruleset), ensure_ascii=False, separators=(",", ":"))


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
        body = text.lstrip()
        if not body:
            raise SaveError(Problem(shown, "", "the file is blank (not a wargame save)")) from None
        if not body.startswith("{"):
            # A save is a JSON object from its first character: this is some other file (YAML, plain text).
            line = text[:len(text) - len(body)].count("\n") + 1
            first = body.splitlines()[0].strip()
            first = first if len(first) <= 60 else first[:57] + "..."
            raise SaveError(Problem(shown, "", f"not a wargame save: the file is not JSON (it begins '{first}'); "
                                               "a save is the JSON file wargame writes with --save", line)) from None
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
            # The fault is in the copy inside the save, not in the file it was copied from (which may be fine).
            first = exc.problems[0]
            said = f"{first.path}: {first.message}" if first.path else first.message
            more = f" (and {len(exc.problems) - 1} more problems)" if len(exc.problems) > 1 else ""
            name = f"the ruleset '{info['id']}'" if isinstance(info.get("id"), str) else "the ruleset"
            raise SaveError(Problem(shown, "ruleset.data", f"{name} embedded in the save no longer loads: "
                                                           f"{said}{more}")) from None
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


def ended_by_itself(doc: dict, rules: Ruleset) -> bool:
    """Whether the saved game ended by an outcome of its own (a settlement, say), not at its turn limit."""
    outcome = rules.outcome(doc["state"].get("outcome"))
    return outcome is not None and outcome.terminal


def extend_turn_limit(doc: dict, rules: Ruleset, limit: int):
    """Raise the turn limit of the save `doc` (in memory) to `limit`, as if the game had been started with it: a
    class that played to the limit it set out with, and wants more, goes on. A game that reached its old limit is
    reopened: the outcome it was given there is taken back (the game played on would not have had it), so that
    the save stays exactly the game the longer limit gives, and replays as one. A game that ended by an outcome
    of its own stays over, and a limit no higher than the save's changes nothing. Returns the outcome taken
    back (an OutcomeSpec), or None."""
    played, old = len(doc["history"]), doc["turn_limit"]
    if ended_by_itself(doc, rules) or limit <= old:
        return None
    outcome = rules.outcome(doc["state"].get("outcome"))
    doc["turn_limit"] = limit
    if played < old or outcome is None:
        return None
    events, span = doc["events"], doc["history"][-1].get("events")
    start, end = span if span is not None else (0, len(events))
    found = next((i for i in range(start, end)
                  if events[i].get("kind") == "outcome" and events[i].get("turn") == played), None)
    if found is not None:
        del events[found]
        for h in doc["history"]:
            s, e = h.get("events") or (None, None)
            if s is not None:
                h["events"] = [s - (s > found), e - (e > found)]
    doc["state"]["outcome"] = None
    return outcome


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


def at_the_keyboard(doc: dict) -> list[str]:
    """The actors people play in a saved game as it stands: its players, less those a what-if branch handed to
    another policy (its 'policy' interventions, which a restored game reinstates)."""
    policies = dict(doc.get("policies") or {})
    policies.update({r["actor"]: r.get("policy") for r in doc.get("interventions") or []
                     if isinstance(r, dict) and r.get("kind") == "policy" and "actor" in r})
    return [a for a, policy in policies.items() if policy == "human"]


def standing(doc: dict) -> str:
    """Where a saved game stands, for a list of saves: '12 of 52 turns played · Tokyo, Beijing at the keyboard ·
    unfinished'."""
    data = (doc.get("ruleset") or {}).get("data") or {}
    names = {a: spec.get("name", a) for a, spec in data.get("actors", {}).items() if isinstance(spec, dict)}
    humans = [names.get(a, a) for a in at_the_keyboard(doc)]
    who = f"{', '.join(humans)} at the keyboard" if humans else "the AI playing"
    outcome = (doc.get("state") or {}).get("outcome")
    # The outcome as the game announced it (its label in the save's ruleset); the id in words failing that.
    spec = data.get("outcomes", {}).get(outcome) if outcome and isinstance(data.get("outcomes"), dict) else None
    label = spec.get("label") if isinstance(spec, dict) and isinstance(spec.get("label"), str) else None
    return (f"{len(doc.get('history', []))} of {doc.get('turn_limit')} turns played · {who} · "
            + (f"ended: {label or str(outcome).replace('_', ' ')}" if outcome else "unfinished"))


def describe(doc: dict) -> str:
    """One line about a save: ruleset, seed, turns played and outcome."""
    state = doc.get("state", {})
    outcome = state.get("outcome") or "unfinished"
    return (f"{doc.get('ruleset', {}).get('id')} · seed {doc.get('seed')} · {len(doc.get('history', []))} turns "
            f"· {outcome}")
