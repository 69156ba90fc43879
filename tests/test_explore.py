"""Widgets, charts and the evidence viewer, tested without a browser."""

import polars as pl
import pytest

from toolkit import Document, charts, extract
from toolkit.explore import FACETS, EvidenceViewer, Explorer, apply_filters, facet_values
from toolkit.viewer import Highlight, highlight_html, html_table, render_document


@pytest.fixture
def explorer(seed_results, tmp_path):
    return Explorer(seed_results, export_dir=tmp_path / "exports")


def chart_data(explorer):
    """The data sets of the chart the explorer currently shows."""
    return explorer.charts_output.outputs[0]["data"][charts.VEGA_LITE_MIMETYPE]["datasets"]


def test_filters_apply_to_claims_and_to_tables_by_their_own_column_names(seed_results):
    claims = apply_filters(seed_results.claims, {"claimant": ["Russian Ministry of Defence"], "status": ["killed"]})
    assert claims.height and set(claims["claimant"]) == {"Russian Ministry of Defence"} and set(claims["status"]) == {"killed"}
    attributions = apply_filters(seed_results["attributions"], {"claimant": ["Sputnik"]}, table="attributions")
    assert set(attributions["source"]) == {"Sputnik"}
    places = apply_filters(seed_results["places"], {"place": ["Homs Governorate"], "status": ["killed"]}, table="places")
    assert set(places["name"]) == {"Homs Governorate"}  # places have no status: that filter does not apply
    assert apply_filters(seed_results["places"], {"table": ["casualties"]}, table="places").height == 0
    assert apply_filters(seed_results.claims, {"table": ["equipment"]})["table"].unique().to_list() == ["equipment"]


def test_facet_options_cover_claims_and_tables(explorer):
    assert set(explorer.filters) == set(FACETS)
    assert "Sputnik" in explorer.filters["outlet"].options
    assert "Igor Konashenkov" in explorer.filters["source"].options  # from the attributions table
    assert {"casualties", "equipment", "places", "attributions", "periods"} <= set(explorer.filters["extractor"].options)
    assert facet_values(pl.DataFrame({"a": [1]}), "missing") == []


def test_changing_a_filter_redraws_status_table_and_charts(explorer, seed_results):
    before_status, before_charts = explorer.status.value, chart_data(explorer)
    explorer.filters["status"].value = ("wounded",)
    assert explorer.filtered("claims").height == 1
    assert explorer.status.value != before_status and "<b>1</b> claims" in explorer.status.value
    assert explorer.shown.height == 1 and explorer.grid.caption == "claims: 1 rows"
    assert explorer.shown["status"].to_list() == ["wounded"]
    assert chart_data(explorer) != before_charts
    explorer.clear()
    assert explorer.filtered("claims").height == seed_results.claims.height


def test_itemised_table_follows_the_table_choice(explorer):
    explorer.table_choice.value = "places"
    assert "Homs Governorate" in explorer.shown["name"].to_list() and "geonameid" in explorer.shown.columns
    assert explorer.grid.caption.startswith("places:")


def test_picking_a_row_of_the_grid_opens_it_in_the_evidence_viewer(seed_results, tmp_path):
    viewer = EvidenceViewer(seed_results)
    explorer = Explorer(seed_results, export_dir=tmp_path, viewer=viewer)
    explorer.filters["status"].value = ("wounded",)
    explorer.grid.selected_rows = [0]
    wounded = explorer.shown.row(0, named=True)
    assert viewer.current_claim["start"] == wounded["start"] and viewer.document.value == wounded["doc_id"]
    explorer.table_choice.value = "places"
    last = explorer.shown.height - 1
    explorer.grid.selected_rows = [last]
    assert viewer.document.value == explorer.shown["doc_id"][last] and viewer.current_claim is None


def test_export_writes_the_filtered_frames(explorer):
    explorer.filters["extractor"].value = ("equipment",)
    written = explorer.export()
    claims = pl.read_parquet(next(path for path in written if path.name == "claims.parquet"))
    assert set(claims["table"]) == {"equipment"}
    assert pl.read_parquet(next(path for path in written if path.name == "places.parquet")).height == 0
    explorer.export_format.value = "csv"
    csv_claims = next(path for path in explorer.export() if path.name == "claims.csv")
    assert pl.read_csv(csv_claims).height == claims.height


def test_evidence_viewer_shows_a_claim_with_its_parts(seed_results):
    viewer = EvidenceViewer(seed_results)
    claim = seed_results.claims.filter(pl.col("count_min") == 2359).row(0, named=True)
    viewer.show_claim(claim)
    page = viewer.page.value
    assert viewer.document.value == claim["doc_id"]
    for part in ("figure", "source", "outlet", "place", "period"):
        assert f'class="toolkit-{part}"' in page
    assert "Russian Ministry of Defence" in page and "du 19 au 29 septembre" in page
    viewer.claim.value = None
    assert 'class="toolkit-casualties"' in viewer.page.value and 'class="toolkit-places"' in viewer.page.value


def test_article_markup_never_runs():
    text = 'Selon l\'OSDH, 12 soldats ont été tués à Alep. <script>alert("x")</script><img src=x onerror=alert(1)>'
    results = extract([Document(doc_id="evil<b>", text=text, lang="fr")])
    page = render_document(results, "evil<b>")
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;" in page and "evil&lt;b&gt;" in page
    viewer = EvidenceViewer(results)
    viewer.show_claim(results.claims.row(0, named=True))
    assert "<script>" not in viewer.page.value
    assert "<script>" not in html_table(pl.DataFrame({"text": ["<script>x</script>"]}))


