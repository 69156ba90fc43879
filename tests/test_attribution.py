"""Attribution: cue families in both languages, quotes and claim spans, anaphora, non-sources."""

import pytest

from conftest import GOLD, ROOT, SEEDS, score_row
from toolkit import Document, extract
from toolkit.lexicons import transliteration_key

SENTENCES = ROOT / "tests" / "sentences" / "attributions.jsonl"

CASES = {
    # reporting verb after its subject, before it, inverted with a clitic, multiword verbs
    "verb_fr": ("fr", "Le ministère russe de la Défense a indiqué que 14 chars avaient été détruits."),
    "inverted_fr": ("fr", "Quatorze chars ont été détruits, a précisé mardi le ministère de la Défense russe."),
    "clitic_fr": ("fr", "L'OSDH a recensé 20 morts. « Le bilan pourrait encore s'alourdir », a-t-il ajouté."),
    "multiword_fr": ("fr", "L'état-major ukrainien a fait état de 12 drones abattus dans la nuit."),
    "verb_en": ("en", "The Pentagon said on Friday that the strike had killed a senior commander."),
    "inverted_en": ("en", "Six soldiers were wounded in the attack, the Israeli military said."),
    # prepositions and interviews
    "selon": ("fr", "Selon l'Observatoire syrien des droits de l'homme, 31 civils ont péri dans les raids."),
    "according": ("en", "Nine fighters were killed, according to the Syrian Observatory for Human Rights."),
    "cited_by": ("en", "Cited by TASS, Sergei Shoigu claimed that 300 militants had surrendered."),
    "interview_fr": ("fr", "Un commandant local, interrogé par l'AFP, a affirmé que la ville était encerclée."),
    "told": ("en", "A rebel commander told Reuters that the town had fallen."),
    # page lines
    "source_line": ("fr", "Trois villages ont été repris par l'armée.\nSource : Sputnik"),
    # anaphora
    "anaphor_fr": ("fr", "Le ministère turc de la Défense a annoncé une opération. Le ministère précise que 16 cibles ont été frappées."),
    "anaphor_en": ("en", "The Russian Defence Ministry said 40 strikes were conducted. The ministry further noted that no aircraft was lost."),
    "pronoun_en": ("en", "The Pentagon confirmed the raid. It added that two commanders had been killed."),
    "spokesman": ("fr", "Le porte-parole du ministère russe de la Défense, Igor Konachenkov, a déclaré que 27 chars avaient été détruits."),
    # "the military" after a defence ministry spoke is that ministry, not an army only mentioned
    "military_en": ("en", "Ukrainian forces suffered heavy losses, the Russian Defence Ministry said. Some 650 servicemen were lost, the military said at its briefing."),
    # a comma that closes an apposition is not the end of a reported clause
    "apposition_fr": ("fr", "Le porte-parole du ministère russe de la Défense, Igor Konachenkov, a annoncé l'échec de l'offensive lancée par Daech."),
    # the agency of a dateline and of a closing credit speaks for the whole story
    "dateline_en": ("en", "MOSCOW, December 24. /TASS/. Russian forces shot down 20 drones over the past day."),
    "credit_fr": ("fr", "Vingt soldats ont été tués dans l'attaque.\n(Avec AFP)"),
    # the agent of a participle inside a "d'après" phrase
    "agent_fr": ("fr", "D'après le bilan communiqué par le ministère nigérien de la Défense, vingt-deux soldats ont été tués."),
    "so_called_fr": ("fr", "Vingt-trois soldats ont été tués entre Teguey et Bankilaré, dans la zone dite des trois frontières, selon un bilan du ministère nigérien de la Défense."),
    "generic_ministry_fr": ("fr", "Au Niger, vingt-trois militaires nigériens ont été tués, selon un bilan provisoire du ministère de la Défense."),
    "jets_nationality_en": ("en", "Turkish jets neutralised 14 PKK terrorists in northern Iraq, the National Defence Ministry said. Later, the ministry said 38 caves were destroyed."),
    "split_tense_fr": ("fr", "Le gouverneur du Darfour-Nord, Hafiz Bakhit, a de son côté indiqué que 35 déplacés avaient été tués."),
    "told_outlet_after_name_en": ("en", "\"Our fighters burned four army vehicles,\" Abdiasis Abu Musab, the group's military operations spokesman, told Reuters."),
    "distant_agent_fr": ("fr", "Les frappes ont fait 182 morts, selon un nouveau bilan annoncé en soirée par le ministère libanais de la Santé."),
    "headline_name_fr": ("fr", "Liban : 182 morts, selon l'agence ANI\nBeyrouth - Les frappes ont fait 182 morts lundi."),
    # a reporting verb coordinated with another takes its subject
    "coordinated_en": ("en", "The Houthis' Al Masirah TV showed the wreckage and said eight missiles had been launched."),
    # a proper-noun subject the model does not tag
    "untagged_en": ("en", "The Defence Headquarters said on Thursday that 31 terrorists were neutralised."),
    # the lemmatiser leaves some French present forms as they are ("indique")
    "present_fr": ("fr", "Quatre obusiers ont été détruits, indique le communiqué du ministère azerbaïdjanais de la Défense."),
    # a verb that reports only with its subject after it; a relay that carries the words
    "continued_fr": ("fr", "Sergueï Choïgou a dressé le bilan. « Près de 300 combattants ont été éliminés », a poursuivi le ministre, cité par Sputnik."),
    # outlets not in the lexicon, by a word of their name or the media noun before it
    "outlet_name_en": ("en", "Three fighters were killed, the Sahel Independent Press Agency reported."),
    "outlet_noun_fr": ("fr", "Trois combattants ont été tués, a rapporté la chaîne qatarie Al Araby."),
    # an institution with no antecedent belongs to the country the text speaks of
    "national_en": ("en", "Clashes erupted in Pakistan's northwest. Six soldiers were killed, the army said on Monday."),
    "national_fr": ("fr", "Les forces aériennes irakiennes ont tué 25 jihadistes, a indiqué dimanche l'armée."),
    # an anaphor takes its antecedent: the General Staff after the armed forces
    # an acronym the text defines names what the text spells out, not a namesake's body
    "acronym_en": ("en", "Mozambique's Defence and Security Forces (FDS) said 59 insurgents were killed. According to the FDS, six camps were destroyed."),
    "acronym_fr": ("fr", "Les Forces de défense et de sécurité (FDS) ont annoncé 12 terroristes tués. Selon les FDS, trois motos ont été saisies."),
    # "according to" after a speaker's report names the outlet that relays it
    "relayed_report_en": ("en", "The assault was repelled, the Ukrainian defence forces reported, according to Censor.NET."),
    # a phrase on the verb between it and its subject: whom it was told to, where it was said
    "told_outlet_fr": ("fr", "Deux soldats ont été tués dans l'embuscade, a précisé à Reuters une source militaire."),
    "outlet_then_name_fr": ("fr", "Quatre combattants ont été tués au sol, a affirmé à l'AFP Moustafa al-Mejii, porte-parole des forces du GNA."),
    "said_where_fr": ("fr", "Trois soldats ont été tués à Gao, a déclaré le ministre de la Défense devant la presse."),
    "read_on_tv_fr": ("fr", "Vingt assaillants ont été tués, ajoute le communiqué lu à la télévision publique Télé Sahel."),
    # the speaker of "told <outlet>" is its subject, however the parser hangs the outlet
    "told_subject_en": ("en", "At least 12 people died in the attack on the shelter, a local journalist told Reuters on Saturday, while activists put the toll at 60."),
    "dative_after_speaker_fr": ("fr", "Douze civils ont été tués, a indiqué un habitant à l'AFP."),
    # a reporting verb whose object holds the figure reports what follows it
    "counted_object_en": ("en", "Fighting went on near Bakhmut on Monday. The army confirmed the death of five soldiers in the shelling."),
    "counted_object_fr": ("fr", "Les combats ont repris lundi à l'aube. L'armée a fait état de deux morts dans ses rangs."),
    "antecedent_fr": ("fr", "Les forces armées ukrainiennes ont affirmé avoir tué 540 soldats. L'état-major a ajouté que 12 chars avaient été détruits."),
    "troops_en": ("en", "Four Israeli soldiers were killed in southern Lebanon on Tuesday, the military announced."),
    "toll_en": ("en", "The Pentagon put the overall toll at 320 dead and 1,200 wounded."),
    "toll_object_en": ("en", "The Pentagon said 11 soldiers were killed, although Taliban spokesmen put the number at more than 30."),
    "inverted_acronym_fr": ("fr", "Dix-sept terroristes ont été neutralisés près d'un hameau, précise la DIRPA."),
    "toll_fr": ("fr", "Le ministère turc de la Défense a porté le bilan à 40 morts."),
}


