"""A small validating reader: walks plain YAML data, collects every problem, never stops at the first."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterable
from typing import Any

from .errors import Problem
from .figures import as_typed
from .yamlio import Document, PathKey, format_path

MISSING = object()


# The section that defines each kind of name a reference may give.
SECTION_OF = {"actor": "actors", "government": "actors", "node": "nodes", "move": "moves", "edge": "edges",
              "commodity": "commodities", "country": "countries"}


class Unread(dict):
    """An empty stand-in for a mapping that is not there, or not a mapping: what the file got wrong is its parent's
    problem (a missing key, or a value of the wrong type), said once, so nothing inside it is reported missing as
    well. Reading from it gives each key's default."""


def kind_of(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return f"text '{value}'" if len(value) < 40 else "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The name among `choices` that `word` most likely misspells, if any is close."""
    close = difflib.get_close_matches(str(word), list(choices), n=3, cutoff=0.6)
    # Among names as alike, one that the word starts with or extends is meant ('AUS' is 'AU', not 'US').
    lowered = str(word).lower()

    def rank(name: str) -> tuple[float, bool]:
        alike = difflib.SequenceMatcher(None, str(word), name).ratio()
        return -alike, not (lowered.startswith(name.lower()) or name.lower().startswith(lowered))
    return min(close, key=rank) if close else None


def suggest(word: str, choices: Iterable[str]) -> str:
    close = closest(word, choices)
    return f" (did you mean '{close}'?)" if close else ""


def _and(keys: list[str]) -> str:
    quoted = [f"'{key}'" for key in keys]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


# A percentage typed where a number is read: '55%', '12.5 %'.
PERCENT = re.compile(r"^\s*([-+]?\d+(?:\.\d*)?|[-+]?\.\d+)\s*%\s*$")


def _range(lo: float | None, hi: float | None) -> str:
    """' between 0 and 1', ' at least 0', ' at most 1', or nothing: the range after what a number must be."""
    if lo is not None and hi is not None:
        return f" between {as_typed(lo)} and {as_typed(hi)}"
    if lo is not None:
        return f" at least {as_typed(lo)}"
    return f" at most {as_typed(hi)}" if hi is not None else ""


def _a(what: str) -> str:
    return f"{'an' if what[:1] in 'aeiou' else 'a'} {what}"


def in_file_order(problems: list[Problem], first: str) -> list[Problem]:
    """The problems as a reader of the files meets them: the file `first` (the one given) before any other, each
    file's from its top down (one about the whole file first), whatever order the checks found them in."""
    files = list(dict.fromkeys([first] + [p.file for p in problems]))
    return sorted(problems, key=lambda p: (files.index(p.file), p.line or 0))


class Reader:
    """Reads values out of a Document by path, recording a Problem for each bad one and returning a default."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.problems: list[Problem] = []
        # Every path read as a whole number, whether given or left at its default: what a sweep may vary only
        # in whole steps (see whole_number_paths in ruleset.py).
        self.whole_numbers: set[PathKey] = set()
        # Required keys that an unknown key beside them was taken for (a misspelling): not reported missing too.
        self.meant: set[PathKey] = set()
        # Values that could not be read (a mapping of the wrong type), and every path a problem was reported at:
        # a check that rests on one of them would report the same mistake again (see doubtful).
        self.unread: set[PathKey] = set()
        self.reported: set[PathKey] = set()
        # Kinds of name ('node', 'actor'...) whose section could not be read: a reference to one cannot be checked,
        # and is not reported unknown.
        self.unchecked: set[str] = set()
        # Where a ruleset that extends another still names an entry it deletes: said once, at the deletion.
        self.deleted_names: dict[PathKey, list[PathKey]] = {}
        # Likewise where it makes an actor no longer a government while the rest names it as one.
        self.unmade_governments: dict[str, list[PathKey]] = {}
        # Entries taken for a misspelling of the other ruleset's (see keys): said once, so not said again as an
        # entry that lacks something.
        self.misspelt: set[PathKey] = set()
        # Values the other ruleset gives that a limit this one changed puts out of range: said once, at the limit.
        self.out_of_range: dict[PathKey, list[PathKey]] = {}

    def problem(self, path: PathKey, message: str, about: tuple[str, ...] = (),
                limit: PathKey | None = None) -> None:
        """Report `message` at `path`; `about` names the keys under it the problem is about (one missing, say), and
        `limit` the setting that puts the value out of range, if another does."""
        if tuple(path) in self.misspelt:
            return
        if limit is not None and tuple(limit) in self.doc.written and tuple(path) not in self.doc.written:
            # A ruleset that extends another changed the limit, not the value: the line to fix is the limit's.
            self.out_of_range.setdefault(tuple(limit), []).append(tuple(path))
            self.reported.add(tuple(path))
            return
        file, line = self.doc.blame(path, about)
        self.problems.append(Problem(file, format_path(path), message, line))
        self.reported.add(tuple(path))

    def doubtful(self, path: PathKey) -> bool:
        """Whether the value at `path` is in doubt: it, or a mapping around it, could not be read, or a problem was
        reported at or under it. A check that rests on such a value is skipped, so that one mistake is one line."""
        path = tuple(path)
        return any(path[:i] in self.unread for i in range(1, len(path) + 1)) or \
            any(seen[:len(path)] == path for seen in self.reported | self.unread)

    # -- structure -------------------------------------------------------------------------------
    def mapping(self, value: Any, path: PathKey, what: str = "a mapping") -> dict:
        if isinstance(value, dict):
            return value
        if value is not None and value is not MISSING:
            self.problem(path, f"expected {what}, got {kind_of(value)}")
            self.unread.add(tuple(path))
        return Unread()

    @staticmethod
    def given(raw: Any) -> bool:
        """Whether `raw` is a mapping the file gives, rather than the stand-in for one it lacks or got wrong."""
        return isinstance(raw, dict) and not isinstance(raw, Unread)

    def missing(self, raw: Any, key: str, path: PathKey) -> None:
        """Report a required `key` absent from the mapping `raw` at `path`, unless the mapping itself is, or the key
        is there misspelt: that is one mistake, and the line for the unknown key already offers this one."""
        if not isinstance(raw, Unread) and path + (key,) not in self.meant:
            self.problem(path, f"missing required key '{key}'", about=(key,))
            self.reported.add(tuple(path) + (key,))

    def keys(self, raw: dict, path: PathKey, required: Iterable[str] = (), optional: Iterable[str] = ()) -> None:
        if isinstance(raw, Unread):
            return
        required, optional = list(required), list(optional)
        allowed = required + optional
        for key in raw:
            if key not in allowed:
                meant = closest(key, allowed)
                if meant is not None:
                    self.meant.add(path + (meant,))
                self.problem(path + (key,), f"unknown key '{key}'{suggest(key, allowed)}; "
                                            f"expected one of: {', '.join(allowed)}")
        lacking = [key for key in required if key not in raw and path + (key,) not in self.meant]
        if lacking and tuple(path) in self.doc.near:
            # A ruleset that extends another added an entry named close to one of the other's, without what a new
            # entry needs: most likely that entry misspelt, said once.
            meant, parent = self.doc.near[tuple(path)]
            self.problem(path, f"{parent} has no such entry to change (did you mean '{meant}'?); a new one needs "
                               f"{_and(lacking)}")
            self.meant.update(path + (key,) for key in lacking)
            self.misspelt.add(tuple(path))
        for key in lacking:
            self.missing(raw, key, path)

    # -- scalars ---------------------------------------------------------------------------------
    def number(self, raw: dict, key: str, path: PathKey, default: float | None = None, *, lo: float | None = None,
               hi: float | None = None, integer: bool = False, what: str | None = None, share: bool = False,
               limit: PathKey | None = None) -> float:
        value = raw.get(key, MISSING) if isinstance(raw, dict) else MISSING
        if value is MISSING and default is None:
            if integer:
                self.whole_numbers.add(tuple(path + (key,)))
            self.missing(raw, key, path)
            return 0
        return self.number_value(value, path + (key,), default, lo=lo, hi=hi, integer=integer, what=what, share=share,
                                 limit=limit)

    def number_value(self, value: Any, path: PathKey, default: float | None = None, *, lo: float | None = None,
                     hi: float | None = None, integer: bool = False, what: str | None = None,
                     share: bool = False, limit: PathKey | None = None) -> float:
        """A number at `path`, within lo and hi. A `share` (and any number bounded by 0 or -1 and 1, which is one)
        written as a percentage (40 for 0.4) is told so. `limit` is the setting that lo or hi comes from, if one
        does."""
        if integer:
            self.whole_numbers.add(tuple(path))
        if value is MISSING:
            if default is None:
                self.problem(path[:-1], f"missing required key '{path[-1]}'", about=(path[-1],))
                return 0
            return default
        kind = "a whole number" if integer else "a number"
        fraction = share or hi == 1 and lo in (0, -1)
        label = what or ("a probability" if (lo, hi) == (0, 1) else kind)
        if isinstance(value, str) and PERCENT.match(value):
            # 55% where a fraction is meant is the commonest slip in a share; elsewhere the sign is just not read.
            percent = float(PERCENT.match(value)[1]) / 100
            if fraction and (lo is None or percent >= lo) and (hi is None or percent <= hi):
                hint = f"write {as_typed(percent)} for {value.strip()}"
            else:
                hint = "a fraction, where 1 is 100%" if fraction else "a plain number, without '%'"
            self.problem(path, f"expected {label}{_range(lo, hi)}, got {kind_of(value)} ({hint})")
            return default if default is not None else 0
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(path, f"expected {what or kind}, got {kind_of(value)}")
            return default if default is not None else 0
        if not math.isfinite(value):
            # NaN passes every range test and would spread silently through the game.
            got = ".nan (not a number)" if math.isnan(value) else \
                f"{'-' if value < 0 else ''}infinity (.inf, or a number too large to hold)"
            self.problem(path, f"expected {what or kind}, got {got}")
            return default if default is not None else 0
        if integer and not float(value).is_integer():
            self.problem(path, f"expected {what or kind}, got {as_typed(value)}")
            return default if default is not None else 0
        if lo is not None and value < lo or hi is not None and value > hi:
            percent = value / 100
            hint = f" (for {as_typed(value)}%, write {as_typed(percent)})" if fraction \
                and abs(value) >= 2 and (lo is None or percent >= lo) and (hi is None or percent <= hi) else ""
            self.problem(path, f"expected {label}{_range(lo, hi)}, got {as_typed(value)}{hint}", limit=limit)
            return default if default is not None else (lo if lo is not None else hi)
        return int(value) if integer else float(value)

    def text(self, raw: dict, key: str, path: PathKey, default: str | None = None) -> str:
        value = raw.get(key, MISSING)
        if value is MISSING:
            if default is None:
                self.missing(raw, key, path)
                return ""
            return default
        if not isinstance(value, str):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return str(value)
            self.problem(path + (key,), f"expected text, got {kind_of(value)}")
            return default or ""
        return value

    def boolean(self, raw: dict, key: str, path: PathKey, default: bool) -> bool:
        value = raw.get(key, MISSING)
        if value is MISSING:
            return default
        if not isinstance(value, bool):
            self.problem(path + (key,), f"expected true or false, got {kind_of(value)}")
            return default
        return value

    def choice(self, raw: dict, key: str, path: PathKey, choices: Iterable[str], default: str | None = None) -> str:
        choices = list(choices)
        value = raw.get(key, MISSING)
        if value is MISSING:
            if default is None:
                self.missing(raw, key, path)
                return choices[0]
            return default
        if value not in choices:
            self.problem(path + (key,), f"expected one of: {', '.join(choices)}; got {kind_of(value)}"
                                        f"{suggest(value, choices) if isinstance(value, str) else ''}")
            return default or choices[0]
        return value

    def ref(self, value: Any, path: PathKey, known: Iterable[str], what: str) -> str | None:
        """A reference to a named thing (actor, node, move...) that must exist."""
        known = list(known)
        if not isinstance(value, str):
            self.problem(path, f"expected {_a(what)} name, got {kind_of(value)}")
            return None
        if value not in known:
            if what in self.unchecked:
                self.unread.add(tuple(path))
            elif (SECTION_OF.get(what), value) in self.doc.deleted:
                self.deleted_names.setdefault((SECTION_OF[what], value), []).append(tuple(path))
                self.unread.add(tuple(path))
            elif what == "government" and ("actors", value, "kind") in self.doc.written and \
                    isinstance(self.doc.data, dict) and value in (self.doc.data.get("actors") or ()):
                self.unmade_governments.setdefault(value, []).append(tuple(path))
                self.unread.add(tuple(path))
            else:
                # Short names ('G8' for 'G7') are too far apart to suggest one: a short list says them all.
                hint = suggest(value, known) or (f"; expected one of: {', '.join(known)}" if len(known) <= 12 else "")
                self.problem(path, f"unknown {what} '{value}'{hint}")
            return None
        return value

    def ref_key(self, raw: dict, key: str, path: PathKey, known: Iterable[str], what: str) -> str | None:
        """The reference under a required `key` of `raw`. A missing key is said in the words r.keys uses, so that
        it is said once, not again as a value that is not there."""
        if key not in raw:
            self.missing(raw, key, path)
            return None
        return self.ref(raw[key], path + (key,), known, what)

    def refs(self, raw: dict, key: str, path: PathKey, known: Iterable[str], what: str) -> tuple[str, ...]:
        """A name or a list of names, each of which must exist."""
        value = raw.get(key, MISSING)
        if value is MISSING or value is None:
            return ()
        if not isinstance(value, (list, str)):
            self.problem(path + (key,), f"expected {_a(what)} name or a list of them, got {kind_of(value)}")
            return ()
        items = value if isinstance(value, list) else [value]
        out = []
        for i, item in enumerate(items):
            sub = path + (key, i) if isinstance(value, list) else path + (key,)
            name = self.ref(item, sub, known, what)
            if name is not None:
                out.append(name)
        return tuple(out)

    def amounts(self, raw: dict, key: str, path: PathKey, known: Iterable[str], what: str,
                lo: float | None = 0.0, hi: float | None = None) -> dict[str, float]:
        """A mapping of names (commodities, usually) to numbers."""
        value = raw.get(key, MISSING)
        if value is MISSING or value is None:
            return {}
        m = self.mapping(value, path + (key,), f"a mapping of {what} to numbers")
        out = {}
        for name, amount in m.items():
            if self.ref(name, path + (key, name), known, what) is None:
                continue
            out[name] = self.number_value(amount, path + (key, name), 0.0, lo=lo, hi=hi)
        return out

    def report_deleted_names(self) -> None:
        """One line for each entry a ruleset that extends another deletes, or each actor it makes no longer a
        government, while the rest still names it as before: the line the change is on, not one for each place
        (in the other ruleset's file) that the change's author did not write."""
        for (section, name), uses in self.deleted_names.items():
            file, line = self.doc.deleted[(section, name)]
            self.problems.append(Problem(file, format_path((section, name)), f"deleted, but still named "
                                         f"{self._uses(uses)}; delete or change those too, or keep it", line))
        for name, uses in self.unmade_governments.items():
            path = ("actors", name, "kind")
            file, line = self.doc.written[path]
            if path in self.reported:
                continue            # the kind itself is wrong, and said so
            kind = self.doc.data["actors"][name].get("kind")
            self.problems.append(Problem(file, format_path(path), f"'{kind}', but still named as a government "
                                         f"{self._uses(uses)}; change those too, or keep kind: government", line))
        for limit, values in self.out_of_range.items():
            file, line = self.doc.written[limit]
            given = [f"{format_path(v)} ({as_typed(self.value_at(v))}, {':'.join(map(str, self.doc.where(v)))})"
                     for v in values[:3]]
            more = f" and {len(values) - 3} more" if len(values) > 3 else ""
            said = "a value" if len(values) == 1 else f"{len(values)} values"
            self.problems.append(Problem(file, format_path(limit), f"{as_typed(self.value_at(limit))} puts {said} of "
                                         f"the ruleset it extends out of range: {', '.join(given)}{more}; change "
                                         f"{'it' if len(values) == 1 else 'those'} too, or keep the limit as it was", line))

    def value_at(self, path: PathKey) -> Any:
        value = self.doc.data
        for key in path:
            if isinstance(value, dict):
                value = value.get(key)
            else:
                value = value[key] if isinstance(value, list) and isinstance(key, int) and key < len(value) else None
        return value

    def _uses(self, uses: list[PathKey]) -> str:
        where = [f"{format_path(use)} ({':'.join(map(str, self.doc.where(use)))})" for use in uses[:3]]
        more = f" and {len(uses) - 3} more" if len(uses) > 3 else ""
        said = {1: "once", 2: "twice"}.get(len(uses), f"{len(uses)} times")
        return f"{said}: {', '.join(where)}{more}"

    def each(self, raw: Any, path: PathKey, fn: Callable[[str, dict, PathKey], Any], what: str) -> dict[str, Any]:
        """Apply `fn` to each named entry of a mapping section. An entry that is not a mapping is reported, and
        still stands, with every setting at its default: what refers to it by name is not wrong as well."""
        out = {}
        for name, entry in self.mapping(raw, path, f"a mapping of {what}").items():
            sub = path + (name,)
            out[name] = fn(name, self.mapping(entry, sub), sub)
        return out
