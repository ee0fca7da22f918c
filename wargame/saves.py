"""Saved games: versioned JSON holding the ruleset's identity, the seed, every move and event, and a
snapshot of the state with every random stream, so that a loaded game continues exactly as if it had
never been saved.

Saves are written atomically (a temporary file in the same folder, then a rename), so a failed save never
damages the file already on disk. Loading checks the format, the version, a checksum over the content and
the ruleset's digest, and reports what is wrong in one line per problem.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .errors import Problem, RulesetError, SaveError
from .model import WargameModel
from .moves import Adjudication, Event
from .ruleset import Ruleset, load_ruleset, ruleset_from_data
from .scripts import Script
from .state import GameState
from .turn import TurnReport
from .yamlio import display_path

FORMAT = "wargame-save"
VERSION = 1
SAVES_DIR = Path(__file__).resolve().parent.parent / "saves"


def _checksum(doc: dict) -> str:
    body = {k: v for k, v in doc.items() if k != "checksum"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _rng_state(gen) -> dict:
    return gen.bit_generator.state


def snapshot(model: WargameModel, embed_ruleset: bool = True) -> dict:
    """The whole game as plain data."""
    rules = model.rules
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "ruleset": {"id": rules.id, "name": rules.name, "digest": rules.digest, "file": rules.file,
                    "data": rules.raw if embed_ruleset else None},
        "seed": model.seed,
        "turn_limit": model.turn_limit,
        "policies": dict(model.policy_names),
        "script": model.script.to_data() if model.script else None,
        "history": [{"turn": r.turn, "orders": r.orders,
                     "rejected": {a: [list(x) for x in rej] for a, rej in r.adjudication.rejected.items() if rej},
                     "indicators": r.indicators} for r in model.reports],
        "events": [e.to_dict() for e in model.events],
        "state": model.state.to_dict(),
        "rng": {"model": _rng_state(model.rng), "random": _random_state(model.random),
                "actors": {a: _rng_state(agent.stream) for a, agent in model.actors.items()}},
    }
    doc["checksum"] = _checksum(doc)
    return doc


def _random_state(rnd) -> list:
    version, internal, gauss = rnd.getstate()
    return [version, list(internal), gauss]


def save_game(model: WargameModel, path: str | Path, embed_ruleset: bool = True) -> Path:
    """Write the game to `path` atomically. Raises SaveError (and leaves any existing file intact) on failure."""
    path = Path(path)
    text = json.dumps(snapshot(model, embed_ruleset), ensure_ascii=False, separators=(",", ":"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise SaveError(Problem(display_path(path), "", f"cannot write the save: {exc.strerror or exc}")) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise SaveError(Problem(display_path(path), "", f"cannot write the save: {exc.strerror or exc}")) from None
    return path


def read_save(path: str | Path) -> dict:
    """Read and check a save file without building a game."""
    shown = display_path(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SaveError(Problem(shown, "", "file not found")) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SaveError(Problem(shown, "", f"cannot read the save: {exc}")) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SaveError(Problem(shown, "", f"not a readable save (truncated or corrupted JSON: {exc.msg})",
                                exc.lineno)) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise SaveError(Problem(shown, "format", f"not a wargame save (expected format '{FORMAT}')"))
    if doc.get("version") != VERSION:
        raise SaveError(Problem(shown, "version", f"save format version {doc.get('version')!r} is not supported; "
                                                  f"this version of wargame reads version {VERSION}"))
    if doc.get("checksum") != _checksum(doc):
        raise SaveError(Problem(shown, "checksum", "the save's content does not match its checksum "
                                                   "(the file was edited or corrupted)"))
    missing = [k for k in ("ruleset", "seed", "turn_limit", "policies", "history", "events", "state", "rng")
               if k not in doc]
    if missing:
        raise SaveError(Problem(shown, missing[0], "missing from the save"))
    return doc


def _ruleset_for(doc: dict, path: str, ruleset: Ruleset | str | Path | None) -> Ruleset:
    shown = display_path(path)
    info = doc["ruleset"]
    if ruleset is not None:
        rules = ruleset if isinstance(ruleset, Ruleset) else load_ruleset(ruleset)
    elif info.get("data") is not None:
        try:
            rules = ruleset_from_data(info["data"], f"{shown} (embedded ruleset {info.get('id')})")
        except RulesetError as exc:
            raise SaveError(exc.problems) from None
    else:
        rules = load_ruleset(info.get("file"))
    if rules.digest != info.get("digest"):
        raise SaveError(Problem(shown, "ruleset.digest",
                                f"the ruleset '{info.get('id')}' has changed since this game was saved "
                                f"(saved digest {str(info.get('digest'))[:12]}, now {rules.digest[:12]})"))
    return rules


def load_game(path: str | Path, ruleset: Ruleset | str | Path | None = None) -> WargameModel:
    """Rebuild a saved game exactly: continuing it gives the same future as if it had never been saved."""
    doc = read_save(path)
    rules = _ruleset_for(doc, str(path), ruleset)
    return restore(doc, rules, str(path))


def restore(doc: dict, rules: Ruleset, where: str = "<save>") -> WargameModel:
    from .scripts import _read  # the same validation as a script file
    from .yamlio import Document

    try:
        script: Script | None = None
        if doc.get("script"):
            script = _read(Document(doc["script"], f"{where} (script)"), rules)
        policies = doc["policies"]
        humans = tuple(a for a, name in policies.items() if name == "human")
        model = WargameModel(rules, rng=doc["seed"], policies={a: p for a, p in policies.items() if p != "human"},
                             script=script, turns=doc["turn_limit"], humans=humans)
        model.state = GameState.from_dict(doc["state"], {m.id: m.family for m in rules.moves.values()})
        model.rng.bit_generator.state = doc["rng"]["model"]
        version, internal, gauss = doc["rng"]["random"]
        model.random.setstate((version, tuple(internal), gauss))
        for actor, state in doc["rng"]["actors"].items():
            model.actors[actor].stream.bit_generator.state = state
        model.events = [Event.from_dict(e) for e in doc["events"]]
        model.reports = []
        for h in doc["history"]:
            adj = Adjudication(accepted={a: list(m) for a, m in h["orders"].items()},
                               rejected={a: [tuple(x) for x in rej] for a, rej in h.get("rejected", {}).items()})
            events = [e for e in model.events if e.turn == h["turn"]]
            model.reports.append(TurnReport(h["turn"], adj.accepted, adj, h["indicators"], events))
            for name in model.datacollector.model_vars:
                model.datacollector.model_vars[name].append(h["indicators"].get(name, 0.0))
        model.running = model.state.outcome is None and model.state.turn < model.turn_limit
    except SaveError:
        raise
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise SaveError(Problem(display_path(where), "", f"the save is damaged: {type(exc).__name__} {exc}")) from None
    return model
