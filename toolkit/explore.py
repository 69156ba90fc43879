"""Widgets of the notebooks: the explorer (filters, linked charts, map, contested figures, the
path of a claim, itemised table, export) and the evidence viewer with its review panel. The filtering is plain polars (``apply_filters``) so that it is tested
without a browser; the widgets only hold the choices and redraw."""

from __future__ import annotations

import html
from collections.abc import Collection, Mapping
from pathlib import Path

import ipywidgets as widgets
import polars as pl
from IPython.display import display
from itables.widget import ITable

from toolkit import charts
from toolkit.events import compare, trace
from toolkit.exports import export_frames
from toolkit.results import Results
from toolkit.reviews import corrections_from_text, current_user, review_claim
from toolkit.schemas import CLAIMS, empty_frame
from toolkit.viewer import html_table, period_words, render_document

#: Filters of the explorer: label -> the column it reads in the claims (and in any table that has it).
FACETS: dict[str, str] = {
    "extractor": "table",
    "source": "claimant",
    "outlet": "outlet",
    "group": "group",
    "category": "category",
    "status": "status",
    "country": "country",
    "admin1": "admin1",
    "place": "place",
    "period": "period",
    "review": "review",
    "document": "doc_id",
}
#: Data the itemised grid sends to the browser at most; a larger table is shown downsampled, with a note.
GRID_BYTES = 4 * 2**20
#: Where a facet's column has another name in an extractor table.
_TABLE_COLUMNS = {"claimant": ("source",), "place": ("name",), "period": ("label",)}


def explorer_facets(results: Results) -> dict[str, str]:
    """``FACETS`` and the key columns the run's figure tables declare beyond them (a plugin's
    ``movement``), each a filter under its own name."""
    known = set(FACETS.values())
    declared = [
        column for name, info in results.extractors.items() if info.get("links_as") == "figure" and name in results.tables
        for column in info.get("keys") or () if column not in known
    ]
    facets = list(FACETS.items())
    at = [label for label, _ in facets].index("country")
    return dict([*facets[:at], *((column, column) for column in dict.fromkeys(declared)), *facets[at:]])


def facet_values(frame: pl.DataFrame, column: str) -> list[str]:
    """The distinct non-null values of ``column`` in ``frame``, sorted; none when it lacks it."""
    if column not in frame.columns:
        return []
    return sorted(str(value) for value in frame[column].drop_nulls().unique().to_list())


def apply_filters(frame: pl.DataFrame, filters: Mapping[str, Collection[str]], *, table: str = "claims") -> pl.DataFrame:
    """Rows of ``frame`` that match every non-empty filter (facet column -> accepted values).

    The claims are filtered on their own columns; an extractor table on the same column or its
    own name for it (``source`` for claimant, ``name`` for place, ``label`` for period); a filter
    on a column the table lacks does not apply to it, except ``table`` (the extractor) which keeps
    or drops the whole table."""
    for column, accepted in filters.items():
        if not accepted:
            continue
        accepted = [str(value) for value in accepted]
        if column == "table" and table != "claims":
            if table not in accepted:
                return frame.head(0)
            continue
        names = [column] if column in frame.columns else [name for name in _TABLE_COLUMNS.get(column, ()) if name in frame.columns][:1]
        for name in names:
            frame = frame.filter(pl.col(name).cast(pl.String).is_in(accepted))
    return frame


def unplaced_places(places: pl.DataFrame | None) -> pl.DataFrame:
    """The places named without a position (the gazetteer abstained: an unknown village, a namesake
    refused), one row per name and country with its mentions and documents: the map leaves them
    out, the explorer lists them apart."""
    columns = {"name": pl.String(), "kind": pl.String(), "country": pl.String(), "mentions": pl.UInt32(), "documents": pl.UInt32()}
    if places is None or not {"lat", "kind"} <= set(places.columns):
        return pl.DataFrame(schema=columns)
    unplaced = places.filter(pl.col("lat").is_null() & (pl.col("kind") != "country"))
    return (
        unplaced.group_by("name", "kind", "country")
        .agg(mentions=pl.len(), documents=pl.col("doc_id").n_unique())
        .sort(["mentions", "name"], descending=[True, False])
        .cast(columns)
    )


