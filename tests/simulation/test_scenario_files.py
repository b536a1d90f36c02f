"""Scenario files: loading, references, the content hash, and located errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from countypolicing.datasets import yueyanglou_path
from countypolicing.exceptions import (
    ConfigError,
    LoadError,
    LoadErrorGroup,
    SchemaVersionError,
)
from countypolicing.serialization._scenario_io import load_scenario
from countypolicing.simulation import Channel, Normal, Triangular, run

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "yueyanglou-policies.yaml"

GOOD = """\
schema_version: 1
scenario: tiny
county: bundled:yueyanglou
horizon_days: 20
replications: 2
seed: 3
levers: {stationed_mediators: 0}
policies:
  stationed: {levers: {stationed_mediators: 1}}
"""


def _problems(text: str, tmp_path: Path) -> list[LoadError]:
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadErrorGroup) as info:
        load_scenario(path)
    return list(info.value.problems)


def _one(text: str, tmp_path: Path) -> LoadError:
    problems = _problems(text, tmp_path)
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert problem.source is not None
    assert problem.source.endswith("scenario.yaml")
    assert problem.line is not None
    assert problem.column is not None
    return problem


def test_the_bundled_example_loads_and_resolves_everything() -> None:
    scenario = load_scenario(EXAMPLE)
    assert scenario.id == "yueyanglou-policies"
    assert len(scenario.county.communities) == 107
    assert scenario.routing.ruleset.id == "dispute-routing"
    assert scenario.routes["stationed_mediator"] is Channel.STATIONED
    assert scenario.routes["peoples_committee"] is Channel.COMMUNITY
    assert scenario.policy_ids == ("baseline", "stationed-mediator", "plaque-80")
    assert isinstance(scenario.uncertainties[0].distribution, Triangular)
    assert set(scenario.input_hashes) >= {
        "scenario",
        "bundled:yueyanglou",
        "bundled:dispute-routing",
    }
    assert scenario.content_hash.startswith("sha256:")


def test_the_hash_ignores_layout_comments_and_titles_but_not_values() -> None:
    base = load_scenario(GOOD).content_hash
    reordered = (
        "# a comment\nseed: 3\nschema_version: 1\nscenario: tiny\ntitle: 标题\n"
        "county: bundled:yueyanglou\nreplications: 2\nhorizon_days: 20\n"
        "policies:\n  stationed:\n    levers:\n      stationed_mediators: 1\n"
        "levers:\n  stationed_mediators: 0\n"
        "parameters: {patience_days: 14.0}\n"  # the default, written out
    )
    assert load_scenario(reordered).content_hash == base
    assert load_scenario(GOOD.replace("seed: 3", "seed: 4")).content_hash != base


def test_results_carry_the_provenance_of_the_scenario() -> None:
    scenario = load_scenario(GOOD)
    result = run(scenario, seed=8)
    provenance = result.provenance
    assert provenance.scenario_hash == scenario.content_hash
    assert provenance.seed == 8
    assert provenance.library_version == scenario.library_version != "unknown"
    row = result.summary_rows()[0]
    assert row["scenario_hash"] == scenario.content_hash
    assert row["seed"] == 8


def test_a_county_path_is_relative_to_the_scenario_file(tmp_path: Path) -> None:
    shutil.copytree(yueyanglou_path(), tmp_path / "my-county")
    (tmp_path / "s.yaml").write_text(
        GOOD.replace("bundled:yueyanglou", "my-county"), encoding="utf-8"
    )
    scenario = load_scenario(tmp_path / "s.yaml")
    assert scenario.county_ref == "my-county"
    assert len(scenario.county.communities) == 107


def test_an_inline_routing_ruleset_and_routes() -> None:
    text = GOOD + (
        "rulesets:\n"
        "  routing:\n"
        "    ruleset: inline\n    version: '1'\n    subject: dispute\n"
        "    output: {name: route, values: [cops, mediators]}\n"
        "    hit_policy: first\n    default: mediators\n"
        "    rules: [{id: R1, when: escalation_risk, then: cops}]\n"
        "routes: {cops: police, mediators: grid}\n"
        "uncertainties:\n"
        "  service_days.grid: {distribution: normal, mean: 2, sd: 0.5, low: 0.5}\n"
    )
    scenario = load_scenario(text)
    assert dict(scenario.routes) == {"cops": Channel.POLICE, "mediators": Channel.GRID}
    assert isinstance(scenario.uncertainties[0].distribution, Normal)
    result = run(scenario)
    draws = {r.draws["service_days.grid"] for r in result.runs}
    assert len(draws) == 2  # one per replication, shared by the policies


@pytest.mark.parametrize(
    ("edit", "path", "message"),
    [
        ("horizon_dayz: 20", "horizon_dayz", "did you mean 'horizon_days'"),
        ("horizon_days: ten", "horizon_days", "must be a whole number"),
        ("horizon_days: 0", "horizon_days", "must be 1 to 36500, got 0"),
        ("parameters: {patience_days: .nan}", "parameters.patience_days", "NaN"),
        ("parameters: {hours_per_call: .inf}", "parameters.hours_per_call", "finite"),
        (
            "parameters: {dispute_rate_per_1000: -3}",
            "parameters.dispute_rate_per_1000",
            "at least 0",
        ),
        (
            "parameters: {escalation_risk_share: 1.2}",
            "parameters.escalation_risk_share",
            "at most 1",
        ),
        (
            "parameters: {agreement_rate: {grid: 2}}",
            "parameters.agreement_rate.grid",
            "at most 1",
        ),
        (
            "parameters: {service_days: {gird: 2}}",
            "parameters.service_days.gird",
            "did you mean 'grid'",
        ),
        ("levers: {plaque_coverage: 1.5}", "levers.plaque_coverage", "at most 1"),
        ("levers: {grid_worker: 2}", "levers.grid_worker", "unknown lever"),
        ("time: hourly", "time", "daily or continuous"),
        ("outcomes: [escalation]", "outcomes[0]", "did you mean 'escalations'"),
        (
            "uncertainties: {patience_days: {distribution: gamma}}",
            "uncertainties.patience_days.distribution",
            "one of uniform",
        ),
        (
            "uncertainties: {patience_days: {distribution: uniform, low: 9, high: 2}}",
            "uncertainties.patience_days",
            "low <= high",
        ),
        (
            "uncertainties: {patience_dayz: {distribution: uniform, low: 1, high: 2}}",
            "uncertainties.patience_dayz",
            "did you mean 'patience_days'",
        ),
        ("county: no/such/county", "county", "no county at 'no/such/county'"),
        ("county: bundled:atlantis", "county", "unknown bundled county"),
        (
            "rulesets: {routing: bundled:no-such}",
            "rulesets.routing",
            "unknown bundled ruleset",
        ),
        ("routes: {police: jail}", "routes.police", "unknown channel"),
    ],
)
def test_bad_scenarios_give_located_errors(
    tmp_path: Path, edit: str, path: str, message: str
) -> None:
    key = edit.split(":", 1)[0]
    lines = [line for line in GOOD.splitlines() if not line.startswith(f"{key}:")]
    if key == "levers":  # drop the baseline's block (one line)
        lines = [line for line in lines if not line.startswith("levers")]
    text = "\n".join([*lines, edit]) + "\n"
    problem = _one(text, tmp_path)
    assert problem.path == path, str(problem)
    assert message in str(problem), str(problem)
    assert f"scenario.yaml:{problem.line}:{problem.column}: {path}" in str(problem)


def test_several_problems_are_reported_together(tmp_path: Path) -> None:
    text = GOOD.replace("horizon_days: 20", "horizon_days: -1") + (
        "parameters: {patience_days: -2, rectify_days: .nan}\n"
    )
    problems = _problems(text, tmp_path)
    assert {p.path for p in problems} == {
        "horizon_days",
        "parameters.patience_days",
        "parameters.rectify_days",
    }


def test_schema_version_is_required_and_newer_versions_are_refused() -> None:
    with pytest.raises(SchemaVersionError, match="missing schema_version"):
        load_scenario(GOOD.replace("schema_version: 1\n", ""))
    with pytest.raises(SchemaVersionError, match="newer countypolicing"):
        load_scenario(GOOD.replace("schema_version: 1", "schema_version: 2"))


def test_yaml_level_problems_come_from_the_strict_loader() -> None:
    with pytest.raises(ConfigError, match="duplicate key 'seed'"):
        load_scenario(GOOD + "seed: 4\n")
    with pytest.raises(ConfigError, match="a scenario file is a mapping"):
        load_scenario("- just\n- a list\n")


def test_an_unknown_policy_is_named_with_a_suggestion() -> None:
    scenario = load_scenario(GOOD)
    with pytest.raises(KeyError, match="did you mean 'stationed'"):
        run(scenario, policies=["stationd"])
