"""Sweep files: which ruleset parameters a batch varies, over a grid or a Latin hypercube.

    method: grid                     # every combination of the listed values
    parameters:
      actors.beijing.resolve.alpha: [4, 6, 8]
      economy.shortage_convexity: {min: 1.0, max: 2.0, steps: 5}

    method: lhs                      # a Latin hypercube of `samples` points
    samples: 40
    seed: 11                         # optional; the batch seed by default
    parameters:
      nodes.jp_magnet_makers.cover_weeks: {min: 4, max: 12}
      actors.beijing.moves_per_turn: {min: 1, max: 3, integer: true}
      actors.beijing.policy: [utility, random]     # a list is sampled as evenly spaced strata

Every point is played `--runs` times. With `common_seeds: true` each point reuses the same run seeds, so that
differences between points are not blurred by chance (common random numbers).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import Problem, RulesetError, WargameError
from ..reader import Reader
from ..render import count
from ..ruleset import ruleset_from_data, whole_number_paths
from ..yamlio import Document, load_file
from . import overrides as ov

SWEEP_KEYS = ("method", "parameters", "samples", "seed", "common_seeds", "description")   # the first two required

METHODS = ("grid", "lhs")
MAX_GRID_STEPS = 1000
# Each parameter's values are first checked alone, each problem said once at its own line. Then sweeps of up to this
# many points have every point's ruleset built and checked before anything runs (about 5 ms a point, so a few
# seconds at most), for values that are fine alone but not together; in larger ones, such a point is reported when
# its first game is about to be played (see PointRejected).
CHECK_EVERY_POINT = 1000
MAX_POINTS = 100_000   # a grid's combinations or a hypercube's samples: each is played --runs times
SHOWN_POINTS = 10      # rejected points listed one by one; the rest are counted


@dataclass(frozen=True)
class Sweep:
    method: str
    parameters: tuple[str, ...]
    points: tuple[ov.Overrides, ...]
    common_seeds: bool = False
    file: str = "<sweep>"

    def to_manifest(self) -> dict:
        return {"file": self.file, "method": self.method, "parameters": list(self.parameters),
                "common_seeds": self.common_seeds,
                "points": [[[p, v] for p, v in point] for point in self.points]}

    @classmethod
    def from_manifest(cls, data: dict) -> "Sweep":
        points = tuple(tuple((p, v) for p, v in point) for point in data["points"])
        return cls(data["method"], tuple(data["parameters"]), points, bool(data["common_seeds"]), data["file"])


def load_sweep(source: str | Path | dict, base: dict, fixed: ov.Overrides, seed: int,
               fixed_label: str = "--set") -> Sweep:
    """Read and check a sweep (a YAML file, or the same structure as a dict) against the ruleset data `base`.
    `fixed_label` names the argument that gave `fixed` in errors: '--set' or 'overrides='.

    Raises WargameError with one Problem per mistake: unknown keys or parameters, bad ranges, and values the
    ruleset itself rejects.
    """
    if isinstance(source, dict):
        doc, problems = Document(ov.plain(source), "<sweep>"), []
    else:
        doc, problems = load_file(source)
    if problems:
        raise WargameError(problems)
    r = Reader(doc)
    data = r.mapping(doc.data, (), "a sweep: a mapping with 'method' and 'parameters'")
    if not isinstance(doc.data, dict):
        raise WargameError(r.problems)
    r.keys(data, (), SWEEP_KEYS[:2], SWEEP_KEYS[2:])
    method = r.choice(data, "method", (), METHODS, "grid")
    common = r.boolean(data, "common_seeds", (), False)
    samples = int(r.number(data, "samples", (), None if method == "lhs" else 1, lo=1, hi=MAX_POINTS, integer=True))
    if method == "grid" and "samples" in data:
        r.problem(("samples",), "'samples' applies to method: lhs; a grid plays every combination")
    lhs_seed = int(r.number(data, "seed", (), seed, lo=0, integer=True))
    if method == "grid" and "seed" in data:
        # Said rather than ignored: a reader would take it for the seed of the grid's games, which --seed gives.
        r.problem(("seed",), "'seed' applies to method: lhs, whose points it draws; a grid's points are not drawn, "
                             "and its games' seeds come from the batch seed")
    params = r.mapping(data.get("parameters"), ("parameters",), "a mapping of parameter paths to values or ranges")
    if "parameters" in data and not params and not r.problems:
        r.problem(("parameters",), "expected at least one parameter to vary")
    fixed_paths = {p for p, _ in fixed}
    axes: list[tuple[str, Any]] = []
    for path, spec in params.items():
        where = ("parameters", path)
        if path in fixed_paths:
            r.problem(where, f"'{path}' is also given with {fixed_label}; vary it here or fix it there, not both")
            continue
        axis = _axis(r, spec, where, method)
        if axis is None:
            continue
        try:
            ov.check_path(base, path, axis[0])
        except WargameError as error:
            r.problem(where, error.problems[0].message)
            continue
        axes.append((path, axis))
    # Also when other keys are wrong: every mistake in the file is said in one pass.
    _check_parameters(r, axes, params, method, base, fixed)
    if r.problems:
        raise WargameError(r.problems)
    paths = tuple(p for p, _ in axes)
    if method == "grid":
        size = math.prod(len(a) for _, a in axes)
        if size > MAX_POINTS:
            # Refused before the combinations are listed: three axes of 1,000 steps would fill the memory.
            r.problem(("parameters",), f"the grid has {size:,} points ({' × '.join(f'{len(a):,}' for _, a in axes)});"
                                       f" at most {MAX_POINTS:,}: use fewer values, or method: lhs")
            raise WargameError(r.problems)
        points = [tuple(zip(paths, combo)) for combo in itertools.product(*(a for _, a in axes))]
    else:
        points = _latin_hypercube(axes, samples, lhs_seed)
    sweep = Sweep(method, paths, tuple(points), common, doc.file)
    _check_points(r, sweep, base, fixed)
    if r.problems:
        raise WargameError(r.problems)
    return sweep


def _axis(r: Reader, spec: Any, where: tuple, method: str) -> Any:
    """A grid axis is a list of values; an LHS axis is a list (categorical) or a (lo, hi, integer) range."""
    if isinstance(spec, list):
        if not spec:
            r.problem(where, "expected at least one value")
            return None
        return list(spec)
    if not isinstance(spec, dict):
        r.problem(where, "expected a list of values or a range {min, max"
                         + (", steps}" if method == "grid" else "}"))
        return None
    allowed = ["min", "max", "steps"] if method == "grid" else ["min", "max", "integer"]
    r.keys(spec, where, ["min", "max"] + (["steps"] if method == "grid" else []), [k for k in allowed if k not in
                                                                                      ("min", "max", "steps")])
    before = len(r.problems)
    lo = r.number(spec, "min", where, 0.0)
    hi = r.number(spec, "max", where, 0.0)
    if len(r.problems) == before and hi <= lo:
        r.problem(where, f"expected max greater than min, got min {lo:g} and max {hi:g}")
    if method == "grid":
        steps = int(r.number(spec, "steps", where, 2, lo=2, hi=MAX_GRID_STEPS, integer=True))
        if len(r.problems) > before:
            return None
        ints = all(isinstance(spec[k], int) for k in ("min", "max"))
        values = [lo + (hi - lo) * k / (steps - 1) for k in range(steps)]
        return [int(round(v)) if ints and float(v).is_integer() else float(v) for v in values]
    integer = r.boolean(spec, "integer", where, False)
    if integer and len(r.problems) == before and (not float(lo).is_integer() or not float(hi).is_integer()):
        r.problem(where, "an integer range needs whole-number min and max")
    if len(r.problems) > before:
        return None
    return (lo, hi, integer)


def _latin_hypercube(axes: list[tuple[str, Any]], n: int, seed: int) -> list[ov.Overrides]:
    """One sample in each of n equal strata of every parameter, strata paired at random across parameters."""
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    columns = []
    for _, axis in axes:
        u = (rng.permutation(n) + rng.random(n)) / n
        if isinstance(axis, list):
            col = [axis[min(int(x * len(axis)), len(axis) - 1)] for x in u]
        else:
            lo, hi, integer = axis
            if integer:
                col = [int(min(math.floor(lo + x * (hi - lo + 1)), hi)) for x in u]
            else:
                col = [float(lo + x * (hi - lo)) for x in u]
        columns.append(col)
    paths = [p for p, _ in axes]
    return [tuple(zip(paths, (c[i] for c in columns))) for i in range(n)]


def _check_parameters(r: Reader, axes: list, specs: dict, method: str, base: dict, fixed: ov.Overrides) -> None:
    """Check each parameter alone before any point is made of it: a range over a setting that takes a whole
    number, and each value the ruleset rejects (each listed value, or a range's ends), said once at its line
    rather than once for every point it is part of."""
    whole = whole_number_paths(ov.apply(base, fixed)) if axes else frozenset()
    for path, axis in axes:
        where = ("parameters", path)
        spec = specs[path]
        if isinstance(spec, dict):
            if path in whole:
                advice = _whole_number_advice(spec, axis, method)
                if advice:
                    r.problem(where, f"takes a whole number; {advice}")
                    continue
            lo, hi = (axis[0], axis[-1]) if method == "grid" else axis[:2]
            tries = [(where + ("min",), lo), (where + ("max",), hi)]
        else:
            tries = [(where + (i,), value) for i, value in _telling_values(axis, path in whole)]
        for at, value in tries:
            for problem in _problems_with(base, fixed, ((path, value),)):
                if problem.path == path:
                    r.problem(at, problem.message)
                else:
                    said = f"{problem.path}: {problem.message}" if problem.path else problem.message
                    r.problem(at, f"with {path}={ov.show_value(value)}, {said}")


def _telling_values(values: list, whole: bool) -> list[tuple[int, Any]]:
    """The listed values worth building a ruleset for, with their positions: of the numbers, the smallest and the
    largest (the ruleset's limits on a number are ranges) and the first that is not whole where the setting takes
    a whole number; every other value once. A list of hundreds of numbers is checked in a few builds."""
    numbers = [(i, v) for i, v in enumerate(values) if isinstance(v, (int, float)) and not isinstance(v, bool)
               and math.isfinite(v)]
    picked = []
    if numbers:
        picked += [min(numbers, key=lambda iv: iv[1]), max(numbers, key=lambda iv: iv[1])]
        if whole:
            picked += [iv for iv in numbers if not float(iv[1]).is_integer()][:1]
    for i, value in enumerate(values):
        if (i, value) not in numbers and not any(value == v and type(value) is type(v) for _, v in picked):
            picked.append((i, value))
    out: list = []
    for i, value in sorted(picked, key=lambda iv: iv[0]):
        if not any(j == i for j, _ in out):
            out.append((i, value))
    return out


def _whole_number_advice(spec: dict, axis: Any, method: str) -> str | None:
    """How to make a range over a whole-number setting give whole numbers, or None if it does."""
    if method != "grid":
        return None if axis[2] else "add `integer: true` to sample whole numbers"
    broken = next((v for v in axis if not float(v).is_integer()), None)
    if broken is None:
        return None
    lo, hi, steps = spec["min"], spec["max"], len(axis)
    said = f"{steps} steps from {ov.show_value(lo)} to {ov.show_value(hi)} include {ov.show_value(broken)}"
    if not (float(lo).is_integer() and float(hi).is_integer()):
        return f"{said}: give a whole-number min and max, or list the values"
    span = int(hi - lo)
    # The step counts that land on whole numbers are those one more than a divisor of the span; the nearest wins.
    fits = [d + 1 for d in range(1, min(span, MAX_GRID_STEPS - 1) + 1) if span % d == 0]
    best = min(fits, key=lambda n: (abs(n - steps), -n))
    values = [int(lo) + span // (best - 1) * k for k in range(best)]
    shown = ", ".join(map(str, values)) if best <= 6 else f"{values[0]}, {values[1]}, … {values[-1]}"
    return f"{said}: use steps: {best} ({shown}), or list the values"


def _check_points(r: Reader, sweep: Sweep, base: dict, fixed: ov.Overrides) -> None:
    """Check every point's values together, when there are up to CHECK_EVERY_POINT points."""
    if len(sweep.points) > CHECK_EVERY_POINT:
        return
    rejected = 0
    for index, point in enumerate(sweep.points):
        problems = point_problems(base, fixed, point)
        if problems:
            rejected += 1
            if rejected <= SHOWN_POINTS:
                r.problems += [Problem(sweep.file, "", f"{describe_point(index, point)}: {p}") for p in problems]
    if rejected > SHOWN_POINTS:
        r.problems.append(Problem(sweep.file, "", f"and {rejected - SHOWN_POINTS:,} more of the "
                                                  f"{len(sweep.points):,} sweep points the ruleset rejects"))


def _problems_with(base: dict, fixed: ov.Overrides, point: ov.Overrides) -> list[Problem]:
    try:
        ruleset_from_data(ov.apply(base, fixed + point), file="<sweep>")
    except RulesetError as error:
        return error.problems
    return []


def point_problems(base: dict, fixed: ov.Overrides, point: ov.Overrides) -> list[str]:
    """What the ruleset says about one sweep point ('path: message' each); empty if it accepts it."""
    return [f"{p.path}: {p.message}" if p.path else p.message for p in _problems_with(base, fixed, point)]


def describe_point(index: int, point: ov.Overrides) -> str:
    """'sweep point 168 (politics.tension.start=7, politics.tension.max=5)'."""
    return f"sweep point {index} ({', '.join(f'{p}={ov.show_value(v)}' for p, v in point)})"


class PointRejected(Exception):
    """The ruleset rejects a sweep point's values (met while playing a sweep too large to check point by point).
    Bad input, not a failed game: resuming or replaying cannot help."""

    def __init__(self, point: int, values: list, problems: list[str]):
        super().__init__(point, values, problems)
        self.point, self.values, self.problems = point, values, problems

    def lines(self) -> list[str]:
        where = describe_point(self.point, tuple(tuple(v) for v in self.values))
        return [f"{where}: {p}" for p in self.problems]

    def __str__(self) -> str:
        return "\n".join(self.lines())


def describe(sweep: Sweep) -> str:
    kind = "grid" if sweep.method == "grid" else "Latin hypercube"
    return f"{kind} of {count(len(sweep.points), 'point')} over {', '.join(sweep.parameters)}"