@pytest.fixture(scope="module")
def case_results():
    documents = [Document(doc_id=name, text=text, lang=lang) for name, (lang, text) in CASES.items()]
    return extract(documents, ["attributions"])


def _sources(results, name):
    frame = results["attributions"].filter(results["attributions"]["doc_id"] == name)
    return frame.sort("start").to_dicts()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("verb_fr", [("Russian Ministry of Defence", "organization", "a indiqué")]),
        ("inverted_fr", [("Russian Ministry of Defence", "organization", "a précisé")]),
        ("clitic_fr", [("Syrian Observatory for Human Rights", "organization", "a recensé"),
                       ("Syrian Observatory for Human Rights", "organization", "a-t-il ajouté")]),
        ("multiword_fr", [("General Staff of the Armed Forces of Ukraine", "organization", "a fait état")]),
        ("verb_en", [("Pentagon", "organization", "said")]),
        ("inverted_en", [("Israel Defense Forces", "organization", "said")]),
        ("selon", [("Syrian Observatory for Human Rights", "organization", "Selon")]),
        ("according", [("Syrian Observatory for Human Rights", "organization", "according to")]),
        ("cited_by", [("TASS", "media", "Cited by"), ("Sergey Shoigu", "person", "claimed")]),
        ("interview_fr", [("AFP", "media", "interrogé par")]),
        ("told", [("Reuters", "media", "told")]),
        ("source_line", [("Sputnik", "media", "Source")]),
        ("anaphor_fr", [("Turkish Ministry of National Defence", "organization", "a annoncé"),
                        ("Turkish Ministry of National Defence", "organization", "précise")]),
        ("anaphor_en", [("Russian Ministry of Defence", "organization", "said"),
                        ("Russian Ministry of Defence", "organization", "noted")]),
        ("pronoun_en", [("Pentagon", "organization", "confirmed"), ("Pentagon", "organization", "added")]),
        ("dateline_en", [("TASS", "media", "MOSCOW, December 24. /TASS/.")]),
        ("credit_fr", [("AFP", "media", "(Avec AFP)")]),
        ("agent_fr", [("Niger Ministry of Defence", "organization", "D'après")]),
        ("distant_agent_fr", [("Lebanese Ministry of Public Health", "organization", "selon")]),
        ("told_outlet_after_name_en", [("Reuters", "media", "told"), ("Abdiasis Abu Musab", "person", "told")]),
        ("so_called_fr", [("Niger Ministry of Defence", "organization", "selon")]),
        ("generic_ministry_fr", [("Niger Ministry of Defence", "organization", "selon")]),
        ("jets_nationality_en", [("Turkish Ministry of National Defence", "organization", "said"),
                                 ("Turkish Ministry of National Defence", "organization", "said")]),
        ("split_tense_fr", [("Hafiz Bakhit", "person", "indiqué")]),
        ("coordinated_en", [("Al-Masirah", "media", "said")]),
        ("untagged_en", [("Defence Headquarters", "organization", "said")]),
        ("military_en", [("Russian Ministry of Defence", "organization", "said")]),
        ("present_fr", [("Azerbaijani Ministry of Defence", "organization", "indique")]),
        ("continued_fr", [("Sergey Shoigu", "person", "a poursuivi"), ("Sputnik", "media", "cité par")]),
        ("outlet_name_en", [("Sahel Independent Press Agency", "media", "reported")]),
        ("outlet_noun_fr", [("Al Araby", "media", "a rapporté")]),
        ("national_en", [("Pakistan Army", "organization", "said")]),
        ("national_fr", [("Iraqi Army", "organization", "a indiqué")]),
        ("acronym_en", [("Mozambique's Defence and Security Forces", "organization", "said"), ("Mozambique's Defence and Security Forces", "organization", "According to")]),
        ("acronym_fr", [("Forces de défense et de sécurité", "organization", "ont annoncé"), ("Forces de défense et de sécurité", "organization", "Selon")]),
        ("relayed_report_en", [("Ukrainian defence forces", "organization", "reported"), ("Censor", "media", "according to")]),
        ("told_outlet_fr", [("Reuters", "media", "a précisé à"), ("source militaire", "person", "a précisé")]),
        ("outlet_then_name_fr", [("AFP", "media", "a affirmé à"), ("Moustafa al-Mejii", "person", "a affirmé")]),
        ("read_on_tv_fr", [("Télé Sahel", "media", "ajoute")]),
        ("told_subject_en", [("local journalist", "person", "told"), ("Reuters", "media", "told")]),
        ("dative_after_speaker_fr", [("habitant", "person", "a indiqué"), ("AFP", "media", "a indiqué un habitant à")]),
        ("troops_en", [("Israel Defense Forces", "organization", "announced")]),
        ("toll_en", [("Pentagon", "organization", "put")]),
        ("toll_object_en", [("Pentagon", "organization", "said"), ("Taliban", "organization", "put")]),
        ("inverted_acronym_fr", [("DIRPA", "organization", "précise")]),
        ("toll_fr", [("Turkish Ministry of National Defence", "organization", "a porté")]),
        ("antecedent_fr", [("General Staff of the Armed Forces of Ukraine", "organization", "ont affirmé"),
                           ("General Staff of the Armed Forces of Ukraine", "organization", "a ajouté")]),
    ],
)
def test_cue_families(case_results, name, expected):
    rows = _sources(case_results, name)
    found = {(row["source"], row["source_kind"], row["cue"]) for row in rows}
    assert set(expected) <= found, rows