def test_overlapping_highlights_nest_and_hover_values_are_escaped():
    html = highlight_html("200 militants killed", [Highlight(0, 20, "casualties", 'group="x"'), Highlight(0, 3, "figure", "n")], {})
    assert html.startswith('<mark class="toolkit-casualties"') and html.count("<mark") == 3
    assert 'title="group=&quot;x&quot;"' in html
    assert highlight_html("a<b", [Highlight(5, 9, "out", "")], {}) == "a&lt;b"


def test_charts_say_when_there_is_nothing_to_show(seed_results):
    empty = seed_results.claims.head(0)
    for chart in (charts.losses_over_time(empty), charts.equipment_by_category(empty), charts.claims_map(empty), charts.top_places(None)):
        assert chart.to_dict()["mark"]["type"] == "text"


def test_map_is_framed_on_the_claims_over_shipped_boundaries(seed_results):
    spec = charts.claims_map(seed_results.claims, seed_results["places"]).to_dict()
    longitude, latitude = spec["projection"]["center"]
    assert 30 < longitude < 45 and 28 < latitude < 40  # Syria and its neighbours
    names = {feature["properties"]["name"] for feature in charts.world_boundaries()["features"]}
    assert {"Syria", "Iraq", "Ukraine", "Mali"} <= names


def test_losses_chart_counts_people_by_claimant(seed_results):
    spec = charts.losses_by_claimant(seed_results.claims).to_dict()
    (rows,) = spec["datasets"].values()
    killed = {row["claimant"]: row["people"] for row in rows if row["status"] == "killed"}
    assert killed["Russian Ministry of Defence"] >= 2359 + 200


def test_scores_chart(seed_results):
    from conftest import GOLD
    from toolkit import evaluate

    spec = charts.scores_chart(evaluate(GOLD, seed_results).scores).to_dict()
    (rows,) = spec["datasets"].values()
    assert {row["measure"] for row in rows} == {"precision", "recall", "f1"}


@pytest.fixture(scope="module")
def relays():
    from toolkit import load_corpus, sample_corpus

    return extract(load_corpus(sample_corpus("relays")))


def test_the_explorer_shows_contested_figures_and_follows_a_claim(relays, tmp_path):
    explorer = Explorer(relays, export_dir=tmp_path)
    chart, table = explorer.contested_output.outputs
    assert "layer" in chart["data"][charts.VEGA_LITE_MIMETYPE]
    assert "Syrian Observatory for Human Rights: 620 (1 doc.)" in table["data"]["text/html"]
    assert "19-29 Sep 2017" in table["data"]["text/html"]
    label, key = explorer.follow_choice.options[0]
    assert label == "2359 killed militants — Russian Ministry of Defence (3 documents)"
    assert explorer.follow_choice.value == key
    assert explorer.follow_output.value.count("<tr>") == 1 + 5  # header, three relays, the re-attribution, the rounding
    assert "re-attributed" in explorer.follow_output.value and "rounded" in explorer.follow_output.value
    explorer.filters["source"].value = ("Syrian Observatory for Human Rights",)
    assert "nothing to show" in str(explorer.contested_output.outputs[0]["data"])
    assert explorer.follow_choice.options[0][0].startswith("620 killed militants")


def test_periods_are_shown_in_words(relays):
    from toolkit.explore import for_reading

    assert "19-29 Sep 2017" in for_reading(relays.claims)["when"].to_list()
    page = render_document(relays, "mod_rt", claim=relays.claims.filter(pl.col("doc_id") == "mod_rt").row(0, named=True))
    assert "19-29 Sep 2017" in page


@pytest.mark.parametrize(("period", "start", "end", "words"), [
    ("--09-19/--09-29", None, None, "19-29 Sep, year unknown"),
    ("2017-09-30/2017-10-02", (2017, 9, 30), (2017, 10, 2), "30 Sep-2 Oct 2017"),
    ("2016-12-30/2017-01-02", (2016, 12, 30), (2017, 1, 2), "30 Dec 2016-2 Jan 2017"),
    ("2018-03-01", (2018, 3, 1), (2018, 3, 1), "1 Mar 2018"),
    ("PT24H", None, None, "PT24H"),
])
def test_period_words(period, start, end, words):
    import datetime

    from toolkit.viewer import period_words

    as_date = lambda parts: parts and datetime.date(*parts)  # noqa: E731
    assert period_words(period, as_date(start), as_date(end)) == words


def test_a_time_chart_with_fewer_than_three_dates_falls_back_to_totals_by_claimant(relays):
    dated = relays.claims.filter(pl.col("doc_id").is_in(["mod_rt", "idlib_2016"]))
    spec = charts.losses_over_time(dated).to_dict()
    assert "2 date(s) known" in str(spec["title"]) and spec["mark"]["type"] == "bar"
    assert charts.losses_over_time(relays.claims).to_dict()["mark"]["type"] == "circle"


def test_places_without_a_position_are_listed_apart_from_the_map(explorer, seed_results):
    from toolkit.explore import unplaced_places

    unplaced = unplaced_places(seed_results["places"])
    assert set(unplaced["name"]) == {"Kirkouk", "Manchiyyeh"} and set(unplaced["country"]) == {"SY"}
    mapped = {row["name"] for dataset in chart_data(explorer).values() for row in dataset if "mentions" in row}
    assert not mapped & {"Kirkouk", "Manchiyyeh"}
    listing = explorer.charts_output.outputs[1]["data"]["text/html"]
    assert "Not on the map: 2 places" in listing and "Manchiyyeh" in listing
    assert unplaced_places(None).height == 0
