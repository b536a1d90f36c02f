"""Ids, shared validators and small value types used by every record."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, Final, TypeAlias, TypeVar

import attrs

from countypolicing.exceptions import ModelError

__all__ = [
    "ID_PATTERN",
    "CampaignId",
    "CommunityId",
    "DisputeId",
    "DocumentId",
    "GridId",
    "HazardId",
    "IncidentId",
    "KeyItemId",
    "MechanismId",
    "MetricId",
    "OrgId",
    "PartyId",
    "PatrolId",
    "PersonId",
    "RentalId",
    "RiskPointId",
    "TaskId",
    "ThemeId",
    "TownshipId",
]

# Ids are aliases of str, not NewTypes: a NewType would make every caller write
# CommunityId("desheng") to satisfy a type checker; the alias still documents intent.
_S = TypeVar("_S", bound=str)
_N = TypeVar("_N", int, float)

TownshipId: TypeAlias = str
CommunityId: TypeAlias = str
GridId: TypeAlias = str
OrgId: TypeAlias = str
PersonId: TypeAlias = str
#: An organisation or a person: both may be owners, parties and actors.
PartyId: TypeAlias = str
RentalId: TypeAlias = str
RiskPointId: TypeAlias = str
HazardId: TypeAlias = str
DisputeId: TypeAlias = str
MechanismId: TypeAlias = str
DocumentId: TypeAlias = str
KeyItemId: TypeAlias = str
TaskId: TypeAlias = str
PatrolId: TypeAlias = str
CampaignId: TypeAlias = str
IncidentId: TypeAlias = str
MetricId: TypeAlias = str
ThemeId: TypeAlias = str

#: Ids are ASCII, start with a letter or digit, may contain ``_ . -``, at most 64 long.
#: No spaces, no colons (graph node keys are ``"<kind>:<id>"``).
ID_PATTERN: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}")


def str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    """Attrs converter: any iterable of strings (a YAML list, say) to a tuple.

    A lone string is refused rather than split into characters.
    """
    if isinstance(value, str):
        raise ModelError(f"expected a list of strings, got the string {value!r}")
    return tuple(value)


def check_id(value: str, *, field: str, record_id: str | None = None) -> None:
    """Raise `ModelError` unless ``value`` is a well-formed id."""
    # The annotation says str, but Python callers may pass anything: refuse it
    # with a ModelError rather than the TypeError `re` would raise.
    text: object = value
    if not isinstance(text, str) or ID_PATTERN.fullmatch(text) is None:
        raise ModelError(
            f"{field} {value!r} is not a valid id: use 1-64 ASCII letters, digits, "
            "'_', '.' or '-', starting with a letter or digit",
            field=field,
            record_id=record_id,
        )


def _record_id(instance: object) -> str | None:
    value = getattr(instance, "id", None)
    return value if isinstance(value, str) else None


def valid_id(instance: object, attribute: attrs.Attribute[_S], value: _S) -> None:
    """Attrs validator: a well-formed id."""
    check_id(value, field=attribute.name, record_id=_record_id(instance))


def valid_optional_id(
    instance: object,
    attribute: attrs.Attribute[Any],  # attrs infers None from default=None
    value: str | None,
) -> None:
    """Attrs validator: ``None`` or a well-formed id."""
    if value is not None:
        check_id(value, field=attribute.name, record_id=_record_id(instance))


def valid_ids(
    instance: object,
    attribute: attrs.Attribute[tuple[_S, ...]],
    value: tuple[_S, ...],
) -> None:
    """Attrs validator: a collection of distinct, well-formed ids."""
    seen: set[str] = set()
    for item in value:
        check_id(item, field=attribute.name, record_id=_record_id(instance))
        if item in seen:
            raise ModelError(
                f"{attribute.name} lists {item!r} twice",
                field=attribute.name,
                record_id=_record_id(instance),
            )
        seen.add(item)


def non_empty(instance: object, attribute: attrs.Attribute[_S], value: _S) -> None:
    """Attrs validator: text that is not empty or only white space."""
    if not value.strip():
        raise ModelError(
            f"{attribute.name} must not be empty",
            field=attribute.name,
            record_id=_record_id(instance),
        )


def optional_non_empty(
    instance: object,
    attribute: attrs.Attribute[Any],  # attrs infers None from default=None
    value: str | None,
) -> None:
    """Attrs validator: ``None`` or non-blank text."""
    if value is not None and not value.strip():
        raise ModelError(
            f"{attribute.name} must not be empty (omit it instead)",
            field=attribute.name,
            record_id=_record_id(instance),
        )


#: The largest whole number a file may hold (the loader's bound too).
MAX_INT: Final = 2**63 - 1


def _too_big(value: float) -> bool:
    return isinstance(value, int) and value > MAX_INT


def non_negative(instance: object, attribute: attrs.Attribute[_N], value: _N) -> None:
    """Attrs validator: a finite number >= 0 (whole numbers at most 2**63 - 1)."""
    if not math.isfinite(value) or value < 0 or _too_big(value):
        raise ModelError(
            f"{attribute.name} must be a finite number >= 0, got {value!r}",
            field=attribute.name,
            record_id=_record_id(instance),
        )


def optional_non_negative(
    instance: object,
    attribute: attrs.Attribute[Any],  # attrs infers None from default=None
    value: float | None,
) -> None:
    """Attrs validator: ``None`` or a finite number >= 0."""
    if value is not None and (not math.isfinite(value) or value < 0 or _too_big(value)):
        raise ModelError(
            f"{attribute.name} must be a finite number >= 0, got {value!r}",
            field=attribute.name,
            record_id=_record_id(instance),
        )


def positive(instance: object, attribute: attrs.Attribute[_N], value: _N) -> None:
    """Attrs validator: a finite number > 0 (whole numbers at most 2**63 - 1)."""
    if not math.isfinite(value) or value <= 0 or _too_big(value):
        raise ModelError(
            f"{attribute.name} must be a finite number > 0, got {value!r}",
            field=attribute.name,
            record_id=_record_id(instance),
        )


def optional_positive(
    instance: object,
    attribute: attrs.Attribute[Any],  # attrs infers None from default=None
    value: float | None,
) -> None:
    """Attrs validator: ``None`` or a finite number > 0."""
    if value is not None and (
        not math.isfinite(value) or value <= 0 or _too_big(value)
    ):
        raise ModelError(
            f"{attribute.name} must be a finite number > 0, got {value!r}",
            field=attribute.name,
            record_id=_record_id(instance),
        )


def finite(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    """Attrs validator: a finite number (no NaN, no infinity)."""
    if not math.isfinite(value):
        raise ModelError(
            f"{attribute.name} must be finite, got {value!r}",
            field=attribute.name,
            record_id=_record_id(instance),
        )


def in_range(
    low: int, high: int
) -> Callable[[object, attrs.Attribute[int], int], None]:
    """Attrs validator factory: an integer in ``[low, high]``."""

    def check(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
        if not low <= value <= high:
            raise ModelError(
                f"{attribute.name} must be between {low} and {high}, got {value!r}",
                field=attribute.name,
                record_id=_record_id(instance),
            )

    return check


def aware(
    instance: object, attribute: attrs.Attribute[datetime], value: datetime
) -> None:
    """Attrs validator: a timezone-aware datetime."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ModelError(
            f"{attribute.name} must carry a UTC offset (got naive {value.isoformat()})",
            field=attribute.name,
            record_id=_record_id(instance),
        )


def check_order(
    earlier: date | None,
    later: date | None,
    *,
    earlier_name: str,
    later_name: str,
    record_id: str | None,
) -> None:
    """Raise `ModelError` when both dates are given and ``later`` precedes ``earlier``."""
    if earlier is not None and later is not None and later < earlier:
        raise ModelError(
            f"{later_name} ({later.isoformat()}) is before {earlier_name} "
            f"({earlier.isoformat()})",
            field=later_name,
            record_id=record_id,
        )
