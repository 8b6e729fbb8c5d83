"""Import a folder of sign videos into a gallery, and export a gallery to such a folder.

Glosses come from a CSV (columns ``file,gloss`` and optionally ``language,source,attribution,
signer``) or from file names ``<gloss>_<source>_<n>.mp4`` (the shared data's convention; a name
that does not match becomes the gloss whole). A ``<stem>.npz`` beside a video, or in
``pose_dir``, is used instead of running MediaPipe: exports re-import in seconds.
"""

from __future__ import annotations

import csv
import re
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from signlookup.files import CsvFileError, file_sha256, read_csv_rows
from signlookup.gallery.errors import GalleryError
from signlookup.gallery.folder import VIDEO_EXTENSIONS, Entry
from signlookup.gallery.store import Gallery, ProgressCallback
from signlookup.pose.io import PoseFileError, load_npz, save_npz
from signlookup.pose.sequence import PoseSequence

#: Source codes used in the shared Libras clips' file names -> the dictionary they come from.
KNOWN_SOURCES: dict[str, str] = {
    "ne": "INES (Dicionário da Língua Brasileira de Sinais, Instituto Nacional de Educação de Surdos)",
    "uf": "UFV (Universidade Federal de Viçosa, dicionário de Libras)",
    "vl": "V-Librasil (UFPE)",
    "sb": "SignBank de Libras (UFSC)",
}
_NAME = re.compile(r"^(?P<gloss>.+?)_(?P<source>[A-Za-z]{2,12})_(?P<n>\d+)$")
_TAKE = re.compile(r"^(?P<gloss>.+?)[_ -]\d+$")
CSV_COLUMNS = ("file", "gloss", "language", "source", "attribution", "signer")


@dataclass
class ImportReport:
    """Outcome of importing a folder: what was added, skipped as already present, or failed."""

    added: list[Entry] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)
    stopped: bool = False


@dataclass(frozen=True)
class ImportItem:
    """One file to import and its metadata; ``refused`` says why it must not be read."""

    path: Path
    gloss: str
    language: str = ""
    source: str = ""
    attribution: str = ""
    signer: str = ""
    refused: str = ""


def parse_filename(path: Path) -> tuple[str, str]:
    """(gloss, source code) from ``<gloss>_<source>_<n>``, else (stem without a bare take
    number, ""): ``oi_2.mp4`` is the sign "oi", not "oi_2". Underscores become spaces
    (``bom_dia_vl_12`` -> "bom dia")."""
    stem = unicodedata.normalize("NFC", path.stem)
    match = _NAME.match(stem)
    if match is not None:
        gloss, code = match["gloss"], match["source"].lower()
    else:
        take = _TAKE.match(stem)
        gloss, code = (take["gloss"] if take else stem), ""
    return gloss.replace("_", " ").strip(), code


def _from_names(folder: Path, language: str) -> list[ImportItem]:
    items = []
    for path in sorted(folder.iterdir()):
        suffix = path.suffix.lower()
        is_pose_only = suffix == ".npz" and not any(
            path.with_suffix(ext).exists() for ext in VIDEO_EXTENSIONS
        )
        if suffix not in VIDEO_EXTENSIONS and not is_pose_only:
            continue
        gloss, code = parse_filename(path)
        items.append(ImportItem(path, gloss, language, code, KNOWN_SOURCES.get(code, "")))
    return items


def _inside(path: Path, folder: Path) -> bool:
    """True when ``path`` (links resolved) lies inside ``folder``."""
    return path.resolve().is_relative_to(folder.resolve())


def _from_csv(folder: Path, csv_path: Path, language: str, allow_outside: bool) -> list[ImportItem]:
    try:
        rows = read_csv_rows(csv_path, ("file", "gloss"))
    except CsvFileError as exc:
        raise GalleryError(str(exc)) from None
    items = []
    for row in rows:
        path = Path(row["file"] or "")
        path = path if path.is_absolute() else folder / path
        refused = ""
        if not allow_outside and not _inside(path, folder):
            refused = f"{row['file']} lies outside {folder} (allow it with --allow-outside)"
        items.append(
            ImportItem(
                path,
                row["gloss"] or "",
                row.get("language") or language,
                row.get("source") or "",
                row.get("attribution") or "",
                row.get("signer") or "",
                refused,
            )
        )
    return items


