"""Where bundled models, the demo gallery and icons live: the one place that knows.

Order: ``$SIGNLOOKUP_RESOURCES``; inside a PyInstaller build, ``resources/`` next to the frozen
code; otherwise ``resources/`` at the repository root (editable installs and development).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    override = os.environ.get("SIGNLOOKUP_RESOURCES")
    if override:
        return Path(override)
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parents[1] / "resources"


def resource(*parts: str) -> Path:
    """Path of a bundled file, e.g. ``resource("models", "sign_encoder.pt")`` (may not exist)."""
    return resources_dir().joinpath(*parts)
