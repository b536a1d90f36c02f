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
    "GENESIS_HASH",
    "Board",
    "BoardRow",
    "BurndownPoint",
    "CountySummary",
    "Discrepancy",
    "DiscrepancyKind",
    "EvidenceRule",
    "Ledger",
    "LedgerHead",
    "LedgerProblem",
    "LedgerProblemKind",
    "LedgerRecord",
    "LedgerState",
    "LedgerVerification",
    "ProgressCounts",
    "Reconciliation",
    "SupervisionPolicy",
    "TaskLine",
    "TaskProgress",
    "WorkPlanView",
    "board",
    "close_out",
    "format_board",
    "format_reconciliation",
    "plan_from_county",
    "plot_burndown",
    "plot_timeline",
    "reconcile",
    "replay_tasks",
    "summarize_county",
    "supervision_level",
    "verify_ledger",
]
