"""Parameter overrides by YAML path: `--set actors.beijing.resolve.alpha=8`.

A path names a value in the ruleset (after `extends:` is merged), or an optional setting the ruleset leaves at
its default (`actors.beijing.policy`), which the ruleset's own validation must then accept. Segments are
separated by dots; a list element is named by its index (`opening.active.0.move`). Keys that themselves contain
dots, such as the ladder's `3.5`, are matched whole (`politics.ladder.3.5`).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from ..errors import Problem, RulesetError, WargameError
from ..reader import suggest
from ..ruleset import Ruleset, ruleset_from_data
from ..yamlio import load_text
from .names import PYTHON, Names

Overrides = tuple[tuple[str, Any], ...]


def parse_assignment(text: str, names: Names = PYTHON) -> tuple[str, Any]:
    """'a.b.c=value' → ('a.b.c', value), the value read as YAML (8 → int, 1.2 → float, [a, b] → list).
    `names` says how errors name the argument: '--set' on the command line, 'overrides=' in Python."""
    path, sep, value_text = text.partition("=")
    path = path.strip()
    where = names.given("overrides", text)
    if not sep or not path:
        raise WargameError(f"{where}: expected KEY.PATH=VALUE")
    if not value_text.strip():
        raise WargameError(f"{where}: expected a value after '='")
    doc, problems = load_text(value_text, names["overrides"])
    if problems:
        raise WargameError(f"{where}: cannot read the value '{value_text}' ({problems[0].message})")
    return path, doc.data


def parse_assignments(items: Iterable[str] | Mapping[str, Any] | None, names: Names = PYTHON) -> Overrides:
    """Assignments from the command line ('path=value' strings) or from Python (a mapping of path to value)."""
    pairs, problems = read_assignments(items, names)
    if problems:
        raise WargameError(problems)
    return pairs


def read_assignments(items: Iterable[str] | Mapping[str, Any] | None,
                     names: Names = PYTHON) -> tuple[Overrides, list[Problem]]:
    """The assignments that could be read, and a problem for each one that could not or that repeats a path."""
    if items is None or (isinstance(items, (Mapping, list, tuple)) and not items):
        return (), []
    problems: list = []
    if isinstance(items, str):      # one assignment given alone rather than in a list
        items = [items]
    if isinstance(items, Mapping):
        pairs = [(str(k), plain(v)) for k, v in items.items()]
    elif not isinstance(items, Iterable):
        return (), [Problem("", "", f"{names['overrides']}: expected a mapping of parameter paths to values or a "
                                    f"list of 'path=value' texts, got {items!r}")]
    else:
        pairs = []
        for item in items:
            if isinstance(item, str):
                try:
                    pairs.append(parse_assignment(item, names))
                except WargameError as error:       # report every bad assignment, not only the first
                    problems += error.problems
            elif isinstance(item, (tuple, list)) and len(item) == 2 and isinstance(item[0], str):
                pairs.append((item[0], plain(item[1])))
            else:
                problems.append(Problem("", "", f"{names['overrides']}: expected 'path=value' or a (path, value) "
                                                f"pair, got {item!r}"))
    seen: dict[str, list] = {}
    for path, value in pairs:
        seen.setdefault(path, []).append(value)
    # Keeping the last silently would hide a typo or a leftover from an earlier command.
    problems += [Problem("", "", f"{names['overrides']}: {path} is given "
                         f"{'twice' if len(values) == 2 else f'{len(values)} times'} "
                         f"({', '.join(map(show_value, values))}); give it once")
                 for path, values in seen.items() if len(values) > 1]
    return tuple((path, values[0]) for path, values in seen.items() if len(values) == 1), problems


def plain(value: Any) -> Any:
    """A value as YAML would give it: numpy numbers and arrays (from np.linspace, a DataFrame) become Python
    numbers and lists, tuples lists; so a value from a notebook is checked and recorded as the same value typed."""
    if isinstance(value, np.ndarray | np.generic):
        return plain(value.tolist())
    if isinstance(value, Mapping):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def in_order(overrides: Overrides) -> Overrides:
    """The assignments sorted by path, segment by segment: the order they were given in does not matter, and a
    section set whole ('a.b={c: 1}') is applied before a setting inside it ('a.b.c=2'), which therefore wins."""
    return tuple(sorted(overrides, key=lambda pair: pair[0].split(".")))


def show_value(value: Any) -> str:
    """A parameter's value as messages show it: text as it is, floats to six significant digits, anything else
    as YAML, as it is typed (null, true, [1, 2], {alpha: 2}), not as Python writes it (None, True, {'alpha': 2})."""
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, (list, dict)):
        import yaml

        return yaml.safe_dump(value, default_flow_style=True, sort_keys=False, allow_unicode=True,
                              width=float("inf")).strip()
    return str(value)


def _locate(data: Any, path: str, new_leaf: bool = False) -> tuple[Any, str | int]:
    """The container holding `path`'s value and the key within it; WargameError if the path does not exist.
    With `new_leaf`, the last key may be missing from its (existing) mapping."""
    parts = path.split(".")
    node: Any = data
    i = 0
    walked: list[str] = []
    while True:
        if isinstance(node, dict):
            # Prefer the longest key so that dotted keys like '3.5' are found.
            for j in range(len(parts), i, -1):
                key = ".".join(parts[i:j])
                if key in node:
                    break
            else:
                if new_leaf and i == len(parts) - 1:
                    return node, parts[i]
                where = ".".join(walked) or "the ruleset"
                options = ", ".join(sorted(map(str, node))[:12]) + (", ..." if len(node) > 12 else "")
                raise WargameError(f"unknown parameter '{path}': {where} has no '{parts[i]}'"
                                   f"{suggest(parts[i], map(str, node))} (it has: {options})")
        elif isinstance(node, list):
            try:
                key, j = int(parts[i]), i + 1
                node[key]
            except (ValueError, IndexError):
                raise WargameError(f"unknown parameter '{path}': {'.'.join(walked)} is a list of {len(node)}; "
                                   f"expected an index from 0 to {len(node) - 1}, got '{parts[i]}'") from None
        else:
            raise WargameError(f"unknown parameter '{path}': {'.'.join(walked)} is a single value, "
                               f"not a section with '{parts[i]}'")
        walked.append(str(key))
        if j == len(parts):
            return node, key
        node, i = node[key], j


def check_path(data: Any, path: str, value: Any) -> None:
    """WargameError naming the first unknown segment of `path`, or the ruleset's refusal of a new key there."""
    container, key = _locate(data, path, new_leaf=True)
    if key in container:
        return
    try:
        ruleset_from_data(apply(data, ((path, value),)))
    except RulesetError as error:
        for problem in error.problems:
            if problem.path == path and problem.message.startswith("unknown key"):
                raise WargameError(f"unknown parameter '{path}': {problem.message}") from None


