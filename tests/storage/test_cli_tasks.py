"""``countypolicing tasks``: init, record, reconcile, board, verify, export, import."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from countypolicing import _cli
from countypolicing._cli_tasks import demo_text, register
from countypolicing.model import County
from countypolicing.storage import SQLiteLedger

BUNDLED = "bundled:yueyanglou"


@pytest.fixture(autouse=True)
def _wired(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wire ``tasks`` into the top-level parser as ``_cli`` will."""
    monkeypatch.setattr(_cli, "_SUBCOMMANDS", (register,))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = _cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def ledger(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "plan.sqlite")
    code, out, _ = run(capsys, "tasks", "init", "--ledger", path, "--county", BUNDLED)
    assert code == 0
    assert "429 entries" in out
    return path


def test_init_copies_the_county_ledger_and_refuses_to_overwrite(
    ledger: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with SQLiteLedger(ledger) as store:
        assert len(store) == 429
        assert store.verify().ok
    code, _, err = run(capsys, "tasks", "init", "--ledger", ledger, "--county", BUNDLED)
    assert code == 2
    assert "already holds 429 entries" in err


def test_init_can_start_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path / "empty.sqlite")
    code, out, _ = run(
        capsys, "tasks", "init", "--ledger", path, "--county", BUNDLED, "--empty"
    )
    assert code == 0
    assert "0 entries" in out


def test_record_appends_a_legal_step_once_per_key(
    ledger: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = (
        "tasks", "record", "--ledger", ledger, "--county", BUNDLED,
        "--task", "k01-t2", "--actor", "yyl-psb", "--action", "close_out",
        "--at", "2020-09-16T09:00+08:00", "--key", "cell-1", "--format", "json",
    )  # fmt: skip
    code, out, _ = run(capsys, *argv)
    assert code == 0
    first = json.loads(out)
    assert first["seq"] == 430
    assert first["status"] == "closed"
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert json.loads(out) == first
    with SQLiteLedger(ledger) as store:
        assert len(store) == 430


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--task", "k01-t2", "--action", "verify"), "cannot verify from verified"),
        (("--task", "k01-t99", "--action", "note"), "no task with id 'k01-t99'"),
        (
            (
                "--task",
                "k01-t2",
                "--action",
                "note",
                "--at-override",
                "2020-01-01T00:00+08:00",
            ),
            "time runs backwards",
        ),
    ],
)
def test_record_refuses_bad_steps_with_exit_2_and_writes_nothing(
    ledger: str,
    capsys: pytest.CaptureFixture[str],
    extra: tuple[str, ...],
    message: str,
) -> None:
    at = "2020-09-16T09:00+08:00"
    args = list(extra)
    if "--at-override" in args:
        i = args.index("--at-override")
        at = args[i + 1]
        del args[i : i + 2]
    code, _, err = run(
        capsys, "tasks", "record", "--ledger", ledger, "--county", BUNDLED,
        "--actor", "yyl-psb", "--at", at, *args,
    )  # fmt: skip
    assert code == 2
    assert message in err
    with SQLiteLedger(ledger) as store:
        assert len(store) == 429


def test_record_needs_an_explicit_time_with_an_offset(
    ledger: str, capsys: pytest.CaptureFixture[str]
) -> None:
    base = (
        "tasks", "record", "--ledger", ledger, "--county", BUNDLED,
        "--task", "k01-t2", "--actor", "yyl-psb", "--action", "note",
    )  # fmt: skip
    with pytest.raises(SystemExit) as info:
        _cli.main(list(base))
    assert info.value.code == 2
    assert "--at" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        _cli.main([*base, "--at", "2020-09-16T09:00"])
    assert "no UTC offset" in capsys.readouterr().err


def test_record_into_a_missing_ledger_says_how_to_create_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "tasks", "record", "--ledger", str(tmp_path / "none.sqlite"),
        "--county", BUNDLED, "--task", "k01-t2", "--actor", "yyl-psb",
        "--action", "note", "--at", "2020-09-16T09:00+08:00",
    )  # fmt: skip
    assert code == 2
    assert "countypolicing tasks init" in err
    assert not (tmp_path / "none.sqlite").exists()


def test_reconcile_prints_the_report_and_exits_0_when_clean(
    ledger: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "tasks", "reconcile", "--ledger", ledger, "--county", BUNDLED,
        "--as-of", "2020-09-15",
    )  # fmt: skip
    assert code == 0
    assert "closed 60, verified 4" in out
    code, out, _ = run(
        capsys, "tasks", "reconcile", "--county", BUNDLED, "--as-of", "2020-09-15",
        "--lang", "zh",
    )  # fmt: skip
    assert code == 0
    assert "已销号 60" in out


def test_reconcile_as_json_holds_every_task(
    ledger: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "tasks", "reconcile", "--ledger", ledger, "--county", BUNDLED,
        "--as-of", "2020-09-15", "--format", "json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["ok"] is True
    assert data["totals"]["closed"] == 60
    assert len(data["tasks"]) == 96
    assert data["tasks"][0]["deadline"].startswith("2020-")
    assert {row["owner_id"] for row in data["by_owner"]} >= {"yyl-psb"}


def test_reconcile_exits_1_on_discrepancies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path / "p.sqlite")
    run(capsys, "tasks", "init", "--ledger", path, "--county", BUNDLED, "--empty")
    run(
        capsys, "tasks", "record", "--ledger", path, "--county", BUNDLED,
        "--task", "k01-t1", "--actor", "yyl-psb", "--action", "assign",
        "--at", "2020-05-11T09:00+08:00",
    )  # fmt: skip
    code, out, _ = run(
        capsys, "tasks", "reconcile", "--ledger", path, "--county", BUNDLED,
        "--as-of", "2020-09-15", "--format", "json",
    )  # fmt: skip
    assert code == 1
    kinds = {d["kind"] for d in json.loads(out)["discrepancies"]}
    # The chart is ahead of a near-empty ledger, and shows tasks closed out that
    # the ledger never verified.
    assert kinds == {"status_mismatch", "closed_without_verification"}


