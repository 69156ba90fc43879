"""Reviews of claims: kept beside the results, applied when read, kept across re-runs, exported as gold."""

import datetime
import json
import shutil

import polars as pl
import pytest

from toolkit import Results, evaluate, extract_to, load_corpus, sample_corpus
from toolkit.cli import main
from toolkit.reviews import REVIEWS, corrections_from_text, export_gold, read_reviews, review_claim

CORPUS = sample_corpus("relays")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "out"
    extract_to(load_corpus(CORPUS), out)
    return out


@pytest.fixture
def out(extracted, tmp_path):
    return shutil.copytree(extracted, tmp_path / "out")


def claim(results, doc_id):
    return results.claims.filter(pl.col("doc_id") == doc_id).row(0, named=True)


def review_four(out):
    """Accept two claims, reject one, correct the claimant of another."""
    results = Results.read(out)
    review_claim(out, claim(results, "mod_rt"), "accepted", reviewer="ana")
    review_claim(out, claim(results, "mod_tass"), "accepted", reviewer="ana")
    review_claim(out, claim(results, "idlib_2016"), "rejected", note="a repeat of an older report", reviewer="ana")
    review_claim(out, claim(results, "army_sana"), "corrected", corrections={"claimant": "Russian Ministry of Defence"}, reviewer="ben")


def test_reviews_are_applied_when_the_results_are_read(out):
    review_four(out)
    results = Results.read(out)
    reviews = dict(results.claims.select("doc_id", "review").iter_rows())
    assert reviews == {"mod_sputnik": "unreviewed", "mod_rt": "accepted", "mod_tass": "accepted", "mod_lefigaro": "unreviewed",
                       "osdh_monitor": "unreviewed", "idlib_2016": "rejected", "idlib_2018": "unreviewed", "army_sana": "corrected"}
    corrected = claim(results, "army_sana")
    assert (corrected["claimant"], corrected["source_link"]) == ("Russian Ministry of Defence", "review")
    assert claim(results, "idlib_2016")["review_note"] == "a repeat of an older report"
    assert results.unmatched_reviews.height == 0
    assert "reviews: 2 accepted, 1 corrected, 1 rejected" in results.summary()
    assert claim(Results.read(out, reviews=False), "army_sana")["claimant"] == "Syrian Arab Army"  # as extracted


def test_reviews_are_appended_and_the_latest_decision_wins(out):
    results = Results.read(out)
    review_claim(out, claim(results, "mod_rt"), "rejected")
    review_claim(out, claim(results, "mod_rt"), "corrected", corrections=corrections_from_text(figure="2 400", period="2017-09-20/2017-09-28"))
    kept = read_reviews(out)
    assert kept.schema == REVIEWS and kept["decision"].to_list() == ["rejected", "corrected"]
    assert kept["before"].struct.field("count_min").to_list() == [2359, 2359]
    row = claim(Results.read(out), "mod_rt")
    assert (row["review"], row["count_min"], row["date_start"], row["period"], row["period_link"]) == (
        "corrected", 2400, datetime.date(2017, 9, 20), "2017-09-20/2017-09-28", "review")


def test_reviews_survive_a_rerun_on_a_grown_corpus(out, tmp_path):
    review_four(out)
    grown = tmp_path / "grown.jsonl"
    extra = {"doc_id": "mod_interfax", "lang": "en", "outlet": "Interfax", "published": "2017-10-04",
             "text": "The Russian Defence Ministry said 2,359 militants had been killed in Deir ez-Zor province from September 19 to 29."}
    grown.write_text(CORPUS.read_text(encoding="utf-8") + json.dumps(extra) + "\n", encoding="utf-8")
    extract_to(load_corpus(grown), out)
    results = Results.read(out)
    assert results.documents.height == 9 and results.unmatched_reviews.height == 0
    assert results.claims.filter(pl.col("review") != "unreviewed").select("doc_id", "review").sort("doc_id").rows() == [
        ("army_sana", "corrected"), ("idlib_2016", "rejected"), ("mod_rt", "accepted"), ("mod_tass", "accepted")]
    assert claim(results, "mod_interfax")["review"] == "unreviewed"


def test_a_review_whose_claim_is_gone_is_listed_not_dropped(out, tmp_path):
    review_four(out)
    shrunk = tmp_path / "shrunk.jsonl"
    shrunk.write_text("".join(line + "\n" for line in CORPUS.read_text(encoding="utf-8").splitlines() if '"idlib_2016"' not in line), encoding="utf-8")
    extract_to(load_corpus(shrunk), out)
    results = Results.read(out)
    assert results.unmatched_reviews.select("doc_id", "decision").rows() == [("idlib_2016", "rejected")]
    assert "1 match no claim of this run" in results.summary()
    assert read_reviews(out).height == 4


@pytest.mark.parametrize(("arguments", "message"), [
    (("maybe",), "decision must be one of"),
    (("corrected",), "a correction needs the corrected parts"),
    (("accepted", {"claimant": "X"}), "only a correction takes them"),
    (("corrected", {"colour": "red"}), "cannot be corrected: colour"),
])
def test_bad_reviews_are_refused_with_a_clear_message(out, arguments, message):
    decision, *corrections = arguments
    with pytest.raises(ValueError, match=message):
        review_claim(out, claim(Results.read(out), "mod_rt"), decision, corrections=corrections[0] if corrections else None)
    assert read_reviews(out).height == 0


