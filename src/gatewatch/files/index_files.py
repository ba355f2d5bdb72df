"""Watchlist indexes kept as files in the data directory, loaded by mapping them.

An index is built once, when its list version is imported (or, if its files are missing or
were filed under an older version of the index's keys, the first time it is needed), then
saved as one ``.npy`` file per array in a folder named by the list, the version and its
digest. Loading maps the files: a million entries are ready in milliseconds, and several
processes share the pages. A folder is written under a temporary name and renamed when
complete, so a crash never leaves half an index to be loaded.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np

from gatewatch.core.watch_index import WatchIndex


def index_folder(cache: Path, list_name: str, version: int, digest: str) -> Path:
    slug = re.sub(r"[^0-9A-Za-z]+", "-", list_name).strip("-").lower() or "list"
    return cache / "watchlists" / f"{slug}-v{version}-{digest[:16]}"


def save_index(index: WatchIndex, folder: Path) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    for name in WatchIndex.array_names():
        np.save(partial / f"{name}.npy", getattr(index, name), allow_pickle=False)
    shutil.rmtree(folder, ignore_errors=True)
    partial.replace(folder)


def load_index(folder: Path) -> WatchIndex | None:
    """The index saved in ``folder``, mapped; ``None`` if it is not there, not whole, or filed
    under other keys than this code looks names up under (saved by an older version: the
    caller builds it again and saves it over)."""
    try:
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in WatchIndex.array_names()}
    except (OSError, ValueError):
        return None
    index = WatchIndex(**arrays)
    return index if index.is_current else None


def forget_others(cache: Path, keep: set[Path]) -> None:
    """Remove index folders of versions no longer current."""
    for folder in (cache / "watchlists").glob("*"):
        if folder.is_dir() and folder not in keep and not folder.name.endswith(".partial"):
            shutil.rmtree(folder, ignore_errors=True)
