"""Compare two games turn by turn: where their moves differ, which indicators diverge, from when, and by how much.

Typically a saved game and a what-if branch of it (see replay.branch), but any two games can be compared:
two seeds, two ruleset variants. Games are given as models, save documents or save files. The result is
plain data (Comparison) that the CLI prints as text and a front end can show as it likes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .errors import SaveError, WargameError
from .figures import tension_rounded, usd, yen
from .indicators import NAMES, titled
from .indicators import label as indicator_label
from .model import WargameModel
from .render import count
from .ruleset import Ruleset
from .saves import read_save, resolve_ruleset
from .yamlio import display_path

HEADLINE = ("tension", "ladder", "japan_supply_index", "japan_gdp_loss_jpy", "china_export_loss_usd", "cohesion",
            "japan_import_share_china", "diversification_tpw")
SKIPPED = ("turn", "date")


# -- the games' records ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class GameSummary:
    name: str
    ruleset: str                 # the id, as machine-readable output gives it
    seed: int
    turns: int
    outcome: str | None          # the outcome's id, as machine-readable output gives it; None while unfinished
    branch_of: str | None = None
    branch_at: int | None = None
    ruleset_name: str | None = None   # as people know it; None when the save's ruleset cannot be found
    outcome_label: str | None = None  # as people know it; the id when the save's ruleset cannot be found

    @property
    def ended(self) -> str:
        """How the game ended, for people: the outcome's label, or 'unfinished'."""
        return self.outcome_label or self.outcome or "unfinished"


@dataclass(frozen=True)
class _Record:
    summary: GameSummary
    rules: Ruleset | None
    turns: list[dict]            # {turn, orders, indicators}


def _record(game: WargameModel | Mapping | str | Path, name: str) -> _Record:
    if isinstance(game, WargameModel):
        turns = [{"turn": r.turn, "orders": r.orders, "indicators": r.indicators} for r in game.reports]
        return _Record(_summary(name, game.rules.id, game.seed, turns, game.state.outcome, game.rules,
                                game.interventions), game.rules, turns)
    if isinstance(game, Mapping):
        doc, shown = game, name
    else:
        doc, shown = read_save(game), display_path(game)
    try:
        rules = resolve_ruleset(doc, shown)
    except (SaveError, WargameError):
        rules = None          # the record is still comparable; names fall back to ids
    turns = doc["history"]
    return _Record(_summary(shown if name in ("A", "B") else name, doc["ruleset"].get("id"), doc["seed"], turns,
                            doc["state"].get("outcome"), rules, doc.get("interventions") or []), rules, turns)


def _summary(name, ruleset_id, seed, turns, outcome, rules, interventions) -> GameSummary:
    label = rules.outcome_text(outcome) if rules is not None and outcome else outcome
    mark = next((r for r in interventions if r.get("kind") == "branch"), None)
    return GameSummary(name, ruleset_id, seed, len(turns), outcome, mark.get("parent") if mark else None,
                       mark.get("turn") if mark else None, rules.name if rules is not None else None, label)


# -- indicators -----------------------------------------------------------------------------------------

