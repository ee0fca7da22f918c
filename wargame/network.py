"""The trade graph: mines → separation → metals/alloys → magnets → Japan's consuming sectors.

Authored as a networkx DiGraph for clarity; compiled once into flat index lists ("lanes": one per edge and
commodity) that the per-turn allocation in trade.py walks without touching networkx.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx

from .reader import Reader, kind_of
from .yamlio import PathKey

NODE_KINDS = ("mine", "separation", "metal", "magnet", "stockpile", "sector", "market")
NODE_KEYS = ("name", "kind", "country", "capacity", "inputs", "essential", "outputs", "demand", "inventory",
             "cover_weeks", "reserve_weeks", "max_stock_weeks", "economy", "operator", "note", "source")
# The most a lane may offer on the spot market beyond its capacity, as a share of it: five times as much again. A
# larger number is most likely a percentage typed as one (40 for 0.4).
MAX_HEADROOM = 5.0
EDGE_KEYS = ("from", "to", "capacity", "lead_time", "priority", "headroom", "spot", "licence", "tags", "note",
             "source")


@dataclass(frozen=True)
class Commodity:
    id: str
    name: str
    group: str
    counts_as_rare_earth: bool
    note: str = ""
    label: str = ""          # a short name for tables and logs


@dataclass(frozen=True)
class Country:
    id: str
    name: str
    bloc: str


@dataclass(frozen=True)
class SectorEconomy:
    """How a node's shortfalls become lost output and GDP loss."""

    value_added_jpy_per_turn: float
    criticality: dict[int, float]   # commodity index -> share of value added that stops without it


@dataclass(frozen=True)
class Node:
    id: str
    name: str
    kind: str
    country: str
    capacity: float                       # units of activity per turn (processes and mines)
    inputs: dict[int, float]              # commodity -> use per unit of activity that needs it
    essential: dict[int, float]           # commodity -> share of activity that needs it
    outputs: dict[int, float]             # commodity -> yield per unit of activity
    demand: dict[int, float]              # sinks: commodity -> use per turn
    inventory: dict[int, float]
    cover_weeks: float
    reserve_weeks: float
    max_stock_weeks: float
    economy: SectorEconomy | None
    operator: str | None

    @property
    def has_capacity(self) -> bool:
        return bool(self.outputs)

    def need(self, c: int) -> float:
        """Normal use of commodity c per turn."""
        if c in self.demand:
            return self.demand[c]
        if c in self.inputs:
            return self.inputs[c] * self.essential.get(c, 1.0) * self.capacity
        return 0.0


@dataclass(frozen=True)
class Lane:
    """One commodity on one edge."""

    edge: str
    src: int
    dst: int
    commodity: int
    src_name: str
    dst_name: str
    src_country: str
    dst_country: str
    commodity_name: str
    capacity: float          # normal (contracted) tonnes per turn
    lead_time: int           # turns in transit
    priority: float          # lower is served first
    headroom: float          # extra share of capacity available on the spot market
    approval: float          # share of licence applications approved (1 when unlicensed)
    licensed: bool
    review_weeks: int        # documented review time; halting reviews stops new shipments at once
    tags: frozenset[str]     # from the ruleset, plus "licensed" on lanes under export licensing
    spot: bool = False       # no contract: capacity is offered only at a premium over normal prices


