"""File helpers every layer shares: content hashes of bundles, clips and model weights."""

from __future__ import annotations

import hashlib
from pathlib import Path


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes, read in 1 MiB blocks (model files are tens of MB)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class CsvFileError(ValueError):
    """A CSV that cannot be read as a table of the needed columns; the message names the file."""


def read_csv_rows(path: str | Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of a UTF-8 CSV (a spreadsheet's byte-order mark accepted) that has ``columns``.

    The one CSV reader of the app's inputs: a bad file is one CsvFileError naming it.
    """
    import csv

    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise CsvFileError(f"{path}: missing column(s) {', '.join(missing)}")
            return [{k: (v or "") for k, v in row.items() if k is not None} for row in reader]
    except UnicodeDecodeError as exc:
        raise CsvFileError(
            f"{path} is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset "
            f"{exc.start}): save it as CSV UTF-8"
        ) from None
    except csv.Error as exc:
        raise CsvFileError(f"{path}: not a readable CSV ({exc})") from None
    except OSError as exc:
        raise CsvFileError(f"cannot read {path}: {exc.strerror or exc}") from None
