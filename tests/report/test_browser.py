"""The report in headless Chromium: it loads cleanly and the key sections are there.

Skipped when ``/usr/bin/chromium`` is missing (``.ci/chromium.sh`` installs it). The
screenshot is kept under the test's temporary directory for a human to look at.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("matplotlib", reason="the report needs the 'report' extra")

from countypolicing.datasets import yueyanglou
from countypolicing.report import write_report

CHROMIUM = Path("/usr/bin/chromium")
SECTIONS = ("tiles", "ranking", "gaps", "tasks", "disputes", "simulation")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="/usr/bin/chromium is not installed (run .ci/chromium.sh)",
    ),
]

#: A console message from the page, as Chromium logs it with --enable-logging.
CONSOLE = re.compile(r"CONSOLE|Uncaught|SyntaxError|ReferenceError|TypeError")


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    profile.mkdir()
    return subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    return write_report(yueyanglou(), out, lang="both")


def _console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if CONSOLE.search(line)]


def test_the_report_loads_without_console_errors_and_shows_every_section(
    report: Path, tmp_path: Path
) -> None:
    done = _chromium(tmp_path, "--dump-dom", report.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    assert _console_errors(done.stderr) == []
    dom = done.stdout
    for section in SECTIONS:
        assert f'id="{section}"' in dom, section
    assert dom.count("<svg") == 3
    assert "Responsibility gaps" in dom
    assert "责任缺口" in dom


@pytest.mark.parametrize("lang", ["en", "both"])
def test_a_screenshot_is_saved(tmp_path: Path, lang: str) -> None:
    report = write_report(yueyanglou(), tmp_path / "out", lang=lang)  # type: ignore[arg-type]  # a Lang
    png = tmp_path / f"report-{lang}.png"
    done = _chromium(
        tmp_path, f"--screenshot={png}", "--window-size=1280,2000", report.as_uri()
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert _console_errors(done.stderr) == []
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 20_000
