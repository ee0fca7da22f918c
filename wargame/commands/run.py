"""`wargame run`: play one headless game and print its log (text, or JSON lines with --json)."""

from __future__ import annotations

import argparse
import json
import sys

from ..errors import WargameError
from ..instructor import CommandFileError
from ..model import WargameModel
from ..render import summary_text, turn_text
from ..scripts import load_script
from .common import CommandFileCheckpoint, Interrupts, add_ruleset_argument, check_turns, rules_file, parse_policies, \
    policy_names, ruleset_from_args, seed_int, stop_interrupted, turn_count


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="play one headless game and print its turn-by-turn log",
                       description="Play one game with every actor on its AI policy (or a script) and print "
                                   "each turn's moves, their effects and the main indicators.")
    add_ruleset_argument(p)
    p.add_argument("--turns", type=turn_count, default=None,
                   help="turns to play, 1 to 1000 (default: the ruleset's limit)")
    p.add_argument("--seed", type=seed_int, default=0, help="random seed (default 0)")
    p.add_argument("--script", type=rules_file, default=None, metavar="FILE",
                   help="YAML script pinning moves by turn and actor")
    p.add_argument("--policy", action="append", metavar="ACTOR=POLICY",
                   help="policy for an actor: utility, random, hold, human (with --instructor: its moves come from "
                        "the instructor's 'override' commands), or module:Class (repeatable)")
    p.add_argument("--json", action="store_true", help="write JSON lines: one object per turn, then a summary")
    p.add_argument("--save", metavar="FILE", default=None, help="save the finished game to FILE")
    p.add_argument("--instructor", action="store_true",
                   help="instructor mode: before each turn, read commands from standard input (inject, say, "
                        "reveal, hide, override, pause, continue, quit; 'help' lists them)")
    p.set_defaults(handler=run)


def game_from_args(args: argparse.Namespace) -> WargameModel:
    rules = ruleset_from_args(args)
    check_turns(rules, args.turns)
    if args.script:
        from .validate import check_kind

        check_kind(args.script, "script", "--script")
    script = load_script(args.script, rules) if args.script else None
    policies = parse_policies(args.policy, rules, policy_names())
    model = WargameModel(rules, rng=args.seed, policies=policies, script=script, turns=args.turns)
    humans = model.humans()
    if humans and not args.instructor:
        # Headless, only the instructor's prompt can give a player's moves: without it the player would hold
        # every turn, which is never what was meant.
        first, one = humans[0], len(humans) == 1
        whose = first + "'s" if one else "their"
        raise WargameError(f"{', '.join(f'--policy {a}=human' for a in humans)}: nobody could enter "
                           f"{whose} moves: add --instructor to enter them before each "
                           f"turn ('override {first} MOVE...', or 'override {first} hold'), or play "
                           f"{'it' if one else 'them'} in the terminal UI (wargame play "
                           f"{' '.join(f'--as {a}' for a in humans)})")
    return model


def warn_holding(model: WargameModel) -> None:
    """Tell the instructor, before a turn is played, which players have no orders for it (they hold)."""
    from ..instructor import missing_orders

    idle = model.awaiting_orders()
    if idle:
        print(f"note: turn {model.turn}: {missing_orders(model.rules, idle)}", file=sys.stderr)


def turn_object(model: WargameModel, report) -> dict:
    obj = {"type": "turn", **report.indicators}
    obj["moves"] = report.orders
    obj["events"] = [{"actor": e.actor, "kind": e.kind, "text": e.text, "public": e.visible_to is None}
                     for e in report.events]
    return obj


def summary_object(model: WargameModel) -> dict:
    ind = model.state.indicators
    return {"type": "summary", "ruleset": model.rules.id, "ruleset_digest": model.rules.digest, "seed": model.seed,
            "turns": model.state.turn, "outcome": model.state.outcome or "unfinished",
            "japan_gdp_loss_jpy": ind.get("japan_gdp_loss_jpy", 0), "japan_gdp_loss_share": ind.get("japan_gdp_loss_share", 0),
            "china_export_loss_usd": ind.get("china_export_loss_usd", 0), "final_tension": ind.get("tension", 0)}


def run(args: argparse.Namespace) -> int:
    model = game_from_args(args)
    if args.save:
        from ..saves import check_writable

        # Found out now, not after the whole game (or a class's session) has been played.
        check_writable(args.save)
    out = sys.stdout
    previous = None
    console = None
    if args.instructor:
        from ..instructor import InstructorConsole

        console = InstructorConsole(model, sys.stdin, sys.stderr if args.json else out, sys.stderr)
        if console.interactive:
            # Said where the prompt is, as the status before each turn is: a piped file of commands was prepared
            # knowing it.
            from ..views import briefing

            sys.stderr.write("\n".join(briefing(model)) + "\n\n")
    checkpoint = CommandFileCheckpoint(console, args.save, model.turn)
    with Interrupts() as stop:
        try:
            while model.running:
                checkpoint.before_commands()
                if console is not None and not console.before_turn():
                    break
                warn_holding(model)
                stop.start_turn()
                model.step()
                report = model.reports[-1]
                if args.json:
                    out.write(json.dumps(turn_object(model, report), ensure_ascii=False, separators=(",", ":")) + "\n")
                else:
                    out.write(turn_text(model.rules, report, previous, model.turn_limit) + "\n\n")
                previous = report.indicators
                checkpoint.after_turn(model)
                stop.end_turn()
        except KeyboardInterrupt:
            # Ctrl-C (at the instructor's prompt, or while turns play): the turns played so far are kept.
            out.flush()
            return stop_interrupted(model, args.save, stop)
        except CommandFileError as error:
            out.flush()
            return checkpoint.stop(error, model, resume=False)
    if args.json:
        out.write(json.dumps(summary_object(model), ensure_ascii=False, separators=(",", ":")) + "\n")
    else:
        out.write(summary_text(model.rules, model.state.outcome, model.state.turn, model.state.indicators) + "\n")
    if args.save:
        from ..saves import save_game

        save_game(model, args.save)
        print(f"saved to {args.save}", file=sys.stderr)
    return 0
