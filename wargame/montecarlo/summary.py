"""What a batch says: outcome probabilities with 95% Wilson intervals, the spread of the key indicators, the
parameters that matter (for sweeps), and the charts. Computed from the tables on disk, reading only the columns
it needs, so the cost stays small however many runs there are.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from statistics import NormalDist
from typing import TYPE_CHECKING, Any

import numpy as np

from ..figures import per_turn as per_turn_of
from ..indicators import in_sentence, short, titled
from ..indicators import label as indicator_label
from ..render import count
from . import overrides as ov
from .sweeps import describe

if TYPE_CHECKING:
    import pandas as pd

    from .plan import Plan

Z95 = NormalDist().inv_cdf(0.975)
LOSS = "final.japan_gdp_loss_jpy"
FOCUS_OUTCOME = "settlement"
MAX_POINT_ROWS = 50

# (column, label, scale): the indicators a reader asks about first. Missing columns are skipped.
KEY_INDICATORS = (
    (LOSS, titled("japan_gdp_loss_jpy", "¥ bn"), 1e-9),
    ("final.japan_gdp_loss_share", "  " + titled("japan_gdp_loss_share", "%", short("japan_gdp_loss_share")), 100.0),
    ("final.japan_other_loss_jpy", titled("japan_other_loss_jpy", "¥ bn"), 1e-9),
    ("min.japan_supply_index", titled("japan_supply_index", text=f"{indicator_label('japan_supply_index')} at its lowest"), 1.0),
    ("max.tension", f"Peak {in_sentence('tension')} ({{tension_scale}})", 1.0),
    ("final.tension", f"Final {in_sentence('tension')}", 1.0),
    ("final.china_export_loss_usd", titled("china_export_loss_usd", "$ m"), 1e-6),
    ("final.diversification_tpw", titled("diversification_tpw", "t/{per_turn}"), 1.0),
    ("turns", "Turns played", 1.0),
    ("first_stoppage_turn", "Turn of the first production stoppage in Japan", 1.0),
    ("turns_to_deescalation", "Turns to the first de-escalation move", 1.0),
)

WHOLE_TURNS = {"turns", "first_stoppage_turn", "turns_to_deescalation"}


@dataclass
class Summary:
    markdown: str
    outcomes: "pd.DataFrame"
    indicators: "pd.DataFrame"
    sensitivity: "pd.DataFrame | None" = None
    points: "pd.DataFrame | None" = None
    by_value: "pd.DataFrame | None" = None     # swept text parameters: outcomes and loss at each value
    charts: list[Path] = field(default_factory=list)
    examples: "pd.DataFrame | None" = None     # runs to replay: the lowest, median and highest loss, with commands

    def __str__(self) -> str:
        return self.markdown


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a proportion k/n: sound near 0 and 1, unlike p ± z·se."""
    if n == 0:
        return (math.nan, math.nan)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (0.0 if k == 0 else max(0.0, centre - half), 1.0 if k == n else min(1.0, centre + half))


def outcome_table(runs: "pd.DataFrame", plan: "Plan") -> "pd.DataFrame":
    import pandas as pd

    n = len(runs)
    counts = runs["outcome"].value_counts()
    known = [oid for oid, _ in plan.outcomes]
    labels = dict(plan.outcomes)
    ids = known + sorted(set(counts.index) - set(known))
    rows = []
    for oid in ids:
        k = int(counts.get(oid, 0))
        lo, hi = wilson(k, n)
        rows.append({"outcome": oid, "label": labels.get(oid, oid), "runs": k, "share": k / n if n else math.nan,
                     "ci_low": lo, "ci_high": hi})
    return pd.DataFrame(rows)


TENSION_MAX = "politics.tension.max"
TURN_DAYS = "calendar.turn_days"


