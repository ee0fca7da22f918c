"""`wargame branch`: replay a save up to a turn and play on with different moves ("what if ...?"). The same
code continues a saved game for `wargame resume` (commands/resume.py)."""

from __future__ import annotations

import argparse
import json
import sys

from ..compare import compare
from ..errors import IllegalMove, WargameError
from ..instructor import CommandFileError, replayed_lines
from ..policies import played_by
from ..render import summary_text, turn_text
from ..replay import ReplayError, branch, branch_end, branch_turn, open_save, pin_problems, read_moves
from ..saves import check_writable, save_game
from .common import CommandFileCheckpoint, Interrupts, add_trust_argument, check_turns, parse_policies, \
    policy_names, positive_int, rules_file, stop_interrupted, turn_count
from .run import summary_object, turn_object, warn_holding


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("branch", help="replay a save up to a turn and play on with different moves (what if ...?)",
                       description="Replay a saved game exactly up to turn --at, then play on with the moves given "
                                   "by --moves instead. On that turn the other actors move as they did (moves are "
                                   "simultaneous); afterwards AI actors react through their policies and human "
                                   "players repeat their recorded moves where still legal (each one no longer legal is "
                                   "logged as rejected, with the reason). The saved game's "
                                   "injects and reveals happen again; its later overrides do not. Ends with a "
                                   "comparison against the saved game (see also wargame compare).",
                       epilog="example: wargame branch saves/class.json --at 3 "
                              "--moves tokyo=clarify_taiwan_position,back_channel_talks --save saves/whatif.json")
    p.add_argument("file", metavar="FILE", help="the saved game to branch from")
    p.add_argument("--at", type=positive_int, required=True, metavar="TURN", help="the turn on which the branch departs")
    add_common(p)
    p.add_argument("--policy", action="append", metavar="ACTOR=POLICY",
                   help="from the branch turn, play ACTOR with POLICY: utility, random, hold, or recorded "
                        "(repeat its saved moves where legal) (repeatable)")
    p.add_argument("--drop-injects", action="store_true",
                   help="leave out the saved game's injected events after the branch turn")
    p.add_argument("--save", metavar="OUT", default=None, help="save the branch to OUT")
    p.set_defaults(handler=run_branch, resume=False)


def add_common(p: argparse.ArgumentParser, resume: bool = False) -> None:
    p.add_argument("--moves", action="append", default=[], metavar="[TURN:]ACTOR=MOVE[,MOVE]",
                   help="moves an actor plays, on the first turn played or on TURN; 'hold' plays nothing "
                        "(repeatable)")
    p.add_argument("--turns", type=turn_count, default=None, metavar="N",
                   help="turns to play from the turn after the save's last; more than the save has left extends "
                        "its turn limit, up to the ruleset's longest game (default: until the game ends)"
                   if resume else
                   "turns to play from the branch turn, 1 to 1000 in all (default: until the game ends)")
    p.add_argument("--instructor", action="store_true",
                   help="before each turn, read instructor commands from standard input (as wargame run "
                        "--instructor)")
    p.add_argument("--ruleset", metavar="RULESET", default=None, type=rules_file,
                   help="use this ruleset file instead of the copy in the save (it must be unchanged)")
    add_trust_argument(p)
    p.add_argument("--json", action="store_true", help="write JSON lines: one object per turn, then a summary"
                   + ("" if resume else ", then the comparison with the saved game"))
    p.add_argument("--quiet", action="store_true", help="leave out the turn-by-turn log")


