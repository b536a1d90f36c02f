"""The responsibility graph: who answers for each risk, and how departments link up.

The article's core governance claim is that every risk has a territorial (属地),
a principal (主体) and a supervisory (主管) responsible party, under party and
government leadership, with linkage mechanisms tying departments together.
`build_responsibility_graph` turns a `countypolicing.model.County` into a
`networkx.MultiDiGraph` that makes the claim checkable; the query functions take
that graph first, networkx style, and return sorted, deterministic answers.

Examples:
    >>> from countypolicing.datasets import yueyanglou
    >>> from countypolicing.graph import build_responsibility_graph, responsibility_gaps
    >>> G = build_responsibility_graph(yueyanglou())
    >>> gaps = responsibility_gaps(G)
    >>> sorted({gap.kind.value for gap in gaps})
    ['mechanism', 'risk_point', 'theme']

Added in version 0.1.0.
"""

from countypolicing.graph._build import build_responsibility_graph
from countypolicing.graph._draw import draw
from countypolicing.graph._export import (
    EXPORT_FORMATS,
    to_cytoscape_json,
    to_dot,
    to_gexf,
    to_graphml,
    to_mermaid,
    to_node_link_json,
)
from countypolicing.graph._gaps import (
    Conflict,
    Gap,
    GapKind,
    conflicts,
    format_gaps,
    responsibility_gaps,
)
from countypolicing.graph._queries import (
    DisputeHandlers,
    EscalationPath,
    Hub,
    MechanismMembers,
    Workload,
    coordination_hubs,
    escalation_cycles,
    escalation_path,
    handlers_for,
    mechanism_members,
    responsible_parties,
    subgraph_for,
    workload,
)
from countypolicing.graph._relations import NodeKind, Relation, node_key

__all__ = [
    "EXPORT_FORMATS",
    "Conflict",
    "DisputeHandlers",
    "EscalationPath",
    "Gap",
    "GapKind",
    "Hub",
    "MechanismMembers",
    "NodeKind",
    "Relation",
    "Workload",
    "build_responsibility_graph",
    "conflicts",
    "coordination_hubs",
    "draw",
    "escalation_cycles",
    "escalation_path",
    "format_gaps",
    "handlers_for",
    "mechanism_members",
    "node_key",
    "responsibility_gaps",
    "responsible_parties",
    "subgraph_for",
    "to_cytoscape_json",
    "to_dot",
    "to_gexf",
    "to_graphml",
    "to_mermaid",
    "to_node_link_json",
    "workload",
]
