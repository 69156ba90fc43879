"""Periods a claim covers: "du 19 au 29 septembre", "depuis le 6 février", "la nuit du 27 au 28
septembre", "ce samedi", "last week", "on Sunday", "en deux ans".

``find_periods(text, lang, published=...)`` returns every dated expression of a text as a
``Period`` with its dates resolved against the article's publication date: a year the text omits
is the latest one that does not put the date after publication (and ``year_inferred`` says so);
weekdays and relative words ("hier", "last week") count back from publication. Without a
publication date such periods keep a reduced ISO 8601 ``label`` ("--09-19/--09-29", "P10D") and
null dates. "In the period", "sur la même période" take the days of the period named before them.
Month and weekday names come from babel's locale data; relative words and duration units from
``data/period_words.tsv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from toolkit.lexicons import CharacterTable, Lexicon, core_lexicon, fold
from toolkit.numbers import parse_count

LANGUAGES = ("fr", "en")
_DASHES = "-‐‑‒–—―−"


@dataclass(frozen=True)
class Period:
    """A dated expression and the days it covers (``date_start``..``date_end``, both inclusive)."""

    start: int
    end: int
    text: str
    kind: str  # range, night, since, since_event, day, month, weekday, relative, duration
    date_start: date | None
    date_end: date | None
    year_inferred: bool
    label: str


@dataclass(frozen=True, eq=False)
class _Vocabulary:
    months: dict[str, int]
    weekdays: dict[str, int]
    relative: dict[str, tuple[str, int]]
    units: dict[str, str]
    past: frozenset[str]
    weekday_past: frozenset[str]
    events: dict[str, date]  # "since the start of the invasion" -> the day it started
    same_period: frozenset[str]  # "in the period": the days of the period named before


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(word).replace(r"\ ", r"[\s-]+") for word in sorted(set(words), key=len, reverse=True))


def _vocabulary(lang: str) -> _Vocabulary:
    """Month and weekday names of ``lang`` and its words in the lexicons in use."""
    return _vocabulary_of(lang, core_lexicon("period_words"))


@lru_cache(maxsize=8)
def _vocabulary_of(lang: str, period_words: Lexicon) -> _Vocabulary:
    from babel.dates import get_day_names, get_month_names

    months: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for number, name in get_month_names(width, locale=lang).items():
            for form in {name, name.rstrip(".")}:
                months[fold(form)] = number
    if lang == "en":
        months["sept"] = 9
    weekdays = {fold(name): number for number, name in get_day_names("wide", locale=lang).items()}
    rows = [row for row in period_words.rows if row["lang"] == lang]
    relative = {}
    for row in rows:
        if row["kind"] == "relative":
            unit, offset = row["value"].split(":")
            relative[fold(row["phrase"])] = (unit, int(offset))
    return _Vocabulary(
        months=months,
        weekdays=weekdays,
        relative=relative,
        units={fold(row["phrase"]): row["value"] for row in rows if row["kind"] == "unit"},
        past=frozenset(fold(row["phrase"]) for row in rows if row["kind"] == "past"),
        weekday_past=frozenset(fold(row["phrase"]) for row in rows if row["kind"] == "weekday_past"),
        events={fold(row["phrase"]): date.fromisoformat(row["value"]) for row in rows if row["kind"] == "since_event"},
        same_period=frozenset(fold(row["phrase"]) for row in rows if row["kind"] == "same_period"),
    )


@lru_cache(maxsize=8)
def _patterns(lang: str, vocabulary: _Vocabulary) -> list[tuple[str, re.Pattern[str]]]:
    """(kind, pattern) pairs over folded text, most specific first."""
    month = rf"(?:{_alternation(list(vocabulary.months))})\.?"
    weekday = _alternation(list(vocabulary.weekdays))
    unit = _alternation(list(vocabulary.units))
    past = _alternation(list(vocabulary.past))
    relative = _alternation(list(vocabulary.relative))
    phrases = [
        (kind, re.compile(rf"\b(?:{_alternation(list(words))})\b"))
        for kind, words in (("since_event", vocabulary.events), ("same_period", vocabulary.same_period)) if words
    ]
    day = r"(?:[12]\d|3[01]|0?[1-9])(?!\d)"
    year = r"(?:1[89]\d\d|20\d\d)"
    number = r"(?:\d+|[a-z]+(?:[ -][a-z]+)?)"
    if lang == "fr":
        return phrases + [
            ("night", re.compile(rf"\b(?:dans\s+)?la\s+nuit\s+du\s+(?P<d1>{day})\s+au\s+(?P<d2>{day})\s+(?P<m2>{month})(?:\s+(?P<y2>{year}))?")),
            ("range", re.compile(
                rf"\b(?:du|entre\s+le)\s+(?:(?:{weekday})\s+)?(?P<d1>{day})(?:er)?(?:\s+(?P<m1>{month}))?(?:\s+(?P<y1>{year}))?"
                rf"\s+(?:au|et\s+le)\s+(?:(?:{weekday})\s+)?(?P<d2>{day})(?:er)?\s+(?P<m2>{month})(?:\s+(?P<y2>{year}))?")),
            ("since", re.compile(
                rf"\b(?:depuis|a\s+partir\s+du)\s+(?:le\s+)?(?:(?:{weekday})\s+)?(?P<d1>{day})(?:er)?\s+(?P<m1>{month})(?:\s+(?P<y1>{year}))?")),
            ("duration", re.compile(
                rf"\b(?:en|durant|pendant|au\s+cours\s+des?|sur|ces)\s+(?:(?:les|ces)\s+)?(?:(?P<past1>{past})\s+)?(?P<n>{number})\s+"
                rf"(?P<unit>{unit})\b(?:\s+(?P<past2>{past}))?")),
            ("day", re.compile(rf"\b(?:le\s+)?(?:(?:{weekday})\s+)?(?P<d1>{day})(?:er)?\s+(?P<m1>{month})(?:\s+(?P<y1>{year}))?")),
            ("month", re.compile(rf"\b(?:en|durant|depuis|courant)\s+(?:le\s+mois\s+d\s+)?(?P<m1>{month})(?:\s+(?P<y1>{year}))?\b")),
            ("relative", re.compile(rf"\b(?:{relative})\b")),
            ("weekday", re.compile(rf"\b(?:(?:ce|le)\s+)?(?P<wd>{weekday})\b(?:\s+(?P<wpast>dernier|passe))?")),
        ]
    return phrases + [
        ("night", re.compile(rf"\b(?:on\s+)?the\s+night\s+of\s+(?P<d1>{day})\s*(?:-|to|and)\s*(?P<d2>{day})\s+(?P<m2>{month})(?:,?\s+(?P<y2>{year}))?")),
        ("range", re.compile(
            rf"\b(?:from|between)\s+(?P<d1>{day})(?:st|nd|rd|th)?(?:\s+(?P<m1>{month}))?(?:,?\s+(?P<y1>{year}))?"
            rf"\s+(?:to|and|until)\s+(?P<d2>{day})(?:st|nd|rd|th)?\s+(?P<m2>{month})(?:,?\s+(?P<y2>{year}))?")),
        ("range", re.compile(
            rf"\b(?:from\s+|between\s+)?(?P<m1>{month})\s+(?P<d1>{day})(?:st|nd|rd|th)?\s*(?:-|to|and|until)\s*(?:(?P<m2>{month})\s+)?"
            rf"(?P<d2>{day})(?:st|nd|rd|th)?(?:,?\s+(?P<y2>{year}))?")),
        ("since", re.compile(
            rf"\bsince\s+(?:(?P<d1>{day})(?:st|nd|rd|th)?\s+(?P<m1>{month})|(?P<m1b>{month})\s+(?P<d1b>{day})(?:st|nd|rd|th)?)(?:,?\s+(?P<y1>{year}))?")),
        ("duration", re.compile(
            rf"\b(?:in|over|during|within|for)\s+(?:the\s+)?(?:(?P<past1>{past})\s+)?(?P<n>{number})\s+(?P<unit>{unit})\b")),
        ("duration", re.compile(rf"\b(?:in|over|during|within)\s+the\s+(?P<past1>{past})\s+(?P<unit>{unit})\b")),
        ("day", re.compile(rf"\b(?:on\s+)?(?:(?:{weekday})\s+)?(?P<d1>{day})(?:st|nd|rd|th)?\s+(?P<m1>{month})(?:,?\s+(?P<y1>{year}))?")),
        ("day", re.compile(rf"\b(?:on\s+)?(?:(?:{weekday})\s+)?(?P<m1b>{month})\s+(?P<d1b>{day})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>{year}))?")),
        ("month", re.compile(rf"\b(?:in|during|since)\s+(?:the\s+)?(?:early\s+|late\s+|mid\s+)?(?P<m1>{month})(?:\s+(?P<y1>{year}))?\b")),
        ("relative", re.compile(rf"\b(?:{relative})\b")),
        ("weekday", re.compile(rf"\b(?:(?P<wpast>last|this|on)\s+)?(?P<wd>{weekday})\b")),
    ]


def _fold_in_place(char: str) -> str:
    """``char`` folded to one character (dashes kept), so that offsets stay those of the text."""
    if char in _DASHES:
        return "-"
    folded = fold(char)
    return folded if len(folded) == 1 else " "


_SAME_LENGTH_FOLD = CharacterTable(_fold_in_place)


def find_periods(text: str, lang: str | None, *, published: date | None = None) -> list[Period]:
    """Every dated expression of ``text``, left to right, without overlaps."""
    lang = lang if lang in LANGUAGES else "en"
    folded = text.translate(_SAME_LENGTH_FOLD)
    found: list[Period] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _patterns(lang, _vocabulary(lang)):
        for match in pattern.finditer(folded):
            start, end = match.span()
            if any(start < other_end and other_start < end for other_start, other_end in taken):
                continue
            period = _resolve(kind, match, text, lang, published)
            if period is not None:
                found.append(period)
                taken.append((start, end))
    return _with_antecedents(sorted(found, key=lambda period: period.start))


def _with_antecedents(periods: list[Period]) -> list[Period]:
    """"In the period" takes the days of the period named before it; with none, it dates nothing."""
    resolved: list[Period] = []
    for period in periods:
        if period.kind != "same_period":
            resolved.append(period)
            continue
        antecedent = next((earlier for earlier in reversed(resolved) if earlier.label), None)
        if antecedent is not None:
            resolved.append(replace(antecedent, start=period.start, end=period.end, text=period.text))
    return resolved


def _resolve(kind: str, match: re.Match[str], text: str, lang: str, published: date | None) -> Period | None:
    vocabulary = _vocabulary(lang)
    groups = {key: value for key, value in match.groupdict().items() if value}
    start, end = match.span()
    if text[start:end].endswith(".") and re.search(r"\w{5,}\.$", text[start:end]):
        end -= 1  # the full stop of the sentence, not of an abbreviated month
    span_text = text[start:end]
    if lang == "en" and any(
        re.fullmatch(r"(?:may|march)", text[match.start(key):match.end(key)])
        for key in ("m1", "m1b", "m2") if groups.get(key)
    ):
        return None  # the verbs "may" and "march", not the months

    def make(date_start: date | None, date_end: date | None, inferred: bool, label: str) -> Period:
        return Period(start, end, span_text, kind, date_start, date_end, inferred, label)

    if kind in ("range", "night", "since", "day"):
        day1 = int(groups.get("d1") or groups.get("d1b") or 0) or None
        month1_name = groups.get("m1") or groups.get("m1b")
        month2 = vocabulary.months.get(groups.get("m2", "").rstrip(".")) if groups.get("m2") else None
        month1 = vocabulary.months.get(month1_name.rstrip(".")) if month1_name else month2
        month2 = month2 or month1
        year1 = int(groups["y1"]) if "y1" in groups else None
        year2 = int(groups["y2"]) if "y2" in groups else None
        if kind in ("since", "day"):
            first = _calendar_day(year1, month1, day1, published)
            if first is None:
                return None
            if kind == "day":
                return make(first.value, first.value, first.inferred, first.label)
            last = published if published and first.value and published >= first.value else None
            return make(first.value, last, first.inferred, f"{first.label}/{last.isoformat() if last else '..'}")
        day2 = int(groups["d2"])
        last = _calendar_day(year2, month2, day2, published)
        if last is None:
            return None
        first_year = year1 or (last.value.year if last.value else None)
        first = _calendar_day(first_year, month1, day1, None)
        if first is None:
            return None
        if first.value and last.value and first.value > last.value:  # "du 28 décembre au 3 janvier"
            first = _calendar_day(first.value.year - 1, month1, day1, None)
        inferred = last.inferred and year1 is None
        return make(first.value, last.value, inferred, f"{first.label}/{last.label}")
    if kind == "month":
        month = vocabulary.months.get(groups["m1"].rstrip("."))
        year = int(groups["y1"]) if "y1" in groups else None
        inferred = year is None
        if year is None and published:
            year = published.year if month <= published.month else published.year - 1
        since = re.match(r"(?:since|depuis)\b", match.group()) is not None  # "since January 2016": up to publication
        kind = "since" if since else kind
        if year is None:
            return make(None, None, False, f"--{month:02d}" + ("/.." if since else ""))
        first = date(year, month, 1)
        if since:
            last = published if published and published >= first else None
            return make(first, last, inferred, f"{year:04d}-{month:02d}/{last.isoformat() if last else '..'}")
        return make(first, first + relativedelta(months=1, days=-1), inferred, f"{year:04d}-{month:02d}")
    if kind == "relative":
        if re.match(r"\s+(?:du|de|d['’]|des|of)\b|[-‑]l[àa]\b", text[end : end + 6]):
            return None  # "dans la nuit de samedi à dimanche" (dated by the text), "cette nuit-là" (that night)
        unit, offset = vocabulary.relative[re.sub(r"[\s-]+", " ", match.group())]
        return _relative(make, unit, offset, published)
    if kind == "same_period":
        return make(None, None, False, "")  # dated by its antecedent (``_with_antecedents``)
    if kind == "since_event":
        began = vocabulary.events[re.sub(r"[\s-]+", " ", match.group())]
        if published is None:
            return make(None, None, False, f"{began.isoformat()}/..")
        return make(began, published, False, f"{began.isoformat()}/{published.isoformat()}") if began <= published else None
    if kind == "weekday":
        weekday = vocabulary.weekdays[groups["wd"]]
        if published is None:
            return make(None, None, False, "")
        back = (published.weekday() - weekday) % 7
        if back == 0 and groups.get("wpast") in vocabulary.weekday_past:
            back = 7
        day = published - timedelta(days=back)
        return make(day, day, False, day.isoformat())
    if kind == "duration":
        amount = _amount(groups.get("n"), lang)
        if amount is None:
            return None
        unit = vocabulary.units[groups["unit"]]
        label = f"PT{amount}H" if unit == "hour" else f"P{amount}{unit[0].upper()}"
        if published is None:
            return make(None, None, False, label)
        delta = timedelta(hours=amount) if unit == "hour" else relativedelta(**{f"{unit}s": amount})
        first = published - delta + timedelta(days=0 if unit == "hour" else 1)
        return make(min(first, published), published, False, f"{label}/{published.isoformat()}")
    return None


@dataclass(frozen=True)
class _Day:
    value: date | None
    inferred: bool
    label: str


def _calendar_day(year: int | None, month: int | None, day: int | None, published: date | None) -> _Day | None:
    """A calendar day; a missing year is the latest that keeps it on or before ``published``."""
    if month is None or day is None:
        return None
    inferred = False
    if year is None and published is not None:
        year, inferred = published.year, True
        if (month, day) > (published.month, published.day):
            year -= 1
    if year is None:
        try:
            date(2000, month, day)  # a leap year accepts every real day
        except ValueError:
            return None
        return _Day(None, False, f"--{month:02d}-{day:02d}")
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    return _Day(value, inferred, value.isoformat())


def _relative(make, unit: str, offset: int, published: date | None) -> Period:
    if published is None:
        return make(None, None, False, "")
    if unit == "day":
        day = published + timedelta(days=offset)
        return make(day, day, False, day.isoformat())
    if unit == "week":
        monday = published - timedelta(days=published.weekday()) + timedelta(weeks=offset)
        return make(monday, monday + timedelta(days=6), False, f"{monday.isoformat()}/{(monday + timedelta(days=6)).isoformat()}")
    if unit == "month":
        first = (published.replace(day=1) + relativedelta(months=offset))
        return make(first, first + relativedelta(months=1, days=-1), False, f"{first.year:04d}-{first.month:02d}")
    first = date(published.year + offset, 1, 1)
    return make(first, date(first.year, 12, 31), False, f"{first.year:04d}")


def _amount(raw: str | None, lang: str) -> int | None:
    if raw is None:
        return 1
    if raw.isdigit():
        return int(raw)
    quantity = parse_count(raw, lang)
    if quantity is None or quantity.count_min is None or quantity.start != 0:
        return None
    return int(quantity.count_min)
