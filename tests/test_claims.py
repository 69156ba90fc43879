"""Linked claims: source, outlet, place and period of each figure, repeated figures, claim keys."""

import datetime

import polars as pl
import pytest

from toolkit import Document, Extractor, Results, extract, link_claims, table_schema
from toolkit.claims import Layout, clause
from toolkit.schemas import CLAIMS

PUBLISHED = datetime.date(2017, 3, 6)
LEAD = (
    "Le ministère russe de la Défense a annoncé samedi que 300 terroristes avaient été éliminés en Syrie au cours "
    "des dernières vingt-quatre heures de combats intenses, selon Sputnik.\nQuatre chars ont été détruits, a ajouté le ministère."
)
CASES = {
    "quote_relayed_fr": ("fr", "«Les pertes des terroristes sont estimées à 200 individus», a annoncé le ministère de la Défense russe, rapporte RT."),
    "according_en": ("en", "Nine fighters were killed in Idlib on Sunday, according to the Syrian Observatory for Human Rights."),
    "statement_date_fr": ("fr", "Le ministère turc de la Défense a annoncé ce samedi que 16 terroristes avaient été neutralisés dans le nord de l'Irak."),
    "statement_date_en": ("en", "On Monday, the Pentagon said that 12 militants had been killed in Syria between 3 and 5 March."),
    "origin_fr": ("fr", "Selon le ministère russe de la Défense, 1.500 extrémistes venus de l'Irak ont été éliminés dans la province de Deir ez-Zor."),
    "origin_en": ("en", "The ministry said 40 fighters from Iraq were killed near Palmyra."),
    "speaker_place_en": ("en", "Russia's defence ministry said 30 militants were killed."),
    "metonymy_fr": ("fr", "Moscou a affirmé que 40 combattants avaient été tués."),
    "headline_fr": ("fr", "200 terroristes tués à Deir ez-Zor\nLe ministère russe de la Défense a annoncé que 200 terroristes avaient été tués dans la province de Deir ez-Zor du 3 au 5 mars."),
    "two_claims_fr": ("fr", "Selon l'OSDH, 20 soldats ont été tués à Alep le 3 mars. Par ailleurs, 20 soldats ont été tués à Homs le 5 mars, a indiqué l'OSDH."),
    "lead_outlet_fr": ("fr", LEAD),
    "clauses_en": ("en", "Fifteen militants were killed in Raqqa, while four soldiers were killed in Homs, the Syrian Observatory said."),
    "relay_cited_fr": ("fr", "Sergueï Choïgou a dressé le bilan de l'opération. « Près de 300 combattants ont été éliminés », a poursuivi le ministre, cité par Sputnik."),
    "relay_carried_en": ("en", "The Arab coalition said its strikes killed 140 Houthi fighters in Marib, according to a statement carried by the Saudi Press Agency."),
    "dateline_en": ("en", "KABUL (Reuters) - At least 23 Taliban fighters were killed in overnight raids, the defence ministry said."),
    "dateline_place_en": ("en", "OUAGADOUGOU (AFP) - Nine soldiers were wounded in an attack near Tougan, the army said on Sunday."),
    "landmark_fr": ("fr", "L'artillerie a pilonné des positions près de Haditha, à quelque 200 kilomètres au nord-ouest de Bagdad, faisant 19 morts."),
    "actor_country_en": ("en", "Ukraine's military says Russia lost 690 soldiers over the past day."),
    "paragraph_period_fr": ("fr", "Une attaque a visé un convoi le mardi 28 février sur l'axe Boni-Hombori. Le bilan est de 3 morts et 11 blessés."),
    "near_reference_en": ("en", "Thirty militants were killed in a strike some 12 kilometres from Jilib in the Middle Juba region, the army said."),
    "spaced_dash_dateline_fr": ("fr", "Niamey - Au moins sept soldats ont été tués dimanche près de Tillabéri, a indiqué l'armée."),
    "two_subjects_en": ("en", 'Seven soldiers were wounded and 30 "terrorists" neutralised in a weekend attack on a patrol near Djibo in Burkina Faso\'s north, the army said on Monday.'),
    "apposed_division_en": ("en", "Troops repelled an attack on Gwoza, Borno State, the army said. Soldiers killed seven insurgents."),
    "document_period_en": ("en", "Heavy fighting broke out on Saturday in the streets of the town, residents said.\nAt least 14 soldiers were killed in those clashes, the army said."),
    "background_date_en": ("en", "The group first attacked the town in October 2012.\nAt least nine soldiers were killed, the army said."),
    "heading_period_en": ("en", "Fighting on Saturday left the town in ruins, residents said.\nAnother front\nEight soldiers were killed, the army said."),
    "duration_report_en": ("en", "The army said 40 militants were killed over the past 24 hours. Six vehicles were also destroyed, the army said."),
    "dateline_date_en": ("en", "ISLAMABAD, March 5 - Troops killed 12 militants in the north, the military said."),
    "recent_hours_fr": ("fr", "« Au cours des dernières heures, 30 morts ont été retirés des décombres », a indiqué le ministère."),
    "headline_speaker_en": ("en", "Military says troops killed 40 terrorists\nThe Defence Headquarters said on Thursday that troops had killed 40 terrorists in the North-East."),
    "only_country_en": ("en", "Afghan forces killed 52 militants in overnight raids, the defence ministry said."),
    "possessive_date_en": ("en", "A provincial spokesman said Sunday's attack on three checkpoints killed nine policemen."),
    "told_dateline_outlet_en": ("en", "MOGADISHU (SMN) - Government forces killed at least 21 militants in an operation in the Hiiraan region on Thursday, the chief of the army, Gen. Abdi Nur, told state media."),
    "theatre_fr": ("fr", "Les forces armées ukrainiennes ont affirmé avoir tué quelque 540 militaires russes au cours de la journée écoulée."),
    "took_off_fr": ("fr", "Deux Mirage ont décollé de Niamey. Jeudi, quatre soldats burkinabè ont trouvé la mort dans l'explosion d'une mine, selon l'armée."),
    "seat_fr": ("fr", "Des frappes ont visé la province d'Idleb. L'OSDH, basé à Londres, a dénombré 38 morts parmi les rebelles."),
    "office_place_en": ("en", "Forty Taliban were killed in an operation in the Shindand district, officials said.\n\"Several villages were cleared,\" said a spokesman for the Herat governor.\nHe said six civilians had also been killed in the district."),
    "speaker_apposition_en": ("en", "Government troops fought the militia in the Amhara region.\nA spokesperson, Yohannes Nigusu, of Fano in Gondar, said 602 federal soldiers had been killed."),
    "told_date_en": ("en", "MAPUTO, March 6 - A joint force killed dozens of insurgents last month in Mbau, President Filipe Nyusi told reporters on Tuesday.\nAnalysts counted at least 14 bodies of armed men at the scene."),
    "region_heading_fr": ("fr", "Haut-Karabakh : Bakou reconnaît de lourdes pertes\nNeuf soldats azerbaïdjanais ont été tués, a indiqué samedi le ministère de la Défense."),
    "slash_dateline_en": ("en", "MOSCOW, December 24. /TASS/. Russian forces have shot down 10,000 Ukrainian drones, the Russian Defence Ministry said."),
    "lead_event_en": ("en", "Al-Shabaab militants killed at least seven soldiers in an attack on a military base north of Kismayo, regional officials told reporters.\nFighters stormed the base at dawn on Sunday, officials said."),
    "paragraph_en": ("en", "Heavy fighting raged around Bakhmut, the Ukrainian General Staff said.\nThree tanks were destroyed. Dozens of soldiers were wounded."),
}


