"""Every parameter of a ruleset as Markdown tables, with its source and whether it is an estimate.

`wargame describe RULESET` prints it; docs/scenario.md carries it for the default ruleset.
"""

from __future__ import annotations

from typing import Any

from .figures import yen
from .network import Lane, Network
from .ruleset import Ruleset


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        if value == 0:
            return "0"
        if abs(value) >= 1e6:
            return f"{value:.3g}"
        return f"{value:g}"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_fmt(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_fmt(v) for v in value)
    return str(value)


def _source(*entries: Any) -> str:
    """The source and note of one or more entries of the file, as one cell; marked when the ruleset calls it an
    estimate."""
    bits = [str(e[k]).strip() for e in entries if isinstance(e, dict) for k in ("source", "note") if e.get(k)]
    text = "; ".join(bits).replace("\n", " ").replace("|", "/")
    if text.startswith("E:") or " E:" in text or "(E" in text or text == "E":
        text = "**estimate** — " + text
    return text


def _entry(rules: Ruleset, *path: str) -> dict:
    """The entry of the file at `path`, for its source, note and unit: words the game keeps no model of, since it
    never reads them. Every figure comes from the validated ruleset instead."""
    entry: Any = rules.raw
    for key in path:
        entry = entry.get(key) if isinstance(entry, dict) else None
    return entry if isinstance(entry, dict) else {}


def _by_commodity(net: Network, amounts: dict[int, float]) -> dict[str, float]:
    return {net.commodities[c].id: v for c, v in amounts.items()}


def _pair(key: str) -> str:
    return "-".join(key.split("|"))


