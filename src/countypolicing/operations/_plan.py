"""One work plan seen on its own: plan, key items, tasks, names; supervision policy."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Final, TypeVar

import attrs

from countypolicing.exceptions import ModelError, UnknownIdError
from countypolicing.model import (
    County,
    KeyWorkItem,
    SupervisionLevel,
    Task,
    TaskStatus,
    WorkPlan,
)

__all__ = [
    "SupervisionPolicy",
    "WorkPlanView",
    "plan_from_county",
    "supervision_level",
]

_T = TypeVar("_T")

_EMPTY: Final[Mapping[str, str]] = MappingProxyType({})
_NO_NAMES: Final[Mapping[str, tuple[str, str | None]]] = MappingProxyType({})


def _key_items(v: Iterable[KeyWorkItem]) -> tuple[KeyWorkItem, ...]:
    return tuple(v)


def _tasks(v: Iterable[Task]) -> tuple[Task, ...]:
    return tuple(v)


def _names(
    v: Mapping[str, tuple[str, str | None]],
) -> Mapping[str, tuple[str, str | None]]:
    return MappingProxyType(dict(v))


def _affiliations(v: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(v))


def as_planned(task: Task) -> Task:
    """The task as it stands before any ledger entry: planned, no evidence, no dates."""
    if (
        task.status is TaskStatus.PLANNED
        and not task.evidence
        and task.submitted_on is None
        and task.verified_on is None
        and task.closed_on is None
        and task.supervision is SupervisionLevel.NONE
    ):
        return task
    return attrs.evolve(
        task,
        status=TaskStatus.PLANNED,
        evidence=(),
        submitted_on=None,
        verified_on=None,
        closed_on=None,
        supervision=SupervisionLevel.NONE,
    )


@attrs.frozen(kw_only=True)
class WorkPlanView:
    """One work plan with its key items and tasks: what the wall chart (挂图) shows.

    ``tasks`` are the tasks as the chart records them (with whatever status the
    chart shows on ``chart_as_of``); the ledger is replayed onto the tasks *as
    planned*, and `reconcile` compares the two (对账).
    Build one from a County with `plan_from_county`, or directly for a plan that
    lives elsewhere.

    Attributes:
        plan: the plan.
        key_items: its key work items (重点工作), in plan order.
        tasks: its tasks (具体任务), in plan order, as the chart records them.
        chart_as_of: the day the chart's task states were drawn, if known.
        names: display names of organisations and people, ``id -> (zh, en)``.
        affiliations: the organisation each person works for, ``person -> org``;
            a person acting for an owner organisation counts as that owner.

    Examples:
        >>> from datetime import date
        >>> from countypolicing.model import KeyWorkItem, Task, WorkPlan
        >>> view = WorkPlanView(
        ...     plan=WorkPlan(
        ...         id="p",
        ...         title_zh="方案",
        ...         owner_id="bureau",
        ...         start=date(2020, 1, 1),
        ...         end=date(2020, 12, 31),
        ...     ),
        ...     key_items=[
        ...         KeyWorkItem(
        ...             id="k1",
        ...             plan_id="p",
        ...             number=1,
        ...             title_zh="重点",
        ...             lead_owner_id="bureau",
        ...         )
        ...     ],
        ...     tasks=[
        ...         Task(
        ...             id="t1",
        ...             key_item_id="k1",
        ...             title_zh="任务",
        ...             lead_owner_id="station",
        ...             deadline=date(2020, 6, 30),
        ...         )
        ...     ],
        ... )
        >>> view.task("t1").lead_owner_id
        'station'
        >>> view.owners("t1")
        frozenset({'station'})

    Added in version 0.1.0.
    """

    plan: WorkPlan
    key_items: tuple[KeyWorkItem, ...] = attrs.field(converter=_key_items)
    tasks: tuple[Task, ...] = attrs.field(converter=_tasks)
    chart_as_of: date | None = None
    names: Mapping[str, tuple[str, str | None]] = attrs.field(
        default=_NO_NAMES, converter=_names, hash=False, repr=False
    )
    affiliations: Mapping[str, str] = attrs.field(
        default=_EMPTY, converter=_affiliations, hash=False, repr=False
    )
    _by_id: Mapping[str, Task] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )
    _planned: Mapping[str, Task] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )
    _items: Mapping[str, KeyWorkItem] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        items: dict[str, KeyWorkItem] = {}
        for item in self.key_items:
            if item.id in items:
                raise ModelError(
                    f"key item {item.id!r} appears twice", field="key_items"
                )
            if item.plan_id != self.plan.id:
                raise ModelError(
                    f"key item {item.id!r} belongs to plan {item.plan_id!r}, "
                    f"not {self.plan.id!r}",
                    field="key_items",
                    record_id=item.id,
                )
            items[item.id] = item
        by_id: dict[str, Task] = {}
        for task in self.tasks:
            if task.id in by_id:
                raise ModelError(f"task {task.id!r} appears twice", field="tasks")
            if task.key_item_id not in items:
                raise ModelError(
                    f"task {task.id!r} belongs to key item {task.key_item_id!r}, "
                    f"which is not in plan {self.plan.id!r}",
                    field="tasks",
                    record_id=task.id,
                )
            by_id[task.id] = task
        object.__setattr__(self, "_items", MappingProxyType(items))
        object.__setattr__(self, "_by_id", MappingProxyType(by_id))
        object.__setattr__(
            self,
            "_planned",
            MappingProxyType({k: as_planned(t) for k, t in by_id.items()}),
        )

    def has_task(self, task_id: str) -> bool:
        """Whether the plan holds a task with this id."""
        return task_id in self._by_id

    def task(self, task_id: str) -> Task:
        """The task as the chart records it (raises `UnknownIdError`)."""
        return _lookup(self._by_id, "task", task_id)

    def planned(self, task_id: str) -> Task:
        """The task as planned, before any ledger entry (raises `UnknownIdError`)."""
        return _lookup(self._planned, "task", task_id)

    def key_item(self, key_item_id: str) -> KeyWorkItem:
        """The key work item with this id (raises `UnknownIdError`)."""
        return _lookup(self._items, "key item", key_item_id)

    def owners(self, task_id: str) -> frozenset[str]:
        """The lead owner and co-owners of a task."""
        task = self.task(task_id)
        return frozenset({task.lead_owner_id, *task.co_owner_ids})

    def acts_for(self, actor_id: str) -> frozenset[str]:
        """The parties an actor acts for: itself, and its organisation if a person."""
        org = self.affiliations.get(actor_id)
        return frozenset({actor_id} if org is None else {actor_id, org})

    def name(self, party_id: str, *, lang: str = "en") -> str:
        """The display name of an organisation or person, or its id when unknown."""
        found = self.names.get(party_id)
        if found is None:
            return party_id
        zh, en = found
        return zh if lang == "zh" or en is None else en


def _lookup(index: Mapping[str, _T], kind: str, key: str) -> _T:
    try:
        return index[key]
    except KeyError:
        import difflib  # noqa: PLC0415  # only on the error path

        close = difflib.get_close_matches(key, list(index), n=1)
        raise UnknownIdError(
            kind, key, suggestion=close[0] if close else None
        ) from None


def plan_from_county(
    county: County, plan_id: str | None = None, *, chart_as_of: date | None = None
) -> WorkPlanView:
    """The view of one of a County's work plans: plan, key items, tasks and names.

    Args:
        county: the county holding the plan.
        plan_id: which plan; may be left out when the county has exactly one.
        chart_as_of: the day the tasks' recorded states were drawn; defaults to the
            county's ``as_of``.

    Returns:
        The plan with its key items and tasks in file order.

    Raises:
        UnknownIdError: there is no plan ``plan_id``.
        ModelError: ``plan_id`` is left out and the county has no plan or several.

    Examples:
        >>> import countypolicing as cp
        >>> view = plan_from_county(cp.datasets.yueyanglou())
        >>> view.plan.id, len(view.key_items), len(view.tasks)
        ('yyl-psb-plan-2020', 24, 96)
        >>> view.name("yyl-psb", lang="zh")
        '岳阳楼公安分局'

    Added in version 0.1.0.
    """
    plans = {p.id: p for p in county.work_plans}
    if plan_id is None:
        if len(plans) != 1:
            raise ModelError(
                f"county {county.id!r} has {len(plans)} work plans "
                f"({', '.join(sorted(plans)) or 'none'}); say which one",
                field="work_plans",
            )
        (plan,) = plans.values()
    else:
        plan = _lookup(plans, "work plan", plan_id)
    items = tuple(k for k in county.key_items if k.plan_id == plan.id)
    item_ids = {k.id for k in items}
    tasks = tuple(t for t in county.tasks if t.key_item_id in item_ids)
    names: dict[str, tuple[str, str | None]] = {
        org.id: (org.name_zh, org.name_en) for org in county.organisations()
    }
    names.update({p.id: (p.display_name, None) for p in county.people})
    affiliations = {p.id: p.org_id for p in county.people if p.org_id is not None}
    return WorkPlanView(
        plan=plan,
        key_items=items,
        tasks=tasks,
        chart_as_of=chart_as_of if chart_as_of is not None else county.as_of,
        names=names,
        affiliations=affiliations,
    )


def _at_least_one(
    _instance: SupervisionPolicy, attribute: attrs.Attribute[int], value: int
) -> None:
    if value < 1:
        raise ModelError(
            f"{attribute.name} must be at least 1 (got {value})", field=attribute.name
        )


@attrs.frozen(kw_only=True)
class SupervisionPolicy:
    """When an overdue task escalates: NORMAL → YELLOW → RED supervision (督办).

    A task that is not finished (not submitted) by its deadline is overdue; on
    ``as_of`` it is ``days = as_of - deadline`` days overdue.
    From ``normal_after_days`` days overdue it gets ordinary supervision (普通督办),
    from ``yellow_after_days`` a yellow card (黄牌督办), from ``red_after_days`` a
    red card (红牌督办).
    The thresholds are policy, not fact: no source fixes them.

    Attributes:
        normal_after_days: days overdue from which NORMAL applies (at least 1).
        yellow_after_days: days overdue from which YELLOW applies.
        red_after_days: days overdue from which RED applies.

    Examples:
        >>> p = SupervisionPolicy(yellow_after_days=7, red_after_days=30)
        >>> [p.level(d).value for d in (0, 1, 6, 7, 29, 30)]
        ['none', 'normal', 'normal', 'yellow', 'yellow', 'red']

    Added in version 0.1.0.
    """

    normal_after_days: int = attrs.field(default=1, validator=_at_least_one)
    yellow_after_days: int = attrs.field(default=7, validator=_at_least_one)
    red_after_days: int = attrs.field(default=30, validator=_at_least_one)

    def __attrs_post_init__(self) -> None:
        if not (
            self.normal_after_days <= self.yellow_after_days <= self.red_after_days
        ):
            raise ModelError(
                "thresholds must not decrease: normal_after_days <= "
                "yellow_after_days <= red_after_days (got "
                f"{self.normal_after_days}, {self.yellow_after_days}, "
                f"{self.red_after_days})",
                field="yellow_after_days",
            )

    def level(self, days_overdue: int) -> SupervisionLevel:
        """The supervision level a task earns by being ``days_overdue`` days late."""
        if days_overdue >= self.red_after_days:
            return SupervisionLevel.RED
        if days_overdue >= self.yellow_after_days:
            return SupervisionLevel.YELLOW
        if days_overdue >= self.normal_after_days:
            return SupervisionLevel.NORMAL
        return SupervisionLevel.NONE


_DEFAULT_POLICY: Final = SupervisionPolicy()


def supervision_level(
    task: Task, as_of: date, *, policy: SupervisionPolicy = _DEFAULT_POLICY
) -> SupervisionLevel:
    """The supervision a task is under on ``as_of``.

    A finished task (submitted, verified or closed) is under none.
    An open task is under the higher of the level recorded in the ledger
    (``supervise`` entries) and the level its lateness earns under ``policy``.

    Args:
        task: the task as replayed from the ledger up to ``as_of``.
        as_of: the day to judge on (never the clock).
        policy: the escalation thresholds.

    Examples:
        >>> from datetime import date
        >>> from countypolicing.model import Task
        >>> t = Task(
        ...     id="t",
        ...     key_item_id="k",
        ...     title_zh="任务",
        ...     lead_owner_id="o",
        ...     deadline=date(2020, 6, 30),
        ... )
        >>> supervision_level(t, date(2020, 6, 30)).value
        'none'
        >>> supervision_level(t, date(2020, 7, 10)).value
        'yellow'
        >>> supervision_level(t, date(2020, 8, 1)).value
        'red'

    Added in version 0.1.0.
    """
    if task.is_done():
        return SupervisionLevel.NONE
    return max(task.supervision, policy.level(task.days_overdue(as_of)))
