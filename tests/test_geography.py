"""Geography: transliteration families, kind cues, homonyms, metonymy, relative locations, traps."""

import pytest

from conftest import GOLD, ROOT, SEEDS, score_row
from toolkit import Document, extract
from toolkit_geography.gazetteer import Gazetteer, place_keys

SENTENCES = ROOT / "tests" / "sentences" / "places.jsonl"


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer()


@pytest.mark.parametrize(
    ("spellings", "name"),
    [
        (("Deir Ezzor", "Deir ez-Zor", "Deir ez-Zur", "Dayr az Zawr"), "Deir ez-Zor"),
        (("Deraa", "Daraa", "Dar'a"), "Dar‘ā"),
        (("Idleb", "Idlib"), "Idlib"),
        (("Qaryatayne", "Al Qaryatayn", "al-Qaryatayn"), "Al Qaryatayn"),
        (("al-Mayadeen", "Mayadine", "Al Mayadin", "el-Mayadin"), "Al Mayādīn"),
        (("Tadmor", "Palmyre", "Palmyra", "Tadmur"), "Tadmur"),
        (("Maarat al-Numan", "Ma`arrat an Nu`man"), "Ma‘arrat an Nu‘mān"),
        (("Raqqa", "Rakka", "Raqqah", "ar-Raqqa"), "Ar Raqqah"),
        (("Kirkouk", "Kirkuk"), "Kirkuk"),
        (("Mossoul", "Mosul"), "Mosul"),
        (("Bakhmout", "Bakhmut"), "Bakhmut"),
    ],
)
def test_spelling_families_find_one_place(gazetteer, spellings, name):
    for spelling in spellings:
        assert name in {entry.name for entry in gazetteer.lookup(spelling)}, spelling


def test_article_elision_and_apostrophes_are_ignored():
    assert place_keys("l’Irak") == place_keys("l'Irak") == place_keys("Irak")
    assert place_keys("Deir ez‑Zor") == place_keys("Deir ez-Zor") == place_keys("DEIR EZ ZOR")


