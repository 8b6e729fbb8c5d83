"""The gloss index: candidate gloss sequences, their precomputed embeddings, and the scoring.

Scoring is one function for the app, the CLI and the evaluation: a weighted sum of the dense
cosine (sentence as ``query``, canonical gloss as ``passage``) and the character n-gram TF-IDF
cosine, ``w * dense + (1 - w) * lexical``, with ``w`` chosen on the validation split and stored in
the bundle. Without a model the index falls back to the lexical score alone.

Bundle layout (``format`` 1), in ``resources/models/text/``::

    index.json               format, fusion weight, glosses, sentences, model hash
    gloss_embeddings.npy     (n_glosses, dim) float16, rows in ``glosses`` order
    sentence_embeddings.npy  (n_sentences, dim) float16, for the reverse direction
    lexical.npz              canonical glosses and both character TF-IDF tables, fitted when
                             the bundle is made (optional: without it they are fitted at load)
    dictionary.json          headword -> senses (definition, word class, topic)
    model/                   the sentence-transformers model (fp16 safetensors)

Fitting the TF-IDF tables is pure Python (about 2.5 s for 5,000 glosses and sentences) and holds
the GIL, which froze the app's window while its text model loaded in a worker thread; loading
them from ``lexical.npz`` is a few numpy reads.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse

from signlookup.files import file_sha256
from signlookup.text.dictionary import Dictionary, DictionaryEntry
from signlookup.text.encoder import TextEncoder, gloss_text
from signlookup.text.errors import BundleMismatchError, ModelMissingError
from signlookup.text.lexical import CharTfidf
from signlookup.text.notation import canonical_gloss, canonical_sentence, gloss_tokens

FORMAT = 1
MODEL_DIR = "model"
LEXICAL_FILE = "lexical.npz"
#: Changes when the n-gram scheme or canonical notation changes: older lexical files are refitted.
LEXICAL_SCHEME = "char-wb-3-5/v1"


@dataclass(frozen=True)
class LinkedToken:
    """A gloss token as written, its canonical words, and its dictionary entry (or None)."""

    token: str
    words: tuple[str, ...]
    kind: str
    entry: DictionaryEntry | None

    def to_dict(self) -> dict:
        entry = self.entry.to_dict() if self.entry else None
        return {"token": self.token, "words": list(self.words), "kind": self.kind, "entry": entry}


@dataclass(frozen=True)
class GlossMatch:
    gloss: str
    canonical: str
    score: float
    tokens: tuple[LinkedToken, ...] = field(default=())

    def to_dict(self) -> dict:
        return {
            "gloss": self.gloss, "canonical": self.canonical, "score": round(self.score, 4),
            "tokens": [t.to_dict() for t in self.tokens],
        }  # fmt: skip


@dataclass(frozen=True)
class SentenceMatch:
    sentence: str
    gloss: str
    score: float

    def to_dict(self) -> dict:
        return {"sentence": self.sentence, "gloss": self.gloss, "score": round(self.score, 4)}


def _lexical_key(glosses: Sequence[str], sentences: Sequence[str]) -> str:
    """Identifies the candidates a lexical file was fitted on (and the fitting scheme)."""
    payload = json.dumps([LEXICAL_SCHEME, list(glosses), list(sentences)], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass
class LexicalTables:
    """Canonical glosses and the fitted character TF-IDF scorers with their candidate matrices."""

    canonical: list[str]
    gloss_lex: CharTfidf
    gloss_matrix: sparse.csr_matrix
    sent_lex: CharTfidf | None
    sent_matrix: sparse.csr_matrix | None

    @classmethod
    def fit(cls, glosses: Sequence[str], sentences: Sequence[str]) -> LexicalTables:
        canonical = [canonical_gloss(g) for g in glosses]
        gloss_docs = [gloss_text(c) for c in canonical]
        gloss_lex = CharTfidf.fit(gloss_docs)
        sent_lex = CharTfidf.fit(sentences) if sentences else None
        return cls(
            canonical,
            gloss_lex,
            gloss_lex.transform(gloss_docs),
            sent_lex,
            sent_lex.transform(sentences) if sent_lex is not None else None,
        )

    def save(self, path: Path, key: str) -> None:
        arrays: dict[str, np.ndarray] = {
            "key": np.array(key),
            "canonical": np.array(self.canonical, dtype=str),
        }
        tables = [("gloss", self.gloss_lex, self.gloss_matrix)]
        if self.sent_lex is not None and self.sent_matrix is not None:
            tables.append(("sent", self.sent_lex, self.sent_matrix))
        for name, lex, matrix in tables:
            arrays[f"{name}_vocab"] = np.array(sorted(lex.vocabulary, key=lex.vocabulary.get))
            arrays[f"{name}_idf"] = lex.idf
            arrays[f"{name}_data"] = matrix.data
            arrays[f"{name}_indices"] = matrix.indices
            arrays[f"{name}_indptr"] = matrix.indptr
            arrays[f"{name}_shape"] = np.array(matrix.shape)
        with open(path, "wb") as fh:
            np.savez_compressed(fh, **arrays)

    @classmethod
    def load(cls, path: Path, key: str) -> LexicalTables | None:
        """The saved tables, or None when the file is absent or was fitted on other candidates."""
        if not path.is_file():
            return None
        with np.load(path, allow_pickle=False) as data:
            if str(data["key"]) != key:
                return None

            def table(name: str) -> tuple[CharTfidf, sparse.csr_matrix] | tuple[None, None]:
                if f"{name}_vocab" not in data:
                    return None, None
                vocab = data[f"{name}_vocab"].tolist()
                lex = CharTfidf(
                    dict(zip(vocab, range(len(vocab)), strict=True)), data[f"{name}_idf"]
                )
                matrix = sparse.csr_matrix(
                    (data[f"{name}_data"], data[f"{name}_indices"], data[f"{name}_indptr"]),
                    shape=tuple(data[f"{name}_shape"].tolist()),
                )
                return lex, matrix

            gloss_lex, gloss_matrix = table("gloss")
            sent_lex, sent_matrix = table("sent")
            canonical = data["canonical"].tolist()
        assert gloss_lex is not None and gloss_matrix is not None
        return cls(canonical, gloss_lex, gloss_matrix, sent_lex, sent_matrix)


def _model_hash(model_dir: Path) -> str:
    weights = sorted(model_dir.rglob("*.safetensors"))
    return hashlib.sha256("".join(file_sha256(p) for p in weights).encode()).hexdigest()


class GlossIndex:
    """Candidates + embeddings + scorers. ``encoder`` None means lexical scoring only."""

    def __init__(
        self,
        glosses: Sequence[str],
        *,
        encoder: TextEncoder | None,
        gloss_embeddings: np.ndarray | None,
        fusion_weight: float,
        sentences: Sequence[str] = (),
        sentence_gloss: Sequence[int] = (),
        sentence_embeddings: np.ndarray | None = None,
        dictionary: Dictionary | None = None,
        lexical: LexicalTables | None = None,
    ) -> None:
        """``lexical``: tables fitted when the bundle was made; fitted here when None."""
        self.glosses = list(glosses)
        self.encoder = encoder
        self.gloss_embeddings = gloss_embeddings
        self.fusion_weight = fusion_weight if encoder is not None else 0.0
        self.sentences = list(sentences)
        self.sentence_gloss = np.asarray(sentence_gloss, np.int64)
        self.sentence_embeddings = sentence_embeddings
        self.dictionary = dictionary or Dictionary([])
        tables = lexical or LexicalTables.fit(self.glosses, self.sentences)
        self.lexical = tables
        self.canonical = tables.canonical
        self._gloss_lex = tables.gloss_lex
        self._gloss_lex_matrix = tables.gloss_matrix
        self._sent_lex = tables.sent_lex
        self._sent_lex_matrix = tables.sent_matrix

    # -- building -------------------------------------------------------------------------
    @classmethod
    def build(
        cls,
        encoder: TextEncoder | None,
        glosses: Sequence[str],
        *,
        fusion_weight: float,
        sentences: Sequence[str] = (),
        sentence_gloss: Sequence[int] = (),
        dictionary: Dictionary | None = None,
    ) -> GlossIndex:
        """Embed the candidates (and the reverse-direction sentences) with ``encoder``."""
        g_emb = s_emb = None
        if encoder is not None:
            g_emb = encoder.encode([gloss_text(canonical_gloss(g)) for g in glosses], "passage")
            if sentences:
                s_emb = encoder.encode([canonical_sentence(s) for s in sentences], "query")
        return cls(
            glosses, encoder=encoder, gloss_embeddings=g_emb, fusion_weight=fusion_weight,
            sentences=sentences, sentence_gloss=sentence_gloss, sentence_embeddings=s_emb,
            dictionary=dictionary,
        )  # fmt: skip

    def save(self, directory: Path, model_dir: Path | None = None) -> None:
        """Write the index files; ``model_dir`` (default ``directory/model``) is hashed."""
        directory.mkdir(parents=True, exist_ok=True)
        model_dir = model_dir or directory / MODEL_DIR
        if self.gloss_embeddings is None:
            raise ValueError("an index without embeddings is built at load time; nothing to save")
        np.save(directory / "gloss_embeddings.npy", self.gloss_embeddings.astype(np.float16))
        if self.sentence_embeddings is not None:
            np.save(
                directory / "sentence_embeddings.npy", self.sentence_embeddings.astype(np.float16)
            )
        self.dictionary.save(directory / "dictionary.json")
        self.save_lexical(directory)
        manifest = {
            "format": FORMAT,
            "fusion_weight": self.fusion_weight,
            "embedding_dim": int(self.gloss_embeddings.shape[1]),
            "model_sha256": _model_hash(model_dir),
            "glosses": self.glosses,
            "sentences": self.sentences,
            "sentence_gloss": self.sentence_gloss.tolist(),
        }
        (directory / "index.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")

    def save_lexical(self, directory: Path) -> Path:
        """Write the fitted TF-IDF tables beside the index (``save`` does it too)."""
        path = directory / LEXICAL_FILE
        self.lexical.save(path, _lexical_key(self.glosses, self.sentences))
        return path

    @classmethod
    def load(
        cls, directory: Path, *, allow_lexical: bool = True, threads: int | None = None
    ) -> GlossIndex:
        """Load a bundle. Without its model (and ``allow_lexical``) scoring is lexical only."""
        manifest_path = directory / "index.json"
        if not manifest_path.is_file():
            raise ModelMissingError(
                f"no text index at {directory}: build it with `python -m training.text bundle`"
            )
        manifest = json.loads(manifest_path.read_text("utf-8"))
        if manifest.get("format") != FORMAT:
            raise BundleMismatchError(
                f"{manifest_path}: index format {manifest.get('format')!r}, this version reads {FORMAT}"
            )
        dictionary_path = directory / "dictionary.json"
        dictionary = Dictionary.load(dictionary_path) if dictionary_path.is_file() else None
        model_dir = directory / MODEL_DIR
        encoder = g_emb = s_emb = None
        if (model_dir / "modules.json").is_file():
            if _model_hash(model_dir) != manifest["model_sha256"]:
                raise BundleMismatchError(
                    f"{directory}: the model changed after its embeddings were computed; rebuild "
                    "the bundle with `python -m training.text bundle`"
                )
            encoder = TextEncoder.load(model_dir, threads=threads)
            g_emb = np.load(directory / "gloss_embeddings.npy").astype(np.float32)
            s_path = directory / "sentence_embeddings.npy"
            s_emb = np.load(s_path).astype(np.float32) if s_path.is_file() else None
            if g_emb.shape != (len(manifest["glosses"]), encoder.dim):
                raise BundleMismatchError(
                    f"{directory}: embeddings {g_emb.shape} do not match "
                    f"{len(manifest['glosses'])} glosses x {encoder.dim} dims"
                )
        elif not allow_lexical:
            raise ModelMissingError(f"no text model in {model_dir}")
        lexical = LexicalTables.load(
            directory / LEXICAL_FILE, _lexical_key(manifest["glosses"], manifest["sentences"])
        )
        return cls(
            manifest["glosses"], encoder=encoder, gloss_embeddings=g_emb,
            fusion_weight=float(manifest["fusion_weight"]), sentences=manifest["sentences"],
            sentence_gloss=manifest["sentence_gloss"], sentence_embeddings=s_emb,
            dictionary=dictionary, lexical=lexical,
        )  # fmt: skip

    # -- scoring --------------------------------------------------------------------------
    def score(self, sentences: Sequence[str]) -> np.ndarray:
        """(n_sentences, n_glosses) fused scores; sentences must already be validated."""
        texts = [canonical_sentence(s) for s in sentences]
        lexical = (self._gloss_lex.transform(texts) @ self._gloss_lex_matrix.T).toarray()
        w = self.fusion_weight
        if self.encoder is None or self.gloss_embeddings is None or w == 0.0:
            return lexical
        dense = self.encoder.encode(texts, "query") @ self.gloss_embeddings.T
        return w * dense + (1.0 - w) * lexical

    def link(self, gloss: str) -> tuple[LinkedToken, ...]:
        return tuple(
            LinkedToken(t.raw, t.words, t.kind, self.dictionary.link(t))
            for t in gloss_tokens(gloss)
        )

    def top_glosses(self, sentence: str, k: int) -> list[GlossMatch]:
        scores = self.score([sentence])[0]
        order = np.argsort(-scores, kind="stable")[:k]
        return [
            GlossMatch(
                self.glosses[i], self.canonical[i], float(scores[i]), self.link(self.glosses[i])
            )
            for i in order
        ]

    def top_sentences(self, gloss: str, k: int) -> list[SentenceMatch]:
        """Reverse direction: Portuguese example sentences for a gloss sequence."""
        if not self.sentences:
            return []
        text = gloss_text(canonical_gloss(gloss))
        assert self._sent_lex is not None and self._sent_lex_matrix is not None
        scores = (self._sent_lex.transform([text]) @ self._sent_lex_matrix.T).toarray()[0]
        w = self.fusion_weight
        if self.encoder is not None and self.sentence_embeddings is not None and w > 0.0:
            dense = self.sentence_embeddings @ self.encoder.encode([text], "passage")[0]
            scores = w * dense + (1.0 - w) * scores
        order = np.argsort(-scores, kind="stable")[:k]
        return [
            SentenceMatch(self.sentences[i], self.glosses[self.sentence_gloss[i]], float(scores[i]))
            for i in order
        ]