@pytest.fixture(scope="module")
def claims():
    documents = [
        Document(doc_id=name, text=text, lang=lang, published=PUBLISHED, outlet="Le Monde" if name == "according_en" else None)
        for name, (lang, text) in CASES.items()
    ]
    return extract(documents).claims


def only(claims: pl.DataFrame, doc_id: str, count: int | None = None) -> dict:
    rows = claims.filter(pl.col("doc_id") == doc_id)
    if count is not None:
        rows = rows.filter(pl.col("count_min") == count)
    assert rows.height == 1, rows
    return rows.row(0, named=True)


def test_speaker_of_the_quote_and_the_outlet_that_relays_it(claims):
    claim = only(claims, "quote_relayed_fr")
    assert (claim["claimant"], claim["source_link"], claim["outlet"], claim["outlet_link"]) == ("Russian Ministry of Defence", "claim", "RT", "claim")
    assert claim["text"] in CASES["quote_relayed_fr"][1] and claim["source_text"] == "ministère de la Défense russe"


@pytest.mark.parametrize(
    ("name", "claimant", "outlet"),
    [("relay_cited_fr", "Russian Ministry of Defence", "Sputnik"), ("relay_carried_en", "Saudi-led coalition", "Saudi Press Agency")],
)
def test_a_relay_is_the_outlet_and_the_speaker_the_claimant(claims, name, claimant, outlet):
    claim = only(claims, name)
    assert (claim["claimant"], claim["outlet"]) == (claimant, outlet)


