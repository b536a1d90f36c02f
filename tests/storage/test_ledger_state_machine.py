"""The task ledger as a state machine: record, replay, save, reload, crash and reload.

Invariants, checked after every step against a plain-Python model of the lifecycle:
illegal steps raise and write nothing; replaying the ledger gives the live state;
counts are conserved; sequence numbers run 1, 2, 3… and timestamps never go back.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from countypolicing.exceptions import LedgerError, TransitionError
from countypolicing.model import (
    TASK_TRANSITIONS,
    KeyWorkItem,
    SupervisionLevel,
    Task,
    TaskAction,
    TaskStatus,
    WorkPlan,
)
from countypolicing.operations import (
    WorkPlanView,
    reconcile,
    replay_tasks,
)
from countypolicing.storage import (
    MemoryLedger,
    SQLiteLedger,
    export_jsonl,
    import_jsonl,
)

CST = timezone(timedelta(hours=8))
START = datetime(2020, 6, 1, 9, tzinfo=CST)
TASKS = ("a", "b", "c")
PLAN = WorkPlanView(
    plan=WorkPlan(
        id="p",
        title_zh="方案",
        owner_id="o",
        start=date(2020, 1, 1),
        end=date(2020, 12, 31),
    ),
    key_items=[
        KeyWorkItem(id="k", plan_id="p", number=1, title_zh="重点", lead_owner_id="o")
    ],
    tasks=[
        Task(
            id=t,
            key_item_id="k",
            title_zh="任务",
            lead_owner_id="o",
            deadline=date(2020, 7, 1),
        )
        for t in TASKS
    ],
)
NEUTRAL = frozenset({TaskAction.NOTE, TaskAction.SUPERVISE})


def legal(status: TaskStatus, action: TaskAction) -> TaskStatus | None:
    """The model: the next status, or None when the step is illegal."""
    if action in NEUTRAL:
        return None if status is TaskStatus.CLOSED else status
    return TASK_TRANSITIONS.get((status, action))


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="ledger-sm-"))
        self.path = self.dir / "ledger.sqlite"
        self.store = SQLiteLedger(self.path, synchronous="NORMAL")
        self.model = dict.fromkeys(TASKS, TaskStatus.PLANNED)
        self.count = 0
        self.clock = START

    @initialize()
    def empty(self) -> None:
        assert len(self.store) == 0

    def _record(self, task: str, action: TaskAction, at: datetime) -> None:
        before = self.store.head()
        nxt = legal(self.model[task], action)
        kwargs = {
            "task_id": task,
            "actor_id": "o",
            "action": action,
            "at": at,
            "supervision": SupervisionLevel.YELLOW
            if action is TaskAction.SUPERVISE
            else None,
        }
        if nxt is None:
            with pytest.raises(TransitionError):
                self.store.record(PLAN, **kwargs)  # type: ignore[arg-type]  # test kwargs
            assert self.store.head() == before
            return
        record = self.store.record(PLAN, **kwargs)  # type: ignore[arg-type]  # test kwargs
        assert record.seq == self.count + 1
        assert record.prev_hash == before.last_hash
        self.model[task] = nxt
        self.count += 1
        self.clock = at

    @rule(
        task=st.sampled_from(TASKS),
        action=st.sampled_from(list(TaskAction)),
        minutes=st.integers(0, 3 * 24 * 60),
    )
    def record(self, task: str, action: TaskAction, minutes: int) -> None:
        self._record(task, action, self.clock + timedelta(minutes=minutes))

    @rule(
        task=st.sampled_from(TASKS),
        send_back=st.booleans(),
        minutes=st.integers(0, 3 * 24 * 60),
    )
    def advance(self, task: str, send_back: bool, minutes: int) -> None:
        """Take a legal lifecycle step, so that deep states are reached too."""
        status = self.model[task]
        steps = [a for (s, a) in TASK_TRANSITIONS if s is status]
        if not steps:
            return
        if send_back and TaskAction.RETURN in steps:
            action = TaskAction.RETURN
        else:
            action = next(a for a in steps if a is not TaskAction.RETURN)
        self._record(task, action, self.clock + timedelta(minutes=minutes))

    @precondition(lambda self: self.count > 0)
    @rule(minutes=st.integers(1, 600))
    def record_in_the_past(self, minutes: int) -> None:
        before = self.store.head()
        with pytest.raises(LedgerError, match="time runs backwards"):
            self.store.record(
                PLAN,
                task_id="a",
                actor_id="o",
                action="note",
                at=self.clock - timedelta(minutes=minutes),
            )
        assert self.store.head() == before

    @rule(key=st.sampled_from(["k1", "k2"]))
    def record_a_note_twice_under_a_key(self, key: str) -> None:
        found = self.store.find_key(key)
        if found is not None:  # the key is taken: same content is a no-op
            again = self.store.record(
                PLAN,
                task_id=found.entry.task_id,
                actor_id="o",
                action="note",
                at=found.entry.at,
                note=found.entry.note,
                key=key,
            )
            assert again == found
            return
        if self.model["c"] is TaskStatus.CLOSED:
            return
        first = self.store.record(
            PLAN,
            task_id="c",
            actor_id="o",
            action="note",
            at=self.clock,
            note=key,
            key=key,
        )
        second = self.store.record(
            PLAN,
            task_id="c",
            actor_id="o",
            action="note",
            at=self.clock,
            note=key,
            key=key,
        )
        assert first == second
        self.count += 1

    @rule()
    def save_and_reload(self) -> None:
        out = self.dir / "backup.jsonl"
        head = export_jsonl(self.store, out)
        found = import_jsonl(out)
        assert found.ok
        assert found.head == head
        copy = MemoryLedger()
        copy.restore(found.ledger)
        assert copy.snapshot() == self.store.snapshot()
        assert replay_tasks(PLAN, copy) == replay_tasks(PLAN, self.store)

    @rule()
    def close_and_reopen(self) -> None:
        self.store.close()
        self.store = SQLiteLedger(self.path, create=False, synchronous="NORMAL")

    @precondition(lambda _: hasattr(os, "fork"))
    @rule(task=st.sampled_from(TASKS), action=st.sampled_from(list(TaskAction)))
    def crash_after_recording_and_reload(self, task: str, action: TaskAction) -> None:
        """Another process records one step, then dies by SIGKILL without closing."""
        at = self.clock + timedelta(minutes=1)
        nxt = legal(self.model[task], action)
        self.store.close()  # no connection crosses the fork
        pid = os.fork()
        if pid == 0:  # pragma: no cover  # the child
            try:
                child = SQLiteLedger(self.path, synchronous="NORMAL")
                child.record(
                    PLAN,
                    task_id=task,
                    actor_id="o",
                    action=action,
                    at=at,
                    supervision=SupervisionLevel.RED
                    if action is TaskAction.SUPERVISE
                    else None,
                )
            except BaseException:  # noqa: BLE001, S110  # an illegal step: die all the same
                pass
            os.kill(os.getpid(), signal.SIGKILL)
        os.waitpid(pid, 0)
        self.store = SQLiteLedger(self.path, create=False, synchronous="NORMAL")
        if nxt is not None:
            self.model[task] = nxt
            self.count += 1
            self.clock = at

    @invariant()
    def replay_equals_the_model(self) -> None:
        tasks = replay_tasks(PLAN, self.store)
        assert {t.id: t.status for t in tasks} == self.model

    @invariant()
    def counts_are_conserved(self) -> None:
        assert len(self.store) == self.count
        r = reconcile(PLAN, self.store, date(2030, 1, 1))
        assert r.entries == self.count
        assert r.totals.total == len(TASKS)

    @invariant()
    def numbers_and_times_only_go_forward(self) -> None:
        entries = list(self.store)
        assert [e.seq for e in entries] == list(range(1, self.count + 1))
        assert all(a.at <= b.at for a, b in itertools.pairwise(entries))
        assert self.store.verify().ok

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.dir, ignore_errors=True)


LedgerMachine.TestCase.settings = settings(
    max_examples=20,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_the_ledger_behaves_like_its_model = LedgerMachine.TestCase
