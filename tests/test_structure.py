"""The sentence-structure reader and the loss figures built on it, rule family by rule family,
on sentences of our own in both languages (hard negatives included)."""

import pytest

from toolkit import Document, extract
from toolkit.nlp import load_pipeline
from toolkit.structure import counted_head, governing_predicate, noun_phrase

# (lang, sentence, casualties as (count_min, status, group), equipment as (count_min, category, status))
CASES = {
    # the predicate of the figure's own clause, not the nearest one
    "own_predicate_fr": ("fr", "Trois soldats ont été tués et 12 autres ont été blessés.", [(3, "killed", "soldiers"), (12, "wounded", "soldiers")], []),
    "own_predicate_fr_2": ("fr", "Le chef a été blessé et 9 commandants ont été éliminés.", [(9, "killed", "commanders")], []),
    "own_predicate_en": ("en", "The commander was wounded and 9 fighters were killed.", [(9, "killed", "militants")], []),
    "blocker_elsewhere_en": ("en", "Four tanks that the army had received have been destroyed.", [], [(4, "tank", "destroyed")]),
    "equipped_is_no_blocker_en": ("en", "Six cars equipped with machine guns were eliminated.", [], [(6, "technical", "destroyed")]),
    # words between the count and the head noun
    "between_en": ("en", "Near Hawija, two strikes destroyed 14 fighting positions, a storage facility and a heavy machine gun.", [], [(14, "fortification", "destroyed"), (1, "depot", "destroyed"), (1, "weapon", "destroyed")]),
    "between_fr": ("fr", "L'aviation a détruit une grande base et 16 unités de véhicules blindés.", [], [(1, "facility", "destroyed"), (16, "armoured_vehicle", "destroyed")]),
    "parenthesis_fr": ("fr", "Cinq combattants (du GNA) ont été tués.", [(5, "killed", "militants")], []),
    "classifier_en": ("en", "The strikes destroyed 11 mortar systems.", [], [(11, "artillery", "destroyed")]),
    # category from the modifiers of the noun phrase
    "modifier_fr": ("fr", "L'armée a détruit 14 véhicules dotés de mitrailleuses.", [], [(14, "technical", "destroyed")]),
    "modifier_en": ("en", "Aircraft destroyed 9 vehicles fitted with heavy machine guns.", [], [(9, "technical", "destroyed")]),
    "and_other_en": ("en", "Russian forces have destroyed 1,063 tanks and other armoured vehicles.", [], [(1063, "armoured_vehicle", "destroyed")]),
    # coordination and ellipsis
    "gapping_fr": ("fr", "Deux soldats ont été tués et quatre autres pendant les affrontements.", [(2, "killed", "soldiers"), (4, "killed", "soldiers")], []),
    "another_fr": ("fr", "Un gendarme a été tué, un autre a été blessé.", [(1, "killed", "soldiers"), (1, "wounded", "soldiers")], []),
    "another_en": ("en", "One policeman was killed and another was wounded.", [(1, "killed", "soldiers"), (1, "wounded", "soldiers")], []),
    "in_addition_en": ("en", "Seven commanders have been killed, in addition to about 40 militants.", [(7, "killed", "commanders"), (40, "killed", "militants")], []),
    "list_one_verb_fr": ("fr", "Douze chars, 4 lance-roquettes et 30 camions ont été détruits.", [], [(12, "tank", "destroyed"), (4, "mlrs", "destroyed"), (30, "vehicle", "destroyed")]),
    "own_object_en": ("en", "The attack killed 14 and wounded 30 others.", [(14, "killed", None), (30, "wounded", "people")], []),
    # status conventions
    "neutralised_fr": ("fr", "Vingt-sept (27) terroristes ont été neutralisés.", [(27, "casualties", "militants")], []),
    "neutralised_en": ("en", "Troops neutralised 6 terrorists near Biu.", [(6, "casualties", "militants")], []),
    "out_of_action_fr": ("fr", "L'armée a mis hors de combat une vingtaine de jihadistes.", [(20, "casualties", "militants")], []),
    "killed_or_wounded_en": ("en", "Dozens of militiamen have been killed or injured.", [(12, "casualties", "militants")], []),
    "morts_et_blesses_fr": ("fr", "L'attaque a fait 12 morts et blessés.", [(12, "casualties", None)], []),
    "cost_lives_fr": ("fr", "Les combats ont coûté la vie à 14 soldats.", [(14, "killed", "soldiers")], []),
    "captured_equipment_en": ("en", "Troops recovered 14 AK-47 rifles and captured two gun trucks.", [], [(14, "weapon", "captured"), (2, "technical", "captured")]),
    "losses_listed_fr": ("fr", "Les pertes de l'ennemi s'élèvent à 15 chars et 78 véhicules.", [], [(15, "tank", "destroyed"), (78, "vehicle", "destroyed")]),
    "light_verb_en": ("en", "Among the seized items were 48 rifles.", [], [(48, "weapon", "captured")]),
    # numbers
    "thousands_in_french": ("fr", "Selon le ministère, 8,000 combattants ont été tués.", [(8000, "killed", "militants")], []),
    "two_dozen_en": ("en", "The raid killed two dozen insurgents.", [(24, "killed", "militants")], []),
    "agent_fr": ("fr", "Douze soldats ont tué trois civils.", [(3, "killed", "civilians")], []),  # the soldiers did it
    "plus_de_is_a_figure_fr": ("fr", "Les combats ont fait plus de 1.800 morts depuis le 15 avril.", [(1800, "killed", None)], []),
    "participle_object_en": ("en", "The army repelled the attack, killing about 40 assailants.", [(40, "killed", "militants")], []),
    "verb_joined_list_en": ("en", "The General Staff reported that Russian forces had lost 1,210 personnel, 48 artillery systems and 63 drones.", [(1210, "casualties", "soldiers")], [(48, "artillery", "destroyed"), (63, "drone", "destroyed")]),
    "put_at_en": ("en", "Overall, Kyiv puts Russian losses at 4,708 tanks and 6,640 artillery systems.", [], [(4708, "tank", "destroyed"), (6640, "artillery", "destroyed")]),
    "auxiliary_head_en": ("en", "Also recovered were 31 rounds of ammunition and five motorcycles.", [], [(5, "vehicle", "captured")]),
    "listed_en": ("en", "Among targets destroyed, the ministry listed a Patriot launcher and three tanks.", [], [(1, "air_defense", "destroyed"), (3, "tank", "destroyed")]),
    "readme_example_fr": ("fr", "Selon le ministère, « 67 bastions, 27 chars et 17 véhicules dotés de mitrailleuses ont été détruits », et 12 autres ont été capturés.",
                          [], [(67, "fortification", "destroyed"), (27, "tank", "destroyed"), (17, "technical", "destroyed"), (12, "vehicle", "captured")]),
    "up_to_en": ("en", "The battle has wounded up to 2,470 people.", [(2470, "wounded", "people")], []),
    # a list after a colon whose noun the parser reads as an adjective of the figure
    "after_colon_fr": ("fr", "Le bilan est le suivant : 17 terroristes neutralisés près d'un hameau et 12 motos récupérées.", [(17, "casualties", "militants")], [(12, "vehicle", "captured")]),
}

