"""Fixtures for the doctests in the Markdown pages of the docs."""

from pathlib import Path

import pytest

DOCS_DIR = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def _docs_dir(doctest_namespace: dict[str, object]) -> None:
    """Let page examples open files that sit beside them: ``DOCS_DIR / "reference"``."""
    doctest_namespace["DOCS_DIR"] = DOCS_DIR