def apply(data: dict, overrides: Overrides) -> dict:
    """A deep copy of ruleset data with the overrides set."""
    out = copy.deepcopy(data)
    for path, value in overrides:
        container, key = _locate(out, path, new_leaf=True)
        container[key] = copy.deepcopy(value)
    return out


def build(data: dict, overrides: Overrides, file: str, label: str | None = None) -> Ruleset:
    """A validated Ruleset from data plus overrides. A problem within a value the overrides set is told against
    `label` (the flag or keyword that set it), if given; any other names the values that may have caused it."""
    if not overrides:
        return ruleset_from_data(copy.deepcopy(data), file=file)
    changed = apply(data, overrides)
    try:
        return ruleset_from_data(changed, file=file)
    except RulesetError as error:
        raise RulesetError([_blame(p, overrides, label) for p in error.problems]) from None


def _blame(problem: Problem, overrides: Overrides, label: str | None) -> Problem:
    if label is not None and any(_within(problem.path, p) for p, _ in overrides):
        return Problem(label, problem.path, problem.message)
    # Set beside the value at fault (tension.max=3 making the ruleset's tension.start of 4 too high), or around it.
    parent = problem.path.rpartition(".")[0]
    related = [(p, v) for p, v in overrides
               if _within(problem.path, p) or _within(p, problem.path) or parent and _within(p, parent)]
    values = ", ".join(f"{p}={show_value(v)}" for p, v in related)
    note = f" (with {label + ' ' if label else ''}{values})" if values else ""
    return Problem(problem.file, problem.path, problem.message + note, problem.line)


def _within(path: str, parent: str) -> bool:
    return path == parent or path.startswith(parent + ".") or path.startswith(parent + "[")


def column(path: str) -> str:
    """The runs-table column holding a parameter's value."""
    return f"param.{path}"
