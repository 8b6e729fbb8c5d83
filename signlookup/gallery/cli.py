"""``signlookup gallery build|add|list|facets`` and ``signlookup search``.

Each handler returns an exit code; user errors print one line on stderr (no traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from signlookup.cli_support import EXIT_INPUT, EXIT_USAGE, TerminalProgress, fail


def _os_message(exc: OSError) -> str:
    where = f" ({exc.filename})" if exc.filename else ""
    return f"{exc.strerror or exc}{where}"


def _tell(message: str) -> None:
    print(f"signlookup: {message}", file=sys.stderr, flush=True)


def _opened(gallery):
    """Tell the user what opening found (quarantined folders, missing files); returns it."""
    for line in gallery.repair.lines():
        _tell(line)
    return gallery


class _EmbedderUnavailable(Exception):
    pass


def _embedder():
    """The default embedder; a broken model bundle becomes a one-line error, not a traceback."""
    from signlookup.search import default_embedder

    try:
        return default_embedder()
    except Exception as exc:  # ModelBundleError and whatever a damaged file makes torch raise
        raise _EmbedderUnavailable(f"cannot load the sign encoder: {exc}") from None


def _build(args: argparse.Namespace) -> int:
    from signlookup.gallery.importer import import_folder
    from signlookup.gallery.store import Gallery, GalleryError

    videos = Path(args.source)
    if not videos.is_dir():
        return fail(f"not a folder: {videos}")
    csv_path = Path(args.csv) if args.csv else None
    if csv_path is not None and not csv_path.is_file():
        return fail(f"CSV file not found: {csv_path}")
    try:
        with _opened(Gallery.create(args.gallery, _embedder(), on_wait=_tell)) as gallery:
            report = import_folder(
                gallery,
                videos,
                csv_path=csv_path,
                allow_outside=args.allow_outside,
                language=args.language,
                keep_videos=not args.keypoints_only,
                pose_dir=Path(args.poses) if args.poses else None,
                progress=TerminalProgress(),
            )
            total = len(gallery)
    except (GalleryError, _EmbedderUnavailable) as exc:
        return fail(str(exc))
    except OSError as exc:  # disk full, permissions: the gallery itself stays consistent
        return fail(_os_message(exc))
    if sys.stderr.isatty():
        print(file=sys.stderr)
    for name, reason in report.failed:
        print(f"skipped {name}: {reason}", file=sys.stderr)
    print(
        f"{args.gallery}: added {len(report.added)}, already present {len(report.skipped)}, "
        f"failed {len(report.failed)}; {total} entries"
    )
    return 0 if report.added or report.skipped or not report.failed else EXIT_INPUT


def _add(args: argparse.Namespace) -> int:
    from signlookup.gallery.store import Gallery, GalleryError, check_video_file

    try:
        video = check_video_file(args.video)  # before the model and the gallery load
    except GalleryError as exc:
        return fail(str(exc))
    try:
        with _opened(Gallery.create(args.gallery, _embedder(), on_wait=_tell)) as gallery:
            entry = gallery.add(
                gloss=args.gloss,
                video=video,
                language=args.language,
                source=args.source,
                attribution=args.attribution,
                signer=args.signer,
                progress=TerminalProgress(" frames"),
            )
        TerminalProgress.clear()
    except (GalleryError, _EmbedderUnavailable) as exc:
        return fail(str(exc))
    except OSError as exc:  # disk full, permissions: the gallery itself stays consistent
        return fail(_os_message(exc))
    print(f"added #{entry.id} {entry.gloss} ({entry.frames} frames)")
    return 0


def _list(args: argparse.Namespace) -> int:
    from signlookup.gallery.store import Gallery, GalleryError

    try:
        with _opened(Gallery.open(args.gallery, on_wait=_tell)) as gallery:
            entries = gallery.entries()
    except GalleryError as exc:
        return fail(str(exc))
    if args.json:
        rows = [
            {
                "id": e.id,
                "gloss": e.gloss,
                "language": e.language,
                "source": e.source,
                "signer": e.signer,
                "added_at": e.added_at,
                "frames": e.frames,
                "encoder_hash": e.encoder_hash,
                "missing": e.missing,
                "path": str(e.video_path or e.pose_path),
            }
            for e in entries
        ]
        print(json.dumps({"gallery": str(args.gallery), "entries": rows}, ensure_ascii=False))
        return 0
    for e in entries:
        note = "  [files missing]" if e.missing else ""
        print(f"{e.id:>6}  {e.gloss:<24} {e.language:<8} {e.source:<6} {e.original_name}{note}")
    print(f"{len(entries)} entries")
    return 0


def _change(args: argparse.Namespace) -> int:
    """delete (to the trash), restore, trash (list) and empty-trash: the user's own changes."""
    from signlookup.gallery.store import Gallery, GalleryError

    try:
        with _opened(Gallery.open(args.gallery, on_wait=_tell)) as gallery:
            if args.gallery_command == "delete":
                for entry_id in args.ids:
                    entry = gallery.delete(entry_id)
                    print(f"moved #{entry.id} {entry.gloss} to the trash "
                          f"(undo: signlookup gallery restore {args.gallery} {entry.id})")  # fmt: skip
            elif args.gallery_command == "restore":
                ids = args.ids or [e.id for e in gallery.trashed()]
                for entry_id in ids:
                    entry = gallery.restore(entry_id)
                    print(f"restored #{entry.id} {entry.gloss}")
            elif args.gallery_command == "trash":
                trashed = gallery.trashed()
                for e in trashed:
                    print(f"{e.id:>6}  {e.gloss:<24} deleted {e.deleted_at}")
                print(f"{len(trashed)} in the trash")
            else:
                if not args.yes:
                    return fail("empty-trash deletes files for good: pass --yes to confirm")
                print(f"deleted {gallery.empty_trash(args.ids or None)} sign(s) for good")
    except GalleryError as exc:
        return fail(str(exc))
    except OSError as exc:
        return fail(_os_message(exc))
    return 0


