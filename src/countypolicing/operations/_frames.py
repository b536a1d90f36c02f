"""Lazy access to the optional extras: pandas (``[pandas]``) and matplotlib (``[plot]``).

Nothing here is imported at module level, so ``import countypolicing`` never pulls
them in; each helper imports on first use and names the extra when it is missing.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["require_matplotlib_figure", "require_pandas"]


def require_pandas() -> ModuleType:
    """The pandas module, or an ImportError that says how to install it."""
    try:
        return importlib.import_module("pandas")
    except ImportError as exc:
        raise ImportError(
            'DataFrames need pandas: pip install "countypolicing[pandas]"'
        ) from exc


def require_matplotlib_figure() -> ModuleType:
    """The ``matplotlib.figure`` module, or an ImportError naming the extra.

    Figures are made with ``matplotlib.figure.Figure`` directly, never through
    ``pyplot``, so no GUI backend is chosen or started.
    """
    try:
        return importlib.import_module("matplotlib.figure")
    except ImportError as exc:
        raise ImportError(
            'plotting needs matplotlib: pip install "countypolicing[plot]"'
        ) from exc