def test_a_name_after_the_verb_of_an_apposed_subject_is_not_its_speaker(case_results):
    assert {row["source"] for row in _sources(case_results, "apposition_fr")} == {"Igor Konashenkov", "Russian Ministry of Defence"}


def test_the_military_is_the_ministry_that_spoke(case_results):
    assert [row["source"] for row in _sources(case_results, "military_en")] == ["Russian Ministry of Defence"] * 2


def test_institution_from_context_says_how_it_was_found(case_results):
    assert [row["resolved_by"] for row in _sources(case_results, "national_en")] == ["context"]
    row = _sources(case_results, "national_en")[0]
    assert CASES["national_en"][1][row["claim_start"] : row["claim_end"]] == "Six soldiers were killed"


def test_unnamed_speaker_described(case_results):
    rows = _sources(case_results, "interview_fr")
    assert any(row["resolved_by"] == "description" and "commandant local" in row["source"] for row in rows)


def test_person_affiliation(case_results):
    rows = _sources(case_results, "spokesman")
    person = next(row for row in rows if row["source_kind"] == "person")
    assert (person["source"], person["affiliation"]) == ("Igor Konashenkov", "Russian Ministry of Defence")
    assert any(row["resolved_by"] == "affiliation" and row["source"] == "Russian Ministry of Defence" for row in rows)