def _recover(args: argparse.Namespace) -> int:
    from signlookup.gallery.store import Gallery, GalleryError

    try:
        with _opened(Gallery.recover(args.gallery, on_wait=_tell)) as gallery:
            total = len(gallery)
    except GalleryError as exc:
        return fail(str(exc))
    except OSError as exc:
        return fail(_os_message(exc))
    print(f"{args.gallery}: {total} entries; the damaged database was kept beside it")
    return 0


def _search(args: argparse.Namespace) -> int:
    from signlookup.facets import NO_HANDSHAPE, apply_facets, sign_facets
    from signlookup.gallery.store import GalleryError
    from signlookup.search import POSE_SUFFIXES, QueryError, Searcher, load_query

    if args.top < 1:
        return fail("--top must be at least 1")
    query_path = Path(args.video)  # checked before the model and gallery load (seconds)
    if not query_path.exists():
        return fail(f"query file not found: {query_path}")
    if query_path.is_dir():
        return fail(f"{query_path} is a folder: give one video or landmark file")
    faceted = args.handshape is not None or args.location is not None
    importing = None
    if Path(args.video).suffix.lower() not in POSE_SUFFIXES:
        from signlookup.pose.holistic import preload

        importing = preload()  # mediapipe imports while the gallery and the model load
    try:
        with Searcher.open(args.gallery, _embedder(), on_wait=_tell) as searcher:
            _opened(searcher.gallery)
            if importing is not None:
                importing.join()  # loading a library is set-up, like the model: not the pose stage
            start = time.perf_counter()
            query = load_query(args.video, TerminalProgress(" frames"))
            pose_s = time.perf_counter() - start
            fetch = len(searcher.gallery) if faceted else args.top
            results = searcher.search(
                query, fetch, collapse_glosses=not args.all_takes, name=str(query_path)
            )
            timings = searcher.last_timings
            timings.pose_s = pose_s  # the query's extraction, not the wrap of a loaded sequence
            verdict = searcher.verdict(results)
            facets = searcher.facets() if faceted or args.json else None
        TerminalProgress.clear()
    except (GalleryError, QueryError, _EmbedderUnavailable) as exc:
        return fail(str(exc))
    except OSError as exc:  # disk full, permissions: the gallery itself stays consistent
        return fail(_os_message(exc))
    if facets is not None and args.handshape is not None:
        known = [c.id for c in facets.clusters]
        if args.handshape not in known:
            return fail(
                f"no handshape {args.handshape} in {args.gallery}: its handshapes are "
                f"{', '.join(map(str, known)) or 'none'} (signlookup gallery facets DIR)",
                EXIT_USAGE,
            )
    if faceted:
        results = apply_facets(results, facets, args.handshape, args.location, args.facet_mode)[
            : args.top
        ]
    if args.json:
        try:
            own = sign_facets(query)
            query_facets = {"handshape": facets.classify(own), "location": own.region}
            if query_facets["handshape"] == NO_HANDSHAPE:
                query_facets["handshape"] = None
        except ValueError:  # no shoulders: the query has no location or handshape
            query_facets = {"handshape": None, "location": None}
        rows = []
        for r in results:
            row = r.to_json()
            shape = facets.handshape_of(r.entry_id)
            row["handshape"] = None if shape == NO_HANDSHAPE else shape
            row["location"] = facets.region_of(r.entry_id)
            rows.append(row)
        payload = {
            "query": str(args.video),
            "gallery": str(args.gallery),
            "query_facets": query_facets,
            "filters": {
                "handshape": args.handshape,
                "location": args.location,
                "mode": args.facet_mode if faceted else None,
            },
            "results": rows,
            "verdict": verdict.to_json(),
            "timings_ms": {
                "pose": round(timings.pose_s * 1e3, 2),
                "embed": round(timings.embed_s * 1e3, 2),
                "search": round(timings.search_s * 1e3, 2),
            },
        }
        print(json.dumps(payload, ensure_ascii=False))
        return 0
    if results and not verdict.close_match:
        print("No close match in this gallery; the closest are:")
    for r in results:
        print(f"{r.rank:>3}. {r.gloss:<24} {r.score:.3f}  {r.video_path or r.pose_path}")
    return 0


