"""`wargame brief`: each team's private brief for a classroom game, as Markdown (and printable HTML)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import SaveError, WargameError
from .common import check_turns, seed_int, turn_count

SUFFIXES = (".md", ".html")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "brief", help="write each team's private brief: situation, objectives, private information, means, moves",
        usage="wargame brief [RULESET] [ACTOR ...] [--ruleset RULESET] [--seed SEED] [--turns TURNS] [--out DIR|FILE.md] "
              "[--html]",
        description="Write the private brief of each ACTOR (default: every government) for the game a class will "
                    "play with this ruleset, seed and number of turns: who it plays, its objectives, what it alone "
                    "knows at the start (its resolve for this seed), its political capital, its move catalogue and "
                    "how it gives orders. One actor with no --out: Markdown on standard output. With --out DIR: "
                    "DIR/ACTOR-brief.md for each (and ACTOR-brief.html with --html); other files in DIR are left "
                    "alone. Use the seed and --turns the game is played with: the private information depends on "
                    "them.")
    p.add_argument("names", nargs="*", metavar="ACTOR",
                   help="an actor id (tokyo, beijing...); the first may name a ruleset file instead, as for other "
                        "commands")
    p.add_argument("--ruleset", metavar="RULESET", default=None,
                   help="a ruleset file (default: rulesets/rare_earths_2026.yaml)")
    p.add_argument("--seed", type=seed_int, default=0, help="the game's random seed (default 0, as for run and play)")
    p.add_argument("--turns", type=turn_count, default=None,
                   help="the game's turns, 1 to 1000 (default: the ruleset's limit)")
    p.add_argument("--out", metavar="DIR|FILE.md", default=None,
                   help="a folder for the briefs, or a file for one brief (FILE.md, or FILE.html for HTML alone)")
    p.add_argument("--html", action="store_true", help="also write printable HTML beside the Markdown")
    p.set_defaults(handler=write_briefs)
    _actors_anywhere(p)


def _actors_anywhere(p: argparse.ArgumentParser) -> None:
    """Let actors come after options too (`brief tokyo --seed 7 beijing`): argparse fills a list of positionals
    from one run of them, and leaves any later ones over as if nothing took them. What is left over with an option
    that no one knows stays left over, to be refused with that option named."""
    parse = p.parse_known_args

    def parse_known_args(args=None, namespace=None):
        namespace, extra = parse(args, namespace)
        if extra and not any(a.startswith("-") for a in extra):
            namespace.names = list(namespace.names) + extra
            extra = []
        return namespace, extra

    p.parse_known_args = parse_known_args


def _names_a_ruleset(name: str) -> bool:
    """Whether the first name given is the ruleset rather than an actor: a YAML file, or one the bundled rulesets
    hold (`hawkish_beijing`). Actor ids name neither."""
    from ..bundled import locate

    return Path(name).suffix.lower() in (".yaml", ".yml") or locate(name).is_file()


def write_briefs(args: argparse.Namespace) -> int:
    from ..brief import brief_document, briefing_game
    from ..ruleset import load_ruleset

    names = list(args.names)
    ruleset = args.ruleset
    if names and _names_a_ruleset(names[0]):
        if ruleset is not None:
            raise WargameError(f"the ruleset is given twice ({names[0]} and --ruleset {ruleset}); give it once")
        ruleset = names.pop(0)
    rules = load_ruleset(ruleset)
    check_turns(rules, args.turns)
    unknown = [n for n in names if n not in rules.actors]
    if unknown:
        raise WargameError(rules.unknown_actor(unknown[0]))
    actors = list(dict.fromkeys(names)) or list(rules.governments)
    if not actors:
        raise WargameError("the ruleset has no governments: name the actors to brief")
    files = _targets(args.out, args.html, actors)
    model = briefing_game(rules, args.seed, args.turns)
    if files is None:
        sys.stdout.write(brief_document(model, actors[0]).markdown())
        return 0
    written = []
    for actor in actors:
        doc = brief_document(model, actor)
        for path in files[actor]:
            _write(path, doc.html() if path.suffix == ".html" else doc.markdown())
            written.append(str(path))
    print(f"wrote {', '.join(written)}")
    return 0


def _targets(out: str | None, html: bool, actors: list[str]) -> dict[str, list[Path]] | None:
    """The files each actor's brief goes to; None for Markdown on standard output."""
    if out is None:
        if html:
            raise WargameError("--html: give --out, a folder (or FILE.html) to write the HTML to")
        if len(actors) > 1:
            # Several teams' secrets on one screen is what a brief must not be.
            raise WargameError(f"{len(actors)} briefs asked for ({', '.join(actors)}): give --out DIR, where each "
                               f"goes in a file of its own, or one actor for standard output")
        return None
    path = Path(out)
    if path.suffix.lower() in SUFFIXES and not path.is_dir():
        if len(actors) > 1:
            raise WargameError(f"--out: {out} is one file, and {len(actors)} briefs are asked for "
                               f"({', '.join(actors)}): give a folder")
        if path.suffix.lower() == ".html":
            return {actors[0]: [path]}
        return {actors[0]: [path] + ([path.with_suffix(".html")] if html else [])}
    return {actor: [path / f"{actor}-brief.md"] + ([path / f"{actor}-brief.html"] if html else [])
            for actor in actors}


def _write(path: Path, text: str) -> None:
    """Write a brief all at once, as a save is written: a brief printed while it is rewritten is never half one."""
    from ..saves import write_atomic

    try:
        write_atomic(path, text)
    except SaveError as error:
        # The save's own words name a save; the reason after them is what the instructor needs.
        reason = error.problems[0].message.removeprefix("cannot write the save: ")
        raise WargameError(f"--out: cannot write {path}: {reason}") from None
