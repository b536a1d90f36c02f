"""Sweep storage: one partition per finished run, a manifest, resume, progress.

`SweepDirectory` is the `countypolicing.simulation` sweep's ``store``: the sweep
(layer 3) does no I/O itself; it hands each finished run to the store in the
driver process (workers only return results). A directory holds::

    manifest.json              atomic; status, design, counts, failures
    runs/<run_id>.parquet      one row per run (pandas + pyarrow installed)
    runs/<run_id>.csv          the same row as CSV otherwise
    failures/<run_id>.json     spec, seed, error and traceback of a failed run

Each file is written with an atomic replace, so a sweep killed at any point
leaves only whole partitions (and perhaps a stray ``.tmp`` file, ignored);
``resume=True`` then skips every run whose partition is there. Run ids are
content addressed (scenario hash, policy, sample values, replication, seed), so a
changed scenario never picks up stale runs.
"""

from __future__ import annotations

import csv
import importlib
import importlib.util
import io
import json
import logging
import math
import sys
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from pathlib import Path
from typing import Any, Final

from countypolicing.serialization._atomic import atomic_write_bytes, atomic_write_text
from countypolicing.simulation import Scenario
from countypolicing.simulation._sweep import (
    SweepFailure,
    SweepProgress,
    SweepRecord,
    SweepResult,
    SweepSpec,
    sweep,
)

__all__ = [
    "PARTITION_FORMATS",
    "SweepDirectory",
    "progress_reporter",
    "sweep_to_directory",
]

_log = logging.getLogger("countypolicing.sweep")

#: The partition formats a `SweepDirectory` writes.
PARTITION_FORMATS: Final = ("parquet", "csv")

_KEY_COLUMNS: Final = ("run_id", "policy", "sample", "replication", "seed")


def _parquet_available() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("pandas", "pyarrow"))


def _row(record: SweepRecord) -> dict[str, object]:
    row: dict[str, object] = {
        "run_id": record.run_id,
        "policy": record.policy,
        "sample": record.sample,
        "replication": record.replication,
        "seed": record.seed,
    }
    row.update(
        {f"sample.{k}": v for k, v in sorted(record.values.items())}
    )  # not pandas
    row.update({f"draw.{k}": v for k, v in sorted(record.draws.items())})
    row.update({f"metric.{k}": v for k, v in record.summary.items()})
    return row


def _number_or_text(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text


def _record(row: Mapping[str, object]) -> SweepRecord:
    values: dict[str, float | str] = {}
    draws: dict[str, float | str] = {}
    summary: dict[str, float] = {}
    for column, raw in row.items():
        head, _, name = column.partition(".")
        value = _number_or_text(raw) if isinstance(raw, str) else raw
        if head == "sample" and name:
            values[name] = value  # type: ignore[assignment]  # a float or a word
        elif head == "draw":
            draws[name] = value  # type: ignore[assignment]  # a float or a word
        elif head == "metric":
            summary[name] = float(value)  # type: ignore[arg-type]  # a number
    return SweepRecord(
        run_id=str(row["run_id"]),
        policy=str(row["policy"]),
        sample=int(str(row["sample"])),
        replication=int(str(row["replication"])),
        seed=int(str(row["seed"])),
        values=values,
        draws=draws,
        summary=summary,
    )


class SweepDirectory:
    """A directory of sweep partitions: the store `sweep` streams runs into.

    Args:
        out_dir: the directory (created if missing).
        partition_format: ``parquet`` or ``csv``; default ``parquet`` when pandas
            and pyarrow are installed, ``csv`` otherwise (logged once).

    Examples:
        >>> import tempfile
        >>> d = SweepDirectory(tempfile.mkdtemp(), partition_format="csv")
        >>> d.completed()
        {}

    Added in version 0.1.0.
    """

    def __init__(
        self, out_dir: str | Path, *, partition_format: str | None = None
    ) -> None:
        """Open (or create) the directory."""
        if partition_format is None:
            partition_format = "parquet" if _parquet_available() else "csv"
            if partition_format == "csv":
                _log.info("pyarrow is not installed: writing CSV partitions")
        if partition_format not in PARTITION_FORMATS:
            msg = f"unknown partition format {partition_format!r}; use parquet or csv"
            raise ValueError(msg)
        self.path = Path(out_dir)
        self.partition_format = partition_format
        self.runs = self.path / "runs"
        self.failures = self.path / "failures"
        self.runs.mkdir(parents=True, exist_ok=True)
        self.failures.mkdir(parents=True, exist_ok=True)

    def completed(self) -> dict[str, SweepRecord]:
        """Every run stored (in either format), by run id; temp files ignored."""
        out: dict[str, SweepRecord] = {}
        for path in sorted(self.runs.iterdir()):
            if path.name.startswith("."):
                continue  # a stray temp file of an interrupted write
            if path.suffix == ".csv":
                with path.open(encoding="utf-8", newline="") as fh:
                    rows = list(csv.DictReader(fh))
            elif path.suffix == ".parquet":
                import pandas as pd  # noqa: PLC0415  # optional dependency

                rows = pd.read_parquet(path).to_dict("records")
            else:
                continue
            for row in rows:
                record = _record(row)
                out[record.run_id] = record
        return out

    def write(self, record: SweepRecord) -> None:
        """Write one run's partition atomically."""
        row = _row(record)
        target = self.runs / f"{record.run_id}.{self.partition_format}"
        if self.partition_format == "csv":
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=list(row), lineterminator="\n")
            writer.writeheader()
            writer.writerow(
                {k: repr(v) if isinstance(v, float) else v for k, v in row.items()}
            )
            atomic_write_text(target, buffer.getvalue())
            return
        import pandas as pd  # noqa: PLC0415  # optional dependency

        data = io.BytesIO()
        pd.DataFrame([row]).to_parquet(data, index=False)
        atomic_write_bytes(target, data.getvalue())

    def write_failure(self, failure: SweepFailure) -> None:
        """Write one failed run (spec, seed, error, traceback) atomically."""
        body = {
            "run_id": failure.run_id,
            "policy": failure.policy,
            "sample": failure.sample,
            "replication": failure.replication,
            "seed": failure.seed,
            "values": dict(failure.values),
            "error": failure.error,
            "traceback": failure.traceback,
        }
        atomic_write_text(
            self.failures / f"{failure.run_id}.json",
            json.dumps(body, ensure_ascii=False, indent=2, default=_jsonable) + "\n",
        )

    def manifest(self, data: Mapping[str, object]) -> None:
        """Replace ``manifest.json`` atomically."""
        body = dict(data) | {"partition_format": self.partition_format}
        atomic_write_text(
            self.path / "manifest.json",
            json.dumps(body, ensure_ascii=False, indent=2, default=_jsonable) + "\n",
        )

    def read_manifest(self) -> dict[str, Any]:
        """The manifest as last written."""
        text = (self.path / "manifest.json").read_text(encoding="utf-8")
        data: dict[str, Any] = json.loads(text)
        return data