@dataclass(frozen=True, eq=False)  # hashed by identity: parsed once, shared
class Network:
    commodities: tuple[Commodity, ...]
    countries: tuple[str, ...]
    country_info: dict[str, Country]
    nodes: tuple[Node, ...]
    lanes: tuple[Lane, ...]
    edge_ids: tuple[str, ...]
    tags: tuple[str, ...]
    china: str
    japan: str
    edge_ends: dict[str, tuple[str, str]] = field(default_factory=dict)   # edge -> (from, to), lanes or none

    @cached_property
    def commodity_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.commodities)

    @cached_property
    def commodity_index(self) -> dict[str, int]:
        return {c.id: i for i, c in enumerate(self.commodities)}

    @cached_property
    def node_ids(self) -> tuple[str, ...]:
        return tuple(n.id for n in self.nodes)

    @cached_property
    def node_index(self) -> dict[str, int]:
        return {n.id: i for i, n in enumerate(self.nodes)}

    @cached_property
    def lane_index(self) -> dict[tuple[str, str], int]:
        return {(lane.edge, lane.commodity_name): i for i, lane in enumerate(self.lanes)}

    @cached_property
    def graph(self) -> nx.DiGraph:
        """The authored trade graph: node and edge attributes as in the ruleset."""
        g = nx.DiGraph()
        for n in self.nodes:
            g.add_node(n.id, name=n.name, kind=n.kind, country=n.country, capacity=n.capacity,
                       inventory={self.commodities[c].id: v for c, v in n.inventory.items()})
        for lane in self.lanes:
            if not g.has_edge(lane.src_name, lane.dst_name):
                g.add_edge(lane.src_name, lane.dst_name, id=lane.edge, capacity={}, lead_time=lane.lead_time,
                           licensed=lane.licensed, tags=sorted(lane.tags))
            g.edges[lane.src_name, lane.dst_name]["capacity"][lane.commodity_name] = lane.capacity
        return g

    @cached_property
    def generations(self) -> tuple[tuple[int, ...], ...]:
        """Nodes grouped so that every edge runs from an earlier group to a later one."""
        return tuple(tuple(sorted(self.node_index[n] for n in gen)) for gen in nx.topological_generations(self.graph))

    def is_china(self, node: int) -> bool:
        return self.nodes[node].country == self.china


