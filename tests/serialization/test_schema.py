"""JSON Schemas generated from the model accept what the loader accepts."""

from __future__ import annotations

import jsonschema
import pytest

import countypolicing as cp
from countypolicing.datasets import yueyanglou_path
from countypolicing.serialization import json_schema
from countypolicing.serialization._yaml import load_yaml_file, parse_yaml


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json_schema("county")
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_every_bundled_file_validates_against_the_schema(
    validator: jsonschema.Draft202012Validator,
) -> None:
    for path in sorted(yueyanglou_path().glob("*.yaml")):
        errors = list(validator.iter_errors(load_yaml_file(path).data))
        assert not errors, (path.name, errors[:3])


def test_the_schema_refuses_unknown_fields_and_bad_enum_values(
    validator: jsonschema.Draft202012Validator,
) -> None:
    doc = parse_yaml(
        "schema_version: 1\ncounty: {id: demo, name_zh: 示例区, colour: red}\n"
        "townships:\n  - {id: t1, name_zh: 街道, kind: nowhere}\n"
    ).data
    messages = [e.message for e in validator.iter_errors(doc)]
    assert any("colour" in m for m in messages), messages
    assert any("nowhere" in m for m in messages), messages


def test_unknown_schema_names_are_a_key_error() -> None:
    with pytest.raises(KeyError, match="unknown schema 'nope'"):
        json_schema("nope")


def test_the_schema_knows_every_section_of_a_county() -> None:
    schema = json_schema()
    text = cp.serialization.county_to_text(cp.datasets.yueyanglou())
    data = parse_yaml(text).data
    properties = schema["properties"]
    assert isinstance(data, dict)
    assert isinstance(properties, dict)
    assert set(data) <= set(properties)