def test_a_place_that_names_an_office_is_not_where_things_happened(claims):
    assert only(claims, "office_place_en", 6)["place"] == "Shīnḏanḏ"


def test_a_place_in_the_speaker_apposition_is_where_the_speaker_is_from(claims):
    assert only(claims, "speaker_apposition_en")["place"] == "Amhara Region"


def test_the_day_a_statement_was_told_does_not_date_the_losses(claims):
    assert only(claims, "told_date_en", 14)["period"] == "2017-02"  # "last month", not "on Tuesday" nor the dateline


def test_a_region_heading_the_text_is_the_place_itself(claims):
    claim = only(claims, "region_heading_fr")
    assert (claim["place"], claim["place_kind"], claim["place_link"]) == ("Nagorno-Karabakh", "admin1", "dateline")


def test_a_dateline_gives_only_its_country(claims):
    claim = only(claims, "dateline_en")
    assert (claim["place"], claim["place_kind"], claim["country"], claim["place_link"]) == ("Afghanistan", "country", "AF", "dateline")
    claim = only(claims, "dateline_place_en")
    assert (claim["place"], claim["place_link"]) == ("Tougan", "clause")


def test_a_near_reference_point_is_the_place(claims):
    claim = only(claims, "near_reference_en")
    assert (claim["place_text"], claim["place_link"]) == ("Jilib", "clause")


def test_a_spaced_dash_dateline_is_not_the_place(claims):
    claim = only(claims, "spaced_dash_dateline_fr")
    assert (claim["place_text"], claim["place_link"]) == ("Tillabéri", "clause")


def test_the_subject_next_to_the_reporting_verb_speaks_for_the_whole_clause(claims):
    for count in (7, 30):
        claim = only(claims, "two_subjects_en", count)
        assert (claim["source_link"], claim["place_text"]) == ("claim", "Djibo")


def test_a_figure_after_the_sentence_that_places_it_takes_its_most_precise_place(claims):
    claim = only(claims, "apposed_division_en", 7)
    assert (claim["place_text"], claim["place_link"]) == ("Gwoza", "paragraph")


def test_a_figure_takes_a_recent_date_of_an_earlier_paragraph_under_the_same_heading(claims):
    claim = only(claims, "document_period_en")
    assert (claim["period"], claim["period_link"]) == ("2017-03-04", "document")
    assert only(claims, "background_date_en")["period"] is None
    assert only(claims, "heading_period_en")["period"] is None


def test_a_report_over_a_duration_dates_the_figures_that_follow(claims):
    claim = only(claims, "duration_report_en", 6)
    assert (claim["period_kind"], claim["period_link"]) == ("duration", "report")


def test_the_date_of_a_dateline_is_not_the_period(claims):
    assert only(claims, "dateline_date_en")["period"] is None


def test_the_last_hours_are_the_day_of_publication(claims):
    claim = only(claims, "recent_hours_fr")
    assert (claim["period"], claim["period_link"]) == ("2017-03-06", "sentence")


def test_the_body_names_the_claimant_of_a_headline_figure(claims):
    claim = only(claims, "headline_speaker_en")
    assert (claim["claimant"], claim["mentions"]) == ("Defence Headquarters", 2)
    assert claim["start"] > CASES["headline_speaker_en"][1].index("\n")


