"""Dictionary entries (definition, word class, topic) and the link from a gloss token to them."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from signlookup.text.notation import GlossToken, lookup_key


@dataclass(frozen=True)
class Sense:
    definition: str
    word_class: str
    topic: str


@dataclass(frozen=True)
class DictionaryEntry:
    """One headword of the dictionary with all its senses (INES lists some glosses twice)."""

    gloss: str
    senses: tuple[Sense, ...]

    def to_dict(self) -> dict:
        return {"gloss": self.gloss, "senses": [asdict(s) for s in self.senses]}


class Dictionary:
    """Headword look-up by normalised key, with the fallbacks a gloss token needs."""

    def __init__(self, entries: list[DictionaryEntry]) -> None:
        self.entries = entries
        self._by_key: dict[str, DictionaryEntry] = {}
        for e in entries:
            self._by_key.setdefault(lookup_key(e.gloss), e)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, gloss: str) -> DictionaryEntry | None:
        return self._by_key.get(lookup_key(gloss))

    def link(self, token: GlossToken) -> DictionaryEntry | None:
        """Entry for a gloss token: the token as written (``AMIG@``), its head word
        (``AMIGO``, the verb of ``3sINSTRUIR3s``), the feminine reading, then a compound as a
        whole. Fingerspelled words, numbers and punctuation have no entry."""
        if token.kind in ("punct", "number", "fingerspelled", "classifier") or not token.head:
            return None
        raw = token.raw.rstrip(".,;:!?")
        candidates = [raw, token.head, token.head.replace(" ", "-")]
        if "@" in raw:
            candidates += [raw.replace("@", "O"), raw.replace("@", "A")]
        for c in candidates:
            entry = self.get(c)
            if entry is not None:
                return entry
        return None

    @classmethod
    def from_rows(cls, rows: list[dict[str, str]]) -> Dictionary:
        """Build from INES csv rows (columns gloss, definition, word_class, topic)."""
        senses: dict[str, list[Sense]] = {}
        for r in rows:
            gloss = (r.get("gloss") or "").strip()
            if not gloss:
                continue
            sense = Sense(
                (r.get("definition") or "").strip(),
                (r.get("word_class") or "").strip(),
                (r.get("topic") or "").strip(),
            )
            if sense not in senses.setdefault(gloss, []):
                senses[gloss].append(sense)
        return cls([DictionaryEntry(g, tuple(s)) for g, s in senses.items()])

    def save(self, path: Path) -> None:
        data = [[e.gloss, [[s.definition, s.word_class, s.topic] for s in e.senses]]
                for e in self.entries]  # fmt: skip
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")

    @classmethod
    def load(cls, path: Path) -> Dictionary:
        data = json.loads(path.read_text("utf-8"))
        return cls([DictionaryEntry(g, tuple(Sense(*s) for s in senses)) for g, senses in data])
