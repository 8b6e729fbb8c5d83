"""The character TF-IDF tables are fitted when the bundle is made and loaded with it: loading
them must give exactly what fitting at load time gave (the GUI no longer fits them)."""

from __future__ import annotations

import json

import numpy as np
from conftest import REPO

from signlookup.text.index import LEXICAL_FILE, GlossIndex, LexicalTables, _lexical_key

GLOSSES = [
    "AMIG@ ME@ DETESTAR S-P PASSEAR.",
    "EU GOSTAR CAFÉ.",
    "P-R-A-Ç-A BANCO FIX@.",
    "3sENSINAR1s",
]
SENTENCES = [
    "Minha amiga detesta passear no shopping.",
    "Eu gosto de café.",
    "O banco da praça é fixo.",
    "Ele me ensina.",
]


def _same(a: LexicalTables, b: LexicalTables) -> None:
    assert a.canonical == b.canonical
    assert a.gloss_lex.vocabulary == b.gloss_lex.vocabulary
    assert np.array_equal(a.gloss_lex.idf, b.gloss_lex.idf)
    assert (a.gloss_matrix != b.gloss_matrix).nnz == 0
    assert a.sent_lex is not None and b.sent_lex is not None
    assert a.sent_lex.vocabulary == b.sent_lex.vocabulary
    assert (a.sent_matrix != b.sent_matrix).nnz == 0


def test_saved_tables_load_identical_and_score_the_same(tmp_path):
    fitted = LexicalTables.fit(GLOSSES, SENTENCES)
    key = _lexical_key(GLOSSES, SENTENCES)
    fitted.save(tmp_path / LEXICAL_FILE, key)
    loaded = LexicalTables.load(tmp_path / LEXICAL_FILE, key)
    assert loaded is not None
    _same(fitted, loaded)
    a = GlossIndex(GLOSSES, encoder=None, gloss_embeddings=None, fusion_weight=0.0,
                   sentences=SENTENCES, sentence_gloss=range(4), lexical=fitted)  # fmt: skip
    b = GlossIndex(GLOSSES, encoder=None, gloss_embeddings=None, fusion_weight=0.0,
                   sentences=SENTENCES, sentence_gloss=range(4), lexical=loaded)  # fmt: skip
    for sentence in ("minha amiga detesta", "café", "praça"):
        assert np.array_equal(a.score([sentence]), b.score([sentence]))
    assert a.top_sentences("EU GOSTAR CAFÉ", 2) == b.top_sentences("EU GOSTAR CAFÉ", 2)


def test_tables_fitted_on_other_candidates_are_not_used(tmp_path):
    LexicalTables.fit(GLOSSES, SENTENCES).save(
        tmp_path / LEXICAL_FILE, _lexical_key(GLOSSES, SENTENCES)
    )
    other = _lexical_key(GLOSSES[:3], SENTENCES[:3])
    assert LexicalTables.load(tmp_path / LEXICAL_FILE, other) is None
    assert LexicalTables.load(tmp_path / "absent.npz", other) is None


def test_shipped_bundle_tables_equal_a_fresh_fit():
    bundle = REPO / "resources" / "models" / "text"
    manifest = json.loads((bundle / "index.json").read_text("utf-8"))
    key = _lexical_key(manifest["glosses"], manifest["sentences"])
    shipped = LexicalTables.load(bundle / LEXICAL_FILE, key)
    assert shipped is not None, "rebuild it: GlossIndex.load(bundle).save_lexical(bundle)"
    _same(shipped, LexicalTables.fit(manifest["glosses"], manifest["sentences"]))