def test_reconcile_refuses_a_ledger_that_does_not_verify(
    ledger: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(ledger) as conn:
        conn.execute("UPDATE entries SET note = '改' WHERE seq = 9")
    code, _, err = run(
        capsys, "tasks", "reconcile", "--ledger", ledger, "--county", BUNDLED,
        "--as-of", "2020-09-15",
    )  # fmt: skip
    assert code == 1
    assert "does not verify: entry 9" in err


def test_board_shows_the_owner_by_status_table(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(
        capsys, "tasks", "board", "--county", BUNDLED, "--as-of", "2020-09-15",
        "--step", "day",
    )  # fmt: skip
    assert code == 0
    assert "Board (挂图)" in out
    code, out, _ = run(
        capsys, "tasks", "board", "--county", BUNDLED, "--as-of", "2020-09-15",
        "--format", "json",
    )  # fmt: skip
    data = json.loads(out)
    assert sum(r["total"] for r in data["rows"]) == 96
    assert data["burndown"][-1] == {
        "day": "2020-09-15",
        "remaining": 36,
        "unfinished": 23,
        "planned": 19,
        "overdue": 8,
    }


def test_as_of_is_required_and_must_be_a_date(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        _cli.main(["tasks", "reconcile", "--county", BUNDLED])
    assert "--as-of" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        _cli.main(["tasks", "board", "--county", BUNDLED, "--as-of", "15/09/2020"])
    assert "expected a date YYYY-MM-DD" in capsys.readouterr().err


def test_verify_exits_1_and_names_the_first_bad_entry(
    ledger: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "tasks", "verify", "--ledger", ledger)
    assert code == 0
    assert "intact, 429 entries" in out
    head = out.split("head ")[1].strip()
    with sqlite3.connect(ledger) as conn:
        conn.execute("DELETE FROM entries WHERE seq = 429")
        (prev,) = conn.execute("SELECT hash FROM entries WHERE seq = 428").fetchone()
        conn.execute("UPDATE head SET count = 428, last_hash = ?", (prev,))
    code, out, _ = run(capsys, "tasks", "verify", "--ledger", ledger)
    assert code == 0  # consistent with its own (rewritten) head
    code, out, _ = run(
        capsys,
        "tasks",
        "verify",
        "--ledger",
        ledger,
        "--head",
        head,
        "--format",
        "json",
    )
    assert code == 1
    data = json.loads(out)
    assert data["problem"]["kind"] == "truncated"
    assert data["problem"]["seq"] == 429


def test_verify_refuses_a_malformed_head(
    ledger: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        _cli.main(["tasks", "verify", "--ledger", ledger, "--head", "429"])
    assert "COUNT:HASH" in capsys.readouterr().err


def test_export_and_import_round_trip_and_damage_is_reported_by_line(
    ledger: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "backup.jsonl")
    code, text, _ = run(capsys, "tasks", "export", "--ledger", ledger, "--out", out)
    assert code == 0
    assert "429 entries" in text
    copy = str(tmp_path / "copy.sqlite")
    code, _, _ = run(capsys, "tasks", "import", "--ledger", copy, "--jsonl", out)
    assert code == 0
    with SQLiteLedger(copy) as a, SQLiteLedger(ledger) as b:
        assert a.snapshot() == b.snapshot()
    damaged = tmp_path / "damaged.jsonl"
    damaged.write_text(Path(out).read_text(encoding="utf-8")[:30_000], encoding="utf-8")
    third = str(tmp_path / "third.sqlite")
    code, _, err = run(
        capsys, "tasks", "import", "--ledger", third, "--jsonl", str(damaged)
    )
    assert code == 2
    assert "damaged.jsonl:" in err
    assert not Path(third).exists()
    code, _, err = run(
        capsys,
        "tasks",
        "import",
        "--ledger",
        third,
        "--jsonl",
        str(damaged),
        "--recover",
    )
    assert code == 1
    assert "imported the" in err
    with SQLiteLedger(third) as store:
        assert 0 < len(store) < 429
        assert store.verify().ok


def test_a_bad_county_file_is_exit_2_with_its_location(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    county = tmp_path / "c.yaml"
    county.write_text("schema_version: 1\ncounty: {id: demo}\n", encoding="utf-8")
    code, _, err = run(
        capsys, "tasks", "reconcile", "--county", str(county), "--as-of", "2020-09-15"
    )
    assert code == 2
    assert str(county) in err


def test_a_county_without_a_plan_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    county = tmp_path / "c.yaml"
    county.write_text(
        "schema_version: 1\ncounty: {id: demo, name_zh: 示例区}\n", encoding="utf-8"
    )
    code, _, err = run(
        capsys, "tasks", "board", "--county", str(county), "--as-of", "2020-09-15"
    )
    assert code == 2
    assert "0 work plans" in err


def test_the_demo_text_is_short_and_speaks_both_languages(county: County) -> None:
    en = demo_text(county)
    assert en.startswith(
        "Reconciliation (对账) of plan yyl-psb-plan-2020 as of 2020-09-15"
    )
    assert "By lead owner" not in en
    assert len(en.splitlines()) <= 15
    zh = demo_text(county, lang="zh", as_of=date(2020, 7, 1))
    assert zh.startswith("对账：方案 yyl-psb-plan-2020，截至 2020-07-01")
