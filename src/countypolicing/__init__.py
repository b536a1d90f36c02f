"""countypolicing: new-era county policing (新时代县域警务) as software.

Typed domain objects for a county's communities, police stations, departments, risk
points, disputes, linkage mechanisms and tasks; strict YAML loading; a bundled
example county (Yueyanglou District, 2020).

Examples:
    >>> import countypolicing as cp
    >>> county = cp.datasets.yueyanglou()
    >>> len(county.communities)
    107

Added in version 0.1.0.
"""

from importlib.metadata import PackageNotFoundError, version

from countypolicing import (
    datasets,
    exceptions,
    graph,
    model,
    operations,
    rules,
    serialization,
    simulation,
    storage,
)
from countypolicing.serialization import load_county, load_ruleset, load_scenario

try:
    __version__ = version("countypolicing")
except PackageNotFoundError:  # pragma: no cover  # running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = [
    "__version__",
    "datasets",
    "exceptions",
    "graph",
    "load_county",
    "load_ruleset",
    "load_scenario",
    "model",
    "operations",
    "rules",
    "serialization",
    "simulation",
    "storage",
]
