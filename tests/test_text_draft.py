"""The gloss draft: one test per rule, on real sentences, through the bundled tables."""

from __future__ import annotations

import argparse
import json
from types import SimpleNamespace

import pytest

from signlookup.resources import resource
from signlookup.text import api
from signlookup.text.dictionary import Dictionary
from signlookup.text.draft import (
    Drafter,
    DraftTables,
    draft_words,
    fingerspell,
    gloss_words,
    split_words,
)
from signlookup.text.errors import BundleMismatchError, EmptyInputError, ModelMissingError
from signlookup.text.metrics import mean_token_prf, token_prf

pytest.importorskip("simplemma")
BUNDLE = resource("models", "text")


@pytest.fixture(scope="module")
def drafter() -> Drafter:
    if not (BUNDLE / "draft.json").is_file():
        pytest.skip("no draft tables bundled (python -m training.text draft)")
    return Drafter.load(BUNDLE)


def glosses(drafter: Drafter, sentence: str) -> list[str]:
    return [t.gloss for t in drafter.draft(sentence)]


def test_verbs_are_lemmatised(drafter):
    assert glosses(drafter, "Eu comprei um carro novo.")[:2] == ["EU", "COMPRAR"]
    assert "COMER" in glosses(drafter, "Os meninos comeram três bananas.")
    assert "IR" in glosses(drafter, "Eu fui ao médico ontem.")  # irregular: fui -> IR


def test_gender_is_written_with_at(drafter):
    tokens = drafter.draft("Minha amiga detesta passear no shopping.")
    amiga = next(t for t in tokens if t.source == "amiga")
    assert amiga.gloss == "AMIG@" and amiga.words == ("AMIGO",)
    assert amiga.entry is not None and amiga.entry.gloss == "AMIGO"


def test_possessives_and_pronouns(drafter):
    tokens = drafter.draft("Minha amiga detesta passear no shopping.")
    assert (tokens[0].source, tokens[0].gloss, tokens[0].words) == ("Minha", "ME@", ("MEU",))
    assert glosses(drafter, "Ela é minha irmã.") == ["EL@", "ME@", "IRM@"]


def test_numbers_become_digits(drafter):
    words = draft_words(drafter.draft("Hoje o chofer vem me buscar às cinco horas."))
    assert "5" in words and words.count("HORA") == 1
    five = next(t for t in drafter.draft("Comprei dois livros.") if t.source == "dois")
    assert (five.gloss, five.kind) == ("2", "number")


def test_a_left_out_subject_is_signed(drafter):
    assert glosses(drafter, "Comprei um carro novo.") == ["EU", "COMPRAR", "CARRO", "NOV@"]
    assert glosses(drafter, "Eu comprei um carro novo.").count("EU") == 1
    assert glosses(drafter, "Ela comprou um carro.")[:2] == ["EL@", "COMPRAR"]


def test_negation_comes_right_before_the_verb(drafter):
    g = glosses(drafter, "O presidente não quer paz!")
    assert g[g.index("NÃO") + 1] == "QUERER"
    assert g[-1] == "!"


def test_articles_prepositions_and_copula_are_left_out(drafter):
    assert glosses(drafter, "O sapato está debaixo da cama.") == ["SAPATO", "DEBAIXO", "CAMA"]
    words = draft_words(drafter.draft("A maioria dos alunos é de São Paulo e gosta da escola."))
    for left_out in ("O", "A", "DE", "DO", "DA", "SER", "ESTAR"):
        assert left_out not in words


def test_words_without_a_sign_are_fingerspelled(drafter):
    tokens = drafter.draft("Você conhece o vatapá, comida típica da Bahia?")
    spelled = [t for t in tokens if t.kind == "fingerspelled"]
    assert [t.gloss for t in spelled] == ["V-A-T-A-P-Á"] and spelled[0].words == ("VATAPÁ",)
    assert spelled[0].entry is None
    assert fingerspell("shopping") == "S-H-O-P-P-I-N-G"
    # a conjugated verb with no sign is spelled as its infinitive, a name as written
    g = glosses(drafter, "A hipótese de Alfredo foi comprovada.")
    assert "C-O-M-P-R-O-V-A-R" in g and "A-L-F-R-E-D-O" in g


