"""``signlookup gloss`` and ``signlookup text-eval``: registered by ``signlookup.cli``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from signlookup.cli_support import fail, warn


def _draft_or_none(text: str, bundle: str | None) -> list | None:
    """The draft tokens, or None when the bundle has no draft tables (an older bundle)."""
    from signlookup.text import api
    from signlookup.text.errors import ModelMissingError

    try:
        return api.draft_gloss(text, drafter=api.load_drafter(bundle))
    except ModelMissingError:
        return None


def _gloss(args: argparse.Namespace) -> int:
    from signlookup.text import api
    from signlookup.text.errors import TextLookupError

    draft = None
    try:
        text = api.clean_text(args.sentence)  # before loading: a bad input answers at once
        api.check_k(args.top)
        index = api.load(args.bundle)
        if args.reverse:
            results = [r.to_dict() for r in api.reverse(text, args.top, index=index)]
        else:
            results = [r.to_dict() for r in api.align(text, args.top, index=index)]
            draft = _draft_or_none(text, args.bundle)
    except (TextLookupError, ValueError) as exc:
        return fail(str(exc))
    lexical_only = index.encoder is None
    if lexical_only:  # announced in both modes: stderr does not disturb --json readers
        warn("no text model bundled: lexical ranking only")
    if args.json:
        scoring = "lexical" if lexical_only else "fused"
        results = [{**r, "scoring": scoring} for r in results]
        if args.reverse:
            print(json.dumps(results, ensure_ascii=False))
            return 0
        drafted = None
        if draft is not None:
            drafted = {"gloss": " ".join(t.gloss for t in draft),
                       "canonical": " ".join(w for t in draft for w in t.words),
                       "tokens": [t.to_dict() for t in draft]}  # fmt: skip
        print(json.dumps({"draft": drafted, "examples": results}, ensure_ascii=False))
        return 0
    if draft is not None:
        print("Draft: " + " ".join(t.gloss for t in draft))
        for t in draft:
            if t.entry:
                s = t.entry.senses[0]
                print(f"     {t.gloss}: {s.word_class or '-'}, {s.topic}: {s.definition}")
            elif t.kind == "fingerspelled":
                print(f"     {t.gloss}: fingerspelled (no dictionary sign for '{t.source}')")
        print("Nearest dictionary examples (examples, not a translation of your sentence):")
    for rank, r in enumerate(results, 1):
        if args.reverse:
            print(f"{rank}. {r['score']:.3f}  {r['sentence']}   [{r['gloss']}]")
            continue
        print(f"{rank}. {r['score']:.3f}  {r['gloss']}")
        if rank == 1 and draft is None:
            for t in r["tokens"]:
                entry = t["entry"]
                if entry:
                    s = entry["senses"][0]
                    print(
                        f"     {t['token']}: {s['word_class'] or '-'}, {s['topic']}: {s['definition']}"
                    )
    return 0


def read_pairs_csv(path: Path) -> tuple[list[str], list[str]]:
    """Columns ``example_pt`` and ``example_gloss`` (others ignored); empty rows skipped."""
    from signlookup.files import read_csv_rows

    rows = [(r["example_pt"].strip(), r["example_gloss"].strip())
            for r in read_csv_rows(path, ("example_pt", "example_gloss"))]  # fmt: skip
    rows = [(s, g) for s, g in rows if s and g]
    if not rows:
        raise ValueError(f"{path}: no sentence/gloss pairs")
    return [s for s, _ in rows], [g for _, g in rows]


def _text_eval(args: argparse.Namespace) -> int:
    """Rank each sentence against all gloss sequences in the file, scored as the app scores."""
    import numpy as np

    from signlookup.text import api
    from signlookup.text.draft import draft_words, gloss_words
    from signlookup.text.errors import TextLookupError
    from signlookup.text.index import GlossIndex
    from signlookup.text.metrics import mean_token_prf, ranks_of_truth, retrieval_metrics
    from signlookup.text.notation import canonical_gloss

    path = Path(args.pairs)
    if not path.is_file():
        return fail(f"{path}: file not found")
    try:
        sentences, glosses = read_pairs_csv(path)
        bundle = api.load(args.bundle)
        canon = [canonical_gloss(g) for g in glosses]
        uniq = sorted(set(canon))
        first = {c: g for g, c in reversed(list(zip(glosses, canon, strict=True)))}
        index = GlossIndex.build(
            bundle.encoder, [first[c] for c in uniq], fusion_weight=bundle.fusion_weight
        )
        truth = np.array([uniq.index(c) for c in canon])
        clean = [api.clean_text(s) for s in sentences]
        scores = np.concatenate(
            [index.score(clean[i : i + 256]) for i in range(0, len(clean), 256)]
        )
        drafts = [_draft_or_none(s, args.bundle) for s in clean]
    except (TextLookupError, ValueError) as exc:
        return fail(str(exc))
    metrics = retrieval_metrics(ranks_of_truth(scores, truth))
    if all(d is not None for d in drafts):  # draft F1 in the canonical notation, no punctuation
        metrics |= mean_token_prf(
            [draft_words(d) for d in drafts], [gloss_words(g) for g in glosses]
        )
    print(json.dumps(metrics))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("gloss", help="Portuguese sentence -> Libras gloss sequences")
    p.add_argument("sentence", help='e.g. "O gato está abaixo da mesa."')
    p.add_argument("--top", type=int, default=5, help="how many results (1-100)")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument("--reverse", action="store_true", help="gloss sequence -> Portuguese sentences")
    p.add_argument("--bundle", default=None, help=argparse.SUPPRESS)
    p.set_defaults(func=_gloss)

    p = subparsers.add_parser(
        "text-eval", help="R@1/5/10, MRR and gloss-draft F1 of the text bundle on a csv"
    )
    p.add_argument("--pairs", required=True, help="csv with columns example_pt, example_gloss")
    p.add_argument("--bundle", default=None, help=argparse.SUPPRESS)
    p.set_defaults(func=_text_eval)