def read_network(r: Reader, data: dict) -> Network:
    """Validate and compile the commodities, countries, nodes and edges sections."""
    # What a section that is not there, or not a mapping, would have named cannot be checked; each reference to
    # it is not reported unknown as well.
    for section, kinds in (("commodities", ("commodity",)), ("countries", ("country",)), ("nodes", ("node",)),
                           ("edges", ("edge", "edge tag"))):
        if not r.given(data.get(section)):
            r.unchecked.update(kinds)
    commodities = r.each(data.get("commodities"), ("commodities",), lambda cid, raw, p: _commodity(r, cid, raw, p),
                         "commodities")
    if not commodities and r.given(data.get("commodities")):
        r.problem(("commodities",), "expected at least one commodity")
    comm_ids = list(commodities)
    cindex = {c: i for i, c in enumerate(comm_ids)}
    countries = r.each(data.get("countries"), ("countries",), lambda cid, raw, p: _country(r, cid, raw, p), "countries")
    china = next((c for c, v in countries.items() if v.bloc == "china"), "CN")
    japan = next((c for c, v in countries.items() if v.bloc == "japan"), "JP")
    for bloc in ("china", "japan"):
        members = [c for c, v in countries.items() if v.bloc == bloc]
        if countries and not members and not r.doubtful(("countries",)):
            r.problem(("countries",), f"expected one country with bloc '{bloc}'")
        for extra in members[1:]:
            # The game's rules read one China and one Japan; a second would be treated as a bystander.
            r.problem(("countries", extra, "bloc"), f"expected one country with bloc '{bloc}', but {members[0]} has it "
                                                    "already (use partner or other)")

    nodes = r.each(data.get("nodes"), ("nodes",),
                   lambda nid, raw, p: _node(r, nid, raw, p, comm_ids, cindex, list(countries)), "nodes")
    node_ids = list(nodes)
    nindex = {n: i for i, n in enumerate(node_ids)}

    lanes: list[Lane] = []
    tags: set[str] = set()
    raw_edges = r.mapping(data.get("edges"), ("edges",), "a mapping of edges")
    seen_pairs: dict[tuple[str, str], str] = {}
    edge_ends: dict[str, tuple[str, str]] = {}
    for eid, raw in raw_edges.items():
        p = ("edges", eid)
        if not isinstance(raw, dict):
            r.problem(p, f"expected a mapping, got {kind_of(raw)}")
            r.unchecked.add("edge tag")     # the tags it would have given
            continue
        r.keys(raw, p, ["from", "to", "capacity"], [k for k in EDGE_KEYS if k not in ("from", "to", "capacity")])
        src = r.ref_key(raw, "from", p, node_ids, "node")
        dst = r.ref_key(raw, "to", p, node_ids, "node")
        if src and dst and (src, dst) in seen_pairs:
            r.problem(p, f"edge {src} → {dst} is already defined as '{seen_pairs[(src, dst)]}'; "
                         "put all its commodities in one capacity mapping")
        if src and dst:
            seen_pairs[(src, dst)] = eid
        if src == dst and src is not None:
            r.problem(p, "an edge cannot run from a node to itself")
        caps = r.amounts(raw, "capacity", p, comm_ids, "commodity")
        lead = r.number(raw, "lead_time", p, 0, lo=0, integer=True)
        prio = r.number(raw, "priority", p, 1, lo=0)
        headroom = r.number(raw, "headroom", p, 0.0, lo=0, hi=MAX_HEADROOM, share=True,
                            what="a share of the edge's capacity")
        spot = r.boolean(raw, "spot", p, False)
        lic = r.mapping(raw.get("licence"), p + ("licence",))
        r.keys(lic, p + ("licence",), optional=("approval", "review_weeks", "commodities", "note", "source"))
        approval = r.number(lic, "approval", p + ("licence",), 1.0, lo=0, hi=1)
        review = r.number(lic, "review_weeks", p + ("licence",), 0, lo=0, integer=True)
        licensed_goods = set(r.refs(lic, "commodities", p + ("licence",), comm_ids, "commodity")) or set(caps)
        etags = raw.get("tags", [])
        etags = [etags] if isinstance(etags, str) else etags
        if not (isinstance(etags, list) and all(isinstance(t, str) for t in etags)):
            r.problem(p + ("tags",), f"expected a tag name or a list of them, got {kind_of(raw['tags'])}")
            r.unchecked.add("edge tag")     # the tags it would have given
            etags = []
        tags.update(etags)
        if src is None or dst is None:
            continue
        edge_ends[eid] = (src, dst)
        for cname, cap in caps.items():
            c = cindex[cname]
            if c not in nodes[src].outputs and nodes[src].kind not in ("metal", "stockpile", "market", "?") \
                    and c not in nodes[src].inventory and not r.doubtful(("nodes", src)):
                r.problem(p + ("capacity", cname), f"node '{src}' neither produces nor stocks '{cname}'")
            licensed = bool(lic) and cname in licensed_goods
            lane_tags = frozenset(etags) | ({"licensed"} if licensed else set())
            lanes.append(Lane(eid, nindex[src], nindex[dst], c, src, dst, nodes[src].country, nodes[dst].country,
                              cname, cap, lead, prio, headroom, approval if licensed else 1.0, licensed,
                              review if licensed else 0, lane_tags, spot))
    tags.add("licensed")
    net = Network(tuple(commodities[c] for c in comm_ids), tuple(countries), countries,
                  tuple(nodes[n] for n in node_ids), tuple(lanes), tuple(raw_edges), tuple(sorted(tags)),
                  china, japan, edge_ends)
    # Whether an edge was left out, or lost a commodity, for a mistake already reported: then a node it might have
    # supplied cannot be said to lack one.
    edges_in_doubt = r.doubtful(("edges",)) or "edge" in r.unchecked or any(
        p.path.split(".")[0] == "edges" for p in r.problems)
    if nodes:
        _report_loops(r, net)
    if nodes and not edges_in_doubt:
        for n in net.nodes:
            if r.doubtful(("nodes", n.id)):
                continue
            for c in list(n.inputs) + list(n.demand):
                if not any(lane.dst == net.node_index[n.id] and lane.commodity == c for lane in net.lanes):
                    r.problem(("nodes", n.id), f"node needs '{comm_ids[c]}' but no edge brings it")
    return net


def _report_loops(r: Reader, net: Network) -> None:
    """One line for each separate loop among the edges that could be read, whatever else is wrong with the file:
    a mistake in one lane does not hide a loop through others. An edge from a node to itself is reported where it
    is read."""
    graph = net.graph
    parts = [part for part in nx.strongly_connected_components(graph) if len(part) > 1]
    loops = []
    for part in parts:
        # A graph of the loop's edges, built in the file's order, so that the loop named is the same every run.
        within = nx.DiGraph((a, b) for a, b in graph.edges if a in part and b in part and a != b)
        cycle = nx.find_cycle(within, source=min(part, key=net.node_index.__getitem__))
        edges = [graph.edges[a, b]["id"] for a, b in cycle]
        # Named at the loop's edge written last, most likely the one just added.
        loops.append((max(edges, key=net.edge_ids.index), cycle, edges))
    for last, cycle, edges in sorted(loops, key=lambda loop: net.edge_ids.index(loop[0])):
        r.problem(("edges", last), "the trade graph must not loop back on itself, and this edge closes a loop: "
                  + " → ".join([a for a, _ in cycle] + [cycle[0][0]]) + f" (edges {', '.join(edges)})")


