"""JSON Schemas of the file formats, generated from the model classes.

Editors that understand JSON Schema (VS Code with the YAML extension, PyCharm) use
them to validate and autocomplete county files.
"""

from __future__ import annotations

import types
import typing
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any, Final, Union, get_args, get_origin

import attrs

from countypolicing.model._common import ID_PATTERN
from countypolicing.serialization._county_io import SCHEMA_VERSION, section_types

__all__ = ["SCHEMA_NAMES", "json_schema"]

#: The schemas `json_schema` can produce.
SCHEMA_NAMES: Final = ("county",)

_ID_FIELDS_SUFFIXES: Final = ("_id", "_ids")


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, dict[str, object]] = {}

    def for_type(self, t: object, *, field_name: str = "") -> dict[str, object]:  # noqa: C901, PLR0911, PLR0912  # one branch per kind of type
        origin = get_origin(t)
        if origin in (Union, types.UnionType):
            args = [a for a in get_args(t) if a is not type(None)]
            inner = (
                self.for_type(args[0], field_name=field_name)
                if len(args) == 1
                else {"anyOf": [self.for_type(a, field_name=field_name) for a in args]}
            )
            return {"anyOf": [inner, {"type": "null"}]}
        if origin in (tuple, frozenset):
            element = get_args(t)[0]
            schema: dict[str, object] = {
                "type": "array",
                "items": self.for_type(element, field_name=field_name),
            }
            if origin is frozenset:
                schema["uniqueItems"] = True
            return schema
        if isinstance(t, typing.NewType):
            return self.for_type(t.__supertype__, field_name=field_name)
        if isinstance(t, type) and issubclass(t, Enum):
            return self.enum(t)
        if t is bool:
            return {"type": "boolean"}
        if t is int:
            return {"type": "integer"}
        if t is float:
            return {"type": "number"}
        if t is datetime:
            return {"type": "string", "format": "date-time"}
        if t is date:
            return {"type": "string", "format": "date"}
        if t is str:
            if field_name == "id" or field_name.endswith(_ID_FIELDS_SUFFIXES):
                return {"type": "string", "pattern": f"^{ID_PATTERN.pattern}$"}
            return {"type": "string", "minLength": 1}
        if isinstance(t, type) and attrs.has(t):
            return self.record(t)
        msg = f"no JSON Schema for {t!r}"  # pragma: no cover  # every model type is handled
        raise TypeError(msg)  # pragma: no cover

    def enum(self, cls: type[Enum]) -> dict[str, object]:
        name = cls.__name__
        if name not in self.defs:
            labels = getattr(cls, "__zh__", {})
            self.defs[name] = {
                "title": name,
                "enum": [m.value for m in cls],
                "description": "; ".join(
                    f"{m.value}: {labels.get(m.value, '')}" for m in cls
                ),
            }
        return {"$ref": f"#/$defs/{name}"}

    def record(self, cls: type[Any]) -> dict[str, object]:
        name = cls.__name__
        if name not in self.defs:
            self.defs[name] = {}  # placeholder against recursion
            hints = typing.get_type_hints(cls)
            properties: dict[str, object] = {}
            required: list[str] = []
            for field in attrs.fields(cls):
                if not field.init:
                    continue
                properties[field.name] = self.for_type(
                    hints[field.name], field_name=field.name
                )
                if field.default is attrs.NOTHING:
                    required.append(field.name)
            doc = (cls.__doc__ or "").strip().splitlines()
            self.defs[name] = {
                "title": name,
                "description": doc[0] if doc else name,
                "type": "object",
                "properties": properties,
                "required": required,
                "additionalProperties": False,
            }
        return {"$ref": f"#/$defs/{name}"}


@cache
def _county_schema() -> dict[str, object]:
    builder = _Builder()
    properties: dict[str, object] = {
        "schema_version": {"type": "integer", "minimum": 1, "maximum": SCHEMA_VERSION}
    }
    for name, t in section_types().items():
        properties[name] = builder.for_type(t, field_name=name)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://countypolicing.readthedocs.io/schemas/county.json",
        "title": "countypolicing county file",
        "description": (
            "One file of a county: schema_version plus any sections. A directory may "
            "spread the sections over several files, each section once."
        ),
        "type": "object",
        "properties": properties,
        "required": ["schema_version"],
        "additionalProperties": False,
        "$defs": dict(sorted(builder.defs.items())),
    }


def json_schema(name: str = "county") -> dict[str, object]:
    """The JSON Schema (draft 2020-12) of a file format.

    Args:
        name: one of `SCHEMA_NAMES`.

    Raises:
        KeyError: for an unknown name.

    Examples:
        >>> schema = json_schema("county")
        >>> schema["properties"]["schema_version"]["maximum"]
        1
        >>> "Community" in schema["$defs"]
        True
    """
    if name == "county":
        return _county_schema()
    msg = f"unknown schema {name!r}; known: {', '.join(SCHEMA_NAMES)}"
    raise KeyError(msg)
