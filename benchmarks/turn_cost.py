"""Cost of one full turn of the default ruleset, against the bare-Mesa floor.

The floor is a Mesa model with the same number of agents whose step() is empty, run with shuffle_do:
the least a Mesa turn can cost on this machine. Both are timed in the same run, and the script prints
medians over repetitions and their ratio (target: a full turn costs at most 8x the floor).

    .venv/bin/python benchmarks/turn_cost.py [--reps 15] [--turns 52]
"""

from __future__ import annotations

import argparse
import statistics
import time

import mesa

from wargame import WargameModel, load_ruleset


class EmptyAgent(mesa.Agent):
    def step(self) -> None:
        pass


class FloorModel(mesa.Model):
    def __init__(self, n: int, rng: int = 0):
        super().__init__(rng=rng)
        for _ in range(n):
            EmptyAgent(self)

    def step(self) -> None:
        self.agents.shuffle_do("step")


def per_turn(make, turns: int) -> float:
    model = make()
    start = time.perf_counter()
    for _ in range(turns):
        model.step()
    return (time.perf_counter() - start) / turns


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--turns", type=int, default=52)
    args = parser.parse_args()
    rules = load_ruleset()
    n_agents = len(rules.actors)
    game, floor = [], []
    for rep in range(args.reps):
        # Interleave the two so that machine noise hits both alike.
        game.append(per_turn(lambda: WargameModel(rules, rng=rep, turns=args.turns), args.turns))
        floor.append(per_turn(lambda: FloorModel(n_agents, rng=rep), args.turns * 20))
    g, f = statistics.median(game), statistics.median(floor)
    print(f"agents: {n_agents}; turns per game: {args.turns}; repetitions: {args.reps}")
    print(f"full turn of the default ruleset: median {g * 1e6:8.1f} us "
          f"(min {min(game) * 1e6:.1f}, max {max(game) * 1e6:.1f})")
    print(f"bare-Mesa floor (empty step, shuffle_do): median {f * 1e6:8.1f} us")
    print(f"ratio full turn / floor: {g / f:.1f}x (target: at most 8x)")


if __name__ == "__main__":
    main()
