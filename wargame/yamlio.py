"""Safe YAML loading that remembers where every value came from.

Rulesets and scripts are data: they are parsed with PyYAML's SafeLoader, never executed. Each value's
line is kept in a side table keyed by its path, so validation can say exactly where a problem is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

PathKey = tuple[str | int, ...]


@dataclass
class Document:
    """Plain data loaded from YAML, plus the file and line of every path in it."""

    data: Any
    file: str
    marks: dict[PathKey, tuple[str, int]] = field(default_factory=dict)
    # A value could not be read at all (a tag, an alias inside itself): what is left is no longer the file as
    # written, and checking it would report the gap as further mistakes.
    partial: bool = False
    # Entries a ruleset that extends another adds under a name close to one the other has: (section, name) ->
    # (that name, the other's file). One that lacks required keys is most likely that entry, misspelt.
    near: dict[PathKey, tuple[str, str]] = field(default_factory=dict)
    # Entries a ruleset that extends another deletes (`name: ~`): (section, name) -> where it says so.
    deleted: dict[PathKey, tuple[str, int]] = field(default_factory=dict)

    def where(self, path: PathKey) -> tuple[str, int | None]:
        """The file and line that define `path`, falling back to the nearest enclosing value."""
        probe = tuple(path)
        while True:
            if probe in self.marks:
                return self.marks[probe]
            if not probe:
                return self.file, None
            probe = probe[:-1]


def format_path(path: PathKey) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class SafeLoader(yaml.SafeLoader):
    """PyYAML's SafeLoader, reading numbers like 6.05e14 as YAML 1.2 does (as floats, not text)."""


SafeLoader.yaml_implicit_resolvers = {k: list(v) for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
SafeLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp",
                                                 "merge")}


# Aliases (*name) repeat what an anchor (&name) holds, so a short file can stand for a huge or endless one; no
# ruleset, script or save comes near this many values (the default ruleset has about 15,000).
MAX_VALUES = 500_000


class _TooLarge(Exception):
    """The file expands, through aliases, beyond MAX_VALUES."""

    def __init__(self, line: int):
        self.line = line


@dataclass
class _Walk:
    """What constructing one document keeps: where each value came from, what is wrong, and how far it has got."""

    file: str
    marks: dict
    problems: list[Problem]
    values: int = 0
    partial: bool = False
    open: set = field(default_factory=set)      # the collections being built around the current value


def _construct(loader: SafeLoader, node: yaml.Node, path: PathKey, walk: _Walk) -> Any:
    file, marks, problems = walk.file, walk.marks, walk.problems
    marks[path] = (file, node.start_mark.line + 1)
    walk.values += 1
    if walk.values > MAX_VALUES:
        raise _TooLarge(node.start_mark.line + 1)
    if id(node) in walk.open:
        walk.partial = True
        problems.append(Problem(file, format_path(path), "this alias repeats a value that contains it, which "
                                                         "would never end", node.start_mark.line + 1))
        return None
    if node.tag not in PLAIN_TAGS:
        walk.partial = True
        problems.append(Problem(file, format_path(path), f"the YAML tag '{node.tag}' is not allowed: "
                                                         "rulesets, scripts and saves are plain data",
                                node.start_mark.line + 1))
        return None
    if isinstance(node, yaml.MappingNode):
        walk.open.add(id(node))
        try:
            return _construct_mapping(loader, node, path, walk)
        finally:
            walk.open.discard(id(node))
    if isinstance(node, yaml.SequenceNode):
        walk.open.add(id(node))
        try:
            return [_construct(loader, item, path + (i,), walk) for i, item in enumerate(node.value)]
        finally:
            walk.open.discard(id(node))
    return _scalar(loader, node, path, file, problems)


def _construct_mapping(loader: SafeLoader, node: yaml.MappingNode, path: PathKey, walk: _Walk) -> dict:
    file, problems = walk.file, walk.problems
    loader.flatten_mapping(node)
    out: dict = {}
    for key_node, value_node in node.value:
        key = _scalar(loader, key_node, path, file, problems) if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(key, (str, int, float, bool)) or key is None:
            problems.append(Problem(file, format_path(path), "mapping keys must be plain scalars",
                                    key_node.start_mark.line + 1))
            continue
        key = str(key) if not isinstance(key, str) else key
        if key in out:
            problems.append(Problem(file, format_path(path + (key,)),
                                    f"duplicate key '{key}' (first given above)", key_node.start_mark.line + 1))
            continue
        out[key] = _construct(loader, value_node, path + (key,), walk)
        # A block value starts on the line after its key, but the key is what a reader looks for.
        walk.marks[path + (key,)] = (file, key_node.start_mark.line + 1)
    return out


