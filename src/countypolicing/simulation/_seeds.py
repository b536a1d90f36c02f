"""Random streams: one `numpy.random.SeedSequence` per (replication, policy, component).

Spawn keys are built from explicit integers only: the replication index, a CRC-32
of the component name and, when common random numbers are switched off, a CRC-32
of the policy id. Nothing depends on ``hash()``, on the order work is done in, or on
global random state, so a run gives the same numbers in any process, under any
``PYTHONHASHSEED`` and on any executor.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from typing import Any, Final, cast

import numpy as np

__all__ = [
    "COMPONENTS",
    "SPAWN_DOMAIN",
    "crc32_key",
    "generator_from_state",
    "generator_state",
    "seed_sequence",
]

#: The random components of the model; each draws from its own stream.
COMPONENTS: Final = (
    "arrivals",
    "calls",
    "controls",
    "escalation",
    "hazards",
    "incidents",
    "outcomes",
    "patience",
    "queues",
    "rectification",
    "screening",
    "service",
    "tips",
    "uncertainties",
)


def crc32_key(text: str) -> int:
    """A stable 32-bit key for a name (CRC-32 of its UTF-8 bytes).

    Examples:
        >>> crc32_key("arrivals")
        3612958146
        >>> crc32_key("arrivals") == crc32_key("arrivals")
        True
    """
    return zlib.crc32(text.encode("utf-8")) & 0xFFFFFFFF


#: First element of every spawn key: keeps our streams apart from any other use of
#: the same root seed.
SPAWN_DOMAIN: Final = crc32_key("countypolicing.simulation")


def seed_sequence(
    root_seed: int,
    *,
    replication: int,
    component: str,
    policy: str | None = None,
    index: int | None = None,
) -> np.random.SeedSequence:
    """The seed sequence of one random stream of one run.

    Args:
        root_seed: the scenario's (or the caller's) root seed, an integer >= 0.
        replication: the replication index.
        component: one of `COMPONENTS`.
        policy: the policy id, only when common random numbers are switched off;
            with ``None`` every policy of a replication draws the same numbers.
        index: a sub-stream index (the continuous engine keeps one per route).

    Returns:
        ``SeedSequence(root_seed, spawn_key=(SPAWN_DOMAIN, replication,
        policy key, component key[, index]))``, where the policy key is 0 for
        ``None`` and ``1 + crc32(policy)`` otherwise.

    Raises:
        ValueError: an unknown component or a negative seed or index.

    Examples:
        >>> a = seed_sequence(7, replication=0, component="arrivals")
        >>> b = seed_sequence(7, replication=0, component="arrivals")
        >>> a.generate_state(2).tolist() == b.generate_state(2).tolist()
        True
        >>> c = seed_sequence(7, replication=1, component="arrivals")
        >>> a.generate_state(2).tolist() == c.generate_state(2).tolist()
        False
    """
    if component not in COMPONENTS:
        msg = f"unknown random component {component!r}; known: {', '.join(COMPONENTS)}"
        raise ValueError(msg)
    if root_seed < 0 or replication < 0 or (index is not None and index < 0):
        msg = "seeds, replications and stream indices are integers >= 0"
        raise ValueError(msg)
    policy_key = 0 if policy is None else 1 + crc32_key(policy)
    key: tuple[int, ...] = (SPAWN_DOMAIN, replication, policy_key, crc32_key(component))
    if index is not None:
        key = (*key, index)
    return np.random.SeedSequence(root_seed, spawn_key=key)


def generator_state(rng: np.random.Generator) -> dict[str, Any]:
    """A generator's bit-generator state as plain data (ints and strings)."""
    return dict(rng.bit_generator.state)


def generator_from_state(state: Mapping[str, Any]) -> np.random.Generator:
    """A new PCG64 generator continuing exactly where ``state`` left off."""
    bit_generator = np.random.PCG64()
    bit_generator.state = cast("Any", dict(state))
    return np.random.Generator(bit_generator)
