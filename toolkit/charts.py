"""Altair charts of claims, places and scores; the map draws offline over a shipped boundary layer.

Every function takes polars frames and returns an Altair chart; an empty frame gives a chart that
says there is nothing to show. The charts of ``dashboard`` share one selection: clicking a
claimant in the legend highlights that claimant in every chart.
"""

from __future__ import annotations

import json
import math
import warnings
from functools import lru_cache
from typing import Any

import altair as alt
import polars as pl

from toolkit.lexicons import DATA_DIR

WIDTH = 420
MAP_HEIGHT = 320
#: Distinct dates a time chart needs; with fewer, totals by claimant are drawn.
MIN_DATES = 3
VEGA_LITE_MIMETYPE = "application/vnd.vegalite.v5+json"

# One claimant selection is shared by the dashboard's charts on purpose.
warnings.filterwarnings("ignore", message="Automatically deduplicated selection parameter")


@lru_cache(maxsize=1)
def world_boundaries() -> dict[str, Any]:
    """Natural Earth 1:110m countries (public domain), shipped as ``toolkit/data/world_countries.geojson``."""
    return json.loads((DATA_DIR / "world_countries.geojson").read_text(encoding="utf-8"))


def _empty(title: str) -> alt.Chart:
    return alt.Chart(pl.DataFrame({"note": ["nothing to show"]})).mark_text(size=13).encode(text="note:N").properties(title=title, width=WIDTH, height=60)


def claimant_selection() -> alt.Parameter:
    return alt.selection_point(fields=["claimant"], bind="legend", name="claimant_pick")


def losses_over_time(claims: pl.DataFrame, *, selection: alt.Parameter | None = None) -> alt.Chart:
    """People claimed killed, wounded or captured, by claimant, dated by the claim's period (its
    end), else the article's publication date; undated claims are counted in the title. With fewer
    than ``MIN_DATES`` distinct dates a time axis says little: totals by claimant instead."""
    title = "People claimed lost, by claimant"
    frame = _dated_claims(claims, "casualties")
    if frame.height == 0:
        return _empty(title)
    undated = frame["date"].null_count()
    dated = frame.filter(pl.col("date").is_not_null())
    if dated["date"].n_unique() < MIN_DATES:
        known = "none dated" if dated.height == 0 else f"{dated['date'].n_unique()} date(s) known"
        return losses_by_claimant(frame, selection=selection).properties(title=f"{title} ({frame.height} claims, {known})")
    chart = alt.Chart(dated.select("date", "count_min", "claimant", "status", "text", "doc_id")).mark_circle(size=90).encode(
        x=alt.X("date:T", title="date"),
        y=alt.Y("count_min:Q", title="people (lower bound)"),
        color=alt.Color("claimant:N"),
        shape=alt.Shape("status:N"),
        tooltip=["claimant", "status", "count_min", "date:T", "text", "doc_id"],
    )
    return _select(chart, selection).properties(title=f"{title}" + (f" ({undated} undated not shown)" if undated else ""), width=WIDTH)


def _dated_claims(claims: pl.DataFrame, table: str) -> pl.DataFrame:
    """The claims of ``table`` dated by their period's end, else its start, else publication."""
    return claims.filter(pl.col("table") == table).with_columns(
        date=pl.coalesce("date_end", "date_start", "published"),
        claimant=pl.col("claimant").fill_null("(unknown)"),
    )


def figures_over_time(claims: pl.DataFrame, table: str, *, key: str | None = None, selection: alt.Parameter | None = None) -> alt.Chart:
    """The claims of any figure table by claimant over time (shaped by its first key column
    ``key``), dated as ``losses_over_time``; totals by claimant with fewer than ``MIN_DATES`` dates."""
    title = f"{table}: figures claimed, by claimant"
    frame = _dated_claims(claims, table)
    if frame.height == 0:
        return _empty(title)
    key = key if key in frame.columns else None
    detail = [key] if key else []
    dated = frame.filter(pl.col("date").is_not_null())
    if dated["date"].n_unique() < MIN_DATES:
        totals = frame.group_by("claimant", *detail).agg(figures=pl.col("count_min").sum(), claims=pl.len())
        chart = alt.Chart(totals).mark_bar().encode(
            y=alt.Y("claimant:N", sort="-x", title=None),
            x=alt.X("figures:Q", title="sum of lower bounds"),
            **({"color": alt.Color(f"{key}:N")} if key else {}),
            tooltip=["claimant", *detail, "figures", "claims"],
        )
        return _select(chart, selection).properties(title=f"{title} ({frame.height} claims, {dated['date'].n_unique()} date(s) known)", width=WIDTH)
    chart = alt.Chart(dated.select("date", "count_min", "claimant", *detail, "text", "doc_id")).mark_circle(size=90).encode(
        x=alt.X("date:T", title="date"),
        y=alt.Y("count_min:Q", title="figure (lower bound)"),
        color=alt.Color("claimant:N"),
        **({"shape": alt.Shape(f"{key}:N")} if key else {}),
        tooltip=["claimant", *detail, "count_min", "date:T", "text", "doc_id"],
    )
    undated = frame.height - dated.height
    return _select(chart, selection).properties(title=title + (f" ({undated} undated not shown)" if undated else ""), width=WIDTH)


