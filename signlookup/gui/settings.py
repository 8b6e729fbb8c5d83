"""User preferences as a typed object, persisted with QSettings under a version key.

Window geometry lives beside them (main_window.py); preferences never travel as loose strings
through the code, only as ``AppSettings`` fields.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from PySide6.QtCore import QSettings

from signlookup.resources import resource

#: Bump when a stored key changes meaning; older stored values are then ignored.
SETTINGS_VERSION = 1


def demo_gallery_folder() -> Path:
    """The bundled demo gallery (read-only seed; may be absent in a bare checkout)."""
    return resource("demo_gallery")


def default_gallery_folder() -> Path:
    """The user's own gallery, seeded from the demo gallery on first start.

    The app never writes into its installed resources: adding a sign goes to this copy.
    """
    from PySide6.QtCore import QStandardPaths

    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".signlookup") / "gallery"


@dataclass(frozen=True)
class AppSettings:
    """Everything the user can change in the Settings dialog."""

    camera_index: int = 0
    top_k: int = 8
    #: Mirror queries so a left-handed signer's signs match right-handed gallery entries.
    mirror: bool = False
    #: Empty means the user's gallery (a copy of the demo gallery, see default_gallery_folder).
    gallery_folder: str = ""
    #: "" follows the system locale; otherwise "pt" or "en".
    language: str = ""
    #: Seconds of 3-2-1 countdown before recording starts.
    countdown_s: int = 3

    @property
    def gallery_path(self) -> Path:
        return Path(self.gallery_folder) if self.gallery_folder else default_gallery_folder()

    def with_(self, **changes: object) -> AppSettings:
        return replace(self, **changes)

    @classmethod
    def load(cls, store: QSettings) -> AppSettings:
        """Read stored preferences; missing, stale-version or mistyped values fall back to defaults."""
        if int(store.value("settings_version", 0) or 0) != SETTINGS_VERSION:
            return cls()
        values: dict[str, object] = {}
        defaults = cls()
        for f in fields(cls):
            raw = store.value(f"preferences/{f.name}")
            if raw is None:
                continue
            default = getattr(defaults, f.name)
            try:
                if isinstance(default, bool):
                    values[f.name] = raw if isinstance(raw, bool) else str(raw).lower() == "true"
                elif isinstance(default, int):
                    values[f.name] = int(raw)
                else:
                    values[f.name] = str(raw)
            except (TypeError, ValueError):
                continue
        top_k = int(values.get("top_k", defaults.top_k))
        values["top_k"] = min(max(top_k, 1), 50)
        return cls(**values)  # type: ignore[arg-type]

    def save(self, store: QSettings) -> None:
        store.setValue("settings_version", SETTINGS_VERSION)
        for name, value in asdict(self).items():
            store.setValue(f"preferences/{name}", value)
        store.sync()