def test_clitics_and_compounds():
    assert split_words("Deixa-se claro: liberá-los da aula de segunda-feira.") == [
        "Deixa", "se", "claro", "liberá", "los", "da", "aula", "de", "segunda-feira",
    ]  # fmt: skip


def test_known_multiword_sign_is_one_token(drafter):
    g = glosses(drafter, "O presidente dos Estados Unidos visitou o Brasil.")
    assert "ESTADOS-UNIDOS" in g and "ESTADOS" not in g
    assert "ANO-PASSADO" in glosses(drafter, "Fomos à praia no ano passado.")
    # a sign INES usually fingerspells keeps its entry and says it is spelled
    dia = next(t for t in drafter.draft("Hoje é um dia bonito.") if t.source == "dia")
    assert (dia.gloss, dia.kind) == ("D-I-A", "fingerspelled") and dia.entry is not None


def test_questions_keep_their_mark_but_f1_ignores_it(drafter):
    tokens = drafter.draft("Você tem o pincel para pintar?")
    assert tokens[-1].gloss == "?" and tokens[-1].kind == "punct"
    assert "?" not in draft_words(tokens)
    assert gloss_words("PINTAR-PINCEL VOCÊ TER?") == ["PINTAR", "PINCEL", "VOCÊ", "TER"]


def test_tokens_link_to_dictionary_and_gallery(drafter):
    cafe = SimpleNamespace(id=7, gloss="café", video_path=None)
    tokens = api.draft_gloss("Eu tomo café com leite.", gallery=[cafe], drafter=drafter)
    by_gloss = {t.gloss: t for t in tokens}
    assert by_gloss["CAFÉ"].sign is cafe and by_gloss["CAFÉ"].entry is not None
    assert by_gloss["EU"].sign is None
    d = by_gloss["CAFÉ"].to_dict()
    assert d["sign"] == {"id": 7, "gloss": "café", "video": None}
    assert d["entry"]["gloss"] == "CAFÉ"
    json.dumps([t.to_dict() for t in tokens], ensure_ascii=False)


def test_bad_input_and_missing_tables(drafter, tmp_path):
    with pytest.raises(EmptyInputError):
        api.draft_gloss("   ", drafter=drafter)
    assert api.draft_gloss("😀 Obrigado!", drafter=drafter)[0].words == ("OBRIGADO",)
    with pytest.raises(ModelMissingError, match=r"python -m training\.text draft"):
        Drafter.load(tmp_path)
    for broken in ("[1, 2]", '{"format": 9}', "{not json"):
        (tmp_path / "draft.json").write_text(broken)
        with pytest.raises(BundleMismatchError, match=r"draft\.json"):
            Drafter.load(tmp_path)


def test_token_f1_by_hand():
    assert token_prf(["EU", "IR", "IR"], ["EU", "IR", "CASA"]) == pytest.approx(
        (2 / 3, 2 / 3, 2 / 3)
    )
    assert token_prf([], []) == (1.0, 1.0, 1.0)
    assert token_prf(["EU"], []) == (0.0, 0.0, 0.0)
    m = mean_token_prf([["A", "B"], ["C"]], [["A"], ["D"]])
    assert m == {"draft_precision": 0.25, "draft_recall": 0.5, "draft_f1": pytest.approx(0.3333)}


# -- learning the tables ------------------------------------------------------------------
PAIRS = [  # real INES example pairs (training split)
    ("Eu ganhei um troféu no campeonato de natação.", "NATAÇÃO CAMPEONATO EU GANHAR TROFÉU."),
    ("O cavalo é muito manso.", "CAVALO MANS@."),
    ("O homem roubou a bicicleta do menino.", "HOMEM ROUBAR BICICLETA MENIN@."),
    ("Sábado eu vou ao casamento de meu primo.", "SÁBADO EU IR CASAMENTO PRIM@."),
    ("Eu consegui entrar na faculdade.", "FACULDADE EU CONSEGUIR ENTRAR."),
    ("Ele aceitou o desafio no jogo de xadrez.", "EL@ DESAFIO ACEITAR XADREZ."),
    ("Ontem eu fui ao cinema.", "ONTEM EU IR CINEMA."),
]


