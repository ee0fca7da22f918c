"""Every parameter of a ruleset as Markdown tables, with its source and whether it is an estimate.

`wargame describe RULESET` prints it; docs/scenario.md carries it for the default ruleset.
"""

from __future__ import annotations

from typing import Any

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


def _source(raw: dict) -> str:
    bits = [str(raw[k]).strip() for k in ("source", "note") if raw.get(k)]
    text = "; ".join(bits).replace("\n", " ").replace("|", "/")
    if text.startswith("E:") or " E:" in text or "(E" in text or text == "E":
        text = "**estimate** — " + text
    return text


def describe(rules: Ruleset) -> str:
    raw = rules.raw
    out: list[str] = [f"## Parameters of `{rules.id}`", "",
                      "Generated from the ruleset by `wargame describe`. Tonnages are tonnes a turn (one turn = "
                      f"{rules.turn_days} days). **estimate** marks a figure the ruleset itself calls an estimate.", ""]
    cal = raw["calendar"]
    out += ["### Calendar", "", "| parameter | value |", "|---|---|"]
    out += [f"| {k} | {_fmt(v)} |" for k, v in cal.items()]
    out += ["", "### Commodities", "", "| id | name | group | counts in import shares |", "|---|---|---|---|"]
    for cid, c in raw["commodities"].items():
        out.append(f"| {cid} | {c['name']} | {c.get('group', 'light')} | {c.get('counts_as_rare_earth', True)} |")
    out += ["", "### Nodes", "",
            "| node | kind | country | capacity | inputs (per unit) | outputs (per unit) | demand | stock | "
            "cover (weeks) | economy | source / note |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for nid, n in raw["nodes"].items():
        econ = n.get("economy") or {}
        econ_text = ""
        if econ:
            econ_text = f"VA ¥{econ['value_added_jpy_per_turn'] / 1e9:g} bn/turn"
            if econ.get("criticality"):
                econ_text += f"; criticality {_fmt(econ['criticality'])}"
        inputs = _fmt(n.get("inputs", {}))
        if n.get("essential"):
            inputs += f" (essential share {_fmt(n['essential'])})"
        note = _source({**n, "note": " ".join(filter(None, [str(n.get("note", "")), str(econ.get("note", ""))]))})
        out.append(f"| {nid} | {n['kind']} | {n['country']} | {_fmt(n.get('capacity', ''))} | {inputs} | "
                   f"{_fmt(n.get('outputs', {}))} | {_fmt(n.get('demand', {}))} | {_fmt(n.get('inventory', {}))} | "
                   f"{_fmt(n.get('cover_weeks', 4.0))} | {econ_text} | {note} |")
    out += ["", "### Edges (trade lanes)", "",
            "| edge | from → to | capacity a turn | lead time | priority | headroom | licence | tags | source / note |",
            "|---|---|---|---|---|---|---|---|---|"]
    for eid, e in raw["edges"].items():
        lic = e.get("licence")
        lic_text = ""
        if lic:
            lic_text = f"approval {_fmt(lic.get('approval', 1.0))}, review {lic.get('review_weeks', 0)} wk"
            if lic.get("commodities"):
                lic_text += f" ({_fmt(lic['commodities'])})"
        kind = " (spot only)" if e.get("spot") else ""
        note = _source({**e, "note": " ".join(filter(None, [str(e.get("note", "")),
                                                            str((lic or {}).get("note", ""))]))})
        out.append(f"| {eid} | {e['from']} → {e['to']} | {_fmt(e['capacity'])}{kind} | {e.get('lead_time', 0)} | "
                   f"{_fmt(e.get('priority', 1))} | {_fmt(e.get('headroom', 0))} | {lic_text} | "
                   f"{_fmt(e.get('tags', []))} | {note} |")
    out += ["", "### Actors", "",
            "| actor | kind | country | resolve (Beta α, β) | capital start / per turn / max | moves a turn | "
            "temperature | objective weights |", "|---|---|---|---|---|---|---|---|"]
    for aid, a in raw["actors"].items():
        res = a.get("resolve")
        cap = a.get("capital", {})
        out.append(f"| {aid} | {a['kind']} | {a['country']} | "
                   f"{f'{res['alpha']}, {res['beta']}' if res else ''} | "
                   f"{cap.get('start', 10)} / {cap.get('per_turn', 2)} / {cap.get('max', 20)} | "
                   f"{a.get('moves_per_turn', 2)} | {a.get('temperature', 0.3)} | {_fmt(a.get('objectives', {}))} |")
    out += ["", "### Moves", "", f"{len(raw['moves'])} moves; `wargame moves` lists their effects in full.", "",
            "| move | actor | family | severity | cost | duration | source |", "|---|---|---|---|---|---|---|"]
    for mid, m in raw["moves"].items():
        actor = _fmt(m["actor"])
        out.append(f"| {mid} | {actor} | {m['family']} | {m['severity']} | {_fmt(m.get('cost', {}))} | "
                   f"{m.get('duration', 0)} | {_source(m)} |")
    out += ["", "### Politics, market and economy", "", "| parameter | value |", "|---|---|"]
    for section in ("politics", "market", "economy"):
        for key, value in raw[section].items():
            if section == "market" and key == "prices":
                for cid, p in value.items():
                    out.append(f"| market.prices.{cid} | inside ${p['inside']}, outside ${p['outside']} "
                               f"({p.get('unit', 'USD/kg')}); elasticity {p.get('elasticity', 1)}, "
                               f"glut {p.get('glut', 0.2)}, smoothing {p.get('smoothing', 0.3)} — {_source(p)} |")
            elif isinstance(value, dict):
                for k2, v2 in value.items():
                    out.append(f"| {section}.{key}.{k2} | {_fmt(v2)} |")
            else:
                out.append(f"| {section}.{key} | {_fmt(value)} |")
    out += ["", "### Outcomes", "", "| outcome | ends the game | sustained turns | when |", "|---|---|---|---|"]
    for o in rules.outcomes:
        out.append(f"| {o.id} ({o.label}) | {'yes' if o.terminal else 'at the turn limit'} | {o.sustain} | "
                   f"{'; '.join(c.text for c in o.when) or 'otherwise'} |")
    return "\n".join(out) + "\n"