CASES = {
    "cues_fr": ("fr", "Des frappes ont visé la ville de Homs et les deux provinces d'Idleb et de Hama."),
    "cues_en": ("en", "Fighting continued in Raqqa and Homs provinces and in the city of Deir ez-Zor."),
    "homonym": ("fr", "Dans la province de Homs, les agglomérations de Kirkouk et de Tadmor ont été reprises."),
    "metonymy": ("fr", "Moscou a exprimé son inquiétude, tandis que des combats avaient lieu près de Palmyre, en Syrie."),
    "neighbour_adjective_fr": ("fr", "Les bombardements israéliens sur la bande de Gaza ont tué 40 personnes."),
    "compound_en": ("en", "Yemen's Iran-aligned Houthis said they downed a US-made drone over Marib."),
    "metonymy_source": ("fr", "Toujours selon Kiev, les forces russes auraient perdu 40 chars près de Bakhmout."),
    "relative": ("fr", "Un convoi a été détruit à 45 kilomètres à l'est de la ville de Deir ez-Zor et à 8 km de Mayadine."),
    "traps": ("fr", "Les forces syriennes et l'aviation russe ont frappé Ahrar al-Sham. Selon Sana, les Forces démocratiques syriennes avancent."),
    "elision": ("fr", "Des combattants venus d'Irak et de l'Iran sont arrivés aux États-Unis."),
    "demonym": ("fr", "Le jordanien, originaire de la ville de Maan, a été tué en Syrie."),
    # divisions beyond the Middle East, and their namesakes in other countries refused
    "divisions_en": ("en", "Rebels attacked army posts in North Kivu, while insurgents struck in Cabo Delgado province and in Borno State."),
    "divisions_fr": ("fr", "L'attaque a eu lieu dans la province du Lac, au Tchad, près de la frontière nigériane."),
    # a name the model reads as a person is one place, not two
    "split_fr": ("fr", "La coalition a bombardé Tal Afar, à 60 km à l'ouest de Mossoul."),
    # "near", "près de", "the X direction": a place follows, even where the model reads a person
    "place_cue_en": ("en", "Near Tal Afar, a strike destroyed a mortar in Iraq. Two jets were shot down in the Tartar direction, Azerbaijan said."),
    "place_cue_fr": ("fr", "Deux soldats ont été tués près de Ménaka, au Mali."),
    # a generic cue never reaches past the next name: "Zaporozhye Region" keeps its own cue
    "place_cue_reach_en": ("en", "Jets were downed near Vasilyevka in the Zaporozhye Region of Ukraine."),
    # a namesake with a cue in a country the document does not speak of stays unplaced in its country
    # a division named after its main town, in any country; lists of names share the cue after the last
    "town_divisions_en": ("en", "Drones were downed over the Volgograd Region and over the Kursk, Voronezh, Tula and Tambov regions."),
    "town_divisions_fr": ("fr", "Une frappe a touché la région de Tabriz, dans l'ouest de l'Iran, et l'État de Borno."),
    # a cue word is not a name; a division cue never gives a country ("Chin State" is not China)
    "cue_words_en": ("en", "Clashes in Myanmar's Chin State and in the Shan State left 12 dead, the junta said."),
    "coordinated_capitals_fr": ("fr", "Washington et Paris mènent depuis janvier des frappes contre les positions houthies au Yémen."),
    # a large city's own name in French, spelt unlike its English one
    "exonym_fr": ("fr", "Des pourparlers sur la guerre au Yémen ont eu lieu à Londres, puis à Moscou."),
    # a town of a neighbouring country the text never names, far from every place it names
    "stray_neighbour_fr": ("fr", "Niamey (AFP) - Sept soldats ont été tués dans une attaque à Boni, au Niger, près de la frontière avec le Burkina Faso."),
    # a ligature before a cue ("nœud") does not move the words read around the names
    "ligature_fr": ("fr", "Les habitants de Pokrovsk, nœud ferroviaire de la région de Donetsk, doivent évacuer."),
    # a dateline's place in capitals; the countryside of a city is its province
    "dateline_caps_en": ("en", "RAWALPINDI, Pakistan (AP) — Troops killed six militants, the army said.\nUNHCR said 300 people fled."),
    "countryside_en": ("en", "Airstrikes hit the southern Idlib countryside and the eastern Deir ez-Zor countryside."),
    "countryside_fr": ("fr", "Des frappes ont visé la campagne est de Deir Ezzor et le rif d'Alep, ainsi que la banlieue de Damas."),
    "myanmar_en": ("en", "The Arakan Army seized towns in Rakhine State while fighting spread to northern Shan state and the Sagaing region."),
    # a dateline the model reads as a verb or splits at its apostrophe; "The" before a cue word
    "dateline_verb_en": ("en", "ERBIL — A shell fired from across the river killed two."),
    "dateline_apostrophe_fr": ("fr", "N'DJAMENA - Une quarantaine de militaires tchadiens ont été tués."),
    "stop_word_en": ("en", "Paramilitaries stormed El Obeid in North Kordofan. The town fell the same weekend."),
    # a town of a country kept whole that the model reads as a name
    "read_as_name_en": ("en", "ELN guerrillas attacked an army battalion in Aguachica, in northern Colombia, killing four soldiers."),
    "cued_namesake_fr": ("fr", "Des combats ont eu lieu dans le sud du Liban, dans la localité de Bayada, selon l'armée libanaise."),
    # the division or country said to hold a place decides among its namesakes, or leaves it unplaced there
    "container_fr": ("fr", "Cinq assaillants ont été tués à Daka, dans la province du Sourou, au Burkina Faso."),
    "container_en": ("en", "Dissidents attacked the town of Buenos Aires, in Cauca, on Thursday."),
    # world cities in a paragraph on a province; capitals standing for governments as objects or complements
    "world_cities_fr": ("fr", "Dans la province d'Idleb, Washington a accusé Damas et réclamé une réunion à New York avec l'appui de Moscou."),
    "object_capital_fr": ("fr", "Kinshasa accuse Kigali d'avoir déployé des soldats au Nord-Kivu."),
    # family names after an Arabic article; parts of a division the gazetteer lacks; lists with figures
    "family_name_fr": ("fr", "Le régime de Bachar al-Assad a bombardé Saraqeb, dans la province d'Idleb."),
    "compound_division_fr": ("fr", "Les localités de Kolofata et d'Amchidé, dans le département du Mayo-Sava, ont été attaquées."),
    "listed_figures_fr": ("fr", "Des drones ont été abattus au-dessus des régions de Briansk (22 drones), de Koursk (sept drones) et de Belgorod (cinq drones)."),
    # a city's own name in another language; demonyms of the whole text; a village spelt like a
    # namesake in a country the text never speaks of; the head of a longer unknown name; models
    "exonym_demonym_fr": ("fr", "Haut-Karabakh : Bakou reconnaît la perte de neuf soldats\nNeuf soldats azerbaïdjanais ont été tués, selon le ministère."),
    "unspoken_namesake_fr": ("fr", "Au Mali, des frappes ont visé les villages de Dianwély et Bima, non loin de Konna."),
    "longer_name_fr": ("fr", "Une trentaine de combattants ont été tués près d'Adan Yabaal, dans la région du Moyen-Shabelle, en Somalie."),
    "designation_fr": ("fr", "Des hélicoptères Tigre et des drones Reaper ont appuyé l'opération Barkhane dans la région de Mopti."),
    "designation_en": ("en", "French Tigre helicopters struck a convoy near Gao, in Mali."),
    # "celle de" stands for the cue named before; districts and sectors are localities
    "antecedent_cue_fr": ("fr", "Quatorze drones ont été abattus au-dessus de la région de Briansk, huit au-dessus de celle de Tambov et trois dans celle d'Orel."),
    "district_cues_fr": ("fr", "Des combats ont eu lieu dans le secteur de Kolongo, cercle de Douentza, et dans l'arrondissement de Bankilaré."),
    "lake_en": ("en", "Troops pursued the insurgents towards the shores of Lake Chad."),
    # a division the bare name of its main town means, and the town named as such
    "strip_en": ("en", "The Health Ministry said 40 Palestinians were killed in Gaza, including 12 in Gaza City."),
}