def test_a_figure_without_its_own_date_takes_the_one_before_it_in_its_paragraph(claims):
    claim = only(claims, "paragraph_period_fr", 3)
    assert (claim["period"], claim["period_link"]) == ("2017-02-28", "paragraph")


def test_a_far_reference_point_is_not_the_place(claims):
    claim = only(claims, "landmark_fr")
    assert claim["country"] == "IQ" and claim["place_text"] == "Haditha"


def test_a_country_that_acts_is_not_the_place_but_the_war_it_names_is(claims):
    # "Ukraine's military says Russia lost 690 soldiers": neither mention places the losses; the
    # war between the two does (toolkit/data/theatres.tsv)
    claim = only(claims, "actor_country_en")
    assert (claim["place"], claim["place_kind"], claim["place_link"]) == ("Ukraine", "country", "theatre")


def test_the_only_country_an_article_speaks_of_places_its_figures(claims):
    claim = only(claims, "only_country_en")
    assert (claim["place"], claim["place_link"], claim["place_text"]) == ("Afghanistan", "country", "Afghan")


def test_according_to_with_place_period_and_metadata_outlet(claims):
    claim = only(claims, "according_en")
    assert claim["claimant"] == "Syrian Observatory for Human Rights"
    assert (claim["place"], claim["country"], claim["place_link"]) == ("Idlib", "SY", "clause")
    assert (claim["period"], claim["period_text"]) == ("2017-03-05", "on Sunday")
    assert (claim["outlet"], claim["outlet_link"], claim["outlet_start"]) == ("Le Monde", "metadata", None)


def test_date_of_the_statement_is_not_the_claim_period(claims):
    claim = only(claims, "statement_date_fr")
    assert claim["period"] is None and claim["place"] == "Iraq"


def test_period_inside_the_claim_not_the_statement_day(claims):
    claim = only(claims, "statement_date_en")
    assert (claim["claimant"], claim["period"], claim["place"]) == ("Pentagon", "2017-03-03/2017-03-05", "Syria")


@pytest.mark.parametrize(("name", "period"), [("possessive_date_en", "2017-03-05"), ("told_dateline_outlet_en", "2017-03-02")])
def test_a_date_before_the_speaker_or_of_an_event_dates_the_figures(claims, name, period):
    assert only(claims, name)["period"] == period


@pytest.mark.parametrize(("name", "place"), [("origin_fr", "Deir ez-Zor Governorate"), ("origin_en", "Tadmur")])
def test_place_of_origin_is_not_the_event_place(claims, name, place):
    assert only(claims, name)["place"] == place


def test_a_lead_figure_takes_the_day_the_next_paragraph_gives_the_event(claims):
    claim = only(claims, "lead_event_en")
    assert (claim["period_text"], claim["period_link"], claim["date_start"]) == ("on Sunday", "lead", datetime.date(2017, 3, 5))


def test_victims_named_by_nationality_in_a_war_take_its_theatre(claims):
    claim = only(claims, "theatre_fr")
    assert (claim["place"], claim["place_link"]) == ("Ukraine", "theatre")


def test_where_aircraft_took_off_is_not_the_place(claims):
    assert only(claims, "took_off_fr")["place"] == "Burkina Faso"


def test_the_seat_of_a_speaker_is_not_the_place(claims):
    claim = only(claims, "seat_fr")
    assert (claim["place"], claim["place_link"]) == ("Idlib Governorate", "paragraph")


def test_a_dateline_with_its_agency_between_slashes_is_not_the_place(claims):
    claim = only(claims, "slash_dateline_en")
    assert (claim["place"], claim["place_link"]) == ("Ukraine", "theatre")


@pytest.mark.parametrize("name", ["speaker_place_en", "metonymy_fr"])
def test_speaker_names_and_capitals_are_not_event_places(claims, name):
    assert only(claims, name)["place"] is None


def test_headline_and_body_are_one_claim(claims):
    claim = only(claims, "headline_fr")
    assert claim["mentions"] == 2
    assert claim["source_link"] == "claim" and claim["claimant"] == "Russian Ministry of Defence"
    assert claim["period"] == "2017-03-03/2017-03-05" and claim["country"] == "SY"


