"""Rebuild the UI translations: extract tr() strings into .ts, compile .ts into .qm.

    .venv/bin/python scripts/update_translations.py          # lupdate + lrelease
    .venv/bin/python scripts/update_translations.py --check  # fail (changing nothing) if a .ts is stale or a string is untranslated

English is the source language; signlookup_en.ts exists so translators see every string, and
its .qm carries only the English plural forms ("1 result", "6 results") of the %n strings. Edit signlookup_pt.ts with pyside6-linguist (or by hand), then rerun.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GUI = REPO / "signlookup" / "gui"
TRANSLATIONS = GUI / "translations"
LANGUAGES = ("pt", "en")


def tool(name: str) -> str:
    """pyside6-lupdate / pyside6-lrelease from the venv this Python runs in, else PATH."""
    local = Path(sys.executable).parent / name
    found = str(local) if local.exists() else shutil.which(name)
    if not found:
        sys.exit(f"{name} not found: install PySide6-Essentials in this environment")
    return found


def unfinished(ts: Path) -> list[str]:
    """Source texts without a finished translation."""
    root = ET.parse(ts).getroot()
    return [
        m.findtext("source", "")
        for m in root.iter("message")
        if (t := m.find("translation")) is not None
        and (t.get("type") == "unfinished" or not (t.text or t.findall("numerusform")))
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="verify instead of only rebuilding")
    args = parser.parse_args()
    sources = sorted(str(p.relative_to(REPO)) for p in GUI.glob("*.py"))
    TRANSLATIONS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for lang in LANGUAGES:
            ts = TRANSLATIONS / f"signlookup_{lang}.ts"
            # --check works on a copy, so CI sees new or changed strings without editing the tree
            target = Path(tmp) / ts.name if args.check else ts
            if args.check and ts.exists():
                shutil.copy(ts, target)
            subprocess.run(
                [tool("pyside6-lupdate"), *sources, "-source-language", "en", "-target-language",
                 lang, "-no-obsolete", "-locations", "none", "-ts", str(target)],
                cwd=REPO, check=True, capture_output=True,
            )  # fmt: skip
            if args.check:
                if target.read_bytes() != ts.read_bytes():
                    print(f"{ts.name} is stale: run scripts/update_translations.py")
                    return 1
            else:
                subprocess.run(
                    [tool("pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))],
                    check=True,
                    capture_output=True,
                )
    missing = unfinished(TRANSLATIONS / "signlookup_pt.ts")
    if missing:
        print(f"{len(missing)} Portuguese string(s) untranslated:", *missing[:20], sep="\n  ")
        return 1 if args.check else 0
    print("translations up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
