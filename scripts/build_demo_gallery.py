"""Build ``resources/demo_gallery/``: the gallery the app opens on first start.

Usage::

    python scripts/build_demo_gallery.py [VIDEOS_DIR] [--out DIR] [--poses DIR] [--keypoints-only]

VIDEOS_DIR defaults to ``../shared/data/videos`` beside the repository. The 30 Libras clips belong
to the dictionaries named in their file names (``<gloss>_<source>_<n>.mp4``: ne INES, uf UFV,
vl V-Librasil, sb SignBank UFSC) and their rights are not cleared: they may ship only with an
attribution file naming each clip's source, which this script writes (``ATTRIBUTION.md`` and
``attribution.json``). The MIT pose-format test clip
is not a sign and stays out.

The gallery is built in a temporary folder and swapped in at the end, so a failed build leaves
the previous one in place. ``--poses`` reuses ``<stem>.npz`` landmarks instead of MediaPipe.
Embeddings come from ``signlookup.search.default_embedder()``; when the embedder changes, the
gallery re-embeds itself from its cached poses on open, so a rebuild is not needed for that.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from signlookup.gallery import KNOWN_SOURCES, Gallery, import_folder, parse_filename  # noqa: E402
from signlookup.search import default_embedder  # noqa: E402

#: Bundle videos only while the whole gallery stays under this size.
MAX_BUNDLE_MB = 30.0


def _clips(videos: Path) -> list[Path]:
    """The dictionary clips (the MIT pose-format test clip is not a sign: it stays out)."""
    return sorted(p for p in videos.glob("*.mp4") if parse_filename(p)[1] in KNOWN_SOURCES)


def _write_csv(clips: list[Path], staging: Path) -> Path:
    import csv

    path = staging.parent / f"{staging.name}.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "gloss", "language", "source", "attribution", "signer"])
        for clip in clips:
            gloss, code = parse_filename(clip)
            writer.writerow([clip, gloss, "Libras", code, KNOWN_SOURCES[code], ""])
    return path


def _write_attribution(gallery: Gallery, out: Path) -> None:
    entries = gallery.entries()
    records = [
        {
            "entry_id": e.id,
            "gloss": e.gloss,
            "language": e.language,
            "file": e.original_name,
            "source": e.source,
            "source_dictionary": e.attribution,
            "video_bundled": e.video_path is not None,
            "rights": "held by the source dictionary; not cleared",
        }
        for e in entries
    ]
    (out / "attribution.json").write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
    lines = [
        "# Demo gallery: sources and rights",
        "",
        "Built by `scripts/build_demo_gallery.py`. The Libras clips are reproduced from public",
        "dictionaries for demonstration; their rights belong to those dictionaries and were not",
        "cleared. Each clip's source is listed below.",
        "",
        "| gloss | file | source dictionary |",
        "|---|---|---|",
        *(f"| {r['gloss']} | {r['file']} | {r['source_dictionary']} |" for r in records),
        "",
    ]
    (out / "ATTRIBUTION.md").write_text("\n".join(lines))


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "videos", nargs="?", default=str(REPO.parent / "shared" / "data" / "videos")
    )
    parser.add_argument("--out", default=str(REPO / "resources" / "demo_gallery"))
    parser.add_argument("--poses", help="folder of <stem>.npz landmarks to reuse")
    parser.add_argument("--keypoints-only", action="store_true", help="bundle no videos")
    args = parser.parse_args(argv)

    videos, out = Path(args.videos), Path(args.out)
    clips = _clips(videos) if videos.is_dir() else []
    if not clips:
        print(f"build_demo_gallery: no clips in {videos}", file=sys.stderr)
        return 3
    staging = out.parent / f".{out.name}.building"
    shutil.rmtree(staging, ignore_errors=True)
    csv_path = _write_csv(clips, staging)
    keep_videos = not args.keypoints_only and sum(c.stat().st_size for c in clips) / 1e6 < 25
    try:
        with Gallery.create(staging, default_embedder()) as gallery:
            report = import_folder(
                gallery,
                videos,
                csv_path=csv_path,
                pose_dir=Path(args.poses) if args.poses else None,
                keep_videos=keep_videos,
                progress=lambda i, n, name: (
                    print(f"[{i + 1}/{n}] {name}", flush=True) if name else None
                ),
            )
            for name, reason in report.failed:
                print(f"failed {name}: {reason}", file=sys.stderr)
            _write_attribution(gallery, staging)
            count = len(gallery)
        size = _size_mb(staging)
        if size > MAX_BUNDLE_MB:
            print(f"build_demo_gallery: {size:.1f} MB is over {MAX_BUNDLE_MB} MB", file=sys.stderr)
            return 1
        old = out.parent / f".{out.name}.old"
        shutil.rmtree(old, ignore_errors=True)
        if out.exists():
            out.rename(old)
        staging.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        csv_path.unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
    print(f"{out}: {count} entries, {size:.1f} MB, videos bundled: {keep_videos}")
    return 0 if not report.failed else 1


if __name__ == "__main__":
    sys.exit(main())
