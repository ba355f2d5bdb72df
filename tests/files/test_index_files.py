"""Watchlist indexes saved as files: loaded when whole and filed under this code's keys."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gatewatch.core.watch_index import build_index
from gatewatch.core.watchlist import Subject, WatchEntry
from gatewatch.files.index_files import load_index, save_index

ENTRIES = (WatchEntry("Ramón Mercader", aliases=("Frank Jacson",), id="mercader"), WatchEntry("Ivan Petrov", id="ip"))


def test_a_saved_index_loads_and_finds_what_it_found(tmp_path: Path) -> None:
    folder = tmp_path / "list-v1"
    save_index(build_index(ENTRIES), folder)
    loaded = load_index(folder)
    assert loaded is not None and loaded.size == 2
    assert loaded.search(Subject(("ivanpetrov",)))[0].entry == "ip"


def test_an_index_saved_before_its_keys_were_versioned_is_not_loaded(tmp_path: Path) -> None:
    folder = tmp_path / "list-v1"
    save_index(build_index(ENTRIES), folder)
    (folder / "key_scheme.npy").unlink()
    assert load_index(folder) is None


def test_an_index_filed_under_other_keys_is_not_loaded(tmp_path: Path) -> None:
    folder = tmp_path / "list-v1"
    save_index(build_index(ENTRIES), folder)
    np.save(folder / "key_scheme.npy", np.array([1], dtype=np.uint32), allow_pickle=False)
    assert load_index(folder) is None


def test_a_missing_folder_is_not_loaded(tmp_path: Path) -> None:
    assert load_index(tmp_path / "nowhere") is None
