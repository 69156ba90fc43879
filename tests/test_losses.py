"""Casualty and equipment extractors: rule families on sentences of our own, and the seeds."""

import pytest

from conftest import GOLD, ROOT, SEEDS
from toolkit import Document, evaluate, extract, load_corpus

SENTENCES = ROOT / "tests" / "sentences" / "losses.jsonl"


@pytest.fixture(scope="module")
def sentence_results():
    return extract(load_corpus(SENTENCES), ["casualties", "equipment"])


@pytest.fixture(scope="module")
def seed_results():
    return extract(load_corpus(SEEDS), ["casualties", "equipment"])


def _rows(results, table, text_start):
    documents = results.documents
    doc_id = documents.filter(documents["text"].str.starts_with(text_start))["doc_id"][0]
    frame = results[table].filter(results[table]["doc_id"] == doc_id)
    return frame


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("L'armée a annoncé que 35", [(35, None, "exact", "killed", "militants")]),  # passive
        ("Les forces gouvernementales ont éliminé", [(300, None, "at_least", "killed", "militants")]),  # active
        ("L'élimination de 43", [(43, 43, "exact", "killed", "militants")]),  # nominalisation
        ("Parmi les morts figurent 4", [(4, 4, "exact", "killed", "civilians")]),
        ("L'attaque a fait 18 morts", [(18, 18, "exact", "killed", None), (50, 50, "approx", "wounded", None)]),
        ("Des dizaines de civils", [(10, None, "vague", "killed", "civilians")]),
        ("Près de 150 rebelles", [(150, 150, "approx", "surrendered", "militants")]),
        ("Deux journalistes", [(2, 2, "exact", "missing", "people")]),
        ("Les frappes ont tué trois commandants de Daech", [(3, 3, "exact", "killed", "ISIS")]),
        ("The airstrike killed 11 Hezbollah", [(11, 11, "exact", "killed", "Hezbollah")]),
        ("Between 30 and 40 insurgents", [(30, 40, "range", "captured", "militants")]),
        ("The death toll rose to 85", [(85, 85, "exact", "killed", None)]),
        ("The rebels took 40 soldiers prisoner", [(40, 40, "exact", "captured", "soldiers")]),
        ("Aucun soldat n'a été blessé", [(9, 9, "exact", "killed", "militants")]),  # negated clause left out
        ("No soldiers were killed, but 6", [(6, 6, "exact", "wounded", None)]),
    ],
)
def test_casualty_forms(sentence_results, sentence, expected):
    rows = _rows(sentence_results, "casualties", sentence)
    assert sorted(rows.select("count_min", "count_max", "qualifier", "status", "group").rows()) == sorted(
        (a, b if b is not None or q in ("at_least", "vague") else a, q, s, g) for a, b, q, s, g in expected
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "Le ministère a démenti",  # denial
        "Les troupes ont encerclé",  # encircled
        "Une opération visant à éliminer",  # aim
        "Quelque 40.000 civils vivent",  # population
        "L'aviation a effectué 120 sorties",  # sorties and strikes
        "Les forces ont libéré 12 localités",  # territory
        "The army denied reports",
        "An estimated 125,000 civilians",
        "The coalition carried out 300 airstrikes",
        "Commanders plan to kill",  # aim
        "La Russie a livré 30 chars",  # deliveries
        "The brigade has 90 tanks",  # holdings
        "Les frappes n'ont détruit aucun char",
    ],
)
def test_numbers_that_are_not_losses(sentence_results, sentence):
    assert _rows(sentence_results, "casualties", sentence).height == 0
    assert _rows(sentence_results, "equipment", sentence).height == 0


def test_hedged_claims_are_flagged(sentence_results):
    assert _rows(sentence_results, "casualties", "Entre 10 et 15 soldats auraient")["hedged"].to_list() == [True]
    assert _rows(sentence_results, "casualties", "Up to 25 ISIS militants may have")["hedged"].to_list() == [True]
    assert _rows(sentence_results, "casualties", "The ministry said 45")["hedged"].to_list() == [False]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("L'aviation russe a détruit 12 chars", [(12, "tank", "destroyed"), (8, "armoured_vehicle", "destroyed")]),
        ("Les soldats se sont emparés", [(5, "mlrs", "captured"), (20, "weapon", "captured")]),
        ("Deux voitures piégées", [(2, "vbied", "destroyed")]),
        ("L'ennemi a abandonné 6", [(6, "artillery", "abandoned")]),
        ("Un hélicoptère et 4 drones", [(1, "aircraft", "destroyed"), (4, "drone", "destroyed")]),
        ("Plus de 30 pick-up armés", [(30, "technical", "destroyed")]),
        ("At least 12 pickup trucks", [(12, "technical", "destroyed")]),
        ("Two fighter jets were damaged", [(2, "aircraft", "damaged")]),
        ("Five car bombs", [(5, "vbied", "destroyed")]),
    ],
)
def test_equipment_forms(sentence_results, sentence, expected):
    rows = _rows(sentence_results, "equipment", sentence)
    assert sorted(rows.select("count_min", "category", "status").rows()) == sorted(expected)