def flatten(indicators: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested indicators as flat keys: 'relations.beijing|tokyo', 'sector_output.jp_autos_ev', ..."""
    out: dict[str, Any] = {}
    for key, value in indicators.items():
        if not prefix and key in SKIPPED:
            continue
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping):
            out.update(flatten(value, name))
        elif isinstance(value, (int, float, str)) and not isinstance(value, bool):
            out[name] = value
    return out


def label(key: str, rules: Ruleset | None = None) -> str:
    """A readable name for a flat indicator key, as indicators.NAMES gives it, with the unit a bare number of it is
    in (amounts of money carry theirs); a figure per turn is per what a turn is in `rules` (Ruleset.per_turn, as
    the report and the Monte Carlo summary write it)."""
    if key == "diversification_tpw" and rules is not None:
        return titled(key, f"t/{rules.per_turn[1]}")
    if key in NAMES:
        return indicator_label(key) if key.endswith(("_jpy", "_usd")) else titled(key)
    head, _, rest = key.partition(".")
    base = indicator_label(head)
    if rules is None:
        return titled(head, text=f"{base}: {rest}") if head in NAMES else f"{base}: {rest}"
    net = rules.network
    def node(n): return net.nodes[net.node_index[n]].name.split(" (")[0] if n in net.node_index else n
    def commodity(c): return net.commodities[net.commodity_index[c]].name.split(" (")[0] if c in net.commodity_index else c
    def actor(a): return rules.actors[a].name if a in rules.actors else a
    if head == "japan_stock_weeks":
        # Stock over a turn's use: turns of use, which are weeks only where a turn is a week.
        return titled(head, f"{rules.per_turn[1]}s of use", text=f"{base}: {commodity(rest)}")
    if head in ("imports_to_japan", "price_inside_china", "price_outside_china"):
        return titled(head, text=f"{base}: {commodity(rest)}")
    if head == "sector_output":
        return f"{base}: {node(rest)}"
    if head == "inventory_japan":
        n, _, c = rest.partition(".")
        return f"{base} at {node(n)}: {commodity(c)} (t)"
    if head == "relations":
        return f"{base} " + "–".join(actor(a) for a in rest.split("|"))
    if head == "pressure":
        return f"{base} on {actor(rest)}"
    return f"{base}: {rest}"


# The decimals each indicator is written to wherever compare shows it (a percentage's of its percent), as the turn
# log and the screens write them: one precision for an indicator, so that 7.5 never stands beside 7.50, and a
# difference is one only where it shows at that precision. Money is written as figures.yen and figures.usd write it.
DECIMALS = {"tension": 2, "cohesion": 2, "japan_supply_index": 2, "relations": 2, "pressure": 2,
            "japan_gdp_loss_share": 2, "japan_import_share_china": 1, "japan_heavy_share_china": 1,
            "sector_output": 1, "imports_to_japan": 1, "inventory_japan": 1, "diversification_tpw": 1,
            "japan_stock_weeks": 1, "price_inside_china": 2, "price_outside_china": 2}
PERCENT = ("japan_gdp_loss_share", "japan_import_share_china", "japan_heavy_share_china", "sector_output")
_OTHER_DECIMALS = 2     # an indicator a later ruleset or engine adds, until it is listed above


def _money(key: str) -> bool:
    return key.endswith(("_jpy", "_usd"))


def _percent(key: str) -> bool:
    head = key.partition(".")[0]
    return head in PERCENT or head.endswith("_share") or "share_china" in head


def _decimals(key: str) -> int:
    """Decimals of the number as written: of a fraction, two more than of its percent."""
    places = DECIMALS.get(key.partition(".")[0], _OTHER_DECIMALS)
    return places + 2 if _percent(key) else places


def shown_value(key: str, value: float, rules: Ruleset | None = None) -> float:
    """A number as it is written (money aside): rounded to its indicator's precision; tension never up onto a rung
    it has not reached, as the log writes it."""
    if key == "tension" and rules is not None:
        rounded = tension_rounded(value, rules.politics["ladder"], _decimals(key))
    else:
        rounded = round(value, _decimals(key))
    return rounded + 0.0        # no '-0.00'


def fmt(key: str, value: Any, rules: Ruleset | None = None) -> str:
    """A value as people read it: yen and dollars in bn/m, shares as percentages, other numbers to the decimals of
    their indicator (DECIMALS), below zero with a minus sign (−), as money is."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if key.endswith("_jpy"):
        return yen(value)
    if key.endswith("_usd"):
        return usd(value)
    if not math.isfinite(value):
        return str(value)
    if _percent(key):
        text = f"{shown_value(key, value, rules):.{_decimals(key) - 2}%}"
    else:
        text = f"{shown_value(key, value, rules):,.{_decimals(key)}f}"
    # The minus sign that money and the gaps beside these values are written with.
    return "−" + text[1:] if text.startswith("-") else text


def fmt_gap(key: str, gap: Any) -> str:
    if isinstance(gap, str) or gap is None:
        return gap or "–"
    text = fmt(key, abs(gap))
    return ("+" if gap > 0 and _shows(text) else "−" if gap < 0 and _shows(text) else "") + text


def _shows(text: str) -> bool:
    """Whether a figure as written is other than nothing ('¥0.0 bn', '0.00', '0.0%' are nothing)."""
    return any(ch in "123456789" for ch in text) or "inf" in text or "nan" in text


def gap(key: str, a: float, b: float, rules: Ruleset | None = None) -> float:
    """B − A as a reader finds it from the two figures written: between the rounded values (money, whose precision
    follows its size, between the values themselves)."""
    if _money(key) or not (math.isfinite(a) and math.isfinite(b)):
        return b - a
    return shown_value(key, b, rules) - shown_value(key, a, rules)


# -- the comparison --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MoveDifference:
    turn: int
    actor: str
    a: tuple[str, ...]
    b: tuple[str, ...]


@dataclass(frozen=True)
class IndicatorDivergence:
    key: str
    label: str
    first_turn: int               # the first turn on which the two games differ
    a_end: Any                    # each game's value at its own last turn
    b_end: Any
    widest_turn: int              # the common turn with the largest gap (B − A)
    widest_gap: Any               # a number, or "A → B" for the escalation rung
    size: float = field(default=0.0, compare=False)   # the widest gap relative to the values, for ordering


@dataclass
class Comparison:
    a: GameSummary
    b: GameSummary
    common_turns: int
    moves: list[MoveDifference]
    diverging: list[IndicatorDivergence]
    unchanged: list[str]
    series: dict[str, tuple[list[Any], list[Any]]]      # key -> (A's values, B's values), turn 1 onwards
    labels: dict[str, str]
    notes: list[str]
    # Each game's ruleset, to name its moves and actors in the text; ids stand in where it is unknown.
    rules: tuple[Ruleset | None, Ruleset | None] = field(default=(None, None), repr=False)

    @property
    def first_move_turn(self) -> int | None:
        return self.moves[0].turn if self.moves else None

    @property
    def first_divergence_turn(self) -> int | None:
        return min((d.first_turn for d in self.diverging), default=None)

    def divergence(self, key: str) -> IndicatorDivergence | None:
        return next((d for d in self.diverging if d.key == key), None)

    def turn_table(self, keys: list[str]) -> list[list[str]]:
        """Rows of turn, then A, B and the gap for each key, for a side-by-side view turn by turn."""
        rows = []
        longest = max(len(a) for a, _ in (self.series[k] for k in keys)) if keys else 0
        for i in range(longest):
            row = [str(i + 1)]
            for k in keys:
                a, b = self.series[k]
                va = a[i] if i < len(a) else None
                vb = b[i] if i < len(b) else None
                row += [fmt(k, va, self.rules[0]), fmt(k, vb, self.rules[1]), _gap_text(k, va, vb, self.rules[0])]
            rows.append(row)
        return rows

    def to_dict(self) -> dict:
        return {"a": _summary_dict(self.a), "b": _summary_dict(self.b), "common_turns": self.common_turns,
                "first_move_turn": self.first_move_turn, "first_divergence_turn": self.first_divergence_turn,
                "moves": [asdict(m) for m in self.moves],
                "diverging": [{k: v for k, v in asdict(d).items() if k != "size"} for d in self.diverging],
                "unchanged": self.unchanged, "notes": self.notes}

    def lines(self, top: int | None = 25, move_rows: int | None = 12) -> list[str]:
        """The comparison as text: the two games, where the moves differ, and the diverging indicators."""
        out = [_summary_line("A", self.a), _summary_line("B", self.b)]
        out += [f"   note: {n}" for n in self.notes]
        out.append("")
        if not self.moves:
            out.append("Moves: the same on the one common turn" if self.common_turns == 1 else
                       f"Moves: the same in all {self.common_turns} common turns")
        else:
            turns = sorted({m.turn for m in self.moves})
            out.append(f"Moves first differ on turn {turns[0]} ({len(self.moves)} actor-turns differ, "
                       f"on {len(turns)} of {count(self.common_turns, 'common turn')}):")
            shown = self.moves if move_rows is None else self.moves[:move_rows]
            # A and B on lines of their own: moves by name are too long to stand side by side.
            for m in shown:
                out += [f"  turn {m.turn}, {self.actor_name(m.actor)}",
                        f"     A: {self.moves_named(m.a, 'A')}",
                        f"     B: {self.moves_named(m.b, 'B')}"]
            if len(shown) < len(self.moves):
                out.append(f"  ... and {len(self.moves) - len(shown)} more (--all shows them)")
        out.append("")
        total = len(self.diverging) + len(self.unchanged)
        if not self.diverging:
            out.append(f"Indicators: all {total} are the same on every common turn")
            return out
        out.append(f"Indicators that diverge: {len(self.diverging)} of {total}, "
                   f"the first on turn {self.first_divergence_turn}")
        width = max(30, min(60, max(len(d.label) for d in self.diverging)))
        head = (f"  {'indicator':<{width}} {'from':>6}  {'A at turn ' + str(self.a.turns):>16}  "
                f"{'B at turn ' + str(self.b.turns):>16}  widest gap B−A (turn)")
        out.append(head)
        shown = self.diverging if top is None else self.diverging[:top]
        for d in shown:
            shown_label = d.label if len(d.label) <= width else d.label[:width - 1] + "…"   # cut, not whole
            out.append(f"  {shown_label:<{width}} {'turn ' + str(d.first_turn):>6}  "
                       f"{fmt(d.key, d.a_end, self.rules[0]):>16}  {fmt(d.key, d.b_end, self.rules[1]):>16}  "
                       f"{self.gap_text(d)} ({d.widest_turn})")
        if len(shown) < len(self.diverging):
            out.append(f"  ... and {len(self.diverging) - len(shown)} more (--all shows them)")
        if self.unchanged:
            out.append(f"Unchanged on every common turn: {len(self.unchanged)} indicators")
        return out

    def gap_text(self, d: IndicatorDivergence) -> str:
        """An indicator's widest gap as the values either side of it are written (B − A of the figures shown)."""
        if isinstance(d.widest_gap, str):
            return d.widest_gap
        a, b = self.series[d.key]
        return _gap_text(d.key, a[d.widest_turn - 1], b[d.widest_turn - 1], self.rules[0])

    def actor_name(self, actor: str) -> str:
        """An actor as players know it ('Tokyo'), from whichever game's ruleset has it; its id otherwise."""
        rules = next((r for r in self.rules if r is not None and actor in r.actors), None)
        return rules.actors[actor].name if rules is not None else actor

    def moves_named(self, moves: tuple[str, ...], game: str) -> str:
        """One game's moves ('A' or 'B') for an actor-turn, by name as its own ruleset has them."""
        rules = self.rules[{"A": 0, "B": 1}[game]]
        if rules is not None:
            return rules.moves_text(moves)
        # Ids, where the save's ruleset is not to be found; joined as the turn log joins names.
        return "; ".join(moves) or "no move played"


def _summary_dict(s: GameSummary) -> dict:
    # The JSON names the ruleset by id only, as it did before the text gave its name; the outcome by id too,
    # with its label beside it for a program that shows it.
    fields = asdict(s)
    return {"name": s.name, "ruleset": s.ruleset, "seed": s.seed, "turns": s.turns, "outcome": s.outcome,
            "outcome_label": s.outcome_label, **{k: fields[k] for k in ("branch_of", "branch_at")}}


def _summary_line(tag: str, s: GameSummary) -> str:
    origin = f" · branch of {s.branch_of} at turn {s.branch_at}" if s.branch_of else ""
    # The ruleset's name last: it is long, and where the line is cut (the TUI) the outcome matters more.
    return (f"{tag}  {s.name} — seed {s.seed}, {count(s.turns, 'turn')}, {s.ended}{origin} · "
            f"{s.ruleset_name or s.ruleset}")


def _gap_text(key: str, a: Any, b: Any, rules: Ruleset | None = None) -> str:
    if a is None or b is None:
        return ""
    if isinstance(a, str) or isinstance(b, str):
        return "" if a == b else "≠"
    text = fmt_gap(key, gap(key, a, b, rules))
    return text if _shows(text) else ""


def _differs(key: str, a: Any, b: Any, tolerance: float, rules: Ruleset | None = None) -> bool:
    """Whether two values differ by more than `tolerance` (relative) and by enough to show as written."""
    if a is None or b is None:
        return False
    if isinstance(a, str) or isinstance(b, str):
        return a != b
    return abs(a - b) > tolerance * max(1.0, abs(a), abs(b)) and _shows(fmt(key, abs(gap(key, a, b, rules))))


def compare(a: WargameModel | Mapping | str | Path, b: WargameModel | Mapping | str | Path, *,
            keys: list[str] | None = None, tolerance: float = 1e-9, names: tuple[str, str] = ("A", "B")) -> Comparison:
    """Compare two games turn by turn (turn 1 with turn 1, ...). `keys` limits the indicators compared."""
    if isinstance(tolerance, bool) or not isinstance(tolerance, int | float) or not 0 <= tolerance < math.inf:
        # NaN would pass any comparison as 'no difference', and infinity would hide every difference.
        raise WargameError(f"tolerance: expected a number, 0 or more, got {tolerance!r}")
    ra, rb = _record(a, names[0]), _record(b, names[1])
    rules = ra.rules or rb.rules
    common = min(len(ra.turns), len(rb.turns))
    moves = []
    for ta, tb in zip(ra.turns[:common], rb.turns[:common]):
        actors = list(ta["orders"]) + [x for x in tb["orders"] if x not in ta["orders"]]
        for actor in actors:
            ma, mb = tuple(ta["orders"].get(actor, ())), tuple(tb["orders"].get(actor, ()))
            # The same moves in another order are the same decision.
            if sorted(ma) != sorted(mb):
                moves.append(MoveDifference(ta["turn"], actor, ma, mb))
    fa = [flatten(t["indicators"]) for t in ra.turns]
    fb = [flatten(t["indicators"]) for t in rb.turns]
    every = list(dict.fromkeys([k for f in fa[:1] + fb[:1] for k in f] + [k for f in fa + fb for k in f]))
    if keys:
        unknown = [k for k in keys if k not in every]
        if unknown:
            from .reader import suggest
            raise WargameError(f"unknown indicator '{unknown[0]}'{suggest(unknown[0], every)}; "
                               f"expected one of: {', '.join(every)}")
        every = [k for k in every if k in keys]
    series, diverging, unchanged, labels = {}, [], [], {}
    for key in every:
        va = [f.get(key) for f in fa]
        vb = [f.get(key) for f in fb]
        series[key] = (va, vb)
        labels[key] = label(key, rules)
        first = next((i for i in range(common) if _differs(key, va[i], vb[i], tolerance, rules)), None)
        if first is None:
            unchanged.append(key)
            continue
        diverging.append(_divergence(key, labels[key], va, vb, first, common, rules))
    diverging.sort(key=lambda d: (d.first_turn, -d.size, d.key))
    notes = []
    if ra.summary.ruleset != rb.summary.ruleset:
        shown = [s.ruleset_name or s.ruleset for s in (ra.summary, rb.summary)]
        if shown[0] == shown[1]:      # two variants under one name are told apart by id
            shown = [ra.summary.ruleset, rb.summary.ruleset]
        notes.append(f"different rulesets: “{shown[0]}” and “{shown[1]}”")
    if ra.summary.seed != rb.summary.seed:
        notes.append(f"different seeds ({ra.summary.seed} and {rb.summary.seed}): the games differ by chance too")
    if len(ra.turns) != len(rb.turns):
        longer, shorter = (ra, rb) if len(ra.turns) > len(rb.turns) else (rb, ra)
        notes.append(f"{shorter.summary.name} ended after turn {len(shorter.turns)} "
                     f"({shorter.summary.ended}); {longer.summary.name} went on to turn "
                     f"{len(longer.turns)}; gaps are measured over the first {count(common, 'turn')}")
    return Comparison(ra.summary, rb.summary, common, moves, diverging, unchanged, series, labels, notes,
                      (ra.rules, rb.rules))


def _divergence(key, text, va, vb, first, common, rules=None) -> IndicatorDivergence:
    a_end = next((v for v in reversed(va) if v is not None), None)
    b_end = next((v for v in reversed(vb) if v is not None), None)
    if isinstance(va[first], str) or isinstance(vb[first], str):
        widest = first
        widest_gap: Any = f"{va[first]} → {vb[first]}"
        size = 1.0
    else:
        gaps = [(abs(gap(key, va[i], vb[i], rules)), i) for i in range(common)
                if va[i] is not None and vb[i] is not None]
        _, widest = max(gaps, key=lambda g: (g[0], -g[1]))
        widest_gap = vb[widest] - va[widest]          # exact, for programs; the text writes it as shown
        scale = max(abs(va[widest]), abs(vb[widest]), 1e-12)
        size = abs(widest_gap) / scale if math.isfinite(widest_gap) else 0.0
    return IndicatorDivergence(key, text, first + 1, a_end, b_end, widest + 1, widest_gap, size)