def losses_by_claimant(claims: pl.DataFrame, *, selection: alt.Parameter | None = None) -> alt.Chart:
    """Total people claimed lost per claimant and status."""
    frame = claims.filter(pl.col("table") == "casualties").with_columns(claimant=pl.col("claimant").fill_null("(unknown)"))
    if frame.height == 0:
        return _empty("People claimed lost, by claimant")
    totals = frame.group_by("claimant", "status").agg(people=pl.col("count_min").sum(), claims=pl.len())
    chart = alt.Chart(totals).mark_bar().encode(
        y=alt.Y("claimant:N", sort="-x", title=None),
        x=alt.X("people:Q", title="people (sum of lower bounds)"),
        color=alt.Color("status:N"),
        tooltip=["claimant", "status", "people", "claims"],
    )
    return _select(chart, selection).properties(title="People claimed lost, by claimant", width=WIDTH)


def equipment_by_category(claims: pl.DataFrame, *, selection: alt.Parameter | None = None) -> alt.Chart:
    """Equipment claimed destroyed, captured or damaged, by category and claimant."""
    frame = claims.filter(pl.col("table") == "equipment").with_columns(claimant=pl.col("claimant").fill_null("(unknown)"))
    if frame.height == 0:
        return _empty("Equipment by category")
    totals = frame.group_by("category", "claimant").agg(items=pl.col("count_min").sum(), claims=pl.len())
    chart = alt.Chart(totals).mark_bar().encode(
        y=alt.Y("category:N", sort="-x", title=None),
        x=alt.X("items:Q", title="items (sum of lower bounds)"),
        color=alt.Color("claimant:N"),
        tooltip=["category", "claimant", "items", "claims"],
    )
    return _select(chart, selection).properties(title="Equipment by category and claimant", width=WIDTH)


def top_places(places: pl.DataFrame | None, *, n: int = 15) -> alt.Chart:
    """The places named most often (metonymic capitals left out)."""
    if places is None:
        return _empty("Top places")
    frame = places.filter(~pl.col("metonymic").fill_null(False)) if "metonymic" in places.columns else places
    if frame.height == 0:
        return _empty("Top places")
    counts = frame.group_by("name", "kind", "country").agg(mentions=pl.len(), documents=pl.col("doc_id").n_unique())
    counts = counts.sort(["mentions", "name"], descending=[True, False]).head(n)
    return alt.Chart(counts).mark_bar().encode(
        y=alt.Y("name:N", sort="-x", title=None),
        x=alt.X("mentions:Q"),
        color=alt.Color("kind:N"),
        tooltip=["name", "kind", "country", "mentions", "documents"],
    ).properties(title=f"Top {n} places", width=WIDTH)


def claims_map(claims: pl.DataFrame, places: pl.DataFrame | None = None, *, selection: alt.Parameter | None = None) -> alt.Chart:
    """Claims (sized by their figure) and named places over country boundaries, framed on the
    points; works without a network."""
    points = []
    if places is not None and places.height:
        located = places.filter(pl.col("lat").is_not_null())
        if "metonymic" in located.columns:
            located = located.filter(~pl.col("metonymic").fill_null(False))
        points.append(located.group_by("name", "lat", "lon").agg(mentions=pl.len()))
    located_claims = claims.filter(pl.col("lat").is_not_null()).with_columns(claimant=pl.col("claimant").fill_null("(unknown)"))
    lats = [value for frame in [*points, located_claims] for value in frame["lat"].to_list()]
    lons = [value for frame in [*points, located_claims] for value in frame["lon"].to_list()]
    if not lats:
        return _empty("Map of claims and places")
    projection = _framing(lats, lons)
    boundaries = alt.Data(values=world_boundaries()["features"])
    layers: list[alt.Chart] = [
        alt.Chart(boundaries).mark_geoshape(fill="#f3f4f6", stroke="#9ca3af", strokeWidth=0.5).encode(
            tooltip=[alt.Tooltip("properties.name:N", title="country")]
        )
    ]
    if points:
        layers.append(alt.Chart(points[0]).mark_circle(color="#6b7280", opacity=0.5).encode(
            longitude="lon:Q", latitude="lat:Q", size=alt.Size("mentions:Q", legend=None), tooltip=["name", "mentions"],
        ))
    if located_claims.height:
        claim_rows = located_claims.select("lat", "lon", "count_min", "claimant", "place", "status", "category", "text")
        claim_points = alt.Chart(claim_rows).mark_circle(opacity=0.8, stroke="black", strokeWidth=0.5).encode(
            longitude="lon:Q", latitude="lat:Q", size=alt.Size("count_min:Q", title="figure"), color="claimant:N",
            tooltip=["place", "claimant", "count_min", "status", "category", "text"],
        )
        layers.append(_select(claim_points, selection))
    return alt.layer(*layers).project(**projection).properties(title="Map of claims and places", width=WIDTH, height=MAP_HEIGHT)


