"""The text extractors read: composed accents (NFC) and no invisible characters, with the way back
to the original's offsets.

The same article may come with its accents decomposed ("e" + U+0301 for "é", as some systems
write it) or with zero-width spaces, joiners or soft hyphens inside words; lexicons and spaCy's
models would miss its words. Extractors read ``Normalised.text``; their offsets are then mapped
back (``Normalised.to_original``) so that evidence spans point into the original text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import polars as pl

#: Characters that carry no letter and are dropped: zero-width space, non-joiner and joiner, word
#: joiner, byte-order mark and soft hyphen.
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


@dataclass(frozen=True)
class Normalised:
    """``text`` normalised; ``starts[i]`` is where the character ``text[i]`` begins in the original
    and ``ends[i]`` where the original of ``text[:i]`` ends (both of length ``len(text) + 1``);
    both are None when the text needed no change."""

    text: str
    starts: list[int] | None = None
    ends: list[int] | None = None

    @property
    def changed(self) -> bool:
        return self.starts is not None

    def to_original(self, frame: pl.DataFrame, original: str, offset_columns: list[str]) -> pl.DataFrame:
        """``frame`` with its offset columns (``start``, ``*_start``: where a span begins; ``end``,
        ``*_end``: where it ends) mapped into ``original``, and ``text`` taken from there."""
        if not self.changed or frame.is_empty():
            return frame
        assert self.starts is not None and self.ends is not None
        table = {"start": self.starts, "end": self.ends}
        mapped = [
            pl.Series(
                name, [None if value is None else table["end" if name.endswith("end") else "start"][value] for value in frame[name]],
                dtype=frame.schema[name],
            )
            for name in offset_columns
        ]
        frame = frame.with_columns(mapped)
        return frame.with_columns(pl.Series("text", [original[start:end] for start, end in frame.select("start", "end").iter_rows()], dtype=pl.String))


def normalised(text: str) -> Normalised:
    """``text`` in NFC without invisible characters, and the map back to ``text``."""
    if text.isascii() or (unicodedata.is_normalized("NFC", text) and not INVISIBLE.intersection(text)):
        return Normalised(text)
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = [0]
    cluster_start = 0
    for index in range(1, len(text) + 1):
        # a cluster is a character and the combining marks after it
        if index < len(text) and unicodedata.combining(text[index]) and text[index - 1] not in INVISIBLE:
            continue
        cluster = text[cluster_start:index]
        composed = "".join(char for char in unicodedata.normalize("NFC", cluster) if char not in INVISIBLE)
        pieces.append(composed)
        starts.extend([cluster_start] * len(composed))
        ends.extend([index] * len(composed))
        cluster_start = index
    starts.append(len(text))
    return Normalised("".join(pieces), starts, ends)