def test_claim_span_is_the_reported_content(case_results):
    text = CASES["verb_fr"][1]
    row = _sources(case_results, "verb_fr")[0]
    assert text[row["claim_start"] : row["claim_end"]].strip() == "que 14 chars avaient été détruits."
    text = CASES["inverted_en"][1]
    row = _sources(case_results, "inverted_en")[0]
    assert text[row["claim_start"] : row["claim_end"]] == "Six soldiers were wounded in the attack"
    text = CASES["toll_object_en"][1]
    row = _sources(case_results, "toll_object_en")[1]
    assert text[row["claim_start"] : row["claim_end"]].strip() == "the number at more than 30."


def test_a_contrasting_clause_after_the_cue_is_not_what_it_reports(case_results):
    text = CASES["told_subject_en"][1]
    journalist = next(row for row in _sources(case_results, "told_subject_en") if row["source_kind"] == "person")
    assert text[journalist["claim_start"] : journalist["claim_end"]] == "At least 12 people died in the attack on the shelter"


def test_a_phrase_after_the_speaker_is_not_part_of_its_name(case_results):
    assert [row["source"] for row in _sources(case_results, "said_where_fr")] == ["ministre de la Défense"]


@pytest.mark.parametrize(
    ("name", "reported"),
    [("counted_object_en", "the death of five soldiers in the shelling."), ("counted_object_fr", "de deux morts dans ses rangs.")],
)
def test_a_counted_object_is_what_the_verb_reports(case_results, name, reported):
    text = CASES[name][1]
    row = _sources(case_results, name)[0]
    assert text[row["claim_start"] : row["claim_end"]] == reported


def test_direct_quote_is_flagged_with_its_span(case_results):
    text = CASES["clitic_fr"][1]
    quoted = [row for row in _sources(case_results, "clitic_fr") if row["quote"]]
    assert len(quoted) == 1
    assert text[quoted[0]["claim_start"] : quoted[0]["claim_end"]] == "« Le bilan pourrait encore s'alourdir »"