def batch_units(plan: "Plan") -> dict[str, str]:
    """The units of the labels, from the rulesets the batch's points play: 'per_turn' (what a figure per turn is
    per: 'week', or 'turn, 3 or 7 days, by sweep point'), 'turn_length' ('week', '3 days', or '3 or 7 days, by
    sweep point') and 'tension_scale' ('0–10', or '0–10 or 0–20, by sweep point': peak tensions on different
    scales share the table, each on its own point's)."""
    found = _values_by_point(plan, {TENSION_MAX: lambda rules: rules.politics["tension_max"],
                                    TURN_DAYS: lambda rules: rules.turn_days})
    tops, days = sorted(set(found[TENSION_MAX])), sorted(set(found[TURN_DAYS]))
    if len(days) == 1:
        per_turn = per_turn_of(int(days[0]))[1]
        turn_length = per_turn if per_turn != "turn" else f"{days[0]:g} days"
    else:
        turn_length = f"{_span([f'{d:g}' for d in days])} days, by sweep point" if days else ""
        per_turn = f"turn, {turn_length}" if days else "turn"
    if len(tops) == 1:
        tension_scale = f"0–{tops[0]:g}"
    else:
        tension_scale = f"{_span([f'0–{top:g}' for top in tops])}, by sweep point" if tops else "0–max"
    return {"per_turn": per_turn, "tension_scale": tension_scale, "turn_length": turn_length}


def _span(values: list[str]) -> str:
    """'0–10 or 0–20'; 'from 0–5 to 0–20' for more than three values."""
    if len(values) > 3:
        return f"from {values[0]} to {values[-1]}"
    return ", ".join(values[:-1]) + " or " + values[-1] if len(values) > 1 else values[0]


def _values_by_point(plan: "Plan", settings: dict) -> dict[str, list]:
    """For each ruleset path in `settings`, the values it takes across the batch's points, read by the function
    given for it from a point's ruleset. Points whose overrides agree on all that may set the path are alike, and
    one of them is read: a sweep of 100,000 points over other parameters builds one ruleset. A point that sets the
    path itself to a number is read from its value, without building anything."""
    from ..errors import WargameError

    built: dict[int, Any] = {}

    def rules(point: int) -> Any:
        if point not in built:
            try:
                built[point] = plan.rules_of(point)
            except WargameError:      # a point the ruleset refuses played no game
                built[point] = None
        return built[point]

    found: dict[str, list] = {}
    for path, read in settings.items():
        alike: dict[tuple, tuple[int, Any]] = {}
        for point in range(plan.points):
            setting = [(p, v) for p, v in plan.overrides_of(point) if path == p or path.startswith(p + ".")]
            key = tuple((p, repr(v)) for p, v in setting)
            if key not in alike:
                last = setting[-1] if setting else None
                own = last is not None and last[0] == path and isinstance(last[1], (int, float)) \
                    and not isinstance(last[1], bool)
                alike[key] = (point, last[1] if own else None)
        found[path] = []
        for point, value in alike.values():
            if value is None and rules(point) is not None:
                value = read(rules(point))
            if value is not None:
                found[path].append(value)
    return found


def indicator_table(runs: "pd.DataFrame", units: dict[str, str] | None = None) -> "pd.DataFrame":
    """The median, 5–95% range and whole range (min, max) of each key indicator; `units` (batch_units) gives the
    units of the labels: the length of a turn and the tension scale."""
    import pandas as pd

    units = units or {"per_turn": "turn", "tension_scale": "0–max"}
    rows = []
    for col, label, scale in KEY_INDICATORS:
        if col not in runs:
            continue
        values = runs[col].to_numpy(dtype=float, na_value=np.nan)
        present = values[~np.isnan(values)] * scale
        # A turn is a whole number: its quantiles are turns some run had (the first de-escalation "in turn 3",
        # not "in turn 3.05", which no run had and which reads as more precise than the data).
        method = "inverted_cdf" if col in WHOLE_TURNS else "linear"
        q = np.quantile(present, [0.05, 0.5, 0.95], method=method) if len(present) else [math.nan] * 3
        low, high = (present.min(), present.max()) if len(present) else (math.nan, math.nan)
        rows.append({"indicator": col, "label": label.format(**units).strip(), "median": q[1], "p05": q[0], "p95": q[2],
                     "min": low, "max": high, "runs_with_value": len(present),
                     "share_with_value": len(present) / len(values) if len(values) else math.nan, "scale": scale})
    return pd.DataFrame(rows)


