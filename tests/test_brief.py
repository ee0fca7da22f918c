"""`wargame brief`: each team's private brief, run as an instructor runs it."""

from __future__ import annotations

import re

import pytest

from wargame import WargameModel
from wargame.render import move_lines
from wargame.ruleset import load_ruleset

from conftest import run_cli

RESOLVE = re.compile(r"Your resolve: (\d\.\d\d), a (hawk|dove)")


def brief(*args: str) -> str:
    done = run_cli("brief", *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def resolve_in(text: str) -> tuple[float, str]:
    found = RESOLVE.findall(text)
    assert len(found) == 1, text
    return float(found[0][0]), found[0][1]


def as_briefed(resolve: float) -> tuple[float, str]:
    return round(resolve, 2), "hawk" if round(resolve, 2) >= 0.5 else "dove"


def seeds_apart(rules, actor: str) -> tuple[int, int]:
    """Two seeds for which the game draws `actor` a different kind of resolve (a hawk in one, a dove in the
    other)."""
    kinds = {}
    for seed in range(50):
        kind = as_briefed(WargameModel(rules, rng=seed).state.resolve[actor])[1]
        kinds.setdefault(kind, seed)
        if len(kinds) == 2:
            return kinds["hawk"], kinds["dove"]
    raise AssertionError(f"no two seeds in 50 make {actor} both a hawk and a dove")


def test_the_resolve_in_a_brief_is_the_games_for_that_seed(rules):
    hawk, dove = seeds_apart(rules, "tokyo")
    briefed = {seed: resolve_in(brief("tokyo", "--seed", str(seed))) for seed in (hawk, dove)}
    for seed, said in briefed.items():
        assert said == as_briefed(WargameModel(rules, rng=seed).state.resolve["tokyo"])
    assert briefed[hawk] != briefed[dove]


def test_a_ruleset_given_first_is_the_one_briefed():
    rules = load_ruleset("hawkish_beijing")
    said = resolve_in(brief("hawkish_beijing", "beijing", "--seed", "5"))
    assert said == as_briefed(WargameModel(rules, rng=5).state.resolve["beijing"])


def test_tokyos_brief_says_nothing_of_beijings_resolve(rules):
    # Seeds that make Beijing a hawk in one game and a dove in the other: take out what Tokyo's brief says of
    # Tokyo's own resolve and of the game it is for, and nothing is left that differs.
    hawk, dove = seeds_apart(rules, "beijing")
    own = ("Your resolve:", "| Showing your resolve", "**This brief is for:**")

    def without_own(text: str) -> list[str]:
        return [line for line in text.splitlines() if not line.startswith(own) and not line.startswith("- " + own[0])]

    briefs = {seed: brief("tokyo", "--seed", str(seed)) for seed in (hawk, dove)}
    assert without_own(briefs[hawk]) == without_own(briefs[dove])
    beijing = WargameModel(rules, rng=hawk).state.resolve["beijing"]
    assert f"{beijing:.2f}" not in briefs[hawk].split("## What only you know")[1].split("\n## ")[0]
    # ...while Beijing's own brief for the same game tells Beijing.
    assert resolve_in(brief("beijing", "--seed", str(hawk))) == as_briefed(beijing)


def test_a_brief_says_what_the_other_side_does_not_know():
    text = brief("tokyo")
    private = text.split("## What only you know")[1].split("\n## ")[0]
    assert "Your resolve:" in private
    assert "The other players do not know any of this" in private


def test_every_move_of_the_actor_appears_as_the_catalogue_gives_it(rules):
    text = brief("tokyo", "--turns", "6")
    own = rules.moves_by_actor["tokyo"]
    for move in own:
        lines = move_lines(rules, move, "tokyo", 6)
        assert lines[0] in text
        assert all(line.strip() in text for line in lines[1:]), move.id
    others = {m.id for m in rules.moves.values()} - {m.id for m in own}
    listed = set(re.findall(r"^\| (\w+)  \[", text, re.MULTILINE))
    assert listed == {m.id for m in own} and not listed & others
    private = next(line for line in text.splitlines() if line.startswith("**Private"))
    assert [m.name for m in own if not m.public] == private.split(":** ")[1].split(". The other")[0].split("; ")


def test_briefs_land_in_out_and_leave_other_files_alone(tmp_path, rules):
    out = tmp_path / "briefs"
    out.mkdir()
    (out / "notes.txt").write_text("the instructor's notes", encoding="utf-8")
    (out / "tokyo-brief.md").write_text("last year's brief", encoding="utf-8")
    done = run_cli("brief", "--out", str(out), "--html", "--seed", "3")
    assert done.returncode == 0, done.stderr
    expected = {f"{a}-brief.{ext}" for a in rules.governments for ext in ("md", "html")} | {"notes.txt"}
    assert {p.name for p in out.iterdir()} == expected
    assert (out / "notes.txt").read_text(encoding="utf-8") == "the instructor's notes"
    tokyo = (out / "tokyo-brief.md").read_text(encoding="utf-8")
    assert tokyo == brief("tokyo", "--seed", "3")
    page = (out / "tokyo-brief.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<h1>Private brief: Tokyo</h1>" in page
    said = resolve_in(re.sub(r"<[^>]+>", "", page))
    assert said == as_briefed(WargameModel(rules, rng=3).state.resolve["tokyo"])


def test_one_brief_to_a_file_of_its_own(tmp_path):
    target = tmp_path / "handouts" / "tokyo.md"
    done = run_cli("brief", "tokyo", "--out", str(target), "--html")
    assert done.returncode == 0, done.stderr
    assert target.read_text(encoding="utf-8") == brief("tokyo")
    assert target.with_suffix(".html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("args", [
    ["tokyo", "beijing", "--seed", "7", "--out", "{out}"],
    ["tokyo", "--seed", "7", "beijing", "--out", "{out}"],
    ["--seed", "7", "tokyo", "--out", "{out}", "beijing"],
    ["rare_earths_2026", "tokyo", "--seed", "7", "beijing", "--out", "{out}"],
    ["--seed", "7", "rare_earths_2026", "tokyo", "--out", "{out}", "beijing"],
])
def test_actors_may_come_before_between_or_after_the_options(tmp_path, args):
    """As for other commands: an instructor adds an actor at the end of the line they typed."""
    out = tmp_path / "briefs"
    done = run_cli("brief", *[a.format(out=out) for a in args])
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["beijing-brief.md", "tokyo-brief.md"]
    assert (out / "tokyo-brief.md").read_text(encoding="utf-8") == brief("tokyo", "--seed", "7")


@pytest.mark.parametrize("args, said", [
    (["tokio"], "unknown actor 'tokio' (did you mean 'tokyo'?)"),
    (["tokyo", "--seed", "7", "tokio"], "unknown actor 'tokio' (did you mean 'tokyo'?)"),
    (["tokyo", "--sed", "7", "beijing"], "unrecognized arguments: --sed 7 beijing; did you mean --seed?"),
    (["tokyo", "--seed", "-1"], "--seed: expected a whole-number seed of at least 0"),
    (["tokyo", "--seed", "seven"], "--seed: expected a whole-number seed"),
    (["tokyo", "beijing"], "give --out DIR"),
    (["tokyo", "--html"], "--html: give --out"),
    (["tokyo", "beijing", "--out", "{tmp}/one.md"], "is one file, and 2 briefs are asked for"),
    (["tokyo", "--out", "{tmp}/a-file/briefs"], "a-file is a file, not a folder"),
    (["hawkish_beijing", "tokyo", "--ruleset", "hawkish_beijing"], "the ruleset is given twice"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, args, said):
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    done = run_cli("brief", *[a.format(tmp=tmp_path) for a in args])
    assert done.returncode == 2
    assert said in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert done.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == before
