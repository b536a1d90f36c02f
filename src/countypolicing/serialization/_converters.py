"""cattrs converters for the domain model: strict structuring, readable unstructuring.

Strict means: a string field takes only a string (``NO`` or ``0755`` written without
quotes is refused with the text as written, never turned into ``False`` or ``493``),
an integer field only an integer (not ``True``, not ``"12"``), numbers are finite, dates
are ISO-8601, datetimes carry an offset, lists are lists, and unknown keys are errors.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum, StrEnum
from typing import Any, Final

import cattrs
from cattrs.errors import IterableValidationError, IterableValidationNote
from cattrs.gen import make_dict_unstructure_fn

__all__ = ["configure_converter", "make_converter"]

#: How many allowed values an error message lists.
_SHOWN: Final = 12


class StructureTypeError(TypeError):
    """A value of the wrong YAML type for its field (turned into a ValidationError)."""


def _type_name(value: object) -> str:  # noqa: PLR0911  # one answer per YAML type
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {value!r}"
    if isinstance(value, int):
        return f"integer {value!r}"
    if isinstance(value, float):
        return f"number {value!r}"
    if isinstance(value, str):
        return f"string {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _structure_str(value: object, _: type) -> str:
    if isinstance(value, str):
        return value
    msg = f"expected a string, got {_type_name(value)}"
    raise StructureTypeError(msg)


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    msg = f"expected an integer, got {_type_name(value)}"
    raise StructureTypeError(msg)


def _structure_float(value: object, _: type) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
        if not math.isfinite(number):
            msg = f"must be finite, got {value!r}"
            raise StructureTypeError(msg)
        return number
    msg = f"expected a number, got {_type_name(value)}"
    raise StructureTypeError(msg)


def _structure_bool(value: object, _: type) -> bool:
    if isinstance(value, bool):
        return value
    msg = f"expected true or false, got {_type_name(value)}"
    raise StructureTypeError(msg)


def _structure_date(value: object, _: type) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    msg = f"expected a date written YYYY-MM-DD, got {_type_name(value)}"
    raise StructureTypeError(msg)


def _structure_datetime(value: object, _: type) -> datetime:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None:
            if parsed.tzinfo is None:
                msg = f"datetime {value!r} needs a UTC offset, e.g. 2020-09-15T09:00:00+08:00"
                raise StructureTypeError(msg)
            return parsed
    msg = f"expected an ISO-8601 datetime with offset, got {_type_name(value)}"
    raise StructureTypeError(msg)


def _structure_enum(value: object, cls: type[Enum]) -> Enum:
    if isinstance(value, str):
        try:
            return cls(value)
        except ValueError:
            pass
    values = [str(m.value) for m in cls]
    close = (
        difflib.get_close_matches(value, values, n=1) if isinstance(value, str) else []
    )
    hint = f"; did you mean {close[0]!r}?" if close else ""
    shown = ", ".join(values[:_SHOWN]) + (", ..." if len(values) > _SHOWN else "")
    msg = f"{_type_name(value)} is not one of {shown}{hint}"
    raise StructureTypeError(msg)


def _sequence_hook_factory(
    conv: cattrs.Converter,
) -> Callable[[Any], Callable[[object, type], Any]]:
    def factory(t: Any) -> Callable[[object, type], Any]:  # noqa: ANN401  # any tuple type
        args = getattr(t, "__args__", ())
        element = args[0] if args else Any
        make = frozenset if getattr(t, "__origin__", None) is frozenset else tuple
        element_hook = conv.get_structure_hook(element)

        def structure(value: object, _: type) -> Any:  # noqa: ANN401  # tuple of anything
            if not isinstance(value, list):
                msg = f"expected a list, got {_type_name(value)}"
                raise StructureTypeError(msg)
            out: list[Any] = []
            errors: list[Exception] = []
            for index, item in enumerate(value):
                try:
                    out.append(element_hook(item, element))
                except Exception as exc:  # noqa: BLE001  # collected and re-raised below
                    exc.__notes__ = [
                        *getattr(exc, "__notes__", []),
                        IterableValidationNote(
                            f"Structuring {t} @ index {index}", index, element
                        ),
                    ]
                    errors.append(exc)
            if errors:
                msg = f"While structuring {t!r}"
                raise IterableValidationError(msg, errors, t)
            return make(out)

        return structure

    return factory


def _is_collection(t: object) -> bool:
    origin = getattr(t, "__origin__", None)
    return origin in (tuple, frozenset)


_DISPATCH: Final = (
    (str, _structure_str),
    (int, _structure_int),
    (float, _structure_float),
    (bool, _structure_bool),
    (date, _structure_date),
    (datetime, _structure_datetime),
)


def configure_converter(conv: cattrs.Converter) -> None:
    """Register the strict hooks on ``conv`` (the ``cattrs`` ``preconf`` split).

    Examples:
        >>> import cattrs
        >>> conv = cattrs.Converter(forbid_extra_keys=True)
        >>> configure_converter(conv)
        >>> conv.structure("2020-09-15", date)
        datetime.date(2020, 9, 15)
    """
    for t, hook in _DISPATCH:
        conv.register_structure_hook(t, hook)
    # Class dispatch follows the MRO, where StrEnum comes before str: without these
    # two, every StrEnum field would be structured as a plain string.
    conv.register_structure_hook(StrEnum, _structure_enum)
    conv.register_structure_hook(Enum, _structure_enum)
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_unstructure_hook(datetime, datetime.isoformat)
    conv.register_unstructure_hook(StrEnum, _enum_value)
    conv.register_unstructure_hook(Enum, _enum_value)
    conv.register_structure_hook_factory(_is_collection, _sequence_hook_factory(conv))
    conv.register_unstructure_hook_factory(
        _is_collection, lambda t: _list_unstructure(conv, t)
    )
    conv.register_unstructure_hook_factory(
        _is_attrs_class,
        lambda cls: make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=True),
    )


def _is_attrs_class(t: object) -> bool:
    return isinstance(t, type) and hasattr(t, "__attrs_attrs__")


def _enum_value(member: Enum) -> object:
    return member.value


def _list_unstructure(conv: cattrs.Converter, t: Any) -> Callable[[Any], list[Any]]:  # noqa: ANN401  # any collection type
    args = getattr(t, "__args__", ())
    element = args[0] if args else Any
    element_hook = conv.get_unstructure_hook(element)
    sort = getattr(t, "__origin__", None) is frozenset

    def unstructure(value: Any) -> list[Any]:  # noqa: ANN401  # any collection
        items = [element_hook(v) for v in value]
        return sorted(items, key=str) if sort else items

    return unstructure


def make_converter() -> cattrs.Converter:
    """A fresh converter with ``forbid_extra_keys`` and the strict hooks.

    Prefer one per application over a shared global (cattrs' own advice).

    Examples:
        >>> from countypolicing.model import Township, TownshipKind
        >>> conv = make_converter()
        >>> t = conv.structure(
        ...     {"id": "t1", "name_zh": "示例街道", "kind": "sub_district"}, Township
        ... )
        >>> conv.unstructure(t)
        {'id': 't1', 'name_zh': '示例街道', 'kind': 'sub_district'}
    """
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    configure_converter(conv)
    return conv