@pytest.fixture(scope="module")
def places():
    results = extract([Document(doc_id=name, text=text, lang=lang) for name, (lang, text) in CASES.items()], ["places"])
    return results["places"]


def _rows(places, name):
    return places.filter(places["doc_id"] == name).sort("start").to_dicts()


def test_kind_from_cues_fr(places):
    found = [(row["text"], row["kind"], row["name"]) for row in _rows(places, "cues_fr")]
    assert found == [("Homs", "locality", "Homs"), ("Idleb", "admin1", "Idlib Governorate"), ("Hama", "admin1", "Hama Governorate")]


def test_kind_from_cues_en(places):
    found = [(row["text"], row["kind"]) for row in _rows(places, "cues_en")]
    assert found == [("Raqqa", "admin1"), ("Homs", "admin1"), ("Deir ez-Zor", "locality")]


def test_homonym_outside_the_named_division_is_left_unplaced(places):
    rows = {row["text"]: row for row in _rows(places, "homonym")}
    assert rows["Kirkouk"]["lat"] is None and rows["Kirkouk"]["confidence"] < 0.5
    assert rows["Kirkouk"]["country"] == "SY"
    assert rows["Tadmor"]["country"] == "SY" and rows["Tadmor"]["lat"] == pytest.approx(34.56, abs=0.1)