def test_same_figure_at_two_places_is_two_claims(claims):
    rows = claims.filter(pl.col("doc_id") == "two_claims_fr").sort("start")
    assert rows["place"].to_list() == ["Aleppo", "Homs"]
    assert rows["period"].to_list() == ["2017-03-03", "2017-03-05"]
    assert rows["claim_key"].n_unique() == 2


def test_lead_outlet_relays_the_whole_article(claims):
    first, second = only(claims, "lead_outlet_fr", 300), only(claims, "lead_outlet_fr", 4)
    assert (first["outlet"], first["outlet_link"]) == ("Sputnik", "claim")
    assert (second["outlet"], second["outlet_link"], second["claimant"]) == ("Sputnik", "lead", "Russian Ministry of Defence")
    assert second["place_link"] == "report" and second["place"] == "Syria"  # the place of the claim before it


def test_each_clause_keeps_its_own_place(claims):
    assert only(claims, "clauses_en", 15)["place"] == "Ar Raqqah"
    assert only(claims, "clauses_en", 4)["place"] == "Homs"


def test_main_source_and_earlier_place_when_the_sentence_names_none(claims):
    tanks = only(claims, "paragraph_en", 3)
    assert (tanks["claimant"], tanks["source_link"]) == ("General Staff of the Armed Forces of Ukraine", "main")
    assert (tanks["place"], tanks["place_link"]) == ("Bakhmut", "document")


def test_claims_follow_the_declared_schema(claims):
    assert claims.schema == CLAIMS


@pytest.mark.slow
def test_claim_key_follows_a_figure_across_outlets():
    text_fr = "Le ministère russe de la Défense a annoncé que 2.359 terroristes avaient été éliminés du 19 au 29 septembre."
    text_en = "The Russian defence ministry said that 2,359 terrorists had been killed from 19 to 29 September."
    other = "L'OSDH a annoncé que 2.359 terroristes avaient été éliminés du 19 au 29 septembre."
    documents = [
        Document(doc_id="a", text=text_fr, lang="fr", outlet="Sputnik"),
        Document(doc_id="b", text=text_en, lang="en", outlet="RT", published=datetime.date(2017, 9, 30)),
        Document(doc_id="c", text=other, lang="fr"),
    ]
    claims = extract(documents, ["casualties", "attributions", "periods", "places"]).claims.sort("doc_id")
    keys = claims["claim_key"].to_list()
    assert claims["outlet"].to_list() == ["Sputnik", "RT", None]
    assert keys[0] == keys[1] != keys[2]


def test_no_figure_table_gives_typed_empty_claims():
    results = extract([Document(doc_id="a", text="Rien à signaler.", lang="fr")], ["places"])
    assert results.claims.height == 0 and results.claims.schema == CLAIMS
    assert link_claims(Results()).schema == CLAIMS


def test_a_plugin_table_declared_as_figures_is_linked():
    def sorties(doc, document):
        return [{"start": 0, "end": 3, "text": doc.text[:3], "count_min": 90, "count_max": 90}]

    extractor = Extractor(
        name="sorties", version=1, languages={"fr"}, links_as="figure",
        schema=table_schema({"count_min": pl.Int64(), "count_max": pl.Int64()}), extract=sorties,
    )
    text = "90 sorties ont été effectuées, a indiqué l'état-major russe."
    claims = extract([Document(doc_id="a", text=text, lang="fr")], [extractor, "attributions"]).claims
    assert claims["table"].to_list() == ["sorties"] and claims["status"].to_list() == [None]
    assert claims["claimant"].to_list() == ["Russian General Staff"]


def test_a_plugin_source_table_with_only_the_role_columns_is_linked():
    def speakers(doc, document):
        start = doc.text.index("le ministère")
        return [{"start": start, "end": len(doc.text) - 1, "text": doc.text[start:-1], "source": "Ministry", "source_kind": "organization",
                 "claim_start": start, "claim_end": start}]  # no reported span: the speaker of the sentence

    extractor = Extractor(
        name="speakers", version=1, languages={"fr"}, links_as="source",
        schema=table_schema({"source": pl.String(), "source_kind": pl.String(), "claim_start": pl.Int64(), "claim_end": pl.Int64()}),
        extract=speakers,
    )
    text = "Douze soldats ont été tués, selon le ministère."
    claims = extract([Document(doc_id="a", text=text, lang="fr")], ["casualties", extractor]).claims
    assert claims["claimant"].to_list() == ["Ministry"]


