"""Claim periods resolved against the publication date, in both languages."""

from datetime import date

import pytest

from toolkit.periods import find_periods

PUBLISHED = date(2017, 9, 30)  # a Saturday


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("fr", "2.359 terroristes éliminés du 19 au 29 septembre", ("du 19 au 29 septembre", "range", "2017-09-19", "2017-09-29", True)),
        ("fr", "entre le 3 et le 5 août 2016", ("entre le 3 et le 5 août 2016", "range", "2016-08-03", "2016-08-05", False)),
        ("fr", "du 28 décembre au 3 janvier", ("du 28 décembre au 3 janvier", "range", "2016-12-28", "2017-01-03", True)),
        ("en", "between September 19 and 29", ("between September 19 and 29", "range", "2017-09-19", "2017-09-29", True)),
        ("fr", "dans la nuit du 27 au 28 septembre", ("dans la nuit du 27 au 28 septembre", "night", "2017-09-27", "2017-09-28", True)),
        ("en", "on the night of 27-28 September", ("on the night of 27-28 September", "night", "2017-09-27", "2017-09-28", True)),
        ("fr", "depuis le 6 février", ("depuis le 6 février", "since", "2017-02-06", "2017-09-30", True)),
        ("en", "since January 2016", ("since January 2016", "since", "2016-01-01", "2017-09-30", False)),
        ("fr", "le 12 décembre 2016", ("le 12 décembre 2016", "day", "2016-12-12", "2016-12-12", False)),
        ("fr", "le 3 octobre", ("le 3 octobre", "day", "2016-10-03", "2016-10-03", True)),  # after publication: last year
        ("fr", "ce samedi", ("ce samedi", "weekday", "2017-09-30", "2017-09-30", False)),
        ("fr", "mardi dernier", ("mardi dernier", "weekday", "2017-09-26", "2017-09-26", False)),
        ("en", "on Sunday", ("on Sunday", "weekday", "2017-09-24", "2017-09-24", False)),
        ("fr", "hier", ("hier", "relative", "2017-09-29", "2017-09-29", False)),
        ("en", "last week", ("last week", "relative", "2017-09-18", "2017-09-24", False)),
        ("fr", "en deux ans", ("en deux ans", "duration", "2015-10-01", "2017-09-30", False)),
        ("en", "in the past 24 hours", ("in the past 24 hours", "duration", "2017-09-29", "2017-09-30", False)),
        ("fr", "en juillet", ("en juillet", "month", "2017-07-01", "2017-07-31", True)),
        ("en", "the previous day", ("the previous day", "relative", "2017-09-29", "2017-09-29", False)),
        ("fr", "la nuit dernière", ("la nuit dernière", "relative", "2017-09-29", "2017-09-29", False)),
        ("fr", "abattus dans la nuit au-dessus de Koursk", ("dans la nuit", "relative", "2017-09-29", "2017-09-29", False)),
        ("en", "losses since the February 2016 invasion", ("since the February 2016", "since", "2016-02-01", "2017-09-30", False)),
    ],
)
def test_periods_resolved_against_publication(lang, text, expected):
    periods = find_periods(text, lang, published=PUBLISHED)
    assert len(periods) == 1
    period = periods[0]
    found = (period.text, period.kind, str(period.date_start), str(period.date_end), period.year_inferred)
    assert found == expected
    assert text[period.start : period.end] == period.text


@pytest.mark.parametrize(
    ("lang", "text", "label"),
    [
        ("fr", "du 19 au 29 septembre", "--09-19/--09-29"),
        ("fr", "depuis le 6 février", "--02-06/.."),
        ("en", "in the past 24 hours", "PT24H"),
        ("fr", "en deux ans", "P2Y"),
        ("en", "on Sunday", ""),
    ],
)
def test_without_publication_date_dates_are_null_and_labels_reduced(lang, text, label):
    period = find_periods(text, lang)[0]
    assert (period.date_start, period.date_end, period.label) == (None, None, label)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Il a perdu 300 chars et 12 hommes."),  # counts, not days
        ("en", "The army may march on the city."),  # verbs, not months
        ("en", "Some 2016 fighters were counted."),  # a number, not a year
        ("fr", "Le 4x4 de la patrouille a sauté."),
        ("en", ""),
    ],
)
def test_numbers_that_are_not_dates(lang, text):
    assert find_periods(text, lang, published=PUBLISHED) == []


def test_a_night_the_text_dates_itself_is_not_last_night():
    texts = [period.text for period in find_periods("dans la nuit de samedi à dimanche", "fr", published=PUBLISHED)]
    assert "dans la nuit" not in texts
    assert find_periods("Cette nuit-là, la milice a lancé plusieurs attaques.", "fr", published=PUBLISHED) == []


def test_a_year_never_reads_as_a_day():
    period = find_periods("since January 2016", "en")[0]
    assert period.label == "2016-01/.."


@pytest.mark.parametrize(
    ("lang", "text", "began"),
    [
        ("en", "Russia has lost 4,269 tanks since the start of the full-scale invasion.", "2022-02-24"),
        ("fr", "les pertes russes depuis le début de l'invasion atteindraient 39 000 hommes", "2022-02-24"),
        ("en", "the toll since the start of the war in Gaza rose to 41,000", "2023-10-07"),
    ],
)
def test_since_the_start_of_a_war_runs_to_publication(lang, text, began):
    [period] = find_periods(text, lang, published=date(2024, 9, 10))
    assert (period.kind, str(period.date_start), str(period.date_end)) == ("since_event", began, "2024-09-10")
    assert find_periods(text, lang, published=date(2020, 1, 1)) == []  # a war not yet begun dates nothing


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Troops killed 37 militants over the past two weeks. He said 16 civilians were freed in the period."),
        ("fr", "Du 19 au 29 septembre, 2.359 terroristes ont été éliminés. Sur la même période, 12 soldats ont été tués."),
        ("en", "The radio said on Saturday that commandos had raided the village earlier that day."),
        ("fr", "L'armée a annoncé mardi que le camp avait été attaqué ce jour-là."),
    ],
)
def test_the_same_period_takes_the_days_of_the_one_before(lang, text):
    first, same = find_periods(text, lang, published=PUBLISHED)
    assert same.text in ("in the period", "Sur la même période", "earlier that day", "ce jour-là")
    assert (same.date_start, same.date_end, same.label) == (first.date_start, first.date_end, first.label)


def test_the_same_period_with_none_before_dates_nothing():
    assert find_periods("In the same period, 12 soldiers were killed.", "en", published=PUBLISHED) == []
