"""Task ledger: append throughput, replay of 100k entries, reconcile (对账) time.

Run: ``python benchmarks/bench_ledger.py [--appends 2000] [--tasks 10000] [--repeat 3]``.

Prints
- appends per second into an SQLite ledger with durability on (``synchronous=FULL``,
  one transaction per ``record``), with ``NORMAL``, into a ``MemoryLedger``, and in
  one ``extend`` transaction;
- the time to replay a generated 100k-entry ledger (``replay_tasks``), to verify
  its hash chain, to take it in record by record (``LedgerState``: chain + lifecycle
  checks), to read and verify it from an SQLite file, next to a hand-written replay
  loop over the transition table (the floor);
- ``reconcile`` on the bundled Yueyanglou plan and on the generated plan.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TypeVar

import countypolicing as cp
from countypolicing.model import (
    TASK_TRANSITIONS,
    KeyWorkItem,
    LedgerEntry,
    Task,
    TaskAction,
    TaskStatus,
    WorkPlan,
)
from countypolicing.operations import (
    Ledger,
    LedgerState,
    WorkPlanView,
    plan_from_county,
    reconcile,
    replay_tasks,
    verify_ledger,
)
from countypolicing.storage import MemoryLedger, SQLiteLedger

CST = timezone(timedelta(hours=8))
START = datetime(2020, 5, 11, 9, tzinfo=CST)
_T = TypeVar("_T")

#: The steps of a task that runs to the end, with notes in between.
_PATH = (
    TaskAction.ASSIGN,
    TaskAction.START,
    TaskAction.NOTE,
    TaskAction.NOTE,
    TaskAction.NOTE,
    TaskAction.SUBMIT,
    TaskAction.RETURN,
    TaskAction.NOTE,
    TaskAction.SUBMIT,
    TaskAction.VERIFY,
    TaskAction.CLOSE_OUT,
)


def generate(
    n_tasks: int, n_entries: int, *, seed: int = 2020
) -> tuple[WorkPlanView, list[LedgerEntry]]:
    """A plan of ``n_tasks`` tasks under ``n_tasks // 40`` key items, and a ledger.

    Tasks are advanced along one 11-step path (with notes and one return) in a
    random interleaving until ``n_entries`` entries exist, or every task is closed.
    """
    rng = random.Random(seed)
    n_items = max(1, n_tasks // 40)
    owners = [f"org-{i:03d}" for i in range(60)]
    plan = WorkPlanView(
        plan=WorkPlan(
            id="gen",
            title_zh="生成方案",
            owner_id="bureau",
            start=date(2020, 1, 1),
            end=date(2021, 12, 31),
        ),
        key_items=[
            KeyWorkItem(
                id=f"k{i:04d}",
                plan_id="gen",
                number=i + 1,
                title_zh=f"重点工作{i + 1}",
                lead_owner_id=rng.choice(owners),
            )
            for i in range(n_items)
        ],
        tasks=[
            Task(
                id=f"t{i:05d}",
                key_item_id=f"k{i % n_items:04d}",
                title_zh=f"具体任务{i + 1}",
                lead_owner_id=owners[i % len(owners)],
                deadline=date(2020, 6, 1) + timedelta(days=rng.randint(0, 400)),
                evidence_required=("工作台账", "佐证材料"),
            )
            for i in range(n_tasks)
        ],
    )
    progress = [0] * n_tasks
    open_tasks = list(range(n_tasks))
    entries: list[LedgerEntry] = []
    at = START
    while len(entries) < n_entries and open_tasks:
        k = rng.randrange(len(open_tasks))
        i = open_tasks[k]
        action = _PATH[progress[i]]
        progress[i] += 1
        if progress[i] == len(_PATH):
            open_tasks[k] = open_tasks[-1]
            open_tasks.pop()
        at += timedelta(seconds=rng.randint(0, 600))
        task = plan.tasks[i]
        entries.append(
            LedgerEntry(
                seq=len(entries) + 1,
                at=at,
                task_id=task.id,
                actor_id="bureau"
                if action
                in {TaskAction.ASSIGN, TaskAction.VERIFY, TaskAction.CLOSE_OUT}
                else task.lead_owner_id,
                action=action,
                evidence_ref=f"evidence/{task.id}.zip"
                if action is TaskAction.SUBMIT
                else None,
                note="进展" if action is TaskAction.NOTE else None,
            )
        )
    return plan, entries


def best(fn: Callable[[], _T], repeat: int) -> tuple[float, _T]:
    """The best wall time of ``repeat`` runs, and the last result."""
    times: list[float] = []
    result: _T | None = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    if result is None:
        raise RuntimeError("nothing was measured")
    return min(times), result


def check(ok: bool, what: str) -> None:  # noqa: FBT001  # a tiny assert
    """Stop the benchmark when a result is wrong (asserts vanish under -O)."""
    if not ok:
        raise SystemExit(f"benchmark check failed: {what}")


def hand_replay(
    plan: WorkPlanView, entries: list[LedgerEntry]
) -> dict[str, TaskStatus]:
    """The floor: a status dict advanced through the transition table, no records."""
    status = {t.id: TaskStatus.PLANNED for t in plan.tasks}
    for e in entries:
        if e.action in {TaskAction.NOTE, TaskAction.SUPERVISE}:
            continue
        status[e.task_id] = TASK_TRANSITIONS[(status[e.task_id], e.action)]
    return status


def bench_appends(n: int, directory: Path) -> None:
    plan, entries = generate(max(1, n // 8), n)
    print(f"appends ({n} steps, one record() call each, validated and sealed):")
    for label, make in (
        ("SQLite synchronous=FULL  ", lambda: SQLiteLedger(directory / "full.sqlite")),
        (
            "SQLite synchronous=NORMAL",
            lambda: SQLiteLedger(directory / "normal.sqlite", synchronous="NORMAL"),
        ),
        ("MemoryLedger             ", MemoryLedger),
    ):
        store = make()
        t0 = time.perf_counter()
        for e in entries:
            store.record(
                plan,
                task_id=e.task_id,
                actor_id=e.actor_id,
                action=e.action,
                at=e.at,
                note=e.note,
                evidence_ref=e.evidence_ref,
            )
        elapsed = time.perf_counter() - t0
        check(store.verify().ok, "the ledger does not verify")
        store.close()
        print(f"  {label}  {n / elapsed:>9,.0f} entries/s  ({elapsed:.2f} s)")
    with SQLiteLedger(directory / "batch.sqlite") as store:
        t0 = time.perf_counter()
        store.extend(plan, entries)
        elapsed = time.perf_counter() - t0
    print(
        f"  SQLite FULL, one extend() {n / elapsed:>9,.0f} entries/s  ({elapsed:.2f} s)"
    )


def bench_replay(n_tasks: int, n_entries: int, repeat: int, directory: Path) -> None:
    plan, entries = generate(n_tasks, n_entries)
    print(
        f"\nreplay: generated plan of {n_tasks} tasks, ledger of {len(entries)} entries"
    )
    floor, _ = best(lambda: hand_replay(plan, entries), repeat)
    t_replay, tasks = best(lambda: replay_tasks(plan, entries), repeat)
    check(len(tasks) == n_tasks, "replay lost tasks")
    ledger = Ledger.from_entries(entries)
    t_verify, v = best(lambda: verify_ledger(ledger, head=ledger.head), repeat)
    check(v.ok, "the generated ledger does not verify")

    def take_in() -> LedgerState:
        state = LedgerState(plan)
        for record in ledger.records:
            state.advance(record)
        return state

    t_state, _ = best(take_in, repeat)
    path = directory / "replay.sqlite"
    with SQLiteLedger(path, synchronous="NORMAL") as store:
        store.restore(ledger)
    with SQLiteLedger(path) as store:
        t_sqlite, v2 = best(store.verify, repeat)
        t_read_replay, _ = best(lambda: replay_tasks(plan, store), repeat)
    check(v2.ok, "the SQLite copy does not verify")
    print(f"  hand-written replay (floor)    {floor:7.3f} s")
    print(
        f"  replay_tasks                   {t_replay:7.3f} s  ({t_replay / floor:.1f}x floor)"
    )
    print(f"  verify_ledger (hash chain)     {t_verify:7.3f} s")
    print(f"  LedgerState.advance, all       {t_state:7.3f} s  (chain + lifecycle)")
    print(f"  SQLite read + verify           {t_sqlite:7.3f} s")
    print(f"  SQLite read + replay_tasks     {t_read_replay:7.3f} s")


def bench_reconcile(n_tasks: int, n_entries: int, repeat: int) -> None:
    county = cp.datasets.yueyanglou()
    plan = plan_from_county(county)
    t_small, r = best(
        lambda: reconcile(plan, county.ledger, date(2020, 9, 15)), max(repeat, 20)
    )
    print(
        f"\nreconcile, bundled plan ({len(plan.tasks)} tasks, {r.entries} entries): "
        f"{t_small * 1000:.2f} ms"
    )
    gen_plan, entries = generate(n_tasks, n_entries)
    t_big, r = best(lambda: reconcile(gen_plan, entries, date(2021, 6, 30)), repeat)
    print(
        f"reconcile, generated plan ({n_tasks} tasks, {r.entries} entries): "
        f"{t_big:.3f} s; {len(r.discrepancies)} discrepancies, "
        f"{r.totals.overdue} overdue"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--appends", type=int, default=2000)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        bench_appends(args.appends, directory)
        bench_replay(args.tasks, args.entries, args.repeat, directory)
    bench_reconcile(args.tasks, args.entries, args.repeat)


if __name__ == "__main__":
    main()
