"""The "群英断是非" deliberation: community co-governance of a dispute or an issue.

The article names six elements: 支部挂帅 (the party branch chairs), 格格点题 (the grid
worker raises the issue), 党员牵头 (party members lead), 乡贤助力 (local worthies
help), 部门参与 (departments take part), 群众满意 (residents are satisfied).
`QunyingDeliberation` records one such deliberation with all six, and
`deliberation_problems` checks it against a County's records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Final

import attrs

from countypolicing.exceptions import (
    ModelError,
    ReferenceIntegrityError,
    UnknownIdError,
)
from countypolicing.model import (
    Community,
    County,
    PartyCommittee,
    PersonRole,
    Provenance,
)

__all__ = ["QUNYING_ELEMENTS", "QunyingDeliberation", "deliberation_problems"]

#: The six elements of "群英断是非", in the article's order: (Chinese, English, field).
QUNYING_ELEMENTS: Final = (
    ("支部挂帅", "the party branch chairs", "chaired_by"),
    ("格格点题", "the grid worker raises the issue", "raised_by"),
    ("党员牵头", "party members lead", "party_member_ids"),
    ("乡贤助力", "local worthies help", "local_worthy_ids"),
    ("部门参与", "departments take part", "department_ids"),
    ("群众满意", "residents are satisfied", "residents_satisfied"),
)


def _ids(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class QunyingDeliberation:
    """One "群英断是非" deliberation and its six elements.

    Invariants: every element is present (a chairing party branch, the grid worker
    who raised the issue, at least one party member, local worthy and department,
    an outcome, and residents asked); no id is listed twice in one role; the grid
    worker is not also counted as a local worthy; at most as many residents are
    satisfied as were asked.

    Attributes:
        id: the deliberation's id.
        community_id: where it was held.
        held_on: the day.
        issue: the issue the grid worker raised (点题).
        chaired_by: the party branch (or the township party committee) in the chair.
        raised_by: the grid worker who raised it.
        party_member_ids: the party members who led it.
        local_worthy_ids: the local worthies (乡贤) who helped.
        department_ids: the departments and other organisations that took part.
        outcome: what was settled.
        residents_asked: residents asked whether they were satisfied.
        residents_satisfied: of those, the satisfied.
        dispute_id: the dispute it settled, if it was one.
        provenance: where the record comes from.

    Examples:
        >>> d = QunyingDeliberation(
        ...     id="qy-1",
        ...     community_id="lengshuipu",
        ...     held_on=date(2020, 8, 20),
        ...     issue="施工噪声与房屋裂缝",
        ...     chaired_by="sample-sd-01-party",
        ...     raised_by="p-gw-lengshuipu-g01",
        ...     party_member_ids=["p-party-member-001"],
        ...     local_worthy_ids=["p-local-worthy-001"],
        ...     department_ids=["dept-housing", "sample-ps-01"],
        ...     outcome="项目部调整作业时间并修缮受损房屋",
        ...     residents_asked=20,
        ...     residents_satisfied=19,
        ... )
        >>> d.satisfaction_rate
        0.95
        >>> print(d.elements_text("en").splitlines()[0])
        支部挂帅 (the party branch chairs): sample-sd-01-party

    Added in version 0.1.0.
    """

    id: str
    community_id: str
    held_on: date
    issue: str
    chaired_by: str
    raised_by: str
    party_member_ids: tuple[str, ...] = attrs.field(converter=_ids)
    local_worthy_ids: tuple[str, ...] = attrs.field(converter=_ids)
    department_ids: tuple[str, ...] = attrs.field(converter=_ids)
    outcome: str
    residents_asked: int
    residents_satisfied: int
    dispute_id: str | None = None
    provenance: Provenance = Provenance.USER

    def __attrs_post_init__(self) -> None:
        for name in (
            "id",
            "community_id",
            "issue",
            "chaired_by",
            "raised_by",
            "outcome",
        ):
            if not getattr(self, name).strip():
                raise ModelError(
                    f"{name} must not be blank", field=name, record_id=self.id
                )
        if self.dispute_id is not None and not self.dispute_id.strip():
            raise ModelError(
                "dispute_id must not be blank", field="dispute_id", record_id=self.id
            )
        for zh, en, name in QUNYING_ELEMENTS[2:5]:
            ids = getattr(self, name)
            if not ids:
                raise ModelError(
                    f"{zh} ({en}): give at least one in {name}",
                    field=name,
                    record_id=self.id,
                )
            if any(not i.strip() for i in ids) or len(set(ids)) != len(ids):
                raise ModelError(
                    f"{name} must list distinct, non-blank ids",
                    field=name,
                    record_id=self.id,
                )
        if self.raised_by in self.local_worthy_ids:
            raise ModelError(
                "the grid worker who raised the issue is not also one of the local "
                "worthies who help (格格点题、乡贤助力 are two elements)",
                field="local_worthy_ids",
                record_id=self.id,
            )
        if self.residents_asked < 1:
            raise ModelError(
                "群众满意: ask at least one resident (residents_asked >= 1)",
                field="residents_asked",
                record_id=self.id,
            )
        if not 0 <= self.residents_satisfied <= self.residents_asked:
            raise ModelError(
                f"residents_satisfied must be from 0 to residents_asked "
                f"({self.residents_asked}), got {self.residents_satisfied}",
                field="residents_satisfied",
                record_id=self.id,
            )

    @property
    def satisfaction_rate(self) -> float:
        """Satisfied residents among those asked."""
        return self.residents_satisfied / self.residents_asked

    def elements_text(self, lang: str = "en") -> str:
        """The six elements, one a line, with who or what filled each."""
        lines = []
        for zh, en, name in QUNYING_ELEMENTS:
            value = getattr(self, name)
            if name == "residents_satisfied":
                shown = f"{self.residents_satisfied}/{self.residents_asked}"
            elif isinstance(value, tuple):
                shown = ", ".join(value)
            else:
                shown = str(value)
            lines.append(f"{zh}：{shown}" if lang == "zh" else f"{zh} ({en}): {shown}")
        return "\n".join(lines)


def _person_problem(
    county: County, person_id: str, role: PersonRole, field: str, record_id: str
) -> ModelError | None:
    try:
        person = county.person(person_id)
    except UnknownIdError:
        return ReferenceIntegrityError(
            f"person {person_id!r} is not in the county",
            target_id=person_id,
            field=field,
            record_id=record_id,
        )
    if not person.has_role(role):
        return ModelError(
            f"{person_id!r} is not recorded as a {role.label_en.lower()} "
            f"({role.label_zh})",
            field=field,
            record_id=record_id,
        )
    return None


def deliberation_problems(
    deliberation: QunyingDeliberation, county: County
) -> tuple[ModelError, ...]:
    """Everything in a deliberation that the county's records do not bear out.

    Checks that the community exists; that the chair is a party committee of that
    community or of its township (支部挂帅); that the issue was raised by a grid
    worker of that community (格格点题); that the party members and local worthies
    hold those roles; that the departments exist; and that the dispute, if any, is
    one of the community's.

    Args:
        deliberation: the deliberation.
        county: the county.

    Returns:
        The problems (empty when none).

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> d = QunyingDeliberation(
        ...     id="qy-1",
        ...     community_id="lengshuipu",
        ...     held_on=date(2020, 8, 20),
        ...     issue="施工噪声",
        ...     chaired_by="sample-sd-01-party",
        ...     raised_by="p-gw-lengshuipu-g01",
        ...     party_member_ids=["p-party-member-001"],
        ...     local_worthy_ids=["p-resident-001"],
        ...     department_ids=["dept-housing"],
        ...     outcome="调整作业时间",
        ...     residents_asked=10,
        ...     residents_satisfied=9,
        ... )
        >>> [str(p) for p in deliberation_problems(d, yueyanglou())]
        ["'p-resident-001' is not recorded as a local worthy (乡贤)"]

    Added in version 0.1.0.
    """
    d = deliberation
    try:
        community = county.community(d.community_id)
    except UnknownIdError:
        return (_missing("community", d.community_id, "community_id", d.id),)
    problems = _chair_problems(d, county, community)
    problems += _people_problems(d, county, community)
    problems += [
        _missing("organisation", org_id, "department_ids", d.id)
        for org_id in d.department_ids
        if not _exists(county.organisation, org_id)
    ]
    problems += _dispute_problems(d, county, community)
    return tuple(problems)


def _missing(kind: str, target: str, field: str, record_id: str) -> ModelError:
    return ReferenceIntegrityError(
        f"{kind} {target!r} is not in the county",
        target_id=target,
        field=field,
        record_id=record_id,
    )


def _exists(lookup: Callable[[str], object], key: str) -> bool:
    try:
        lookup(key)
    except UnknownIdError:
        return False
    return True


def _chair_problems(
    d: QunyingDeliberation, county: County, community: Community
) -> list[ModelError]:
    try:
        chair = county.organisation(d.chaired_by)
    except UnknownIdError:
        return [_missing("organisation", d.chaired_by, "chaired_by", d.id)]
    if isinstance(chair, PartyCommittee) and chair.admin_unit_id in {
        community.id,
        community.township_id,
    }:
        return []
    return [
        ModelError(
            f"{d.chaired_by!r} is not the party branch of {community.id!r} "
            f"or the party committee of its township {community.township_id!r}",
            field="chaired_by",
            record_id=d.id,
        )
    ]


def _people_problems(
    d: QunyingDeliberation, county: County, community: Community
) -> list[ModelError]:
    problems: list[ModelError] = []
    raised = _person_problem(
        county, d.raised_by, PersonRole.GRID_WORKER, "raised_by", d.id
    )
    if raised is not None:
        problems.append(raised)
    elif county.person(d.raised_by).community_id not in {None, community.id}:
        problems.append(
            ModelError(
                f"grid worker {d.raised_by!r} does not work in {community.id!r}",
                field="raised_by",
                record_id=d.id,
            )
        )
    for ids, role, name in (
        (d.party_member_ids, PersonRole.PARTY_MEMBER, "party_member_ids"),
        (d.local_worthy_ids, PersonRole.LOCAL_WORTHY, "local_worthy_ids"),
    ):
        problems += [
            p
            for pid in ids
            if (p := _person_problem(county, pid, role, name, d.id)) is not None
        ]
    return problems


def _dispute_problems(
    d: QunyingDeliberation, county: County, community: Community
) -> list[ModelError]:
    if d.dispute_id is None:
        return []
    try:
        dispute = county.dispute(d.dispute_id)
    except UnknownIdError:
        return [_missing("dispute", d.dispute_id, "dispute_id", d.id)]
    if dispute.community_id != community.id:
        return [
            ModelError(
                f"dispute {dispute.id!r} arose in {dispute.community_id!r}, "
                f"not {community.id!r}",
                field="dispute_id",
                record_id=d.id,
            )
        ]
    if d.held_on < dispute.reported_on:
        return [
            ModelError(
                f"held on {d.held_on.isoformat()}, before dispute {dispute.id!r} "
                f"was reported ({dispute.reported_on.isoformat()})",
                field="held_on",
                record_id=d.id,
            )
        ]
    return []
