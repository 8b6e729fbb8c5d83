"""Minimally edited twins of a canonical gloss: the hard negatives a retrieval model must beat.

Three edits, each changing the meaning with one or two words: swap agent and patient (the
person markers of an agreement verb, or the two pronouns around a verb), replace a verb by its
antonym, change a time word. A gloss none of them applies to has no twin.
"""

from __future__ import annotations

import random

ANTONYMS = {
    "GOSTAR": "DETESTAR", "AMAR": "ODIAR", "COMPRAR": "VENDER", "ABRIR": "FECHAR",
    "ENTRAR": "SAIR", "CHEGAR": "SAIR", "SUBIR": "DESCER", "GANHAR": "PERDER",
    "LEMBRAR": "ESQUECER", "COMEÇAR": "TERMINAR", "ACEITAR": "RECUSAR", "DAR": "RECEBER",
    "LIGAR": "DESLIGAR", "ACENDER": "APAGAR", "VIVER": "MORRER", "RIR": "CHORAR",
    "PODER": "PROIBIR", "AUMENTAR": "DIMINUIR", "ENSINAR": "APRENDER", "PERGUNTAR": "RESPONDER",
    "EMPRESTAR": "PEDIR", "TRABALHAR": "DESCANSAR", "DORMIR": "ACORDAR", "VIR": "IR",
    "GRANDE": "PEQUENO", "ALTO": "BAIXO", "BOM": "RUIM", "BONITO": "FEIO", "NOVO": "VELHO",
    "RICO": "POBRE", "FELIZ": "TRISTE", "QUENTE": "FRIO", "CARO": "BARATO", "CHEIO": "VAZIO",
    "LIMPO": "SUJO", "FÁCIL": "DIFÍCIL", "RÁPIDO": "DEVAGAR", "PERTO": "LONGE", "CEDO": "TARDE",
    "MUITO": "POUCO", "SEMPRE": "NUNCA", "CERTO": "ERRADO", "FORTE": "FRACO", "GORDO": "MAGRO",
}  # fmt: skip
ANTONYMS |= {v: k for k, v in list(ANTONYMS.items()) if v not in ANTONYMS}
TIME_WORDS = {
    "ONTEM": "AMANHÃ", "AMANHÃ": "ONTEM", "HOJE": "ONTEM", "AGORA": "DEPOIS", "DEPOIS": "ANTES",
    "ANTES": "DEPOIS", "PASSADO": "FUTURO", "FUTURO": "PASSADO", "MANHÃ": "NOITE",
    "NOITE": "MANHÃ", "TARDE": "MANHÃ", "JÁ": "AINDA",
}  # fmt: skip
PRONOUNS = {"EU", "VOCÊ", "ELE", "ELA", "NÓS", "VOCÊS", "ELES"}


def swap_roles(words: list[str]) -> list[str] | None:
    """``EU AJUDAR VOCÊ`` -> ``VOCÊ AJUDAR EU`` (the first pronoun-verb-pronoun triple)."""
    for i in range(len(words) - 2):
        a, b = words[i], words[i + 2]
        if a in PRONOUNS and b in PRONOUNS and a != b and words[i + 1] not in PRONOUNS:
            return [*words[:i], b, words[i + 1], a, *words[i + 3 :]]
    return None


def replace_first(words: list[str], table: dict[str, str]) -> list[str] | None:
    for i, w in enumerate(words):
        if w in table and table[w] not in words:
            return [*words[:i], table[w], *words[i + 1 :]]
    return None


def twins(canonical: str) -> dict[str, str]:
    """Every applicable edit of a canonical gloss: ``{"roles"|"antonym"|"time": twin}``."""
    words = canonical.split()
    out = {}
    for name, edited in (
        ("roles", swap_roles(words)),
        ("antonym", replace_first(words, ANTONYMS)),
        ("time", replace_first(words, TIME_WORDS)),
    ):
        if edited is not None:
            out[name] = " ".join(edited)
    return out


def one_twin(canonical: str, rng: random.Random) -> str | None:
    options = list(twins(canonical).values())
    return rng.choice(options) if options else None
