"""Operational workflows over a County.

- `summarize_county`: the overview printed by ``countypolicing demo``.
- The work plan and its ledger (挂图作战、对账销号): `plan_from_county` gives the
  plan as a `WorkPlanView`; the hash-chained ledger is made of `LedgerRecord`
  objects (`Ledger`, `LedgerState`, `verify_ledger`); `replay_tasks` rebuilds task
  states, `reconcile` reconciles the plan against the ledger (对账), `close_out`
  crosses a verified task off (销号), and `board` draws the battle chart (挂图)
  with its burndown. Stores that keep ledgers on disk are in
  `countypolicing.storage`.
- Screening and ranking (大起底、梳理排队): `screen` grades every risk point and
  classifies and ranks every community with its reasons; `rollup` sums them per
  police station or township; `screen_columns` does the same over columns for
  very large counties.
- Campaigns (动态均衡): `run_campaign` and `diff_campaigns`.
- The risk lifecycle in practice: `grade_risk_point`, `control_risk_point`,
  `reviews_due`, `register_hazard`, `overdue_hazards`.
- Performance assessment (综合绩效考核): `assess` with an `IndicatorSet`.

Everything here is pure: no I/O, no clock; judgements are made ``as_of`` a day.

Added in version 0.1.0.
"""

from countypolicing.operations._assessment import (
    Assessment,
    AssessmentIndicator,
    AssessmentMeasure,
    AssessmentScore,
    IndicatorLine,
    IndicatorSet,
    SubjectKind,
    WhenEmpty,
    assess,
    format_assessment,
)
from countypolicing.operations._board import (
    Board,
    BoardRow,
    BurndownPoint,
    board,
    format_board,
    plot_burndown,
    plot_timeline,
)
from countypolicing.operations._campaigns import (
    CampaignDiff,
    CommunityChange,
    CommunityMove,
    RiskChange,
    RiskChangeKind,
    diff_campaigns,
    format_campaign_diff,
    run_campaign,
)
from countypolicing.operations._deliberation import (
    QUNYING_ELEMENTS,
    QunyingDeliberation,
    deliberation_problems,
)
from countypolicing.operations._dispute_metrics import (
    DEFAULT_POLICE_HOURS_PER_DISPUTE,
    DisputeMetrics,
    dispute_metrics,
)
from countypolicing.operations._disputes import (
    DisputeAction,
    DisputeEvent,
    DisputeHistory,
    DisputeTimers,
    MediationPolicy,
    Milestone,
    ServiceLevel,
    Timer,
    TimerState,
    apply_event,
    dispute_timers,
    reconstruct_history,
    replay_dispute,
)
from countypolicing.operations._ledger import (
    GENESIS_HASH,
    Ledger,
    LedgerHead,
    LedgerProblem,
    LedgerProblemKind,
    LedgerRecord,
    LedgerState,
    LedgerVerification,
    verify_ledger,
)
from countypolicing.operations._mediation import (
    DisputeRoute,
    RoutingDecision,
    RoutingNote,
    StationMediationLink,
    committee_problems,
    police_mediation_links,
    route_dispute,
    stationed_mediator_ids,
)
from countypolicing.operations._plan import (
    SupervisionPolicy,
    WorkPlanView,
    plan_from_county,
    supervision_level,
)
from countypolicing.operations._risk_lifecycle import (
    RectificationPolicy,
    ReviewDue,
    ReviewPolicy,
    control_risk_point,
    dispute_open_on,
    grade_risk_point,
    hazard_open_on,
    overdue_hazards,
    register_hazard,
    reviews_due,
    risk_status_on,
)
from countypolicing.operations._screening import (
    CommunityAggregates,
    CommunityFinding,
    MissingIndicators,
    RankedCommunity,
    RiskGrade,
    Rollup,
    RollupBy,
    RulesetStamp,
    ScreeningResult,
    classify_communities,
    format_ranking,
    format_rollups,
    grade_risk_points,
    rank_communities,
    rollup,
    screen,
)
from countypolicing.operations._screening_columns import (
    ScreeningTable,
    screen_columns,
)
from countypolicing.operations._screening_core import (
    RankingPolicy,
)
from countypolicing.operations._summary import CountySummary, summarize_county
from countypolicing.operations._workplan import (
    Discrepancy,
    DiscrepancyKind,
    EvidenceRule,
    ProgressCounts,
    Reconciliation,
    TaskLine,
    TaskProgress,
    close_out,
    format_reconciliation,
    reconcile,
    replay_tasks,
)

__all__ = [
    "DEFAULT_POLICE_HOURS_PER_DISPUTE",
    "GENESIS_HASH",
    "QUNYING_ELEMENTS",
    "Assessment",
    "AssessmentIndicator",
    "AssessmentMeasure",
    "AssessmentScore",
    "Board",
    "BoardRow",
    "BurndownPoint",
    "CampaignDiff",
    "CommunityAggregates",
    "CommunityChange",
    "CommunityFinding",
    "CommunityMove",
    "CountySummary",
    "Discrepancy",
    "DiscrepancyKind",
    "DisputeAction",
    "DisputeEvent",
    "DisputeHistory",
    "DisputeMetrics",
    "DisputeRoute",
    "DisputeTimers",
    "EvidenceRule",
    "IndicatorLine",
    "IndicatorSet",
    "Ledger",
    "LedgerHead",
    "LedgerProblem",
    "LedgerProblemKind",
    "LedgerRecord",
    "LedgerState",
    "LedgerVerification",
    "MediationPolicy",
    "Milestone",
    "MissingIndicators",
    "ProgressCounts",
    "QunyingDeliberation",
    "RankedCommunity",
    "RankingPolicy",
    "Reconciliation",
    "RectificationPolicy",
    "ReviewDue",
    "ReviewPolicy",
    "RiskChange",
    "RiskChangeKind",
    "RiskGrade",
    "Rollup",
    "RollupBy",
    "RoutingDecision",
    "RoutingNote",
    "RulesetStamp",
    "ScreeningResult",
    "ScreeningTable",
    "ServiceLevel",
    "StationMediationLink",
    "SubjectKind",
    "SupervisionPolicy",
    "TaskLine",
    "TaskProgress",
    "Timer",
    "TimerState",
    "WhenEmpty",
    "WorkPlanView",
    "apply_event",
    "assess",
    "board",
    "classify_communities",
    "close_out",
    "committee_problems",
    "control_risk_point",
    "deliberation_problems",
    "diff_campaigns",
    "dispute_metrics",
    "dispute_open_on",
    "dispute_timers",
    "format_assessment",
    "format_board",
    "format_campaign_diff",
    "format_ranking",
    "format_reconciliation",
    "format_rollups",
    "grade_risk_point",
    "grade_risk_points",
    "hazard_open_on",
    "overdue_hazards",
    "plan_from_county",
    "plot_burndown",
    "plot_timeline",
    "police_mediation_links",
    "rank_communities",
    "reconcile",
    "reconstruct_history",
    "register_hazard",
    "replay_dispute",
    "replay_tasks",
    "reviews_due",
    "risk_status_on",
    "rollup",
    "route_dispute",
    "run_campaign",
    "screen",
    "screen_columns",
    "stationed_mediator_ids",
    "summarize_county",
    "supervision_level",
    "verify_ledger",
]
