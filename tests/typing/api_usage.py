"""The public API used the way users use it; checked by mypy --strict, not run."""

from __future__ import annotations

from datetime import date

import countypolicing as cp
from countypolicing.exceptions import LoadError, LoadErrorGroup, TransitionError
from countypolicing.model import (
    AgreementForm,
    County,
    Dispute,
    DisputeOrigin,
    DisputeParty,
    DisputeType,
    MediationAgreement,
    MediationChannel,
    PartyRole,
    RiskLevel,
    Task,
    TaskAction,
)


def load(path: str) -> County | None:
    try:
        return cp.load_county(path)
    except (LoadError, LoadErrorGroup) as exc:
        print(exc)
        return None


def mediate() -> Dispute:
    d = Dispute(
        id="d-1",
        type=DisputeType.CONSTRUCTION,
        community_id="lengshuipu",
        origin=DisputeOrigin.GRID_REPORT,
        summary="施工造成房屋裂缝",
        parties=[
            DisputeParty(party_id="cao", role=PartyRole.APPLICANT),
            DisputeParty(party_id="project", role=PartyRole.RESPONDENT),
        ],
        reported_on=date(2020, 8, 1),
    )
    d = d.accept(on=date(2020, 8, 2)).assign(
        on=date(2020, 8, 3), channel=MediationChannel.PEOPLES, handler_id="committee"
    )
    agreement = MediationAgreement(
        form=AgreementForm.WRITTEN,
        reached_on=date(2020, 8, 13),
        content="修复裂缝",
        signed_by=["cao", "project"],
        signed_on=date(2020, 8, 13),
        mediator_signed=True,
        committee_sealed=True,
    )
    return d.agree(agreement)


def work(task: Task) -> Task:
    try:
        return task.apply(TaskAction.START, on=date(2020, 6, 1))
    except TransitionError as exc:
        print(exc.state, exc.action)
        return task


def worst(levels: list[RiskLevel]) -> RiskLevel:
    return max(levels)


def summary_text() -> str:
    county = cp.datasets.yueyanglou()
    return cp.operations.summarize_county(county).text(lang="zh")


def round_trip(county: County) -> County:
    return cp.serialization.county_from_text(cp.serialization.county_to_text(county))