NEGATIVES = {
    "age_en": ("en", "The soldier was 21 when he was killed."),
    "age_fr": ("fr", "Le soldat, âgé de 21 ans, a été tué."),
    "hyphen_age_en": ("en", "A 34-year-old man was wounded."),
    "url_en": ("en", "Read more at https://example.org/2019/killed-12-soldiers today."),
    "date_en": ("en", "Between February 24 and May 2 the front did not move."),
    "unit_fr": ("fr", "La 72e brigade a été déployée près de Bakhmout."),
    "place_of_losses_fr": ("fr", "Les combats ont eu lieu dans une base de l'armée."),
    "place_of_losses_en": ("en", "Fighters attacked 3 outposts near the border."),
    "exodus_fr": ("fr", "Les combats ont poussé à l'exode des millions de personnes."),
    "denial_fr": ("fr", "Le ministère a démenti la mort de 10 soldats."),
    "denial_en": ("en", "The army denied that 10 soldiers had died."),
    "negation_fr": ("fr", "Aucun soldat n'a été tué lors de l'attaque."),
    "negation_plus_fr": ("fr", "Les 40 soldats du poste n'ont plus été blessés depuis mars."),
    "negation_en": ("en", "No aircraft were lost during the operation."),
    "aim_en": ("en", "The group vowed to kill 50 soldiers."),
    "aim_fr": ("fr", "Une opération visant à éliminer 300 terroristes a été lancée."),
    "strikes_fr": ("fr", "L'armée a mené 15 frappes contre des positions jihadistes."),
    "targeted_en": ("en", "The strikes targeted 12 positions."),
    "delivered_en": ("en", "Russia has delivered 30 tanks to Syria."),
    "population_fr": ("fr", "Quelque 3 millions de personnes vivent dans la région."),
    "fled_en": ("en", "Some 5,000 people fled the fighting."),
    "toll_article_en": ("en", "Officials gave a provisional toll on Sunday."),
    "dotted_date_fr": ("fr", "Publié le 13.08 à 10h45, mis à jour dans la soirée."),
    "their_vehicles_after_wounded_fr": ("fr", "Six de leurs blindés étaient stationnés près du pont où le convoi a été attaqué."),
    "caption_after_heading_fr": ("fr", "Bilan des combats\n12 civils évacués vers l'hôpital de Gao"),
    "caption_en": ("en", "Photo: 12 soldiers on patrol near the wrecked vehicles"),
}


