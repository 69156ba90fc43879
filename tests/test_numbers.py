import pytest

from toolkit.numbers import find_quantities, parse_count, parse_digits


@pytest.mark.parametrize(
    ("raw", "lang", "value"),
    [
        ("2.359", "fr", 2359),
        ("92.000", "fr", 92000),
        ("1 500", "fr", 1500),
        ("1\u00a0500", "fr", 1500),
        ("1\u202f500", "fr", 1500),
        ("2,359", "en", 2359),
        ("125,000", "en", 125000),
        ("1,5", "fr", 1.5),
        ("1.5", "en", 1.5),
        ("1.234,5", "fr", 1234.5),
        ("1,234,567", "en", 1234567),
        ("2,5", "en", 2.5),
        ("8,000", "fr", 8000),  # translated text
        ("2.359", "en", 2359),
    ],
)
def test_digits(raw, lang, value):
    assert parse_digits(raw) == value


@pytest.mark.parametrize(
    ("text", "lang", "count_min", "count_max", "qualifier"),
    [
        ("2.359 terroristes éliminés", "fr", 2359, 2359, "exact"),
        ("ont détruit 1\u202f500 véhicules", "fr", 1500, 1500, "exact"),
        ("trois soldats", "fr", 3, 3, "exact"),
        ("deux cents miliciens", "fr", 200, 200, "exact"),
        ("vingt-sept chars", "fr", 27, 27, "exact"),
        ("vingt et un civils", "fr", 21, 21, "exact"),
        ("twenty-one soldiers", "en", 21, 21, "exact"),
        ("a hundred fighters", "en", 100, 100, "exact"),
        ("1,5 million de réfugiés", "fr", 1_500_000, 1_500_000, "exact"),
        ("une vingtaine de civils", "fr", 20, 20, "approx"),
        ("une centaine de combattants", "fr", 100, 100, "approx"),
        ("a dozen trucks", "en", 12, 12, "approx"),
        ("dozens of militants", "en", 12, None, "vague"),
        ("des dizaines de morts", "fr", 10, None, "vague"),
        ("des centaines de blessés", "fr", 100, None, "vague"),
        ("des milliers de victimes", "fr", 1000, None, "vague"),
        ("des dizaines de milliers de déplacés", "fr", 10000, None, "vague"),
        ("hundreds of civilians", "en", 100, None, "vague"),
        ("tens of thousands of people", "en", 10000, None, "vague"),
        ("Environ 2.700 miliciens", "fr", 2700, 2700, "approx"),
        ("près de 300 soldats", "fr", 300, 300, "approx"),
        ("quelque 40 rebelles", "fr", 40, 40, "approx"),
        ("about 50 fighters", "en", 50, 50, "approx"),
        ("around 20 SUVs", "en", 20, 20, "approx"),
        ("some 30 militants", "en", 30, 30, "approx"),
        ("an estimated 400 troops", "en", 400, 400, "approx"),
        ("Les pertes sont estimées à 200 individus", "fr", 200, 200, "approx"),
        ("plus de 180 installations", "fr", 180, None, "at_least"),
        ("au moins 15 morts", "fr", 15, None, "at_least"),
        ("more than two dozen insurgents", "en", 24, None, "at_least"),
        ("Vingt-sept (27) terroristes", "fr", 27, 27, "exact"),
        ("deux (02) morts", "fr", 2, 2, "exact"),
        ("plus d'une centaine de morts", "fr", 100, None, "at_least"),
        ("more than 200 militants", "en", 200, None, "at_least"),
        ("over 70 fighters", "en", 70, None, "at_least"),
        ("at least 12 civilians", "en", 12, None, "at_least"),
        ("jusqu'à 40 combattants", "fr", 40, 40, "at_most"),
        ("moins de 10 victimes", "fr", 10, 10, "at_most"),
        ("up to 30 soldiers", "en", 30, 30, "at_most"),
        ("fewer than 5 people", "en", 5, 5, "at_most"),
        ("2-3 soldats", "fr", 2, 3, "range"),
        ("entre 10 et 15 morts", "fr", 10, 15, "range"),
        ("de 10 à 15 morts", "fr", 10, 15, "range"),
        ("between 10 and 15 dead", "en", 10, 15, "range"),
        ("two or three soldiers", "en", 2, 3, "range"),
    ],
)
def test_counts(text, lang, count_min, count_max, qualifier):
    quantity = parse_count(text, lang)
    assert quantity is not None
    assert (quantity.count_min, quantity.count_max, quantity.qualifier) == (count_min, count_max, qualifier)
    assert text[quantity.start : quantity.end] == quantity.text


@pytest.mark.parametrize(
    ("text", "lang", "figure", "kind"),
    [
        ("du 19 au 29 septembre", "fr", "du 19 au 29", "date"),
        ("la nuit du 27 au 28 septembre", "fr", "du 27 au 28", "date"),
        ("le 6 février 2017", "fr", "6", "date"),
        ("le 6 février 2017", "fr", "2017", "year"),
        ("on August 22, 2017", "en", "22", "date"),
        ("In 2016, the army", "en", "2016", "year"),
        ("à 17:57", "fr", "17:57", "time"),
        ("à 14h30", "fr", "14h30", "time"),
        ("89% du territoire", "fr", "89", "percent"),
        ("12 pour cent", "fr", "12", "percent"),
        ("à 8 km de Mayadine", "fr", "8", "distance"),
        ("45 kilomètres à l'est", "fr", "45", "distance"),
        ("805 kilomètres carrés", "fr", "805", "area"),
        ("50 square kilometres", "en", "50", "area"),
        ("8 jours", "fr", "8", "duration"),
        ("trois ans", "fr", "trois", "duration"),
        ("dans les 2-3 jours", "fr", "2-3", "duration"),
        ("four times a week", "en", "four", "frequency"),
        ("2 millions de dollars", "fr", "2 millions", "money"),
        ("$ 300", "en", "300", "money"),
        ("le 1er octobre", "fr", "1er", "ordinal"),
        ("the 3rd brigade", "en", "3rd", "ordinal"),
        ("un Su-24 abattu", "fr", "24", "designation"),
        ("resolution 2254", "en", "2254", "designation"),
        ("Count Views: 3626", "en", "3626", "furniture"),
        ("ID: 614", "en", "614", "furniture"),
        ("Page 3", "en", "3", "furniture"),
        ("(sdf-press.com/en/2022/05) five soldiers", "en", "05", "furniture"),
        ("https://example.org/news/12-killed", "en", "12", "furniture"),
        ("losses between July 22 and 27", "en", "27", "date"),
        ("entre le 3 et le 5 mars", "fr", "3", "date"),
        ("31 rounds of 7.62 x 39 mm ammunition", "en", "7.62", "measure"),
        ("31 rounds of 7.62 x 39 mm ammunition", "en", "39", "distance"),
    ],
)
def test_non_counts(text, lang, figure, kind):
    found = {q.text: q for q in find_quantities(text, lang)}
    assert figure in found, found
    assert found[figure].kind == kind
    assert not found[figure].is_count


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("un responsable a déclaré", "fr"),
        ("des millions", "fr"),  # read as a vague quantity, not a number word
        ("the T4 airbase", "en"),
    ],
)
def test_no_spurious_exact_figure(text, lang):
    assert all(q.qualifier != "exact" or not q.is_count for q in find_quantities(text, lang))


def test_spans_point_into_text():
    text = "Plus de 2.359 terroristes et environ 2.700 miliciens, du 19 au 29 septembre."
    for quantity in find_quantities(text, "fr"):
        assert text[quantity.start : quantity.end] == quantity.text
