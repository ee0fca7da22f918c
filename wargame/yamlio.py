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
    # Every path a ruleset that extends another writes, deletions (`key: ~`) included, and where: a mapping both
    # give is marked where the other ruleset defines it, but what is wrong with it now is what this one wrote.
    written: dict[PathKey, tuple[str, int]] = field(default_factory=dict)

    def where(self, path: PathKey) -> tuple[str, int | None]:
        """The file and line that define `path`, falling back to the nearest enclosing value."""
        probe = tuple(path)
        while True:
            if probe in self.marks:
                return self.marks[probe]
            if not probe:
                return self.file, None
            probe = probe[:-1]

    def blame(self, path: PathKey, about: tuple[str, ...] = ()) -> tuple[str, int | None]:
        """The file and line to fix for a problem at `path`: where it is defined, unless a ruleset that extends
        another changed it there, in which case the line that did (the key the problem is `about`, if written, or
        else the first line written inside it)."""
        found, path = self.where(path), tuple(path)
        if not self.written:
            return found
        for key in about:
            if path + (key,) in self.written:
                return self.written[path + (key,)]
        if self.written.get(path) == found:
            return found
        inside = [mark for seen, mark in self.written.items() if len(seen) > len(path) and seen[:len(path)] == path]
        if inside:
            return min(inside, key=lambda mark: (mark[0] != self.file, mark[1]))
        return self.written.get(path, found)


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
            first = walk.marks.get(path + (key,), (file, None))[1]
            problems.append(Problem(file, format_path(path + (key,)),
                                    f"duplicate key '{key}' (first given on line {first}, which counts)",
                                    key_node.start_mark.line + 1))
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
        what, line = _layout_mistake(text, exc) or (None, line)
        if what is None:
            what = exc.problem or "invalid YAML"
            if exc.context:
                what = f"{exc.context}, {what}"
        return Document(None, file), [Problem(file, "", f"YAML syntax error: {what}", line)]
    except yaml.YAMLError as exc:
        return Document(None, file), [Problem(file, "", f"YAML syntax error: {exc}")]
    finally:
        loader.dispose()
    return Document(data, file, marks, walk.partial), problems


_LINE = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?:(?P<key>[^\s#:{}\[\],&*!|>'\"%@`-][^:#]*?|'[^']*'|\"[^\"]*\")"
                   r" *:(?: +(?P<value>[^#\s].*?))?)?\s*(?:#.*)?$")


def _what_is_on(line: str) -> str:
    """How a message names the content of a line: its key, or the list item it starts."""
    found = _LINE.match(line)
    if found and found["key"]:
        return f"'{found['key'].strip()}'"
    return "the list item" if line.lstrip().startswith("-") else f"'{line.strip()[:30]}'"


def _spaces(n: int) -> str:
    return "1 space" if n == 1 else f"{n} spaces"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _layout_mistake(text: str, exc: yaml.MarkedYAMLError) -> tuple[str, int] | None:
    """The commonest YAML syntax errors in a hand-edited file, in the words of the file's layout, with the line to
    fix: a key indented out of line with every key above it, a key indented under a key that already has its value,
    a tab, a colon with no space after it. None for any other error, which is said in YAML's own words."""
    lines = re.split("\r\n|[\n\r\x85\u2028\u2029]", text)       # the line breaks YAML counts, no others
    mark, problem, context = exc.problem_mark, exc.problem or "", exc.context or ""
    if mark is None or mark.line >= len(lines):
        return None
    here = lines[mark.line]
    if "found character '\\t'" in problem:
        return "a tab where YAML expects spaces (it indents with spaces only)", mark.line + 1
    if problem.startswith("could not find expected ':'") and exc.context_mark is not None:
        key_line = lines[exc.context_mark.line]
        glued = re.match(r"^ *(?:- +)?([\w-]+):(\S.*)$", key_line)
        if glued:
            return (f"'{glued[1]}:{glued[2].strip()}' needs a space after the colon: expected "
                    f"'{glued[1]}: {glued[2].strip()}'", exc.context_mark.line + 1)
        return None
    # The content lines above the mistake: (number, indentation, text), nearest first.
    above = [(i, _indent(lines[i]), lines[i]) for i in range(mark.line - 1, -1, -1)
             if lines[i].strip() and not lines[i].lstrip().startswith("#")]
    if not above:
        return None
    opened = exc.context_mark
    if context.startswith("while parsing a flow") and opened is not None and opened.line < mark.line:
        # A bracket left open, or a comma left out between lines of a bracketed mapping: either way, the line
        # before the one YAML stopped at is where the fix goes.
        bracket = lines[opened.line][opened.column:opened.column + 1]
        if bracket in "[{":
            key = _LINE.match(lines[opened.line][:opened.column])
            after = f" after '{key['key'].strip()}'" if key and key["key"] else ""
            return (f"the '{bracket}' opened{after} on line {opened.line + 1} is still open here: "
                    f"expected '{']' if bracket == '[' else '}'}' to close it, or ',' if line {mark.line + 1} goes on "
                    "inside it", above[0][0] + 1)
    column = _indent(here)
    prev_i, prev_indent, prev = above[0]
    prev_key = _LINE.match(prev)
    if problem.startswith(("expected <block end>", "mapping values are not allowed here")) and column > prev_indent \
            and prev_key and prev_key["key"] and prev_key["value"]:
        return (f"{_what_is_on(here)} is indented {_spaces(column)}, under {_what_is_on(prev)} (line {prev_i + 1}) "
                f"which already has its value; expected {_spaces(prev_indent)}, in line with it", mark.line + 1)
    if problem.startswith("expected <block end>") and "block mapping" in context:
        # Where a line may start: beside any line it could follow, which are the lines above it each less indented
        # than the one before (the keys it could be inside), or deeper than the line just above if that opens a block.
        chain, deepest = [], above[0][1] + 1
        for i, indent, line in above:
            if indent < deepest:
                chain.append((i, indent, line))
                deepest = indent
        if any(indent == column for _, indent, _ in chain):
            return None                 # in line with a key above: something else is wrong with it
        shallower = next(((i, ind, ln) for i, ind, ln in chain if ind < column), None)
        deeper = next(((i, ind, ln) for i, ind, ln in reversed(chain) if ind > column), None)
        choices = [f"{ind} (in line with {_what_is_on(ln)} on line {i + 1})" for i, ind, ln in
                   [found for found in (shallower, deeper) if found is not None]]
        return (f"{_what_is_on(here)} is indented {_spaces(column)}, in line with nothing above it; expected "
                + " or ".join(choices), mark.line + 1)
    if problem.startswith("mapping values are not allowed here"):
        own = _LINE.match(here)
        if own and own["key"] and own["value"] and ": " in own["value"]:
            return (f"the value of {_what_is_on(here)} holds ': ', which YAML reads as another key; put the value in "
                    "quotes", mark.line + 1)
    return None


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
