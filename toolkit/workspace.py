"""The notebooks and sample articles that come with the toolkit, and a working copy of them.

An installed toolkit carries its notebooks and the five sample articles with their gold inside the
package (``toolkit/notebooks``, ``toolkit/samples``); run from its source tree it reads them where
they live there (``notebooks/``, ``seeds/``, ``tests/gold/seeds``, ``samples/relays``). ``copy_notebooks`` puts the
notebooks in a folder the researcher owns and never overwrites one they changed unless told to.
"""

from __future__ import annotations

import filecmp
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
SOURCE_TREE = PACKAGE.parent
_INSTALLED = {"notebooks": PACKAGE / "notebooks", "seeds": PACKAGE / "samples" / "seeds", "gold": PACKAGE / "samples" / "gold",
              "relays": PACKAGE / "samples" / "relays"}
_SOURCE = {"notebooks": SOURCE_TREE / "notebooks", "seeds": SOURCE_TREE / "seeds", "gold": SOURCE_TREE / "tests" / "gold" / "seeds",
           "relays": SOURCE_TREE / "samples" / "relays"}
#: The folder ``toolkit lab`` fills and opens when run outside the source tree without a folder.
DEFAULT_WORKSPACE = "toolkit-notebooks"


def bundled(name: str) -> Path:
    """The folder of the toolkit's ``notebooks``, sample articles (``seeds``) or their ``gold``."""
    for folder in (_INSTALLED[name], _SOURCE[name]):
        if folder.is_dir():
            return folder
    raise FileNotFoundError(f"the toolkit's {name} are not installed (looked in {_INSTALLED[name]} and {_SOURCE[name]})")


def sample_corpus(name: str = "seeds") -> Path:
    """Sample articles the notebooks run on: ``seeds``, five articles (a folder of ``.txt``
    files), or ``relays``, eight short articles in which outlets relay, round, re-attribute and
    contest one figure (``relays.jsonl``, for ``toolkit.compare`` and ``toolkit.trace``)."""
    if name == "relays":
        return bundled("relays") / "relays.jsonl"
    if name != "seeds":
        raise ValueError(f"no sample corpus {name!r}: the samples are 'seeds' and 'relays'")
    return bundled("seeds")


def sample_gold() -> Path:
    """The gold annotations of the sample articles (one ``.json`` file per article)."""
    return bundled("gold")


def in_source_tree() -> bool:
    """Whether the toolkit runs from its source tree (an editable install or a checkout)."""
    return (SOURCE_TREE / "pyproject.toml").is_file() and _SOURCE["notebooks"].is_dir()


@dataclass(frozen=True)
class CopiedNotebook:
    path: Path
    status: str  # copied, unchanged, kept (changed by the researcher), overwritten


def copy_notebooks(target: str | Path, *, overwrite: bool | Callable[[Path], bool] = False) -> list[CopiedNotebook]:
    """Copy the toolkit's notebooks into ``target`` (created if needed). A notebook already there
    and identical is left alone; one that differs is kept unless ``overwrite`` is true or, given as
    a function, returns true for its path (``toolkit notebooks`` asks the researcher)."""
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(f"{target} is a file, not a folder")
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for source in sorted(bundled("notebooks").glob("*.ipynb")):
        destination = target / source.name
        if not destination.exists():
            shutil.copyfile(source, destination)
            status = "copied"
        elif filecmp.cmp(source, destination, shallow=False):
            status = "unchanged"
        elif overwrite(destination) if callable(overwrite) else overwrite:
            shutil.copyfile(source, destination)
            status = "overwritten"
        else:
            status = "kept"
        copied.append(CopiedNotebook(destination, status))
    return copied