def check_players_move(doc: dict, rules, name: str, at: int, moves: dict[int, dict[str, list[str]]],
                       turns: int | None, trusted) -> None:
    """Refuse to resume a game without the moves of every team at the keyboard, for every turn it will play: a
    team left out would hold without anyone having chosen to (TEAM=hold is how to choose it). The moves already
    entered for the coming turn (a hot-seat game saved part-way) and the instructor's overrides count."""
    from ..saves import restore

    game = restore(doc, rules, name, trusted)
    humans = game.humans()
    if not humans:
        return
    end = (at - 1 + turns) if turns is not None else max(doc["turn_limit"], at)
    for turn in range(at, end + 1):
        waiting = game.awaiting_orders() if turn == at else humans
        missing = [a for a in waiting if a not in moves.get(turn, {})]
        if not missing:
            continue
        how = ("give each team's moves (TEAM=hold to hold)" if turn == at else
               f"give each team's moves ({turn}:TEAM=... or {turn}:TEAM=hold), play fewer turns "
               f"(--turns {turn - at})")
        raise WargameError(f"--moves: no moves for {', '.join(missing)} on turn {turn}, and "
                           f"{'it is' if len(missing) == 1 else 'they are'} played at the keyboard: {how}, or "
                           "enter them before each turn with --instructor")


def unrepeated(model, report) -> list[str]:
    """A line for each move from the saved game that an actor repeating its record ('recorded') could not play on
    the turn just played, with the reason: the log has them among the turn's events, and the console says so too,
    as the turn log may be left out (--quiet, --json) or long."""
    policy = {r["actor"]: r["policy"] for r in model.interventions if r["kind"] == "policy" and r["turn"] <= report.turn}
    repeating = {actor for actor, name in policy.items() if name == "recorded"}
    rules = model.rules
    return [f"turn {report.turn}: {rules.actors[actor].name}'s move from the saved game was not played: "
            f"{rules.moves[move].name if move in rules.moves else move}: {why}"
            for actor, rejected in report.adjudication.rejected.items() if actor in repeating
            for move, why in rejected]


def interventions_start(model) -> int:
    """Where the events of the interventions made before the coming turn begin in the game's log: each
    intervention logs one line of its own, then what it did at once (instructor.perform)."""
    left = sum(1 for r in model.interventions if r["turn"] == model.turn)
    start = len(model.events)
    while left and start:
        start -= 1
        if model.events[start].kind != "effect":
            left -= 1
    return start