def _facets(args: argparse.Namespace) -> int:
    from signlookup.facets import REGIONS, load_gallery_facets
    from signlookup.gallery.store import Gallery, GalleryError
    from signlookup.pose.layout import HAND_BONES

    try:
        with Gallery.open(args.gallery) as gallery:
            facets = load_gallery_facets(gallery)
            glosses = {e.id: e.gloss for e in gallery.entries()}
    except GalleryError as exc:
        return fail(str(exc))
    except OSError as exc:
        return fail(_os_message(exc))
    if args.json:
        payload = {
            "gallery": str(args.gallery),
            "handshapes": [
                {**c.to_json(), "representative_gloss": glosses.get(c.representative, "")}
                for c in facets.clusters
            ],
            "regions": facets.region_counts(),
            "bones": [list(b) for b in HAND_BONES],
        }
        print(json.dumps(payload, ensure_ascii=False))
        return 0
    for c in facets.clusters:
        print(f"handshape {c.id:>2}: {c.size:>5} entries, like {glosses.get(c.representative, '')}")
    without = int((~facets.has_hand).sum())
    if without:
        print(f"no handshape (hand never seen): {without} entries")
    print("regions: " + ", ".join(f"{r} {n}" for r, n in facets.region_counts().items()))
    print(f"locations for --location: {', '.join(REGIONS)}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``gallery`` (build, add, list, facets) and ``search`` to the ``signlookup`` command."""
    from signlookup.facets import REGIONS

    gallery = subparsers.add_parser("gallery", help="build and inspect a gallery of signs")
    sub = gallery.add_subparsers(dest="gallery_command", metavar="ACTION", required=True)

    build = sub.add_parser("build", help="create or extend a gallery from a folder of videos")
    build.add_argument("gallery", metavar="DIR", help="gallery folder (created if absent)")
    build.add_argument("--from", dest="source", required=True, metavar="VIDEOS_DIR")
    build.add_argument(
        "--csv", help="CSV with columns file,gloss[,language,source,attribution,signer]"
    )
    build.add_argument("--language", default="", help="language of the clips (e.g. Libras)")
    build.add_argument("--poses", metavar="DIR", help="reuse <stem>.npz landmarks from DIR")
    build.add_argument("--keypoints-only", action="store_true", help="do not copy the videos")
    build.add_argument(
        "--allow-outside",
        action="store_true",
        help="let the CSV name files outside the VIDEOS_DIR folder",
    )
    build.set_defaults(func=_build)

    add = sub.add_parser("add", help="add one video to a gallery")
    add.add_argument("gallery", metavar="DIR")
    add.add_argument("video", metavar="VIDEO")
    add.add_argument("--gloss", required=True, metavar="NAME")
    add.add_argument("--language", default="")
    add.add_argument("--source", default="")
    add.add_argument("--attribution", default="")
    add.add_argument("--signer", default="")
    add.set_defaults(func=_add)

    listing = sub.add_parser("list", help="list a gallery's entries")
    listing.add_argument("gallery", metavar="DIR")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=_list)

    for name, help_text in (
        ("delete", "move entries to the gallery's trash (undo with restore)"),
        ("restore", "bring entries back from the trash (all of them without IDs)"),
        ("trash", "list the entries in the trash"),
        ("empty-trash", "delete trashed entries for good (all, or the IDs given)"),
    ):
        change = sub.add_parser(name, help=help_text)
        change.add_argument("gallery", metavar="DIR")
        if name != "trash":
            change.add_argument(
                "ids", type=int, nargs="+" if name == "delete" else "*", metavar="ID"
            )
        if name == "empty-trash":
            change.add_argument("--yes", action="store_true", help="confirm")
        change.set_defaults(func=_change)

    recover = sub.add_parser(
        "recover", help="rebuild a lost or damaged gallery.sqlite from the sign folders"
    )
    recover.add_argument("gallery", metavar="DIR")
    recover.set_defaults(func=_recover)

    search = subparsers.add_parser("search", help="find the gallery signs closest to a video")
    search.add_argument("video", metavar="VIDEO", help="video file, or landmarks (.npz, .pose)")
    search.add_argument("--gallery", required=True, metavar="DIR")
    search.add_argument("--top", type=int, default=10, metavar="K")
    search.add_argument("--all-takes", action="store_true", help="list every take of a gloss")
    search.add_argument("--json", action="store_true", help="print one JSON object")
    search.add_argument(
        "--handshape",
        type=int,
        metavar="ID",
        help="only signs of this handshape of the gallery's inventory (signlookup gallery facets)",
    )
    search.add_argument(
        "--location",
        choices=REGIONS,
        help="only signs made at this place",
    )
    search.add_argument(
        "--facet-mode",
        choices=("narrow", "rerank"),
        default="narrow",
        help="narrow: drop the other signs (default); rerank: list the matching signs first",
    )
    search.set_defaults(func=_search)

    facets = sub.add_parser("facets", help="the gallery's handshape inventory and locations")
    facets.add_argument("gallery", metavar="DIR")
    facets.add_argument("--json", action="store_true", help="with the handshapes' hand points")
    facets.set_defaults(func=_facets)