@pytest.mark.parametrize(("typed", "expected"), [
    ({"figure": "plus de 2.300"}, {"count_min": 2300, "count_max": None, "qualifier": "at_least"}),
    ({"figure": "10-15"}, {"count_min": 10, "count_max": 15, "qualifier": "range"}),
    ({"period": "2017-09-19"}, {"period": "2017-09-19", "date_start": datetime.date(2017, 9, 19), "date_end": datetime.date(2017, 9, 19)}),
    ({"period": "--09-19/--09-29"}, {"period": "--09-19/--09-29", "date_start": None, "date_end": None}),
    ({"claimant": "SOHR", "place": ""}, {"claimant": "SOHR"}),
])
def test_corrections_from_what_a_person_types(typed, expected):
    assert corrections_from_text(**typed) == expected


def test_unreadable_corrections_are_refused():
    with pytest.raises(ValueError, match="no figure"):
        corrections_from_text(figure="beaucoup")
    with pytest.raises(ValueError, match="not a period"):
        corrections_from_text(period="l'an dernier")


def test_gold_exported_from_reviews_scores_accepted_claims_right_and_corrected_ones_as_misses(out, tmp_path):
    review_four(out)
    written = export_gold(Results.read(out), tmp_path / "gold")
    assert sorted(path.stem for path in written) == ["army_sana", "idlib_2016", "mod_rt", "mod_tass"]
    rejected = json.loads((tmp_path / "gold" / "idlib_2016.json").read_text(encoding="utf-8"))
    assert "casualties" not in rejected
    evaluation = evaluate(tmp_path / "gold", out)
    details = {row["doc_id"]: row for row in evaluation.claim_details.iter_rows(named=True)}
    assert details["mod_rt"]["whole"] and details["mod_tass"]["whole"]
    assert details["army_sana"]["found"] and not details["army_sana"]["claimant"] and not details["army_sana"]["whole"]
    casualties = evaluation.scores.filter(pl.col("table") == "casualties").row(0, named=True)
    assert (casualties["tp"], casualties["fp"], casualties["fn"]) == (3, 1, 0)  # the rejected claim is a false hit


def test_reviews_and_exports_from_the_command_line(out, tmp_path, capsys):
    review_four(out)
    assert main(["reviews", "show", str(out)]) == 0
    shown = capsys.readouterr().out
    assert "4 reviews kept" in shown and "corrected army_sana 2359 killed militants | Russian Ministry of Defence" in shown
    assert main(["reviews", "export", str(out), "--gold", str(tmp_path / "gold")]) == 0
    assert "4 gold files written" in capsys.readouterr().out
    assert main(["export", str(out), "--to", str(tmp_path / "exports")]) == 0
    collection = json.loads((tmp_path / "exports" / "claims.geojson").read_text(encoding="utf-8"))
    features = {feature["properties"]["doc_id"]: feature for feature in collection["features"]}
    assert len(features) == 8 and features["idlib_2016"]["properties"]["review"] == "rejected"
    assert features["mod_rt"]["geometry"]["type"] == "Point" and features["mod_rt"]["properties"]["text"]
    assert features["mod_rt"]["properties"]["date_start"] == "2017-09-19"
    csv = pl.read_csv(tmp_path / "exports" / "claims.csv")
    assert csv.height == 8 and {"text", "review"} <= set(csv.columns)
    assert (tmp_path / "exports" / "places.geojson").exists() and (tmp_path / "exports" / "places.csv").exists()


def test_the_evidence_viewer_reviews_the_claim_it_shows(out):
    from toolkit.explore import NOBODY, EvidenceViewer

    viewer = EvidenceViewer(Results.read(out))
    viewer.show_claim(claim(viewer.results, "army_sana"))
    panel = viewer.review
    assert panel.widget.layout.display is None and not panel.save_button.disabled
    panel.decision.value = "correct"
    panel.claimant.value, panel.figure.value, panel.note.value = "Russian Ministry of Defence", "2 300", "the ministry's figure"
    panel.place.value = next(value for label, value in panel.place.options if label.startswith("Deir ez-Zor Governorate"))
    assert panel.save()["decision"] == "corrected"
    shown = viewer.current_claim
    assert (shown["review"], shown["claimant"], shown["count_min"], shown["place_kind"]) == ("corrected", "Russian Ministry of Defence", 2300, "admin1")
    assert "[corrected]" in viewer.claim.label and "the ministry&#x27;s figure" in viewer.page.value

    viewer.show_claim(claim(viewer.results, "osdh_monitor"))
    panel.decision.value, panel.claimant.value = "correct", NOBODY
    panel.save()
    assert viewer.current_claim["claimant"] is None
    panel.decision.value = "reject"
    panel.save()
    assert Results.read(out).claims.filter(pl.col("doc_id") == "osdh_monitor")["review"].item() == "rejected"

    panel.decision.value, panel.period.value = "correct", "l'an dernier"
    assert panel.save() is None and "Not saved: not a period" in panel.message.value


@pytest.mark.slow
def test_results_held_in_memory_are_not_reviewed():
    from toolkit import extract
    from toolkit.explore import EvidenceViewer

    results = extract(load_corpus(CORPUS))
    viewer = EvidenceViewer(results)
    viewer.show_claim(results.claims.row(0, named=True))
    assert viewer.review.save_button.disabled and "Results.read(folder)" in viewer.review.message.value
    assert viewer.review.controls.layout.display == "none"
    assert viewer.review.save() is None