def test_learning_leaves_out_what_glosses_leave_out():
    from training.text.corpus import Pair
    from training.text.draft import learn_tables

    pairs = [Pair(s, g) for s, g in PAIRS]
    tables = learn_tables(pairs, Dictionary([]), keep=0.4, min_count=2)
    assert tables.words["o"] == "" and tables.words["de"] == "" and tables.words["no"] == ""
    assert tables.words["eu"] == "EU"
    assert tables.written["MENINO"] == "MENIN@"
    drafter = Drafter(tables, Dictionary([]))
    g = [t.gloss for t in drafter.draft("O menino ganhou o jogo.")]
    assert g == ["MENIN@", "GANHAR", "J-O-G-O"]


# -- CLI ----------------------------------------------------------------------------------
def _run(argv):
    from signlookup.text.cli import register

    parser = argparse.ArgumentParser(prog="signlookup")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args)


@pytest.fixture
def bundle_with_draft(tmp_path):
    sentences = ["O gato está embaixo da mesa.", "Minha amiga detesta passear."]
    glosses_ = ["GAT@ MESA EMBAIXO.", "AMIG@ ME@ DETESTAR PASSEAR."]
    (tmp_path / "index.json").write_text(json.dumps({
        "format": 1, "fusion_weight": 0.8, "embedding_dim": 0, "model_sha256": "",
        "glosses": glosses_, "sentences": sentences, "sentence_gloss": [0, 1],
    }))  # fmt: skip
    Dictionary([]).save(tmp_path / "dictionary.json")
    words = {"o": "", "está": "", "da": "", "minha": "MEU", "gato": "GATO", "amiga": "AMIGO"}
    written = {
        "GATO": "GAT@",
        "AMIGO": "AMIG@",
        "MEU": "ME@",
        "MESA": "MESA",
        "DETESTAR": "DETESTAR",
    }
    DraftTables(words, {}, written, {}).save(tmp_path / "draft.json")
    pairs = tmp_path / "pairs.csv"
    rows = "\n".join(f'"{s}","{g}"' for s, g in zip(sentences, glosses_, strict=True))
    pairs.write_text("example_pt,example_gloss\n" + rows + "\n", encoding="utf-8")
    return tmp_path, pairs


def test_cli_gloss_json_carries_the_draft(bundle_with_draft, capsys):
    bundle, _ = bundle_with_draft
    assert _run(["gloss", "O gato está embaixo da mesa.", "--json", "--bundle", str(bundle)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["draft"]["canonical"] == "GATO EMBAIXO MESA"
    assert out["draft"]["gloss"] == "GAT@ E-M-B-A-I-X-O MESA"
    assert out["examples"][0]["gloss"] == "GAT@ MESA EMBAIXO."
    assert _run(["gloss", "O gato está embaixo da mesa.", "--bundle", str(bundle)]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Draft: GAT@") and "examples, not a translation" in text


def test_cli_text_eval_reports_draft_f1(bundle_with_draft, capsys):
    bundle, pairs = bundle_with_draft
    assert _run(["text-eval", "--pairs", str(pairs), "--bundle", str(bundle)]) == 0
    m = json.loads(capsys.readouterr().out)
    # GAT@ E-M-B-A-I-X-O MESA and ME@ AMIG@ DETESTAR P-A-S-S-E-A-R: every word right
    assert m["draft_precision"] == 1.0 and m["draft_recall"] == 1.0 and m["draft_f1"] == 1.0
    # a bundle without draft tables reports retrieval only: tests/test_text.py::test_cli_text_eval