def test_capital_standing_for_a_government_is_flagged(places):
    rows = {row["text"]: row for row in _rows(places, "metonymy")}
    assert rows["Moscou"]["metonymic"] is True
    assert rows["Palmyre"]["metonymic"] is False and rows["Palmyre"]["country"] == "SY"


def test_capitals_that_act_together_are_both_governments(places):
    rows = {row["text"]: row for row in _rows(places, "coordinated_capitals_fr")}
    assert rows["Washington"]["metonymic"] and rows["Paris"]["metonymic"] and not rows["Yémen"]["metonymic"]


def test_a_french_name_of_a_large_city_abroad_is_that_city(places):
    assert [(row["text"], row["name"], row["country"]) for row in _rows(places, "exonym_fr")][1:] == [
        ("Londres", "London", "GB"), ("Moscou", "Moscow", "RU")]


def test_a_far_town_of_an_unnamed_neighbour_is_left_unplaced(places):
    boni = next(row for row in _rows(places, "stray_neighbour_fr") if row["text"] == "Boni")
    assert (boni["country"], boni["lat"]) == ("NE", None) and boni["confidence"] < 0.5


def test_a_ligature_does_not_shift_the_cues(places):
    donetsk = next(row for row in _rows(places, "ligature_fr") if row["text"] == "Donetsk")
    assert (donetsk["name"], donetsk["kind"]) == ("Donetsk Oblast", "admin1")


def test_a_dateline_place_in_capitals_is_a_place_and_an_acronym_is_not(places):
    assert [(row["text"], row["name"]) for row in _rows(places, "dateline_caps_en")] == [("RAWALPINDI", "Rawalpindi"), ("Pakistan", "Pakistan")]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("countryside_en", [("Idlib Governorate", "admin1"), ("Deir ez-Zor Governorate", "admin1")]),
        ("countryside_fr", [("Deir ez-Zor Governorate", "admin1"), ("Aleppo Governorate", "admin1"), ("Damascus", "locality")]),
    ],
)
def test_the_countryside_of_a_city_is_its_province_and_its_suburbs_the_city(places, name, expected):
    assert [(row["name"], row["kind"]) for row in _rows(places, name)] == expected


def test_states_and_regions_of_myanmar(places):
    found = [(row["name"], row["kind"], row["country"]) for row in _rows(places, "myanmar_en")]
    assert found == [("Rakhine State", "admin1", "MM"), ("Shan State", "admin1", "MM"), ("Sagaing Region", "admin1", "MM")]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("dateline_verb_en", ["Erbil"]),
        ("dateline_apostrophe_fr", ["N'Djamena"]),
        ("stop_word_en", ["El Obeid", "North Kordofan State"]),
        ("read_as_name_en", ["Aguachica", "Colombia"]),
    ],
)
def test_datelines_and_stop_words(places, name, expected):
    assert [row["name"] for row in _rows(places, name)] == expected


def test_relative_locations_keep_distance_and_direction(places):
    rows = {row["text"]: row for row in _rows(places, "relative")}
    assert (rows["Deir ez-Zor"]["distance_km"], rows["Deir ez-Zor"]["direction"]) == (45.0, "E")
    assert (rows["Mayadine"]["distance_km"], rows["Mayadine"]["direction"]) == (8.0, None)
    assert rows["Mayadine"]["name"] == "Al Mayādīn"


def test_adjectives_organisations_and_outlets_are_not_places(places):
    assert _rows(places, "traps") == []


def test_country_names_with_elision_and_article(places):
    assert [row["country"] for row in _rows(places, "elision")] == ["IQ", "IR", "US"]


def test_demonym_in_the_sentence_picks_the_namesake(places):
    rows = {row["text"]: row for row in _rows(places, "demonym")}
    assert rows["Maan"]["country"] == "JO" and rows["Maan"]["name"] == "Ma'an"