def describe(rules: Ruleset) -> str:
    net = rules.network
    out: list[str] = [f"## Parameters of `{rules.id}`", "",
                      "Generated from the ruleset by `wargame describe`. Tonnages are tonnes a turn (one turn = "
                      f"{rules.turn_days} days). **estimate** marks a figure the ruleset itself calls an estimate.", ""]
    out += ["### Calendar", "", "| parameter | value |", "|---|---|",
            f"| start_date | {rules.start_date.isoformat()} |", f"| turn_days | {rules.turn_days} |",
            f"| max_turns | {rules.max_turns} |"]
    out += ["", "### Commodities", "", "| id | name | group | counts in import shares |", "|---|---|---|---|"]
    for c in net.commodities:
        out.append(f"| {c.id} | {c.name} | {c.group} | {c.counts_as_rare_earth} |")
    out += ["", "### Nodes", "",
            "| node | name | kind | country | capacity | inputs (per unit) | outputs (per unit) | demand | stock | "
            "cover (weeks) | economy | source / note |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for n in net.nodes:
        econ_text = ""
        if n.economy:
            econ_text = f"value added {yen(n.economy.value_added_jpy_per_turn)}/turn"
            if n.economy.criticality:
                econ_text += f"; criticality {_fmt(_by_commodity(net, n.economy.criticality))}"
        inputs = _fmt(_by_commodity(net, n.inputs))
        if n.essential:
            inputs += f" (essential share {_fmt(_by_commodity(net, n.essential))})"
        # Capacity means something only to a node that makes or uses goods per unit of activity.
        capacity = _fmt(n.capacity) if n.outputs or n.inputs else ""
        raw = _entry(rules, "nodes", n.id)
        note = _source({"source": raw.get("source"),
                        "note": " ".join(filter(None, [str(raw.get("note", "")),
                                                       str(_entry(rules, "nodes", n.id, "economy").get("note", ""))]))})
        out.append(f"| {n.id} | {n.name} | {n.kind} | {n.country} | {capacity} | {inputs} | "
                   f"{_fmt(_by_commodity(net, n.outputs))} | {_fmt(_by_commodity(net, n.demand))} | "
                   f"{_fmt(_by_commodity(net, n.inventory))} | {_fmt(n.cover_weeks)} | {econ_text} | {note} |")
    out += ["", "### Edges (trade lanes)", "",
            "| edge | from → to | capacity a turn | lead time | priority | headroom | licence | tags | source / note |",
            "|---|---|---|---|---|---|---|---|---|"]
    lanes_of: dict[str, list[Lane]] = {eid: [] for eid in net.edge_ids}
    for lane in net.lanes:
        lanes_of[lane.edge].append(lane)
    for eid, lanes in lanes_of.items():
        src, dst = net.edge_ends[eid]
        first = lanes[0] if lanes else None
        licensed = [lane for lane in lanes if lane.licensed]
        lic_text = ""
        if licensed:
            lic_text = f"approval {_fmt(licensed[0].approval)}, review {licensed[0].review_weeks} wk"
            if len(licensed) < len(lanes):
                lic_text += f" ({', '.join(lane.commodity_name for lane in licensed)})"
        # An edge with an empty capacity mapping carries nothing, and the game reads none of its other settings.
        capacity = _fmt({lane.commodity_name: lane.capacity for lane in lanes}) or "nothing"
        kind = " (spot only)" if first and first.spot else ""
        # 'licensed' is the tag the game gives licensed lanes; the table has a column for the licence.
        tags = sorted(first.tags - {"licensed"}) if first else []
        raw = _entry(rules, "edges", eid)
        note = _source({"source": raw.get("source"),
                        "note": " ".join(filter(None, [str(raw.get("note", "")),
                                                       str(_entry(rules, "edges", eid, "licence").get("note", ""))]))})
        out.append(f"| {eid} | {src} → {dst} | {capacity}{kind} | {first.lead_time if first else 0} | "
                   f"{_fmt(first.priority if first else 1.0)} | {_fmt(first.headroom if first else 0.0)} | {lic_text} | "
                   f"{_fmt(tags)} | {note} |")
    out += ["", "### Actors", "",
            "| actor | name | kind | country | resolve (Beta α, β) | capital start / per turn / max | moves a turn | "
            "temperature | objective weights |", "|---|---|---|---|---|---|---|---|---|"]
    for a in rules.actors.values():
        resolve = f"{_fmt(a.resolve[0])}, {_fmt(a.resolve[1])}" if a.resolve else ""
        out.append(f"| {a.id} | {a.name} | {a.kind} | {a.country} | {resolve} | "
                   f"{_fmt(a.capital_start)} / {_fmt(a.capital_per_turn)} / {_fmt(a.capital_max)} | "
                   f"{a.moves_per_turn} | {_fmt(a.temperature)} | {_fmt(a.objectives)} |")
    out += ["", "### Moves", "", f"{len(rules.moves)} moves; `wargame moves` lists their effects in full.", "",
            "| move | name | actor | family | severity | cost | duration | requires | limits | source |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for m in rules.moves.values():
        # Cost, conditions and limits as the move catalogue words them (render.move_lines).
        requires = "; ".join(c.text for c in m.requires).replace("|", "/")
        out.append(f"| {m.id} | {m.name.replace('|', '/')} | {_fmt(list(m.actors))} | {m.family} | {m.severity:+g} | "
                   f"{m.cost_text} | {m.lasting} | {requires} | {'; '.join(m.limits)} | "
                   f"{_source(_entry(rules, 'moves', m.id))} |")
    out += ["", "### Politics, market and economy", "", "| parameter | value |", "|---|---|"]
    out += [f"| politics.{name} | {_fmt(value)} |" for name, value in _politics(rules)]
    for c, price in rules.prices.items():
        cid = net.commodities[c].id
        raw = _entry(rules, "market", "prices", cid)
        out.append(f"| market.prices.{cid} | inside ${_fmt(price.inside)}, outside ${_fmt(price.outside)} "
                   f"({raw.get('unit', 'USD/kg')}); elasticity {_fmt(price.elasticity)}, glut {_fmt(price.glut)}, "
                   f"smoothing {_fmt(price.smoothing)} — {_source(raw)} |")
    out += [f"| market.{key} | {_fmt(value)} |" for key, value in rules.market.items()]
    out += [f"| economy.{key} | {_fmt(value)} |" for key, value in rules.economy.items()]
    out += ["", "### Outcomes", "", "| outcome | ends the game | sustained turns | when |", "|---|---|---|---|"]
    for o in rules.outcomes:
        out.append(f"| {o.id} ({o.label}) | {'yes' if o.terminal else 'at the turn limit'} | {o.sustain} | "
                   f"{'; '.join(c.text for c in o.when) or 'otherwise'} |")
    return "\n".join(out) + "\n"


def _politics(rules: Ruleset) -> list[tuple[str, Any]]:
    """The politics parameters under the names the file gives them."""
    pol = rules.politics
    rows: list[tuple[str, Any]] = [
        ("tension.start", pol["tension_start"]), ("tension.max", pol["tension_max"]),
        ("tension.per_severity", pol["per_severity"]), ("tension.decay", pol["tension_decay"]),
        ("tension.baseline", pol["tension_baseline"])]
    rows += [(f"ladder.{level:g}", name) for level, name in pol["ladder"]]
    rows += [("relations.start", {_pair(k): v for k, v in pol["relations_start"].items()}),
             ("relations.drift", pol["relations_drift"]),
             ("pressure.start", pol["pressure_start"]), ("pressure.decay", pol["pressure_decay"])]
    rows += [(f"pressure.drivers.{gov}", drivers) for gov, drivers in pol["pressure_drivers"].items()]
    rows += [("cohesion.start", pol["cohesion_start"]), ("cohesion.drift", pol["cohesion_drift"]),
             ("beliefs.signal_weight", pol["signal_weight"]), ("beliefs.cost_weight", pol["cost_weight"]),
             ("beliefs.prior_strength", pol["prior_strength"])]
    return rows
