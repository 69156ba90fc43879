"""Widgets of the notebooks: the explorer (filters, linked charts, map, itemised table, export)
and the evidence viewer. The filtering is plain polars (``apply_filters``) so that it is tested
without a browser; the widgets only hold the choices and redraw."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path

import ipywidgets as widgets
import polars as pl
from IPython.display import display

from toolkit import charts
from toolkit.exports import export_frames
from toolkit.results import Results
from toolkit.viewer import html_table, render_document

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
    "document": "doc_id",
}
#: Where a facet's column has another name in an extractor table.
_TABLE_COLUMNS = {"claimant": ("source",), "place": ("name",), "period": ("label",)}


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


class Explorer:
    """Filters over the claims and every table, with linked charts, a map, an itemised table and
    export. Display it in a notebook cell; ``filters[label].value`` and ``table_choice.value`` can
    be set from code too."""

    def __init__(self, results: Results, *, export_dir: str | Path = "exports") -> None:
        self.results = results
        self.export_dir = Path(export_dir)
        self.filters = {
            label: widgets.SelectMultiple(
                options=self._options(column), description=label, rows=4, layout=widgets.Layout(width="290px")
            )
            for label, column in FACETS.items()
        }
        self.table_choice = widgets.Dropdown(options=["claims", *results.tables], value="claims", description="table")
        self.export_format = widgets.ToggleButtons(options=["parquet", "csv", "geojson"], value="parquet", description="export as")
        self.export_button = widgets.Button(description="Export filtered tables", icon="download")
        self.status = widgets.HTML()
        self.charts_output = widgets.Output()
        self.table_output = widgets.HTML()
        self.clear_button = widgets.Button(description="Clear filters")
        for selector in self.filters.values():
            selector.observe(self._changed, names="value")
        self.table_choice.observe(self._changed, names="value")
        self.export_button.on_click(lambda _button: self.export())
        self.clear_button.on_click(lambda _button: self.clear())
        self.widget = widgets.VBox([
            widgets.HTML("<b>Filters</b> (ctrl-click to pick several; none picked = all)"),
            widgets.GridBox(list(self.filters.values()), layout=widgets.Layout(grid_template_columns="repeat(4, 300px)")),
            widgets.HBox([self.clear_button, self.table_choice, self.export_format, self.export_button]),
            self.status,
            self.charts_output,
            self.table_output,
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
        return {FACETS[label]: tuple(selector.value) for label, selector in self.filters.items() if selector.value}

    def filtered(self, name: str = "claims") -> pl.DataFrame:
        """Table ``name`` (``claims`` or an extractor's table) with the current filters applied."""
        return apply_filters(self.results[name], self.selection, table=name)

    def refresh(self) -> None:
        """Redraw the status line, the charts and the itemised table."""
        claims = self.filtered("claims")
        places = self.filtered("places") if "places" in self.results.tables else None
        counts = ", ".join(f"{name} {self.filtered(name).height}" for name in self.results.tables)
        self.status.value = f"<p><b>{claims.height}</b> claims of {self.results.claims.height}; {counts}</p>"
        chart = charts.mimebundle(charts.dashboard(claims, places))
        self.charts_output.outputs = ({"output_type": "display_data", "data": chart, "metadata": {}},)
        self.table_output.value = html_table(self.filtered(self.table_choice.value))

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
    """Read a document with its extracted spans highlighted, or one claim with its parts."""

    def __init__(self, results: Results) -> None:
        self.results = results
        documents = results.documents.filter(pl.col("status") == "ok")["doc_id"].to_list()
        self.document = widgets.Dropdown(options=documents, description="document", layout=widgets.Layout(width="420px"))
        self.claim = widgets.Dropdown(description="claim", layout=widgets.Layout(width="620px"))
        self.page = widgets.HTML()
        self.document.observe(lambda _change: self._document_changed(), names="value")
        self.claim.observe(lambda _change: self._draw(), names="value")
        self.widget = widgets.VBox([widgets.HBox([self.document, self.claim]), self.page])
        self._document_changed()

    def _document_changed(self) -> None:
        claims = self.results.claims.filter(pl.col("doc_id") == self.document.value)
        options = [("every extracted span", None)]
        for index, row in enumerate(claims.iter_rows(named=True)):
            label = f"{row['count_min']} {row['status'] or ''} {row['group'] or row['category'] or ''} — {row['claimant'] or '?'}"
            options.append((" ".join(label.split()), index))
        self.claim.options = options
        self.claim.value = None
        self._draw()

    def show_claim(self, claim: Mapping[str, object]) -> None:
        """Open the document of ``claim`` (a row of the claims) with that claim's parts highlighted."""
        self.document.value = claim["doc_id"]
        claims = self.results.claims.filter(pl.col("doc_id") == claim["doc_id"])
        self.claim.value = claims["start"].to_list().index(claim["start"])

    def _draw(self) -> None:
        if self.document.value is None:
            self.page.value = "<p>No processed document.</p>"
            return
        chosen = None
        if self.claim.value is not None:
            chosen = self.results.claims.filter(pl.col("doc_id") == self.document.value).row(self.claim.value, named=True)
        self.page.value = render_document(self.results, self.document.value, claim=chosen)

    def _ipython_display_(self) -> None:
        display(self.widget)