def run_branch(args: argparse.Namespace) -> int:
    doc, rules, name = open_save(args.file, args.ruleset)
    lengthened = None
    if args.resume:
        from .resume import lengthen

        lengthened = lengthen(doc, rules, args.turns, name)
    at = branch_turn(doc, None if args.resume else args.at, name)
    check_turns(rules, args.turns, first=at)
    moves, problems = read_moves(args.moves, at, rules.actor_ids)
    problems += pin_problems(moves, rules, at, branch_end(doc, at, args.turns))
    if problems:
        raise WargameError(problems)
    policies = parse_policies(args.policy, rules, policy_names(branch=True))
    if args.resume and not args.instructor:
        check_players_move(doc, rules, name, at, moves, args.turns, args.trusted)
    target = args.save or (args.file if args.resume else None)
    if target:
        # Found out now, not after the turns (or a class's session) have been played.
        check_writable(target)
    out = sys.stdout
    previous = [doc["history"][at - 2]["indicators"] if at >= 2 else None]

    def print_head() -> None:
        changes = ", ".join([f"turn {t} {rules.actors[a].name} ({rules.moves_text(m, none='hold')})"
                             for t, pins in sorted(moves.items()) for a, m in pins.items()]
                            + [f"{rules.actors[a].name} " + ("repeats its moves from the saved game" if p == "recorded"
                                                             else f"played by {played_by(p)}")
                               for a, p in policies.items()])
        head = f"Resuming {name} at turn {at}" if args.resume else f"Branch of {name} from turn {at}"
        print(head + (f" — {changes}" if changes else "" if args.resume else " (nothing changed)") + "\n")

    stop = Interrupts()
    playing = []            # the game once it plays on from the branch turn, to save if Ctrl-C stops it

    def show(model, report):
        if args.json:
            out.write(json.dumps(turn_object(model, report), ensure_ascii=False, separators=(",", ":")) + "\n")
        elif not args.quiet:
            out.write(turn_text(model.rules, report, previous[0], model.turn_limit) + "\n\n")
        previous[0] = report.indicators
        shown[0] = len(model.events)
        for line in unrepeated(model, report):
            print(line, file=sys.stderr)
        if checkpoint:
            checkpoint[0].after_turn(model)
        stop.end_turn()

    console = []
    checkpoint = []         # with --instructor: the game after its last whole turn, for a piped file's mistake
    shown = [0]             # events of the game's log printed (or passed over) so far

    def before(model) -> bool:
        if not playing:
            playing.append(model)
            shown[0] = interventions_start(model)
            # Only now: the branch is set up and its first turn's moves accepted, so a refusal stands alone.
            if not args.json:
                print_head()
            if lengthened:
                print(lengthened, file=sys.stderr)
        if not args.json and not args.quiet:
            # The interventions before the turn (the saved game's, kept in the branch, and the branch's own), as
            # `wargame replay --log` prints them; an instructor's commands typed now are echoed by the console.
            for text in replayed_lines(model, model.events[shown[0]:]):
                out.write(f"  [instructor] {text}\n")
        shown[0] = len(model.events)
        if args.instructor:
            if not console:
                from ..instructor import InstructorConsole

                console.append(InstructorConsole(model, sys.stdin, sys.stderr if args.json else out, sys.stderr))
                checkpoint.append(CommandFileCheckpoint(console[0], target, at))
            checkpoint[0].before_commands()
            if not console[0].before_turn():
                return False
        warn_holding(model)
        stop.start_turn()
        return True

    try:
        with stop:
            model = branch(doc, at=at, moves=moves, turns=args.turns, policies=policies,
                           keep_injects=not args.drop_injects, ruleset=rules, on_turn=show, name=name,
                           before_turn=before, trusted=args.trusted)
    except KeyboardInterrupt:
        # Ctrl-C (at the instructor's prompt, or while turns play): the turns played so far are kept.
        out.flush()
        return stop_interrupted(playing[0] if playing else None, target, stop)
    except CommandFileError as error:
        out.flush()
        return checkpoint[0].stop(error, playing[0], resume=args.resume)
    except IllegalMove as exc:
        if not playing or playing[0].state.turn < at:
            raise                   # refused before any turn was played: the problem alone says it
        # Moves for a later turn that the game, as it went, no longer allows: the turns before it are printed.
        out.flush()
        for line in exc.lines():
            print(line, file=sys.stderr)
        played = playing[0].state.turn
        turns = f"turn {at}" if played == at else f"turns {at} to {played}"
        shown = "" if args.quiet or args.json else " (printed above)"
        what = "game" if args.resume else "branch"
        print(f"the {what} stopped before turn {played + 1}, after {turns}{shown}; nothing was saved: give other "
              f"moves for turn {played + 1}", file=sys.stderr)
        return 2
    except ReplayError as exc:
        # Not a bad file: the game on record can no longer be reproduced, as with `wargame replay` exiting 1.
        for line in exc.lines():
            print(line, file=sys.stderr)
        return 1
    if args.json:
        out.write(json.dumps(summary_object(model), ensure_ascii=False, separators=(",", ":")) + "\n")
    else:
        out.write(summary_text(model.rules, model.state.outcome, model.state.turn, model.state.indicators) + "\n")
    if not args.resume:
        comparison = compare(doc, model, names=(name, args.save or "branch"))
        if args.json:
            out.write(json.dumps({"type": "comparison", **comparison.to_dict()}, ensure_ascii=False,
                                 separators=(",", ":"), default=str) + "\n")
        else:
            out.write("\n" + "\n".join(comparison.lines(top=15, move_rows=10)) + "\n")
    unplayed = sorted(t for t in moves if t > model.state.turn)
    if unplayed:
        print(f"note: the game stopped after turn {model.state.turn}, before the moves given for turn {unplayed[0]}",
              file=sys.stderr)
    if target:
        save_game(model, target)
        print(f"saved to {target}", file=sys.stderr)
    return 0