def test_first_level_divisions_of_other_conflict_regions(places):
    found = {(row["name"], row["kind"], row["country"]) for row in _rows(places, "divisions_en")}
    assert {("North Kivu Province", "admin1", "CD"), ("Cabo Delgado Province", "admin1", "MZ"), ("Borno State", "admin1", "NG")} <= found
    assert not any(row["country"] in ("UA", "ZA") for row in _rows(places, "divisions_en"))  # not Kyiv, not Cape Town
    lake = next(row for row in _rows(places, "divisions_fr") if row["text"] == "Lac")
    assert (lake["name"], lake["country"]) == ("Lac Province", "TD")


def test_a_division_named_after_its_main_town(places):
    found = [(row["text"], row["kind"], row["country"]) for row in _rows(places, "town_divisions_en")]
    assert found == [(name, "admin1", "RU") for name in ("Volgograd", "Kursk", "Voronezh", "Tula", "Tambov")]
    volgograd = _rows(places, "town_divisions_en")[0]
    assert volgograd["name"] == "Volgograd region" and volgograd["lat"] == pytest.approx(49.6, abs=1.0)
    found = {row["name"]: (row["kind"], row["country"]) for row in _rows(places, "town_divisions_fr")}
    assert found["Tabriz region"] == ("admin1", "IR") and found["Borno State"] == ("admin1", "NG")


def test_a_cue_word_is_not_a_place_of_its_own(places):
    rows = _rows(places, "cue_words_en")[1:]
    assert [(row["name"], row["kind"], row["country"]) for row in rows] == [("Chin State", "admin1", "MM"), ("Shan State", "admin1", "MM")]


def test_a_name_read_as_a_person_is_one_place(places):
    assert [(row["text"], row["country"]) for row in _rows(places, "split_fr")] == [("Tal Afar", "IQ"), ("Mossoul", "IQ")]


def test_a_cued_namesake_abroad_is_left_unplaced(places):
    bayada = next(row for row in _rows(places, "cued_namesake_fr") if row["text"] == "Bayada")
    assert (bayada["country"], bayada["lat"]) == ("LB", None) and bayada["confidence"] < 0.5


@pytest.mark.slow
def test_sentence_set_score():
    row = score_row(SENTENCES, SENTENCES, "places", "places")
    assert row["f1"] >= 0.9, row


@pytest.mark.slow
def test_seed_places():
    row = score_row(GOLD, SEEDS, "places", "places")
    assert row["f1"] >= 0.9, row


def test_a_place_cue_keeps_a_name_the_model_reads_as_a_person(places):
    rows = {row["text"]: row for row in _rows(places, "place_cue_en")}
    assert (rows["Tal Afar"]["country"], rows["Tal Afar"]["cue"]) == ("IQ", "near")
    assert (rows["Tartar"]["country"], rows["Tartar"]["cue"]) == ("AZ", "direction")
    menaka = next(row for row in _rows(places, "place_cue_fr") if row["text"] == "Ménaka")
    assert (menaka["country"], menaka["cue"]) == ("ML", "pres")


def test_a_place_cue_does_not_reach_past_the_next_name(places):
    region = next(row for row in _rows(places, "place_cue_reach_en") if row["text"].startswith("Zaporozhye"))
    assert (region["kind"], region["cue"]) == ("admin1", "region")


def test_a_capital_cited_as_a_source_is_flagged():
    rows = extract([Document(doc_id="m", text=CASES["metonymy_source"][1], lang="fr")], ["places"])["places"].sort("start").to_dicts()
    assert [(row["text"], row["metonymic"]) for row in rows] == [("Kiev", True), ("Bakhmout", False)]


def test_a_name_that_begins_a_compound_adjective_is_not_a_place(places):
    assert [row["text"] for row in _rows(places, "compound_en")] == ["Yemen", "Marib"]


def test_a_place_in_a_neighbour_of_the_country_an_adjective_names_is_kept(places):
    assert [(row["text"], row["country"]) for row in _rows(places, "neighbour_adjective_fr")] == [("Gaza", "PS")]



