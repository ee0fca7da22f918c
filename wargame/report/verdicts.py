"""How each player did against their objectives: where each one ended, and whether that is better or worse for
the player than where it stood before turn 1.

The objectives, their values and which way each player wants them are wargame.views.objective_standings, the
same that the turn screen's "Your objectives" panel shows, said of the player by name ('Domestic pressure on
Tokyo', not '... on you') since others read them too; a verdict only sets each one's last value against its
first. Used by the debrief and by the terminal UI's game-over screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..views import objective_label, objective_standings

if TYPE_CHECKING:
    from ..model import WargameModel

BETTER, WORSE, UNCHANGED = "better", "worse", "unchanged"
NUMBERS = {2: "two", 3: "three", 4: "four"}


@dataclass(frozen=True)
class ObjectiveResult:
    label: str
    wants: str              # "higher" or "lower"
    weight: float
    end: str                # where it ended, written as the objectives panel writes it
    way: str                # BETTER, WORSE or UNCHANGED than before turn 1, for the player


@dataclass(frozen=True)
class Verdict:
    """One player's objectives at the end of the game, heaviest first."""

    actor: str
    name: str
    results: tuple[ObjectiveResult, ...]

    def count(self, way: str) -> int:
        return sum(r.way == way for r in self.results)

    def summary(self) -> str:
        """'better than at the start on 2 of 7 objectives, worse on 4, unchanged on 1; worse on the one that
        weighs most: Japan's supply (of normal)': the heaviest objectives are named when they all went one way."""
        total = len(self.results)
        if not total:
            return "no objective that can be set against where it started"
        better, worse, same = self.count(BETTER), self.count(WORSE), self.count(UNCHANGED)
        parts = [f"better than at the start on {better} of {total} objective{'s' if total != 1 else ''}"]
        if worse:
            parts.append(f"worse on {worse}")
        if same:
            parts.append(f"unchanged on {same}")
        text = ", ".join(parts)
        top = abs(self.results[0].weight)
        heaviest = [r for r in self.results if abs(r.weight) == top]
        ways = {r.way for r in heaviest}
        if len(heaviest) < total and len(ways) == 1:
            many = len(heaviest) > 1
            which = f"the {NUMBERS.get(len(heaviest), len(heaviest))} that weigh most" if many else \
                "the one that weighs most"
            # After a colon, not in brackets: an objective's label may hold its own ('(of normal)').
            text += f"; {ways.pop()} on {which}: {'; '.join(r.label for r in heaviest)}"
        return text


def verdicts(model: "WargameModel", opening: dict | None = None) -> list[Verdict]:
    """A verdict for each actor played by a person, in ruleset order. `opening`: the indicators before turn 1
    (a game under way no longer holds them), without which the start is the end of turn 1."""
    out = []
    for actor in model.humans():
        name = model.rules.actors[actor].name
        results = []
        for s in objective_standings(model, actor, opening):
            # Resolve is shown, not pursued; an objective known at one turn only has no way to have gone.
            if s.wants not in ("higher", "lower") or len(s.history) < 2:
                continue
            start, end = s.history[0], s.history[-1]
            gain = (end - start) * (1 if s.wants == "higher" else -1)
            way = UNCHANGED if abs(gain) <= 1e-9 * max(1.0, abs(start), abs(end)) else BETTER if gain > 0 else WORSE
            # Others read it too: the objective is said of the player by name, not to them.
            results.append(ObjectiveResult(objective_label(model.rules, s.objective, name), s.wants, s.weight, s.text,
                                           way))
        out.append(Verdict(actor, name, tuple(results)))
    return out
