"""Operational workflows over a County.

- `summarize_county`: the overview printed by ``countypolicing demo``.
- The work plan and its ledger (挂图作战、对账销号): `plan_from_county` gives the
  plan as a `WorkPlanView`; the hash-chained ledger is made of `LedgerRecord`
  objects (`Ledger`, `LedgerState`, `verify_ledger`); `replay_tasks` rebuilds task
  states, `reconcile` reconciles the plan against the ledger (对账), `close_out`
  crosses a verified task off (销号), and `board` draws the battle chart (挂图)
  with its burndown. Stores that keep ledgers on disk are in
  `countypolicing.storage`.

Everything here is pure: no I/O, no clock; judgements are made ``as_of`` a day.

Added in version 0.1.0.
"""

from countypolicing.operations._board import (
    Board,
    BoardRow,
    BurndownPoint,
    board,
    format_board,
    plot_burndown,
    plot_timeline,
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
    "Board",
    "BoardRow",
    "BurndownPoint",
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
    "Ledger",
    "LedgerHead",
    "LedgerProblem",
    "LedgerProblemKind",
    "LedgerRecord",
    "LedgerState",
    "LedgerVerification",
    "MediationPolicy",
    "Milestone",
    "ProgressCounts",
    "QunyingDeliberation",
    "Reconciliation",
    "RoutingDecision",
    "RoutingNote",
    "ServiceLevel",
    "StationMediationLink",
    "SupervisionPolicy",
    "TaskLine",
    "TaskProgress",
    "Timer",
    "TimerState",
    "WorkPlanView",
    "apply_event",
    "board",
    "close_out",
    "committee_problems",
    "deliberation_problems",
    "dispute_metrics",
    "dispute_timers",
    "format_board",
    "format_reconciliation",
    "plan_from_county",
    "plot_burndown",
    "plot_timeline",
    "police_mediation_links",
    "reconcile",
    "reconstruct_history",
    "replay_dispute",
    "replay_tasks",
    "route_dispute",
    "stationed_mediator_ids",
    "summarize_county",
    "supervision_level",
    "verify_ledger",
]