def _framing(lats: list[float], lons: list[float]) -> dict[str, Any]:
    """An equirectangular projection centred on the points with a margin of a few degrees."""
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    span = max(north - south, (east - west) * MAP_HEIGHT / WIDTH, 4.0) + 6.0
    scale = MAP_HEIGHT / math.radians(span)
    return {"type": "equirectangular", "center": [(west + east) / 2, (south + north) / 2], "scale": scale, "translate": [WIDTH / 2, MAP_HEIGHT / 2]}


def scores_chart(scores: pl.DataFrame) -> alt.Chart:
    """Precision, recall and F1 per table of an evaluation."""
    if scores.height == 0:
        return _empty("Scores")
    long = scores.unpivot(index="table", on=["precision", "recall", "f1"], variable_name="measure", value_name="value")
    return alt.Chart(long).mark_bar().encode(
        x=alt.X("value:Q", scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("measure:N", title=None),
        row=alt.Row("table:N"),
        color="measure:N",
        tooltip=["table", "measure", alt.Tooltip("value:Q", format=".3f")],
    ).properties(width=WIDTH - 100, title="Scores against the gold annotations")


def contested_figures(events: pl.DataFrame) -> alt.Chart:
    """Each claimant's figure (a range when it has one) for every event of ``toolkit.compare``."""
    title = "Figures claimed for the same event, by claimant"
    if events.height == 0:
        return _empty(title)
    labelled = events.with_columns(
        event_label=pl.format("{} {} {}, {} ({})", pl.col("event"), pl.col("status"), pl.col("what").fill_null(""),
                              pl.col("area"), pl.col("date_start").cast(pl.String).fill_null("undated")),
    )
    figures = labelled.select("event_label", "figures").explode("figures").unnest("figures").with_columns(
        claimant=pl.col("claimant").fill_null("(unknown)"), high=pl.coalesce("count_max", "count_min"),
        documents=pl.col("documents").list.len(),
    )
    base = alt.Chart(figures.select("event_label", "claimant", "count_min", "high", "qualifier", "documents")).encode(
        y=alt.Y("event_label:N", title=None), yOffset="claimant:N", color=alt.Color("claimant:N"),
        tooltip=["claimant", "count_min", "high", "qualifier", "documents"],
    )
    return (base.mark_rule(strokeWidth=3).encode(x=alt.X("count_min:Q", title="figure claimed"), x2="high:Q")
            + base.mark_point(filled=True, size=70).encode(x="count_min:Q")).properties(title=title, width=WIDTH)


#: Figure tables the dashboard draws with charts of their own.
_OWN_CHARTS = ("casualties", "equipment")


def dashboard(claims: pl.DataFrame, places: pl.DataFrame | None = None, *, keys: dict[str, tuple[str, ...]] | None = None) -> alt.VConcatChart:
    """The explorer's charts, linked by one claimant selection: losses, equipment, a chart by
    claimant and time for every other figure table of ``claims`` (shaped by its first key column
    in ``keys``), the map and the places named most."""
    selection = claimant_selection()
    keys = keys or {}
    others = [table for table in dict.fromkeys(claims["table"].to_list()) if table not in _OWN_CHARTS]
    return alt.vconcat(
        losses_over_time(claims, selection=selection),
        equipment_by_category(claims, selection=selection),
        *(figures_over_time(claims, table, key=next(iter(keys.get(table, ())), None), selection=selection) for table in others),
        claims_map(claims, places, selection=selection),
        top_places(places),
    ).resolve_scale(color="independent")


def mimebundle(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """``chart`` as a Vega-Lite document, which JupyterLab and Voilà draw without a network
    (whatever Altair renderer is active)."""
    return {VEGA_LITE_MIMETYPE: chart.to_dict(), "text/plain": f"<{type(chart).__name__}>"}


def show(chart: alt.TopLevelMixin) -> None:
    """Display ``chart`` in the notebook (see ``mimebundle``)."""
    from IPython.display import display

    display(mimebundle(chart), raw=True)


def _select(chart: alt.Chart, selection: alt.Parameter | None) -> alt.Chart:
    if selection is None:
        return chart
    return chart.add_params(selection).encode(opacity=alt.condition(selection, alt.value(0.9), alt.value(0.15)))