@pytest.mark.parametrize("name", ["source_line", "dateline_en", "credit_fr"])
def test_a_whole_document_is_attributed_to_its_source_line(case_results, name):
    row = _sources(case_results, name)[0]
    assert (row["claim_start"], row["claim_end"]) == (0, len(CASES[name][1]))


NON_SOURCES = [
    ("fr", "Un char détruit près de Bakhmout.\n© Photo : Sergueï Ivanov / RIA Novosti"),  # photo credit
    ("fr", "Vingt morts ont été recensés.\nTraduit du russe par Marie Martin"),  # translator
    ("en", "Photo credit: John Smith/Reuters\nSmoke rises over the city."),  # credit line
    ("en", "Vladimir Putin visited the front on Tuesday, where he met soldiers."),  # only mentioned
    ("fr", "Emmanuel Macron s'est rendu à Kiev pour rencontrer Volodymyr Zelensky."),  # only mentioned
    ("fr", "L'échec de l'offensive a été annoncé hier.\nSource : divers"),  # no one named
    ("en", "He said nothing, and the ministry had no comment."),  # pronoun with nothing to resolve
    ("en", "A video shows a destroyed tank, but its authenticity could not be confirmed."),  # passive, no agent
    # the subject after an inverted verb is not a name of the reported clause before it
    ("fr", "Cinq membres de l'Etat islamique ont été tués, a indiqué la cellule de crise de la préfecture."),
    ("fr", "Les forces armées maliennes poursuivent leur offensive dans le centre."),  # reports only inverted
    ("en", "Moscow forces continued their advance near Avdiivka."),  # reports only inverted
    ("fr", "Lors d'une conférence de presse, il a été annoncé que les combats avaient cessé."),  # an adjunct is no speaker
    ("fr", "Moscou a démenti toute implication dans l'attaque."),  # a capital standing for its government
    ("fr", "Trois villages ont été repris par l'armée syrienne."),  # retaken, not relayed
    ("fr", "Vladimir Poutine a salué le courage des soldats, sans donner de chiffre."),  # no toll given
    ("en", "Engineers put the bridge back into service."),  # "put" without a toll
]

SPELLINGS = [
    ("Igor Konashenkov", "Igor Konashenkov"),
    ("Igor Konachenkov", "Igor Konashenkov"),
    ("Igor Konatchenkov", "Igor Konashenkov"),
    ("Sergueï Choïgou", "Sergey Shoigu"),
    ("Sergei Shoygu", "Sergey Shoigu"),
    ("Sergueï Roudskoï", "Sergey Rudskoy"),
    ("Valeri Guerassimov", "Valery Gerasimov"),
    ("ministère de la Défense russe", "Russian Ministry of Defence"),
    ("ministère turc de la Défense", "Turkish Ministry of National Defence"),
]


@pytest.fixture(scope="module")
def other_results():
    documents = [Document(doc_id=f"non_source_{i}", text=text, lang=lang) for i, (lang, text) in enumerate(NON_SOURCES)]
    documents += [
        Document(doc_id=f"spelling_{i}", text=f"{variant} a déclaré que la situation restait stable.", lang="fr")
        for i, (variant, _) in enumerate(SPELLINGS)
    ]
    return extract(documents, ["attributions"])


@pytest.mark.parametrize("index", range(len(NON_SOURCES)), ids=[text[:30] for _, text in NON_SOURCES])
def test_non_sources(other_results, index):
    assert [row["source"] for row in _sources(other_results, f"non_source_{index}")] == []


@pytest.mark.parametrize("index", range(len(SPELLINGS)), ids=[variant for variant, _ in SPELLINGS])
def test_spellings_share_one_canonical_name(other_results, index):
    assert [row["source"] for row in _sources(other_results, f"spelling_{index}")] == [SPELLINGS[index][1]]


def test_transliteration_key_folds_spelling_families():
    assert transliteration_key("Choïgou") == transliteration_key("Shoigu")
    assert transliteration_key("Konachenkov") == transliteration_key("Konashenkov")
    assert transliteration_key("Deir Ezzor") != transliteration_key("Damas")


@pytest.mark.slow
def test_sentence_set_score():
    row = score_row(SENTENCES, SENTENCES, "attributions", "attributions")
    assert row["f1"] >= 0.9, row


@pytest.mark.slow
def test_seed_sources():
    row = score_row(GOLD, SEEDS, "attributions", "attributions")
    assert row["f1"] >= 0.9, row


def test_a_name_never_runs_across_a_line(case_results):
    assert [row["text"] for row in _sources(case_results, "headline_name_fr")] == ["ANI"]
