"""``signlookup eval``: rank a query set against a gallery set and print retrieval metrics."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from signlookup.cli_support import fail
from signlookup.verdict import DEFAULT_QUANTILE


def _json_number(value: object) -> object:
    """Floats to 4 decimals; NaN (undefined, e.g. an uncalibrated threshold) to null."""
    if isinstance(value, float):
        return round(value, 4) if value == value else None
    return value


def _eval(args: argparse.Namespace) -> int:
    from signlookup.encoder.bundle import ModelBundleError, load_bundled_embedder
    from signlookup.encoder.default import load_default_embedder
    from signlookup.encoder.evaluate import evaluate
    from signlookup.encoder.feature_embedder import FeatureEmbedder
    from signlookup.pose.io import PoseFileError, load_keypoint_set

    if not 0.0 <= args.verdict_quantile <= 1.0:
        return fail("--verdict-quantile must be between 0 and 1")
    for path in (args.gallery, args.queries):
        if not Path(path).is_file():
            return fail(f"no such file: {path}")
    try:
        gallery = load_keypoint_set(args.gallery)
        queries = load_keypoint_set(args.queries)
    except PoseFileError as exc:
        return fail(str(exc))
    if len(gallery.X) == 0 or len(queries.X) == 0:
        return fail("the gallery and the query set must each hold at least one clip")
    try:
        if args.features:
            embedder = FeatureEmbedder()
        elif args.model:
            embedder = load_bundled_embedder(Path(args.model), fusion=not args.model_only)
        else:
            embedder = load_default_embedder()
    except ModelBundleError as exc:
        return fail(str(exc))
    same = Path(args.gallery).resolve() == Path(args.queries).resolve()
    result = evaluate(
        embedder,
        gallery,
        queries,
        exclude_self=same,
        verdict_quantile=args.verdict_quantile,
        signer_session=args.signer_session,
    )
    for role, path in (("gallery", args.gallery), ("queries", args.queries)):
        skipped = result[f"unusable_{role}"]
        if skipped["n"] and not (same and role == "queries"):
            total = len(gallery.X) if role == "gallery" else len(queries.X)
            reasons = "; ".join(f"{n} x {why}" for why, n in skipped["reasons"].items())
            print(
                f"signlookup: warning: {path}: left out {skipped['n']} of {total} takes "
                f"that cannot be embedded ({reasons})",
                file=sys.stderr,
            )
    if result["n_queries"] == 0:
        return fail("no query's label occurs in the gallery: nothing to score")
    result = {k: _json_number(v) for k, v in result.items()}
    result["scorer"] = embedder.name
    result["content_hash"] = embedder.content_hash
    print(json.dumps(result))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``eval`` to the ``signlookup`` command."""
    p = subparsers.add_parser(
        "eval",
        help="retrieval metrics of the sign scorer on a gallery/query pair of keypoint sets",
        description="Embed every clip of G and Q (X (N, T, 75, 3), zeros = missing; y labels), "
        "rank G for each query exactly as the app's search does (the cosine in the metric fitted on G's vectors and labels), print one JSON line. "
        "When G and Q are the same file, each query's own clip is left out of its ranking. "
        "When some query signs are absent from G, flagged_absent / flagged_present report the "
        "share of absent- / present-sign queries the 'no close match' verdict flags.",
    )
    p.add_argument("--gallery", required=True, metavar="G.npz")
    p.add_argument("--queries", required=True, metavar="Q.npz")
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--model",
        metavar="PATH",
        help="a TorchScript encoder with its .json sidecar "
        "(default: the bundled scorer, or features when none is bundled)",
    )
    group.add_argument(
        "--features", action="store_true", help="the training-free feature scorer only"
    )
    p.add_argument(
        "--model-only", action="store_true", help="with --model: the encoder without fusion"
    )
    p.add_argument(
        "--verdict-quantile",
        type=float,
        default=DEFAULT_QUANTILE,
        metavar="Q",
        help="the verdict's threshold: this quantile of G's leave-one-gloss-out top-1 scores "
        f"(default {DEFAULT_QUANTILE})",
    )
    p.add_argument(
        "--signer-session",
        action="store_true",
        help="score each query as the app scores a camera look-up: adapted to the earlier "
        "queries of its signer in Q (file order; Q's signer ids, else one signer)",
    )
    p.set_defaults(func=_eval)
