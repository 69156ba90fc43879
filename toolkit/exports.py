"""Tables for use elsewhere: CSV for spreadsheets, GeoJSON for QGIS and web maps.

Claims carry their evidence text (``text``) and review state (``review``) into both formats. In
GeoJSON each row is a feature: a point where the row has coordinates, no geometry where it has
none (so that no claim is lost on the way), with every other column as a property.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    from toolkit.results import Results

FORMATS = ("csv", "geojson")
#: The tables exported by default: the ones a researcher maps and counts.
TABLES = ("claims", "places")


def flat(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` without its nested columns (lists, structs), which CSV cannot hold."""
    return frame.select([column for column, dtype in frame.schema.items() if not dtype.is_nested()])


def write_csv(frame: pl.DataFrame, path: str | Path) -> Path:
    flat(frame).write_csv(path)
    return Path(path)


def has_coordinates(frame: pl.DataFrame) -> bool:
    return {"lat", "lon"} <= set(frame.columns)


def write_geojson(frame: pl.DataFrame, path: str | Path) -> Path:
    """A GeoJSON FeatureCollection of every row of ``frame`` (which has ``lat`` and ``lon``)."""
    if not has_coordinates(frame):
        raise ValueError(f"GeoJSON needs lat and lon columns; this table has {', '.join(frame.columns)}")
    features = []
    for row in flat(frame).iter_rows(named=True):
        lat, lon = row["lat"], row["lon"]
        located = lat is not None and lon is not None and math.isfinite(lat) and math.isfinite(lon)
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]} if located else None,
            "properties": {key: _plain(value) for key, value in row.items() if key not in ("lat", "lon")},
        })
    Path(path).write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False) + "\n", encoding="utf-8")
    return Path(path)


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def export_frames(frames: dict[str, pl.DataFrame], folder: str | Path, *, formats: Iterable[str] = FORMATS) -> list[Path]:
    """Write each frame as ``<name>.csv`` and, when it has coordinates, ``<name>.geojson``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in frames.items():
        if "csv" in formats:
            written.append(write_csv(frame, folder / f"{name}.csv"))
        if "geojson" in formats and has_coordinates(frame):
            written.append(write_geojson(frame, folder / f"{name}.geojson"))
    return written


def export_tables(results: "Results", folder: str | Path, *, formats: Iterable[str] | None = None,
                  tables: Iterable[str] = TABLES) -> list[Path]:
    """Write the claims (with their reviews) and places of ``results`` to ``folder``."""
    formats = tuple(formats or FORMATS)
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown export format(s) {', '.join(sorted(unknown))}; known: {', '.join(FORMATS)}")
    return export_frames({name: results[name] for name in tables if name in results}, folder, formats=formats)
