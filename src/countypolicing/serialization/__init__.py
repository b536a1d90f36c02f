"""Reading and writing files: strict YAML, cattrs converters, JSON Schemas, atomic saves.

This is the only subpackage that imports ``yaml`` and ``cattrs``.

Added in version 0.1.0.
"""

from countypolicing.serialization._assessment_io import (
    SCREENING_FORMAT,
    load_indicator_set,
    load_screening,
    save_screening,
    screening_to_text,
)
from countypolicing.serialization._converters import configure_converter, make_converter
from countypolicing.serialization._county_io import (
    COUNTY_FILES,
    SCHEMA_VERSION,
    county_from_text,
    county_to_text,
    load_county,
    save_county,
)
from countypolicing.serialization._rules_io import load_ruleset
from countypolicing.serialization._scenario_io import load_scenario
from countypolicing.serialization._schema import SCHEMA_NAMES, json_schema
from countypolicing.serialization._tables import (
    INDICATORS_CSV,
    load_indicators_csv,
    parse_indicators_csv,
)
from countypolicing.serialization._yaml import LoadLimits

__all__ = [
    "COUNTY_FILES",
    "INDICATORS_CSV",
    "SCHEMA_NAMES",
    "SCHEMA_VERSION",
    "SCREENING_FORMAT",
    "LoadLimits",
    "configure_converter",
    "county_from_text",
    "county_to_text",
    "json_schema",
    "load_county",
    "load_indicator_set",
    "load_indicators_csv",
    "load_ruleset",
    "load_scenario",
    "load_screening",
    "make_converter",
    "parse_indicators_csv",
    "save_county",
    "save_screening",
    "screening_to_text",
]
