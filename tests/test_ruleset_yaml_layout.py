"""A ruleset whose layout YAML cannot read says, in the file's own terms, which line to fix and how: the key out of
line and the indentation it could have, not the parser's tokens."""

from __future__ import annotations

import pytest

from conftest import run_cli
from wargame.errors import RulesetError
from wargame.ruleset import ruleset_from_text

# (name, text in the default ruleset, replacement, text on the line reported, the problem expected there)
LAYOUT_MISTAKES = [
    ("a key indented between two levels", "    duration: 26\n", "   duration: 26\n", "   duration: 26",
     "'duration' is indented 3 spaces, in line with nothing above it; expected 2 (in line with "
     "'g7_critical_minerals_action' on line {parent}) or 4 (in line with 'cost' on line {sibling})"),
    ("a list item indented between two levels", "      - {op: adjust, var: cohesion, by: 0.02}\n",
     "     - {op: adjust, var: cohesion, by: 0.02}\n", "     - {op: adjust, var: cohesion, by: 0.02}",
     "the list item is indented 5 spaces, in line with nothing above it; expected 4 (in line with 'effects' on line "
     "{parent}) or 6 (in line with the list item on line {sibling})"),
    ("an entry indented one space too few", "  jp_defence:\n", " jp_defence:\n", " jp_defence:",
     "'jp_defence' is indented 1 space, in line with nothing above it; expected 0 (in line with 'nodes' on line "
     "{parent}) or 2 (in line with 'jp_industrial' on line {sibling})"),
    ("a key indented under a key that has its value", "    duration: 26\n", "      duration: 26\n",
     "      duration: 26", "'duration' is indented 6 spaces, under 'cost' (line {previous}) which already has its value; "
                           "expected 4 spaces, in line with it"),
    ("a tab", "    duration: 26\n", "\tduration: 26\n", "\tduration: 26",
     "a tab where YAML expects spaces (it indents with spaces only)"),
    ("no space after a colon", "    duration: 26\n", "    duration:26\n", "    duration:26",
     "'duration:26' needs a space after the colon: expected 'duration: 26'"),
    ("a colon inside a value", "    name: Tokyo\n", "    name: Tokyo: the government\n", "    name: Tokyo: the",
     "the value of 'name' holds ': ', which YAML reads as another key; put the value in quotes"),
    ("a bracket left open", "capacity: {ndpr: 15, dytb: 5.46}", "capacity: {ndpr: 15, dytb: 5.46",
     "capacity: {ndpr: 15, dytb: 5.46", "the '{{' opened after 'capacity' on line {here} is still open here: expected "
                                        "'}}' to close it, or ',' if line {next} goes on inside it"),
    ("a comma left out at the end of a line", "lead_time: 1, headroom: 0.2,\n     licence: {approval: 0.85, "
                                              "review_weeks: 6}, tags: [dual_use, civilian],\n     note:",
     "lead_time: 1, headroom: 0.2\n     licence: {approval: 0.85, review_weeks: 6}, tags: [dual_use, civilian],\n"
     "     note:", "lead_time: 1, headroom: 0.2\n", "the '{{' opened on line {here} is still open here: expected '}}' to "
                                                  "close it, or ',' if line {next} goes on inside it"),
]


def _line_of(text: str, at: str) -> int:
    return text[:text.index(at)].count("\n") + 1


def _content_line_above(lines: list[str], line: int, indent: int | None = None) -> int:
    """The nearest line above `line` (1-based) that holds something, at `indent` if given."""
    for n in range(line - 1, 0, -1):
        text = lines[n - 1]
        if text.strip() and not text.lstrip().startswith("#") and \
                (indent is None or len(text) - len(text.lstrip()) == indent):
            return n
    raise AssertionError("no such line")


@pytest.mark.parametrize("name,find,replace,at,expected", LAYOUT_MISTAKES, ids=[c[0] for c in LAYOUT_MISTAKES])
def test_a_layout_mistake_names_its_line_and_the_fix(default_text, name, find, replace, at, expected):
    assert find in default_text, f"{name}: the default ruleset no longer holds the text this case edits"
    bad = default_text.replace(find, replace, 1)
    here = _line_of(bad, at)
    lines = bad.splitlines()
    indent = len(at) - len(at.lstrip(" "))
    words = expected.format(here=here, next=here + 1, previous=_content_line_above(lines, here),
                            parent=_content_line_above(lines, here, indent - 1) if "{parent}" in expected else 0,
                            sibling=_content_line_above(lines, here, indent + 1) if "{sibling}" in expected else 0)
    with pytest.raises(RulesetError) as info:
        ruleset_from_text(bad, "bad.yaml")
    assert info.value.lines() == [f"bad.yaml:{here}: YAML syntax error: {words}"]


def test_validate_says_a_layout_mistake_in_one_line_and_exits_2(tmp_path, default_text):
    path = tmp_path / "bad.yaml"
    path.write_text(default_text.replace("    duration: 26\n", "   duration: 26\n", 1))
    result = run_cli("validate", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"{path}:") and "'duration' is indented 3 spaces" in line