def for_reading(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with its period in words (``when``) beside the period label, when it has one."""
    if "period" not in frame.columns:
        return frame
    starts = frame["date_start"].to_list() if "date_start" in frame.columns else [None] * frame.height
    ends = frame["date_end"].to_list() if "date_end" in frame.columns else starts
    words = [period_words(period, start, end) for period, start, end in zip(frame["period"].to_list(), starts, ends)]
    return frame.with_columns(when=pl.Series(words, dtype=pl.String)).select(
        [*frame.columns[: frame.columns.index("period")], "when", *frame.columns[frame.columns.index("period"):]]
    )


def events_for_reading(events: pl.DataFrame) -> pl.DataFrame:
    """The events of ``toolkit.compare``, each claimant's figures written out, periods in words."""
    def figures(items: list[dict]) -> str:
        return "; ".join(
            f"{item['claimant'] or '(unknown)'}: {item['count_min']}" + (f"-{item['count_max']}" if item["count_max"] not in (None, item["count_min"]) else "")
            + f" ({len(item['documents'])} doc.)" for item in items
        )
    return events.select(
        "event", "status", "what", "area",
        pl.struct("date_start", "date_end").map_elements(
            lambda dates: period_words(None, dates["date_start"], dates["date_end"]), return_dtype=pl.String
        ).alias("when"),
        "claimants", "documents", "low", "high",
        pl.col("figures").map_elements(figures, return_dtype=pl.String).alias("figures"),
    )


def followed_claims(claims: pl.DataFrame) -> list[tuple[str, str]]:
    """(label, claim_key) of the claims to follow, the most relayed first."""
    if claims.height == 0:
        return []
    keys = claims.group_by("claim_key", maintain_order=True).agg(
        pl.first("count_min", "status", "group", "category", "claimant"), documents=pl.col("doc_id").n_unique(),
    ).sort("documents", descending=True, maintain_order=True)
    return [
        (" ".join(f"{row['count_min']} {row['status'] or ''} {row['group'] or row['category'] or ''} — {row['claimant'] or '?'} "
                  f"({row['documents']} document{'s' if row['documents'] > 1 else ''})".split()), row["claim_key"])
        for row in keys.iter_rows(named=True)
    ]


class Explorer:
    """Filters over the claims and every table, with linked charts, a map, the figures claimants
    contest (``toolkit.compare``), the path of one claim (``toolkit.trace``), an itemised grid
    (sortable, searchable, paginated; picking a row opens it in ``viewer`` when one is given) and
    export. Display it in a notebook cell; ``filters[label].value`` and ``table_choice.value`` can
    be set from code too."""

    def __init__(self, results: Results, *, export_dir: str | Path = "exports", viewer: "EvidenceViewer | None" = None) -> None:
        self.results = results
        self.viewer = viewer
        self.export_dir = Path(export_dir)
        self.facets = explorer_facets(results)
        self.filters = {
            label: widgets.SelectMultiple(
                options=self._options(column), description=label, rows=4, layout=widgets.Layout(width="290px")
            )
            for label, column in self.facets.items()
        }
        self.table_choice = widgets.Dropdown(options=["claims", *results.tables], value="claims", description="table")
        self.export_format = widgets.ToggleButtons(options=["parquet", "csv", "geojson"], value="parquet", description="export as")
        self.export_button = widgets.Button(description="Export filtered tables", icon="download")
        self.status = widgets.HTML()
        self.charts_output = widgets.Output()
        self.contested_output = widgets.Output()
        self.follow_choice = widgets.Dropdown(description="follow", layout=widgets.Layout(width="700px"))
        self.follow_output = widgets.HTML()
        self.tabs = widgets.Tab(children=[
            self.charts_output, self.contested_output, widgets.VBox([self.follow_choice, self.follow_output]),
        ])
        for index, title in enumerate(("charts", "contested figures", "follow a claim")):
            self.tabs.set_title(index, title)
        self.shown = empty_frame(CLAIMS)
        self.grid = ITable(select={"style": "single"}, classes="display nowrap compact", scrollX=True, maxBytes=GRID_BYTES)
        self.grid.add_class("toolkit-itemised")
        self.grid.observe(lambda _change: self._picked(), names="selected_rows")
        self.clear_button = widgets.Button(description="Clear filters")
        for selector in self.filters.values():
            selector.observe(self._changed, names="value")
        self.table_choice.observe(self._changed, names="value")
        self.follow_choice.observe(lambda _change: self._draw_trace(), names="value")
        self.export_button.on_click(lambda _button: self.export())
        self.clear_button.on_click(lambda _button: self.clear())
        self.widget = widgets.VBox([
            widgets.HTML("<b>Filters</b> (ctrl-click to pick several; none picked = all)"),
            widgets.GridBox(list(self.filters.values()), layout=widgets.Layout(grid_template_columns="repeat(4, 300px)")),
            widgets.HBox([self.clear_button, self.table_choice, self.export_format, self.export_button]),
            self.status,
            self.tabs,
            self.grid,
        ])
        self.refresh()

    def _options(self, column: str) -> list[str]:
        values = set(facet_values(self.results.claims, column))
        if column == "table":
            return sorted(values | set(self.results.tables))
        for frame in self.results.tables.values():
            names = [name for name in (column, *_TABLE_COLUMNS.get(column, ())) if name in frame.columns]
            values |= set(facet_values(frame, names[0])) if names else set()
        return sorted(values)

    @property
    def selection(self) -> dict[str, tuple[str, ...]]:
        """The chosen values, by facet column."""
        return {self.facets[label]: tuple(selector.value) for label, selector in self.filters.items() if selector.value}

    def filtered(self, name: str = "claims") -> pl.DataFrame:
        """Table ``name`` (``claims`` or an extractor's table) with the current filters applied."""
        return apply_filters(self.results[name], self.selection, table=name)

    def refresh(self) -> None:
        """Redraw the status line, the charts and the itemised table."""
        claims = self.filtered("claims")
        places = self.filtered("places") if "places" in self.results.tables else None
        counts = ", ".join(f"{name} {self.filtered(name).height}" for name in self.results.tables)
        self.status.value = f"<p><b>{claims.height}</b> claims of {self.results.claims.height}; {counts}</p>"
        keys = {name: tuple(info.get("keys") or ()) for name, info in self.results.extractors.items()}
        chart = charts.mimebundle(charts.dashboard(claims, places, keys=keys))
        outputs = [{"output_type": "display_data", "data": chart, "metadata": {}}]
        unplaced = unplaced_places(places)
        if unplaced.height:
            note = f"<p>Not on the map: {unplaced.height} places named without a reliable position (unknown or ambiguous names).</p>"
            outputs.append({"output_type": "display_data", "data": {"text/html": note + html_table(unplaced), "text/plain": "unplaced places"}, "metadata": {}})
        self.charts_output.outputs = tuple(outputs)
        self.events = compare(claims)
        contested = self.events.filter(pl.col("claimants") > 1)
        self.contested_output.outputs = (
            {"output_type": "display_data", "data": charts.mimebundle(charts.contested_figures(contested)), "metadata": {}},
            {"output_type": "display_data", "data": {"text/html": html_table(events_for_reading(contested)), "text/plain": "events"}, "metadata": {}},
        )
        chosen, options = self.follow_choice.value, followed_claims(claims)
        self.follow_choice.options = options
        keys = [key for _label, key in options]
        self.follow_choice.value = chosen if chosen in keys else (keys[0] if keys else None)
        self._draw_trace()
        self.shown = for_reading(self.filtered(self.table_choice.value))
        self.grid.update(self.shown, caption=f"{self.table_choice.value}: {self.shown.height} rows", selected_rows=[])

    def _picked(self) -> None:
        """Open the row picked in the grid in the evidence viewer: a claim with its parts, another
        table's row in its document."""
        if self.viewer is None or not self.grid.selected_rows:
            return
        row = self.shown.row(self.grid.selected_rows[0], named=True)
        if self.table_choice.value == "claims":
            self.viewer.show_claim(row)
        else:
            self.viewer.document.value = row["doc_id"]

    def _draw_trace(self) -> None:
        key = self.follow_choice.value
        self.follow_output.value = "" if key is None else html_table(for_reading(trace(self.results.claims, key)))

    def clear(self) -> None:
        for selector in self.filters.values():
            selector.value = ()

    def export(self) -> list[Path]:
        """Write the filtered claims and tables to ``export_dir`` in the chosen format (GeoJSON:
        the tables with coordinates)."""
        self.export_dir.mkdir(parents=True, exist_ok=True)
        frames = {name: self.filtered(name) for name in ["claims", *self.results.tables]}
        if self.export_format.value == "parquet":
            written = []
            for name, frame in frames.items():
                frame.write_parquet(self.export_dir / f"{name}.parquet")
                written.append(self.export_dir / f"{name}.parquet")
        else:
            written = export_frames(frames, self.export_dir, formats=(self.export_format.value,))
        self.status.value += f"<p>written: {', '.join(str(path) for path in written)}</p>"
        return written

    def _changed(self, _change: object) -> None:
        self.refresh()

    def _ipython_display_(self) -> None:
        display(self.widget)


class EvidenceViewer:
    """Read a document with its extracted spans highlighted, or one claim with its parts. For
    results read from a folder (``Results.read``), a review panel accepts, rejects or corrects the
    claim shown; the decision is kept in that folder (``toolkit.reviews``) and shown at once."""

    def __init__(self, results: Results) -> None:
        self.results = results
        documents = results.documents.filter(pl.col("status") == "ok")["doc_id"].to_list()
        self.document = widgets.Dropdown(options=documents, description="document", layout=widgets.Layout(width="420px"))
        self.claim = widgets.Dropdown(description="claim", layout=widgets.Layout(width="620px"))
        self.page = widgets.HTML()
        self.review = ReviewPanel(self)
        self.document.observe(lambda _change: self._document_changed(), names="value")
        self.claim.observe(lambda _change: self._claim_changed(), names="value")
        self.widget = widgets.VBox([widgets.HBox([self.document, self.claim]), self.review.widget, self.page])
        self._document_changed()

    def _document_claims(self) -> pl.DataFrame:
        return self.results.claims.filter(pl.col("doc_id") == self.document.value)

    def _document_changed(self) -> None:
        options = [("every extracted span", None)]
        for index, row in enumerate(self._document_claims().iter_rows(named=True)):
            label = f"{row['count_min']} {row['status'] or ''} {row['group'] or row['category'] or ''} — {row['claimant'] or '?'}"
            if row.get("review") not in (None, "unreviewed"):
                label += f" [{row['review']}]"
            options.append((" ".join(label.split()), index))
        self.claim.options = options
        self.claim.value = None
        self._claim_changed()

    @property
    def current_claim(self) -> dict[str, object] | None:
        """The claim shown, as a row of the claims (None when the whole document is shown)."""
        if self.claim.value is None or self.document.value is None:
            return None
        return self._document_claims().row(self.claim.value, named=True)

    def show_claim(self, claim: Mapping[str, object]) -> None:
        """Open the document of ``claim`` (a row of the claims) with that claim's parts highlighted."""
        self.document.value = claim["doc_id"]
        self.claim.value = self._document_claims()["start"].to_list().index(claim["start"])

    def reload(self) -> None:
        """Read the claims again with their reviews, keeping the claim shown."""
        chosen = self.claim.value
        self.results = Results.read(self.results.directory)
        self._document_changed()
        self.claim.value = chosen

    def _claim_changed(self) -> None:
        self.review.show(self.current_claim)
        self._draw()

    def _draw(self) -> None:
        if self.document.value is None:
            self.page.value = "<p>No processed document.</p>"
            return
        self.page.value = render_document(self.results, self.document.value, claim=self.current_claim)

    def _ipython_display_(self) -> None:
        display(self.widget)


#: What the review panel's claimant box holds to say that nobody claims the figure.
NOBODY = "(nobody)"
_KEEP_PLACE, _NO_PLACE = "(as found)", "(no place)"
_PLACE_COLUMNS = ("place", "place_kind", "country", "admin1", "lat", "lon")


class ReviewPanel:
    """Accept, reject or correct the claim an ``EvidenceViewer`` shows. Corrections are typed as a
    person writes them (``toolkit.reviews.corrections_from_text``): the figure ("plus de 2.300"),
    the status, group or category, the claimant, a place among those found in the document, the
    period (``2017-09-19/2017-09-29``); empty fields stay as found."""

    def __init__(self, viewer: EvidenceViewer) -> None:
        self.viewer = viewer
        claims = viewer.results.claims
        text = lambda label, width="240px": widgets.Text(description=label, layout=widgets.Layout(width=width))  # noqa: E731
        self.decision = widgets.ToggleButtons(options=["accept", "reject", "correct"], value="accept", description="review")
        self.figure, self.status, self.what, self.period = text("figure"), text("status"), text("group/category"), text("period", "300px")
        self.claimant = widgets.Combobox(options=[NOBODY, *facet_values(claims, "claimant")], description="claimant",
                                         ensure_option=False, layout=widgets.Layout(width="360px"))
        self.place = widgets.Dropdown(description="place", layout=widgets.Layout(width="360px"))
        self.note = widgets.Text(description="note", layout=widgets.Layout(width="600px"))
        self.reviewer = widgets.Text(value=current_user(), description="reviewer", layout=widgets.Layout(width="240px"))
        self.save_button = widgets.Button(description="Save review", icon="check", button_style="primary")
        self.message = widgets.HTML()
        self.corrections = widgets.VBox([
            widgets.HBox([self.figure, self.status, self.what]), widgets.HBox([self.claimant, self.place, self.period]),
        ])
        self.save_button.on_click(lambda _button: self.save())
        self.decision.observe(lambda _change: self._decision_changed(), names="value")
        self.controls = widgets.VBox([
            widgets.HBox([self.decision, self.reviewer]), self.corrections, widgets.HBox([self.note, self.save_button]),
        ])
        self.widget = widgets.VBox([self.controls, self.message])
        self._decision_changed()
        self.show(None)

    def show(self, claim: Mapping[str, object] | None) -> None:
        """Make the panel about ``claim`` (hidden for none, or for results held only in memory)."""
        for field in (self.figure, self.status, self.what, self.claimant, self.period, self.note):
            field.value = ""
        self.decision.value = "accept"
        self.widget.layout.display = "none" if claim is None else None
        if claim is None:
            return
        places = self.viewer.results.tables.get("places")
        options: list[tuple[str, object]] = [(_KEEP_PLACE, _KEEP_PLACE), (_NO_PLACE, None)]
        if places is not None and "lat" in places.columns:
            found = places.filter(pl.col("doc_id") == claim["doc_id"]).unique(subset=["name", "kind", "country"], maintain_order=True)
            options += [(f"{row['name']} ({row['kind']}, {row['country']})", row) for row in found.iter_rows(named=True)]
        self.place.options = options
        self.place.value = _KEEP_PLACE
        if self.viewer.results.directory is None:
            self.message.value = "<p>Reviews are kept in a results folder: read the results with <code>Results.read(folder)</code> to review.</p>"
            self.save_button.disabled = True
            self.controls.layout.display = "none"
        else:
            self.controls.layout.display = None
            self.message.value = f"<p>Current review: <b>{html.escape(str(claim.get('review') or 'unreviewed'))}</b></p>"
            self.save_button.disabled = False

    def _decision_changed(self) -> None:
        self.corrections.layout.display = None if self.decision.value == "correct" else "none"

    def corrected_parts(self) -> dict[str, object]:
        """The corrections typed in the panel, as claim columns."""
        claim = self.viewer.current_claim or {}
        what = "category" if claim.get("category") and not claim.get("group") else "group"
        claimant = self.claimant.value.strip()
        corrections = corrections_from_text(
            figure=self.figure.value.strip(), period=self.period.value.strip(), status=self.status.value.strip(),
            **{what: self.what.value.strip()}, claimant=None if claimant == NOBODY else claimant,
        )
        if claimant == NOBODY:
            corrections["claimant"] = None
        if self.place.value is None:
            corrections.update(dict.fromkeys(_PLACE_COLUMNS))
        elif self.place.value != _KEEP_PLACE:
            row = self.place.value
            corrections.update(place=row["name"], place_kind=row["kind"], country=row["country"],
                               admin1=row.get("admin1"), lat=row["lat"], lon=row["lon"])
        return corrections

    def save(self) -> dict[str, object] | None:
        """Record the decision on the claim shown and redraw it; a clear message when it cannot be."""
        claim = self.viewer.current_claim
        if claim is None or self.viewer.results.directory is None:
            return None
        decision = {"accept": "accepted", "reject": "rejected", "correct": "corrected"}[self.decision.value]
        try:
            corrections = self.corrected_parts() if decision == "corrected" else None
            row = review_claim(self.viewer.results.directory, claim, decision, corrections=corrections,
                               note=self.note.value.strip() or None, reviewer=self.reviewer.value.strip() or None)
        except ValueError as exc:
            self.message.value = f'<p style="color:#b91c1c">Not saved: {html.escape(str(exc))}</p>'
            return None
        self.viewer.reload()
        self.message.value = f"<p>Saved: <b>{decision}</b> by {html.escape(row['reviewer'])}.</p>"
        return row
