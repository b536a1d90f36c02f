"""Shared scenarios for the simulation tests: the bundled county, a small inline routing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from countypolicing.datasets import default_ruleset, yueyanglou
from countypolicing.rules import RuleSet, ruleset_from_data
from countypolicing.simulation import Scenario, scenario_from_data

ROUTING: dict[str, object] = {
    "ruleset": "test-routing",
    "version": "1",
    "subject": "dispute",
    "output": {
        "name": "channel",
        "values": [
            "police",
            "scenic",
            "administrative",
            "stationed",
            "grid",
            "community",
        ],
    },
    "hit_policy": "first",
    "default": "community",
    "rules": [
        {"id": "risk", "when": "escalation_risk", "then": "police"},
        {
            "id": "tour",
            "when": "type == 'tourism' and theme_scenic_area",
            "then": "scenic",
        },
        {"id": "build", "when": "type == 'construction'", "then": "administrative"},
        {
            "id": "calls",
            "when": "origin == 'call_110' and not organisation_party",
            "then": "stationed",
        },
        {
            "id": "family",
            "when": "type in ('neighbour', 'marriage_family')",
            "then": "grid",
        },
    ],
}


@pytest.fixture(scope="session")
def routing() -> RuleSet:
    return ruleset_from_data(ROUTING)


MakeScenario = Callable[..., Scenario]


@pytest.fixture(scope="session")
def make_scenario(routing: RuleSet) -> MakeScenario:
    """A scenario of the bundled county from keyword overrides of the file data."""
    rulesets: dict[str, Any] = {
        "routing": routing,
        "classification": default_ruleset("community-classification"),
        "grading": default_ruleset("risk-point-grading"),
    }

    def make(**data: object) -> Scenario:
        body: dict[str, object] = {
            "schema_version": 1,
            "scenario": "test",
            "county": "bundled:yueyanglou",
            "horizon_days": 40,
            "replications": 2,
            "seed": 11,
            "levers": {"stationed_mediators": 0},
            "policies": {
                "stationed": {"levers": {"stationed_mediators": 1}},
                "plaque": {"levers": {"plaque_coverage": 0.9}},
            },
        }
        body.update(data)
        return scenario_from_data(body, county=yueyanglou(), rulesets=rulesets)

    return make