def test_the_division_or_country_that_holds_a_place_decides_its_namesake(places):
    daka = {row["text"]: row for row in _rows(places, "container_fr")}["Daka"]
    assert daka["country"] == "BF" and daka["lat"] is None  # never Dhaka, Bangladesh
    town = {row["text"]: row for row in _rows(places, "container_en")}["Buenos Aires"]
    assert town["country"] == "CO" and town["lat"] == pytest.approx(2.7, abs=0.5)


def test_world_cities_named_beside_a_province_are_placed(places):
    rows = {row["text"]: row for row in _rows(places, "world_cities_fr")}
    assert rows["New York"]["country"] == "US" and rows["New York"]["lat"] is not None
    assert rows["Washington"]["metonymic"] and rows["Moscou"]["metonymic"] and rows["Moscou"]["country"] == "RU"
    assert rows["Damas"]["metonymic"] and not rows["New York"]["metonymic"]


def test_a_capital_accused_by_another_is_a_government(places):
    rows = {row["text"]: row for row in _rows(places, "object_capital_fr")}
    assert rows["Kinshasa"]["metonymic"] and rows["Kigali"]["metonymic"] and not rows["Nord-Kivu"]["metonymic"]


def test_family_names_and_parts_of_unknown_divisions_are_not_places(places):
    assert [row["text"] for row in _rows(places, "family_name_fr")] == ["Saraqeb", "Idleb"]
    assert {row["text"] for row in _rows(places, "compound_division_fr")} <= {"Kolofata", "Amchidé"}


def test_divisions_listed_with_their_figures_share_the_cue(places):
    rows = _rows(places, "listed_figures_fr")
    assert [(row["text"], row["kind"], row["country"]) for row in rows] == [
        ("Briansk", "admin1", "RU"), ("Koursk", "admin1", "RU"), ("Belgorod", "admin1", "RU"),
    ]


def test_a_city_known_by_its_french_name_wins_over_a_namesake_the_text_never_speaks_of(places):
    rows = {row["text"]: row for row in _rows(places, "exonym_demonym_fr")}
    assert (rows["Bakou"]["name"], rows["Bakou"]["country"]) == ("Baku", "AZ")  # not Bako, Ethiopia


def test_a_village_spelt_like_a_namesake_abroad_stays_in_the_country_of_the_text(places):
    rows = {row["text"]: row for row in _rows(places, "unspoken_namesake_fr")}
    assert (rows["Bima"]["country"], rows["Bima"]["lat"]) == ("ML", None)  # not Bilma, Niger


def test_the_head_of_a_longer_unknown_name_is_not_a_place(places):
    assert [row["text"] for row in _rows(places, "longer_name_fr")] == ["Moyen-Shabelle", "Somalie"]  # "Adan" is not Aden


@pytest.mark.parametrize(("name", "expected"), [("designation_fr", ["Mopti"]), ("designation_en", ["Gao", "Mali"])])
def test_models_and_operations_are_not_places(places, name, expected):
    assert [row["text"] for row in _rows(places, name)] == expected


def test_gaza_alone_is_the_strip_and_gaza_city_the_town(places):
    assert [(row["text"], row["kind"]) for row in _rows(places, "strip_en")] == [("Gaza", "admin1"), ("Gaza City", "locality")]


def test_a_pronoun_for_a_cue_noun_gives_its_kind(places):
    assert [(row["text"], row["kind"], row["country"]) for row in _rows(places, "antecedent_cue_fr")] == [
        ("Briansk", "admin1", "RU"), ("Tambov", "admin1", "RU"), ("Orel", "admin1", "RU"),
    ]


def test_districts_sectors_and_lakes(places):
    assert {(row["text"], row["kind"]) for row in _rows(places, "district_cues_fr")} >= {("Douentza", "locality"), ("Bankilaré", "locality")}
    assert [(row["name"], row["kind"]) for row in _rows(places, "lake_en")] == [("Lake Chad", "feature")]