def _ranks(x: np.ndarray) -> np.ndarray:
    import pandas as pd

    return pd.Series(x).rank(method="average").to_numpy()


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    if a.std() == 0 or b.std() == 0:
        return math.nan
    return float(np.corrcoef(a, b)[0, 1])


def _src(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Standardised regression coefficients of y on the columns of X, and the regression's R²."""
    sx, sy = X.std(axis=0), y.std()
    if sy == 0 or (sx == 0).any():
        return np.full(X.shape[1], math.nan), math.nan
    Z = (X - X.mean(axis=0)) / sx
    w = (y - y.mean()) / sy
    beta, *_ = np.linalg.lstsq(Z, w, rcond=None)
    resid = w - Z @ beta
    return beta, float(1 - resid @ resid / (w @ w))


def sensitivity_table(runs: "pd.DataFrame", plan: "Plan") -> tuple["pd.DataFrame | None", dict[str, float], str]:
    """How each varied numeric parameter moves Japan's loss and the outcome probabilities.

    Columns: parameter, low and high (its range), rho_loss and src_loss (Spearman rank correlation across runs,
    and the standardised regression coefficient of a linear fit on all varied numeric parameters), rho_<outcome>
    for every outcome that happened in some runs but not all, and src_<focus> for the focus outcome (settlement,
    where the ruleset has it). Rows are ranked by the largest |rho_*| in the row, strongest first. Also returns
    the fits' R² by target ('loss', the focus outcome) and the focus outcome's id.
    """
    import pandas as pd

    if plan.sweep is None or LOSS not in runs:
        return None, {}, ""
    numeric = [p for p, t in plan.param_types if t == "float" and p in plan.sweep.parameters
               and runs[ov.column(p)].nunique() > 1]
    if not numeric:
        return None, {}, ""
    outcome_ids = [o for o, _ in plan.outcomes]
    focus = FOCUS_OUTCOME if FOCUS_OUTCOME in outcome_ids else outcome_ids[0]
    X = runs[[ov.column(p) for p in numeric]].to_numpy(dtype=float)
    targets = {"loss": runs[LOSS].to_numpy(dtype=float)}
    for o in outcome_ids:
        hit = (runs["outcome"] == o).to_numpy(dtype=float)
        if 0 < hit.mean() < 1:
            targets[o] = hit
    rows = {p: {"parameter": p, "low": X[:, i].min(), "high": X[:, i].max()} for i, p in enumerate(numeric)}
    r2 = {}
    for name, y in targets.items():
        ry = _ranks(y)
        for i, p in enumerate(numeric):
            rows[p][f"rho_{name}"] = _corr(_ranks(X[:, i]), ry)
        if name in ("loss", focus):
            beta, r2[name] = _src(X, y)
            for i, p in enumerate(numeric):
                rows[p][f"src_{name}"] = float(beta[i])
    table = pd.DataFrame(rows.values())
    strength = table[[c for c in table.columns if c.startswith("rho_")]].abs().max(axis=1).fillna(0)
    table = table.iloc[np.argsort(-strength.to_numpy(), kind="stable")].reset_index(drop=True)
    return table, r2, focus


def text_parameter_table(runs: "pd.DataFrame", plan: "Plan") -> "pd.DataFrame | None":
    """For each swept parameter whose values are text (a policy, a list), the outcome shares and median loss of
    the runs at each of its values: the sensitivity table ranks numbers only."""
    import pandas as pd

    if plan.sweep is None:
        return None
    texts = [p for p, t in plan.param_types if t == "string" and p in plan.sweep.parameters]
    if not texts:
        return None
    outcome_ids = [o for o, _ in plan.outcomes if (runs["outcome"] == o).any()]
    rows = [{"parameter": path, "value": value, **_group_figures(group, outcome_ids)}
            for path in texts for value, group in runs.groupby(ov.column(path), sort=True)]
    return pd.DataFrame(rows)


def point_table(runs: "pd.DataFrame", plan: "Plan") -> "pd.DataFrame | None":
    import pandas as pd

    if plan.sweep is None or plan.points > MAX_POINT_ROWS:
        return None
    outcome_ids = [o for o, _ in plan.outcomes if (runs["outcome"] == o).any()]
    rows = [{"point": int(point), **dict(plan.sweep.points[int(point)]), **_group_figures(group, outcome_ids)}
            for point, group in runs.groupby("point", sort=True)]
    return pd.DataFrame(rows)


def _group_figures(group: "pd.DataFrame", outcome_ids: list[str]) -> dict:
    """A group of runs' size, each outcome's share with its 95% Wilson interval (a share of a few runs is
    uncertain by tens of points, which the table has to show), and Japan's median loss."""
    n = len(group)
    row: dict = {"runs": n}
    for o in outcome_ids:
        k = int((group["outcome"] == o).sum())
        row[f"P({o})"] = k / n
        row[f"P({o}) low"], row[f"P({o}) high"] = wilson(k, n)
    if LOSS in group:
        row["median loss (¥ bn)"] = float(group[LOSS].median() * 1e-9)
    return row


EXAMPLES = (("lowest", 0.0), ("median", 0.5), ("highest", 1.0))


def example_runs(runs: "pd.DataFrame", plan: "Plan", out: Path) -> "pd.DataFrame":
    """The runs with the lowest, the median and the highest loss for Japan (the first run, in a ruleset without
    that loss), each with the command that replays it alone: stories to read beside the distribution."""
    import pandas as pd

    from .storage import replay_command

    if LOSS in runs:
        ranked = runs[runs[LOSS].notna()].sort_values([LOSS, "run_id"], kind="stable")
        picks: dict[int, list[str]] = {}
        for name, q in EXAMPLES:
            if len(ranked):
                # The lower of the two middle runs for an even count: a run the batch had, not an average of two.
                picks.setdefault(int(ranked["run_id"].iloc[math.floor(q * (len(ranked) - 1))]), []).append(name)
        chosen = [(" and ".join(filter(None, [", ".join(names[:-1]), names[-1]])) + " loss", run_id)
                  for run_id, names in picks.items()]
    else:
        chosen = [("first run", int(runs["run_id"].min()))] if len(runs) else []
    by_id = runs.set_index("run_id")
    rows = []
    for which, run_id in chosen:
        row = by_id.loc[run_id]
        rows.append({"which": which, "run_id": run_id, "point": int(row["point"]), "seed": int(row["seed"]),
                     "outcome": row["outcome"], "loss (¥ bn)": float(row[LOSS]) * 1e-9 if LOSS in runs else math.nan,
                     "turns": int(row["turns"]), "command": replay_command(out, plan, run_id)})
    return pd.DataFrame(rows)


# -- Markdown --------------------------------------------------------------------------------------------

def _num(x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    ax = abs(x)
    if ax != 0 and (ax >= 1e5 or ax < 1e-3):
        return f"{x:.3g}"
    if ax >= 100:
        return f"{x:,.0f}"
    if ax >= 10:
        return f"{x:.1f}"
    return f"{x:.3g}" if ax < 1 else f"{x:.2f}"


def _coef(x: float) -> str:
    """A correlation, coefficient or R²: two decimals in every row, and 0.00 for what is zero but for rounding
    (a parameter with no effect gives ±1e-17, not a tiny effect)."""
    if x is None or math.isnan(x):
        return "–"
    text = f"{x:.2f}"
    return "0.00" if text == "-0.00" else text


def _column(values: list) -> list[str]:
    """One column of a table, formatted alike: whole numbers as such, shares with two decimals, other numbers
    with the decimals their largest value needs (and more only where the values differ in later digits)."""
    if not values or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return [_cell(v) for v in values]
    numbers = [float(v) for v in values]
    finite = [v for v in numbers if not math.isnan(v)]
    top = max(map(abs, finite), default=0.0)
    if all(v.is_integer() for v in finite):
        decimals = 0
    else:
        decimals = 0 if top >= 100 else 1 if top >= 10 else 2 if top >= 0.01 else 2 - math.floor(math.log10(top))
        # Enough to tell the values apart: a sweep over 1.0, 1.001 shows 1.000 and 1.001, not 1.00 twice.
        while decimals < 6 and len({round(v, decimals) for v in finite}) < len(set(finite)):
            decimals += 1
    return ["–" if math.isnan(v) else f"{v:,.{decimals}f}" for v in numbers]


def _share_column(values: list) -> list[str]:
    return ["–" if math.isnan(v) else f"{v:.2f}" for v in values]


def _group_columns(table: "pd.DataFrame") -> tuple[list[str], list[list[str]]]:
    """The columns of a table by group (_group_figures) as the summary shows them: each share with its interval
    in one cell, '0.10 (0.02–0.40)'."""
    cols, shown = [], []
    for c in table.columns:
        if c.startswith("P(") and c.endswith((" low", " high")):
            continue
        cols.append(c)
        if c == "parameter":
            shown.append([f"`{v}`" for v in table[c]])
        elif c.startswith("P("):
            shown.append([f"{share} ({low}–{high})" for share, low, high in zip(
                _share_column(table[c].tolist()), _share_column(table[f"{c} low"].tolist()),
                _share_column(table[f"{c} high"].tolist()))])
        else:
            shown.append(_column(table[c].tolist()))
    return cols, shown


def _pct(x: float) -> str:
    return "–" if math.isnan(x) else f"{100 * x:.1f}%"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return lines


def markdown(plan: "Plan", outcomes: "pd.DataFrame", indicators: "pd.DataFrame", sensitivity, r2: dict,
             focus: str, points, charts: list[Path], base: Path | None, by_value=None, examples=None) -> str:
    n = int(outcomes["runs"].sum())
    lines = [f"# Monte Carlo: {plan.ruleset_id}", ""]
    what = f"{count(n, 'run')} of up to {count(plan.turns, 'turn')}, seed {plan.seed}"
    if plan.sweep:
        what += f"; {describe(plan.sweep)}, {count(plan.runs, 'run')} at each point"
        if plan.sweep.common_seeds:
            what += " (the same seeds at every point)"
    lines.append(what + ".")
    if plan.fixed:
        lines.append("Parameters set: " + ", ".join(f"`{p}={ov.show_value(v)}`" for p, v in plan.fixed) + ".")
    if plan.script_data is not None:
        lines.append(f"Moves pinned by the script '{plan.script_data.get('name', '')}'.")
    lines += ["", "## Outcomes", "", "Probability of each outcome, with its 95% confidence interval (Wilson)"
              + (pooled_note(plan) if plan.sweep and plan.points > 1 else "") + ".", ""]
    lines += _table(["outcome", "runs", "probability", "95% CI"],
                    [[f"{r.label} (`{r.outcome}`)", f"{r.runs:,}", _pct(r.share), f"{_pct(r.ci_low)} – {_pct(r.ci_high)}"]
                     for r in outcomes.itertuples()])
    lines += ["", "## Key indicators", "",
              "Median and 5–95% range over the runs" + (f" of all {plan.points:,} sweep points together"
                                                         if plan.sweep and plan.points > 1 else "")
              + " (for events, over the runs in which they happened).", ""]
    lines += _table(["indicator", "median", "5% – 95%"], indicator_rows(indicators))
    if sensitivity is not None:
        varying = [c[4:] for c in sensitivity.columns if c.startswith("rho_") and c != "rho_loss"]
        fit = f"R² {_coef(r2.get('loss', math.nan))} for the loss"
        if focus in varying:
            fit += f", {_coef(r2.get(focus, math.nan))} for `{focus}`"
        lines += ["", "## Sensitivity", "",
                  "Which parameters move Japan's loss and the outcomes most: Spearman rank correlation (ρ) across "
                  "runs of each parameter with the loss and with each outcome that happened in some runs but not "
                  "all (1 in a run that ended in it, 0 otherwise), from −1 to 1, 0 for no monotone link; and "
                  "standardised regression coefficients (SRC) of a linear fit on all varied numeric parameters: "
                  "the change, in standard deviations, of the loss or of the outcome for one standard deviation of "
                  f"the parameter, the others held ({fit}; a low R² says the fit explains little). Rows are ranked "
                  "by the largest |ρ| in the row, strongest first.", ""]
        if focus not in varying:
            lines += [f"`{focus}` happened in {'every' if (runs_share(outcomes, focus) or 0) >= 1 else 'no'} run, "
                      "so no parameter moves its probability in this sweep.", ""]
        header = ["parameter", "range", "ρ loss", "SRC loss"] + [f"ρ {o}" for o in varying]
        header += [f"SRC {focus}"] if focus in varying else []
        rows = []
        for r in sensitivity.to_dict("records"):
            row = [f"`{r['parameter']}`", " – ".join(_column([r["low"], r["high"]])), _coef(r["rho_loss"]),
                   _coef(r["src_loss"])] + [_coef(r[f"rho_{o}"]) for o in varying]
            row += [_coef(r[f"src_{focus}"])] if focus in varying else []
            rows.append(row)
        lines += _table(header, rows)
    if by_value is not None:
        names = ", ".join(f"`{p}`" for p in dict.fromkeys(by_value["parameter"]))
        lines += ["", "## Text parameters", "",
                  f"{names} {'takes' if ',' not in names else 'take'} text values, which a correlation cannot rank: "
                  "the outcomes and Japan's median loss of the runs at each value, all other parameters mixed.", ""]
        cols, shown = _group_columns(by_value)
        lines += _table(cols, [list(row) for row in zip(*shown)])
    if points is not None:
        lines += ["", "## By sweep point", "", "Each outcome's share of the point's runs, with its 95% interval.", ""]
        cols, shown = _group_columns(points)
        lines += _table(cols, [list(row) for row in zip(*shown)])
    elif plan.sweep is not None and plan.points > MAX_POINT_ROWS:
        lines += ["", "## By sweep point", "",
                  f"Left out: the sweep has {plan.points:,} points, and this table is shown for up to "
                  f"{MAX_POINT_ROWS}. The runs table has each run's `point` and `param.*` values: "
                  "`runs.groupby(\"point\")` gives it."]
    if examples is not None and len(examples):
        lines += ["", "## Runs to replay", "",
                  "Each run of the batch replays alone from its seed, as a game to read, save (add `--save FILE`) "
                  "and debrief: here the runs with the lowest, the median and the highest loss for Japan "
                  "(`runs.parquet` has every run's seed).", ""]
        header = ["run", "seed"] + (["point"] if plan.sweep else []) + ["outcome", "Japan's loss (¥ bn)", "turns",
                                                                         "replay with"]
        losses = _column(examples["loss (¥ bn)"].tolist())
        rows = [[f"{r['which']}: run {r['run_id']}", str(r["seed"])] + ([str(r["point"])] if plan.sweep else [])
                + [f"`{r['outcome']}`", loss, str(r["turns"]), f"`{r['command']}`"]
                for r, loss in zip(examples.to_dict("records"), losses)]
        lines += _table(header, rows)
    if charts:
        lines += ["", "## Charts", ""]
        for path in charts:
            shown = path.relative_to(base) if base else path
            lines.append(f"![{path.stem}]({shown.as_posix()})")
    return "\n".join(lines) + "\n"


def indicator_rows(indicators: "pd.DataFrame") -> list[list[str]]:
    """The key-indicator table's rows as the summary shows them: label, median, and 5–95% range."""
    rows = []
    for r in indicators.itertuples():
        label = r.label + ("" if r.share_with_value >= 1 else f" — in {_pct(r.share_with_value)} of runs")
        # One format per row, so that a median and its range read alike (3.00 and 3.00 – 3.25, not 3 and 3.25).
        median, low, high = _column([r.median, r.p05, r.p95])
        if math.isnan(r.p05):
            spread = "–"
        elif r.min == r.max:
            # '711 – 711' would read as a spread that happens to be narrow; the reader should see that no run
            # differs (every game commits every project by turn 9), so the figure says nothing about risk.
            spread = f"{median} in every run" + ("" if r.share_with_value >= 1 else " that had one")
        else:
            spread = f"{low} – {high}"
        rows.append([label, median, spread])
    return rows


def pooled_note(plan: "Plan") -> str:
    """What the outcome shares of a sweep are: the points' runs pooled, a mixture the choice of points decides.
    With common seeds the interval is too narrow besides: runs sharing a seed at different points are alike,
    where the interval counts every run as independent."""
    each = "the table by sweep point" if plan.points <= MAX_POINT_ROWS else "the runs table's `point` column"
    note = (f", over the runs of all {plan.points:,} sweep points together: the shares depend on the points the "
            f"sweep chose, and {each} gives each point's")
    if plan.sweep.common_seeds:
        note += ("; as every point replays the same seeds, runs are not independent across points, and the "
                 "interval is narrower than the data warrant")
    return note


def runs_share(outcomes: "pd.DataFrame", oid: str) -> float | None:
    match = outcomes[outcomes["outcome"] == oid]
    return float(match["share"].iloc[0]) if len(match) else None


def _cell(v) -> str:
    if isinstance(v, float):
        return _num(v)
    return str(v)


# -- from the tables on disk -----------------------------------------------------------------------------

def runs_columns(plan: "Plan", available: list[str]) -> list[str]:
    wanted = ["run_id", "point", "seed", "outcome"] + [c for c, _, _ in KEY_INDICATORS]
    wanted += [ov.column(p) for p, _ in plan.param_types]
    return [c for c in dict.fromkeys(wanted) if c in available]


def summarise(out: Path, plan: "Plan", charts: bool = True) -> Summary:
    import pyarrow.parquet as pq

    from . import charts as ch

    runs_file = out / "runs.parquet"
    available = pq.read_schema(runs_file).names
    runs = pq.read_table(runs_file, columns=runs_columns(plan, available), pre_buffer=False).to_pandas()
    outcomes = outcome_table(runs, plan)
    units = batch_units(plan)
    indicators = indicator_table(runs, units)
    sensitivity, r2, focus = sensitivity_table(runs, plan)
    points = point_table(runs, plan)
    by_value = text_parameter_table(runs, plan)
    examples = example_runs(runs, plan, out)
    made: list[Path] = []
    if charts:
        folder = out / "charts"
        folder.mkdir(exist_ok=True)
        made.append(ch.fan_chart(out / "series.parquet", runs_file, plan, folder / "fan.png",
                                 tension_scale=units["tension_scale"], turn_length=units["turn_length"]))
        pooled = f"{plan.points:,} sweep points together" if plan.sweep and plan.points > 1 else ""
        made.append(ch.outcome_chart(outcomes, folder / "outcomes.png", pooled))
        if LOSS in runs:
            made.append(ch.loss_histogram(runs[LOSS].to_numpy(dtype=float), folder / "japan_loss.png", pooled))
    text = markdown(plan, outcomes, indicators, sensitivity, r2, focus, points, made, out, by_value, examples)
    (out / "summary.md").write_text(text, encoding="utf-8")
    return Summary(text, outcomes, indicators, sensitivity, points, charts=made, by_value=by_value,
                   examples=examples)