def test_a_role_needs_its_columns():
    with pytest.raises(ValueError, match="count_max"):
        Extractor(name="bad", version=1, languages={"fr"}, links_as="figure",
                  schema=table_schema({"count_min": pl.Int64()}), extract=lambda doc, document: [])
    with pytest.raises(ValueError, match="links_as"):
        Extractor(name="bad", version=1, languages={"fr"}, links_as="speaker",
                  schema=table_schema({}), extract=lambda doc, document: [])


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("M. Ali Mohtadi a parlé. Il a ajouté 3 mots.", ["M. Ali Mohtadi a parlé.", "Il a ajouté 3 mots."]),
        ("Titre sans point\nLe corps. «Une citation.» Puis 2.359 morts.", ["Titre sans point", "Le corps.", "«Une citation.»", "Puis 2.359 morts."]),
        ("Gen. Smith said so. Then 4 died.", ["Gen. Smith said so.", "Then 4 died."]),
    ],
)
def test_layout_sentences(text, sentences):
    assert [text[start:end] for start, end in Layout.of(text).sentences] == sentences


def test_clause_stops_at_semicolons_and_contrasts():
    text = "20 tués à Alep; 10 blessés à Homs, alors que 5 ont fui à Idleb."
    sentence = (0, len(text))
    assert text[slice(*clause(text, sentence, text.index("10")))].strip() == "10 blessés à Homs"
    assert text[slice(*clause(text, sentence, text.index("5 ont")))].strip() == "5 ont fui à Idleb."


def test_seed_claims_are_whole(seed_results):
    claims = seed_results.claims
    eliminated = claims.filter(pl.col("count_min") == 2359).to_dicts()
    assert len(eliminated) == 1, "headline and body of the 2.359 figure are one claim"
    claim = eliminated[0]
    assert (claim["status"], claim["group"], claim["mentions"]) == ("killed", "militants", 2)
    assert (claim["country"], claim["period"]) == ("SY", "--09-19/--09-29")
    assert (claim["claimant"], claim["outlet"]) == ("Russian Ministry of Defence", "Sputnik")
    assert claim["period_text"] == "du 19 au 29 septembre" and claim["source_link"] == "claim"

    isis = claims.filter((pl.col("count_min") == 200) & (pl.col("status") == "killed")).to_dicts()
    assert len(isis) == 1 and isis[0]["group"] == "ISIS" and isis[0]["mentions"] == 3
    assert (isis[0]["claimant"], isis[0]["place"], isis[0]["country"]) == ("Russian Ministry of Defence", "Deir ez-Zor", "SY")

    relayed = claims.filter(pl.col("count_min") == 200, pl.col("status") == "casualties").to_dicts()
    assert [(row["claimant"], row["outlet"]) for row in relayed] == [("Russian Ministry of Defence", "RT")]
    assert claims.filter(pl.col("table") == "equipment")["claimant"].null_count() == 0


def test_every_part_points_at_its_evidence(seed_results):
    texts = dict(seed_results.documents.select("doc_id", "text").iter_rows())
    for row in seed_results.claims.iter_rows(named=True):
        text = texts[row["doc_id"]]
        assert text[row["start"] : row["end"]] == row["text"]
        for part in ("source", "outlet", "place", "period"):
            if row[f"{part}_start"] is not None:
                assert text[row[f"{part}_start"] : row[f"{part}_end"]] == row[f"{part}_text"]


def test_claims_linked_without_a_part_table_warn():
    from toolkit.claims import UnlinkedPartsWarning

    with pytest.warns(UnlinkedPartsWarning, match="without a source, place, period table"):
        results = extract([Document(doc_id="d", text="Trois soldats ont été tués.", lang="fr")], ["casualties"])
    assert results.claims.height == 1 and results.claims["claimant"].to_list() == [None]
