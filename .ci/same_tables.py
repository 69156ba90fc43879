"""Exit 1 unless two toolkit output folders hold the same tables (the documents' file paths aside)."""

import sys
from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal

expected, found = Path(sys.argv[1]), Path(sys.argv[2])
names = sorted(path.name for path in expected.glob("*.parquet"))
if names != sorted(path.name for path in found.glob("*.parquet")):
    sys.exit(f"different tables: {names} and {sorted(path.name for path in found.glob('*.parquet'))}")
for name in names:
    frames = [pl.read_parquet(folder / name).drop("path", strict=False) for folder in (expected, found)]
    frames = [frame.sort(frame.columns) for frame in frames]
    assert_frame_equal(*frames)
    print(f"{name}: {frames[0].height} rows, the same")