def _jsonable(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return str(value)


def progress_reporter(
    *, bar: bool | None = None, every: float = 0.1
) -> Callable[[SweepProgress], None]:
    """A progress callback: a tqdm bar on a terminal, log lines otherwise.

    Args:
        bar: force the tqdm bar on or off (default: when tqdm is installed and
            standard error is a terminal).
        every: without a bar, log each time this share of the runs is done.

    Examples:
        >>> report = progress_reporter(bar=False)
        >>> report(SweepProgress(total=4, done=4, failed=0, skipped=0))

    Added in version 0.1.0.
    """
    use_bar = bar
    if use_bar is None:
        use_bar = importlib.util.find_spec("tqdm") is not None and sys.stderr.isatty()
    if use_bar:
        tqdm = importlib.import_module("tqdm").tqdm

        state: dict[str, Any] = {}

        def update_bar(p: SweepProgress) -> None:
            if "bar" not in state:
                state["bar"] = tqdm(total=p.total, unit="run", desc="sweep")
            bar_ = state["bar"]
            bar_.n = p.done
            bar_.set_postfix(failed=p.failed, skipped=p.skipped, refresh=False)
            bar_.refresh()
            if p.done >= p.total:
                bar_.close()

        return update_bar
    last = {"step": -1}

    def log(p: SweepProgress) -> None:
        step = math.floor(p.done / max(p.total * every, 1e-9))
        if step != last["step"] or p.done == p.total:
            last["step"] = step
            _log.info(
                "sweep: %d/%d runs done (%d failed, %d resumed)",
                p.done,
                p.total,
                p.failed,
                p.skipped,
            )

    return log


def sweep_to_directory(
    spec: Scenario | SweepSpec,
    out_dir: str | Path,
    *,
    executor: Executor | None = None,
    chunk_size: int = 4,
    resume: bool = True,
    progress: bool | Callable[[SweepProgress], None] = True,
    partition_format: str | None = None,
) -> SweepResult:
    """`sweep` streaming every run to ``out_dir``, resuming what is there.

    Args:
        spec: a scenario or a `SweepSpec`.
        out_dir: the directory (see `SweepDirectory`).
        executor: any `concurrent.futures.Executor` (default: this process).
        chunk_size: replications per task.
        resume: skip runs already in ``out_dir``.
        progress: ``True`` for `progress_reporter`, ``False`` for none, or a
            callback.
        partition_format: ``parquet`` or ``csv`` (default: see `SweepDirectory`).

    Returns:
        Every run (the resumed ones read back from disk) and every failure.

    Examples:
        >>> import tempfile
        >>> from countypolicing.serialization import load_scenario
        >>> scenario = load_scenario('''
        ... schema_version: 1
        ... scenario: s
        ... county: bundled:yueyanglou
        ... horizon_days: 5
        ... replications: 2
        ... ''')
        >>> out = tempfile.mkdtemp()
        >>> first = sweep_to_directory(scenario, out, progress=False)
        >>> sweep_to_directory(scenario, out, progress=False).skipped
        2

    Added in version 0.1.0.
    """
    callback: Callable[[SweepProgress], None] | None
    if progress is True:
        callback = progress_reporter()
    elif progress is False:
        callback = None
    else:
        callback = progress
    return sweep(
        spec,
        executor=executor,
        chunk_size=chunk_size,
        store=SweepDirectory(out_dir, partition_format=partition_format),
        resume=resume,
        progress=callback,
    )