@pytest.fixture(scope="module")
def results():
    documents = [Document(doc_id=name, text=text, lang=lang) for name, (lang, text, *_rest) in CASES.items()]
    documents += [Document(doc_id=name, text=text, lang=lang) for name, (lang, text) in NEGATIVES.items()]
    return extract(documents, ["casualties", "equipment"])


def _rows(results, table, doc_id, columns):
    frame = results[table].filter(results[table]["doc_id"] == doc_id)
    return sorted(frame.select(columns).rows(), key=str)


@pytest.mark.parametrize("name", list(CASES))
def test_losses_by_rule_family(results, name):
    _lang, _text, casualties, equipment = CASES[name]
    assert _rows(results, "casualties", name, ["count_min", "status", "group"]) == sorted(casualties, key=str)
    assert _rows(results, "equipment", name, ["count_min", "category", "status"]) == sorted(equipment, key=str)


@pytest.mark.parametrize("name", list(NEGATIVES))
def test_numbers_that_are_not_losses(results, name):
    assert _rows(results, "casualties", name, ["count_min", "status"]) == []
    assert _rows(results, "equipment", name, ["count_min", "category"]) == []


def test_evidence_is_the_figure_in_the_text(results):
    texts = {name: text for name, (_lang, text, *_rest) in {**CASES, **NEGATIVES}.items()}
    for table in ("casualties", "equipment"):
        for row in results[table].iter_rows(named=True):
            assert row["text"] and texts[row["doc_id"]][row["start"] : row["end"]] == row["text"]


def test_rows_say_how_they_were_found(results):
    frame = results["casualties"]
    assert set(frame["found_by"]) <= {"parse", "window"}
    own = frame.filter(frame["doc_id"] == "own_predicate_fr").sort("start")
    assert own.select("found_by", "relation").rows() == [("parse", "passive_subject"), ("parse", "passive_subject")]
    gapped = frame.filter((frame["doc_id"] == "gapping_fr") & (frame["count_min"] == 4))
    assert gapped["found_by"].to_list() == ["parse"]


@pytest.mark.parametrize(
    ("lang", "text", "figure", "head", "phrase"),
    [
        ("fr", "Les frappes ont détruit 51 dépôts de munitions et 3 chars.", "51", "dépôts", "dépôts de munitions"),
        ("fr", "Des dizaines de civils ont été tués.", "Des dizaines", "civils", "civils"),
        ("en", "Strikes destroyed 16 units of armored vehicles.", "16", "vehicles", "armored vehicles"),
        ("en", "The strike killed 20.", "20", "20", "20"),
    ],
)
def test_counted_head_and_phrase(lang, text, figure, head, phrase):
    doc = load_pipeline(lang)(text)
    start = text.index(figure)
    found = counted_head(doc, start, start + len(figure), lang=lang)
    assert doc[found.index].text == head
    first, last = noun_phrase(doc[found.index])
    assert doc[first:last].text.endswith(phrase)


def test_governing_predicate_reads_the_clause():
    doc = load_pipeline("en")("The ministry said 45 soldiers were reported killed near Mosul.")
    cues = {token.i: "killed" for token in doc if token.lower_ == "killed"}
    governor = governing_predicate(doc[4], cues=cues, terms={}, lang="en")
    assert (doc[governor.index].text, governor.relation, governor.negated) == ("killed", "complement", False)
    doc = load_pipeline("en")("The strike did not kill 20 soldiers.")
    cues = {token.i: "killed" for token in doc if token.lemma_ == "kill"}
    governor = governing_predicate(doc[6], cues=cues, terms={}, lang="en")
    assert governor.negated