def _cached_pose(item: ImportItem, pose_dir: Path | None) -> PoseSequence | None:
    """Landmarks saved next to the file (or in pose_dir) under the same stem, if readable."""
    candidates = [item.path.with_suffix(".npz")]
    if pose_dir is not None:
        candidates.append(pose_dir / f"{item.path.stem}.npz")
    for candidate in candidates:
        if candidate.is_file():
            try:
                return load_npz(candidate)
            except PoseFileError:
                continue
    return None


def import_folder(
    gallery: Gallery,
    folder: Path,
    *,
    csv_path: Path | None = None,
    allow_outside: bool = False,
    language: str = "",
    pose_dir: Path | None = None,
    keep_videos: bool = True,
    extract: Callable[[Path], PoseSequence] | None = None,
    progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> ImportReport:
    """Add every clip in ``folder``; files already in the gallery (same bytes) are skipped.

    A file that fails (unreadable video, nobody in frame) is reported and the import goes on.
    ``should_stop`` is polled between files so a GUI worker can cancel; the index file is written
    once at the end rather than after every entry. Files a CSV names outside ``folder`` are
    refused unread unless ``allow_outside``.
    """
    if not folder.is_dir():
        raise GalleryError(f"not a folder: {folder}")
    items = (
        _from_csv(folder, csv_path, language, allow_outside)
        if csv_path
        else _from_names(folder, language)
    )
    report = ImportReport()
    prefetch = None  # MediaPipe in worker processes for the videos the loop below will extract
    if extract is None:
        from signlookup.pose.video import PosePrefetch

        prefetch = PosePrefetch(
            i.path
            for i in items
            if i.path.suffix.lower() in VIDEO_EXTENSIONS and i.path.is_file()
            and _cached_pose(i, pose_dir) is None
            and gallery.find_by_sha256(file_sha256(i.path)) is None
        )  # fmt: skip
    try:
        for done, item in enumerate(items):
            if should_stop is not None and should_stop():
                report.stopped = True
                break
            if progress is not None:
                progress(done, len(items), item.path.name)
            if item.refused:
                report.failed.append((item.path.name, item.refused))
                continue
            if not item.path.is_file():
                report.failed.append((item.path.name, "file not found"))
                continue
            sha = file_sha256(item.path)
            if gallery.find_by_sha256(sha) is not None:
                report.skipped.append(item.path.name)
                continue
            is_video = item.path.suffix.lower() in VIDEO_EXTENSIONS
            try:
                pose = _cached_pose(item, pose_dir) if is_video else load_npz(item.path)
                if pose is None and prefetch is not None:
                    pose = prefetch.take(item.path)  # None on failure: add() extracts, reports
                entry = gallery.add(
                    gloss=item.gloss,
                    video=item.path if is_video else None,
                    pose=pose,
                    language=item.language,
                    source=item.source,
                    attribution=item.attribution,
                    signer=item.signer,
                    keep_video=keep_videos,
                    extract=extract,
                    content_sha256=sha,
                    original_name=item.path.name,
                    save_index=False,
                )
            except (GalleryError, PoseFileError, ValueError) as exc:
                report.failed.append((item.path.name, str(exc)))
                continue
            report.added.append(entry)
        if progress is not None and not report.stopped:
            progress(len(items), len(items), "")
    finally:
        if prefetch is not None:
            prefetch.close()
        gallery.flush()
    return report


def _safe(text: str) -> str:
    return re.sub(r"[^\w\-]+", "-", text, flags=re.UNICODE).strip("-") or "sign"


def export_gallery(gallery: Gallery, dest: Path, include_videos: bool = True) -> Path:
    """Copy every entry to ``dest`` as ``<gloss>_<id>.mp4`` + ``.npz`` with a ``gallery.csv``.

    The folder imports back with ``import_folder(gallery, dest, csv_path=dest/'gallery.csv')``,
    reusing the landmarks instead of running MediaPipe again.
    """
    dest.mkdir(parents=True, exist_ok=True)
    rows = []
    for entry in gallery.entries():
        stem = f"{_safe(entry.gloss)}_{entry.id}"
        video = entry.video_path if include_videos else None
        if video is not None and video.exists():
            name = stem + video.suffix
            shutil.copyfile(video, dest / name)
            shutil.copyfile(entry.pose_path, dest / f"{stem}.npz")
        else:
            name = f"{stem}.npz"
            save_npz(load_npz(entry.pose_path), dest / name)
        rows.append(
            [name, entry.gloss, entry.language, entry.source, entry.attribution, entry.signer]
        )
    with open(dest / "gallery.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(CSV_COLUMNS)
        writer.writerows(rows)
    return dest
