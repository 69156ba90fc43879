"""Claims about the same event: keys across outlets, contested figures, the path of a claim."""

import datetime

import polars as pl
import pytest

from toolkit import compare, extract, load_corpus, sample_corpus, trace
from toolkit.events import EVENTS, TRACE, claim_keys, rounded

CORPUS = sample_corpus("relays")
D = datetime.date


@pytest.fixture(scope="module")
def results():
    return extract(load_corpus(CORPUS))


def key_of(results, doc_id):
    return results.claims.filter(pl.col("doc_id") == doc_id)["claim_key"].item()


def test_outlets_relaying_one_figure_share_its_key_in_both_languages(results):
    keys = {doc_id: key_of(results, doc_id) for doc_id in ("mod_sputnik", "mod_rt", "mod_tass", "mod_lefigaro", "osdh_monitor")}
    assert keys["mod_sputnik"] == keys["mod_rt"] == keys["mod_tass"]
    assert keys["mod_lefigaro"] != keys["mod_rt"] and keys["osdh_monitor"] != keys["mod_rt"]


def test_the_same_figure_by_the_same_claimant_two_years_apart_is_two_events(results):
    assert key_of(results, "idlib_2016") != key_of(results, "idlib_2018")


CLAIM = {"doc_id": "a", "start": 0, "end": 5, "table": "casualties", "status": "killed", "group": "militants", "category": None,
         "count_min": 30, "count_max": 30, "claimant": "Russian Ministry of Defence", "place_kind": "admin1",
         "admin1": "Idlib Governorate", "country": "SY", "period": None, "date_start": None, "date_end": None, "published": None}


@pytest.mark.parametrize(("first", "second", "joined"), [
    ({"published": D(2018, 3, 4)}, {"published": D(2018, 3, 6)}, True),  # relays two days apart
    ({"published": D(2016, 3, 4)}, {"published": D(2018, 3, 4)}, False),  # the same words two years apart
    ({"period": "--09-19/--09-29"}, {"date_start": D(2017, 9, 19), "date_end": D(2017, 9, 29), "period": "2017-09-19/2017-09-29"}, True),
    ({"period": "--09-19/--09-29"}, {"period": "--10-02"}, False),
    ({"published": D(2018, 3, 4)}, {"published": D(2018, 3, 4), "admin1": "Aleppo Governorate"}, False),  # another province
    ({"published": D(2018, 3, 4)}, {"published": D(2018, 3, 4), "claimant": "Syrian Observatory for Human Rights"}, False),
    ({}, {}, False),  # placed at no time: joined to nothing
])
def test_claim_keys_join_only_claims_of_one_place_and_time(first, second, joined):
    keys = claim_keys([{**CLAIM, **first}, {**CLAIM, "doc_id": "b", **second}])
    assert (keys[0] == keys[1]) is joined


def test_a_chain_of_relays_within_the_window_is_one_key():
    days = [D(2018, 3, 1), D(2018, 3, 6), D(2018, 3, 11)]
    keys = claim_keys([{**CLAIM, "doc_id": str(number), "published": day} for number, day in enumerate(days)])
    assert len(set(keys)) == 1


def test_compare_puts_each_claimants_figures_for_one_event_side_by_side(results):
    events = compare(results)
    assert events.schema == EVENTS
    contested = events.filter(pl.col("contested"))
    assert contested.height == 1
    event = contested.row(0, named=True)
    assert (event["area"], event["date_start"], event["date_end"]) == ("Deir ez-Zor Governorate", D(2017, 9, 19), D(2017, 9, 29))
    assert (event["claimants"], event["documents"], event["low"], event["high"]) == (3, 6, 620, 2359)
    figures = {(figure["claimant"], figure["count_min"]): figure for figure in event["figures"]}
    assert figures[("Russian Ministry of Defence", 2359)]["documents"] == ["mod_sputnik", "mod_rt", "mod_tass"]
    assert figures[("Russian Ministry of Defence", 2359)]["first_published"] == D(2017, 9, 30)
    assert set(figures) == {("Russian Ministry of Defence", 2359), ("Russian Ministry of Defence", 2300),
                            ("Syrian Observatory for Human Rights", 620), ("Syrian Arab Army", 2359)}
    idlib = events.filter(pl.col("area") == "Idlib Governorate")
    assert idlib.height == 2 and not idlib["contested"].any()
    assert compare(results, contested_only=True).height == 1


def test_compare_joins_a_country_level_claim_to_a_province_of_that_country():
    claims = [{**CLAIM, "published": D(2018, 3, 4)},
              {**CLAIM, "doc_id": "b", "claimant": "SOHR", "count_min": 12, "count_max": 12, "place_kind": "country",
               "admin1": None, "published": D(2018, 3, 5)}]
    frame = pl.DataFrame(claims).with_columns(qualifier=pl.lit("exact"), claim_key=pl.Series(claim_keys(claims)))
    assert compare(frame)["claimants"].to_list() == [2]


def test_compare_within_a_distance_joins_neighbouring_provinces():
    near = {"lat": 35.9, "lon": 36.6}
    claims = [{**CLAIM, **near, "published": D(2018, 3, 4)},
              {**CLAIM, "doc_id": "b", "admin1": "Hama Governorate", "lat": 35.5, "lon": 36.8, "published": D(2018, 3, 4), "count_min": 40}]
    frame = pl.DataFrame(claims).with_columns(qualifier=pl.lit("exact"), claim_key=pl.Series(claim_keys(claims)))
    assert compare(frame).height == 2
    assert compare(frame, within_km=60).height == 1


def test_trace_follows_a_claim_through_its_outlets_and_variants(results):
    path = trace(results, key_of(results, "mod_rt"))
    assert path.schema == TRACE
    assert path.select("doc_id", "outlet", "relation").rows() == [
        ("mod_sputnik", "Sputnik", "same"), ("mod_rt", "RT", "same"), ("mod_tass", "TASS", "same"),
        ("army_sana", "SANA", "re-attributed"), ("mod_lefigaro", "Le Figaro", "rounded"),
    ]
    assert path["first_seen"].to_list() == [True, False, False, False, False]
    assert "osdh_monitor" not in path["doc_id"].to_list()  # another claimant and another figure: not this claim
    assert trace(results, "no-such-key").height == 0


@pytest.mark.parametrize(("reference", "other", "expected"), [
    ((2359, "exact"), (2300, "at_least"), True),
    ((2359, "exact"), (2400, "approx"), True),
    ((2359, "exact"), (2000, "exact"), True),  # rounded to thousands
    ((2359, "exact"), (3100, "exact"), False),
    ((37, "exact"), (12, "vague"), True),  # "dozens"
    ((37, "exact"), (73, "exact"), False),
])
def test_rounded_figures(reference, other, expected):
    assert rounded({"count_min": reference[0], "qualifier": reference[1]}, {"count_min": other[0], "qualifier": other[1]}) is expected


@pytest.mark.slow
def test_relays_in_different_parts_of_a_run_share_their_key(results, tmp_path):
    from toolkit import Results, extract_to

    extract_to(load_corpus(CORPUS), tmp_path / "out", part_size=2)
    by_parts = Results.read(tmp_path / "out").claims.select("doc_id", "claim_key").sort("doc_id")
    assert by_parts.rows() == results.claims.select("doc_id", "claim_key").sort("doc_id").rows()
    keys = dict(by_parts.rows())
    assert keys["mod_sputnik"] == keys["mod_rt"] == keys["mod_tass"]  # the first two documents are one part, the third another