def _commodity(r: Reader, cid: str, raw: dict, p: PathKey) -> Commodity:
    r.keys(raw, p, ["name"], ["label", "group", "counts_as_rare_earth", "note", "source"])
    return Commodity(cid, r.text(raw, "name", p), r.choice(raw, "group", p, ("light", "heavy", "feedstock", "product"),
                                                          "light"),
                     r.boolean(raw, "counts_as_rare_earth", p, True), raw.get("note", ""),
                     r.text(raw, "label", p, cid))


def _country(r: Reader, cid: str, raw: dict, p: PathKey) -> Country:
    r.keys(raw, p, ["name"], ["bloc", "note", "source"])
    return Country(cid, r.text(raw, "name", p), r.choice(raw, "bloc", p, ("china", "japan", "partner", "other"),
                                                         "other"))


def _node(r: Reader, nid: str, raw: dict, p: PathKey, comm_ids: list[str], cindex: dict, countries: list[str]) -> Node:
    r.keys(raw, p, ["kind", "country"], [k for k in NODE_KEYS if k not in ("kind", "country")])
    # Without its kind, the checks that depend on it are skipped rather than guessed at.
    kind = r.choice(raw, "kind", p, NODE_KINDS) if "kind" in raw else "?"
    kind = "?" if r.doubtful(p + ("kind",)) else kind
    country = r.ref_key(raw, "country", p, countries, "country") or "?"

    def amounts(key: str, hi: float | None = None) -> dict[int, float]:
        return {cindex[c]: v for c, v in r.amounts(raw, key, p, comm_ids, "commodity", hi=hi).items()}

    inputs, outputs, demand = amounts("inputs"), amounts("outputs"), amounts("demand")
    essential = amounts("essential", hi=1.0)
    capacity = r.number(raw, "capacity", p, 0.0, lo=0)
    producing = kind in ("mine", "separation", "magnet") or (kind == "metal" and outputs)
    if producing and not outputs and not r.doubtful(p + ("outputs",)):
        r.problem(p, f"a {kind} node needs 'outputs' (commodity: yield per unit of activity)")
    if outputs and "capacity" not in raw:
        r.problem(p, "a producing node needs 'capacity' (units of activity per turn)")
    if kind in ("sector", "market") and not demand and not r.doubtful(p + ("demand",)):
        r.problem(p, f"a {kind} node needs 'demand' (commodity: tonnes per turn)")
    for c in essential:
        if c not in inputs and not r.doubtful(p + ("inputs",)):
            r.problem(p + ("essential", comm_ids[c]), f"'{comm_ids[c]}' is not one of this node's inputs")
    economy = None
    if "economy" in raw:
        e = r.mapping(raw["economy"], p + ("economy",))
        ep = p + ("economy",)
        r.keys(e, ep, ["value_added_jpy_per_turn"], ["criticality", "note", "source"])
        crit = {cindex[c]: v for c, v in r.amounts(e, "criticality", ep, comm_ids, "commodity", hi=1.0).items()}
        for c in crit:
            if c not in demand and c not in inputs and not r.doubtful(p + ("demand",)) \
                    and not r.doubtful(p + ("inputs",)):
                r.problem(ep + ("criticality", comm_ids[c]), f"node does not use '{comm_ids[c]}'")
        economy = SectorEconomy(r.number(e, "value_added_jpy_per_turn", ep, None, lo=0), crit)
    op = raw.get("operator")
    return Node(nid, r.text(raw, "name", p, nid), kind, country, capacity, inputs, essential, outputs, demand,
                amounts("inventory"), r.number(raw, "cover_weeks", p, 4.0, lo=0),
                r.number(raw, "reserve_weeks", p, 0.0, lo=0), r.number(raw, "max_stock_weeks", p, 12.0, lo=0),
                economy, op if isinstance(op, str) else None)