def test_list_governed_by_one_verb(seed_results):
    rows = seed_results["equipment"].filter(seed_results["equipment"]["doc_id"].str.starts_with("000"))
    assert sorted(rows.select("count_min", "category").rows()) == [
        (17, "vbied"), (21, "mlrs"), (27, "tank"), (51, "depot"), (67, "fortification"), (149, "technical")]
    assert set(rows["status"]) == {"destroyed"}


def test_evidence_spans_point_into_the_text(sentence_results):
    texts = dict(sentence_results.documents.select("doc_id", "text").rows())
    for table in ("casualties", "equipment"):
        for row in sentence_results[table].iter_rows(named=True):
            assert texts[row["doc_id"]][row["start"] : row["end"]] == row["text"]


@pytest.mark.parametrize("table", ["casualties", "equipment"])
def test_seed_scores(seed_results, table):
    scores = evaluate(GOLD, seed_results).scores
    assert scores.filter(scores["table"] == table)["f1"][0] >= 0.95


@pytest.mark.parametrize("table", ["casualties", "equipment"])
def test_sentence_set_scores(sentence_results, table):
    scores = evaluate(SENTENCES, sentence_results).scores
    assert scores.filter(scores["table"] == table)["f1"][0] >= 0.95


BROKEN_LISTS = {
    # the parser hangs the first item on the reporting noun and the others on the verb
    "Il fait également état de 278 avions, 261 hélicoptères et 1 537 drones abattus.": [
        (278, "aircraft", "destroyed"), (261, "aircraft", "destroyed"), (1537, "drone", "destroyed")],
    # "destroyed" read as a relative clause of the first item
    "The army reported 12 tanks, 4 trucks and 3 artillery pieces destroyed.": [
        (12, "tank", "destroyed"), (4, "vehicle", "destroyed"), (3, "artillery", "destroyed")],
    # a verb with an object after the list is what the list did, not what happened to it
    "Militants with 12 tanks, 4 trucks and 3 artillery pieces destroyed the village.": [],
}


@pytest.mark.parametrize("sentence", BROKEN_LISTS)
def test_a_participle_after_a_list_applies_to_every_item(sentence):
    lang = "fr" if " de " in sentence else "en"
    rows = extract([Document(doc_id="d", text=sentence, lang=lang)], ["equipment"])["equipment"]
    assert sorted(rows.select("count_min", "category", "status").rows()) == sorted(BROKEN_LISTS[sentence])


ITEMS_WITHOUT_NOUN = {
    # a list whose noun is given once: each item before its place counts that noun
    ("fr", "Quatorze drones ont été abattus au-dessus de la région de Briansk, huit au-dessus de celle de Tambov et cinq dans la région d'Oulianovsk."): [
        ("equipment", 14, "drone"), ("equipment", 8, "drone"), ("equipment", 5, "drone")],
    ("en", "Air defences destroyed 14 drones over the Bryansk region, eight over the Tambov region and five over the Oryol region."): [
        ("equipment", 14, "drone"), ("equipment", 8, "drone"), ("equipment", 5, "drone")],
    ("fr", "Les forces ont capturé 200 combattants, dont 116 à Zaouïa et environ 75 à Aïn Zara."): [
        ("casualties", 200, "captured"), ("casualties", 116, "captured"), ("casualties", 75, "captured")],
    # a partitive is not such an item, and nothing counted before means nothing is counted
    ("fr", "Les FAMa ont détruit 14 chars, deux de leurs véhicules et 3 motos."): [
        ("equipment", 14, "tank"), ("equipment", 2, "vehicle"), ("equipment", 3, "vehicle")],
    ("en", "Rockets were fired at 3 villages, and 40 in the south were hit."): [],
}


@pytest.mark.parametrize(("lang", "sentence"), ITEMS_WITHOUT_NOUN)
def test_a_list_item_without_a_noun_counts_the_noun_of_the_first(lang, sentence):
    results = extract([Document(doc_id="d", text=sentence, lang=lang)], ["casualties", "equipment"])
    found = [("casualties", row["count_min"], row["status"]) for row in results["casualties"].to_dicts()]
    found += [("equipment", row["count_min"], row["category"]) for row in results["equipment"].to_dicts()]
    assert sorted(found) == sorted(ITEMS_WITHOUT_NOUN[(lang, sentence)])