def _scalar(loader: SafeLoader, node: yaml.ScalarNode, path: PathKey, file: str, problems: list[Problem]) -> Any:
    try:
        value = loader.construct_object(node, deep=True)
    except (ValueError, OverflowError):
        # YAML takes 2026-13-01 for a date (or 0b_ for a number) that then does not exist: it is read as the text
        # typed, as 09 or 2026-1-5 already are. A note or source keeps it; a key that needs a date or a number
        # says so where it is read, beside every other problem in the file.
        return node.value
    # Dates stay strings so that rulesets round-trip through JSON unchanged.
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    return value


def load_text(text: str, file: str) -> tuple[Document, list[Problem]]:
    """Parse YAML text safely. Syntax errors become Problems, never exceptions."""
    try:
        loader = SafeLoader(text)
    except yaml.reader.ReaderError as exc:
        # The loader refuses control characters before it parses anything: the file is most likely not text.
        line = text.count("\n", 0, exc.position) + 1
        return Document(None, file), [Problem(file, "", f"expected YAML text, got the control character "
                                                        f"#x{exc.character:02x} (is this a binary file?)", line)]
    problems: list[Problem] = []
    try:
        node = loader.get_single_node()
        if node is None:
            return Document({}, file), problems
        marks: dict = {}
        walk = _Walk(file, marks, problems)
        data = _construct(loader, node, (), walk)
    except _TooLarge as exc:
        return Document(None, file), [Problem(file, "", f"the file holds more than {MAX_VALUES:,} values once its "
                                                        "aliases (*name) are expanded", exc.line)]
    except RecursionError:
        # PyYAML composes, and we construct, nested collections by recursion.
        return Document(None, file), [Problem(file, "", "the YAML nests collections too deeply to read")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or "invalid YAML"
        if exc.context:
            what = f"{exc.context}, {what}"
        return Document(None, file), [Problem(file, "", f"YAML syntax error: {what}", line)]
    except yaml.YAMLError as exc:
        return Document(None, file), [Problem(file, "", f"YAML syntax error: {exc}")]
    finally:
        loader.dispose()
    return Document(data, file, marks, walk.partial), problems


def display_path(path: str | Path) -> str:
    """A path as a user would type it: relative to the working directory when it lies below it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def load_file(path: str | Path) -> tuple[Document, list[Problem]]:
    shown = display_path(path)
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Document(None, shown), [Problem(shown, "", "file not found")]
    except UnicodeDecodeError as exc:
        line = exc.object.count(b"\n", 0, exc.start) + 1
        return Document(None, shown), [Problem(shown, "", f"expected UTF-8 text, got the byte 0x{exc.object[exc.start]:02x}"
                                                          " (save the file as UTF-8; or is it not a text file?)",
                                               line)]
    except IsADirectoryError:
        return Document(None, shown), [Problem(shown, "", "expected a file, got a folder")]
    except OSError as exc:
        return Document(None, shown), [Problem(shown, "", f"cannot read file: {exc}")]
    return load_text(text, shown)


def deep_merge(base: Any, override: Any, base_marks: dict, over_marks: dict, path: PathKey = ()) -> Any:
    """Overlay `override` on `base`: mappings merge key by key, anything else replaces, null deletes."""
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for key, value in override.items():
            sub = path + (key,)
            if value is None:
                out.pop(key, None)
                continue
            if key in out:
                out[key] = deep_merge(out[key], value, base_marks, over_marks, sub)
            else:
                out[key] = value
                _copy_marks(over_marks, base_marks, sub)
        if path in over_marks:
            base_marks.setdefault(path, over_marks[path])
        return out
    _drop_marks(base_marks, path)
    _copy_marks(over_marks, base_marks, path)
    return override


def _copy_marks(src: dict, dst: dict, prefix: PathKey) -> None:
    n = len(prefix)
    for key, mark in src.items():
        if key[:n] == prefix:
            dst[key] = mark


def _drop_marks(marks: dict, prefix: PathKey) -> None:
    n = len(prefix)
    for key in [k for k in marks if k[:n] == prefix and len(k) > n]:
        del marks[key]
