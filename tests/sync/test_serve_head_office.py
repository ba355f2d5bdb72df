"""``gatewatch serve --head-office``: what is checked before the site's server starts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sync_support import SyncSite, free_port


@pytest.mark.slow
def test_a_site_id_that_cannot_name_a_subject_is_refused_before_the_server_starts(tmp_path: Path) -> None:
    """Not a server that runs and never syncs: the error names the site file and what the id may hold."""
    site = SyncSite(tmp_path, "north.gate")
    command = [
        str(Path(sys.executable).parent / "gatewatch"),
        "serve",
        "--site",
        str(site.file),
        "--data",
        str(site.data),
        "--port",
        str(free_port()),
        "--head-office",
        "nats://127.0.0.1:4222",
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired as running:
        raise AssertionError(f"the server started with a site id head office cannot take: {running.stderr!r}") from None
    said = " ".join(done.stderr.split())
    assert done.returncode == 2, said
    assert str(site.file) in said and 'site id "north.gate" cannot cross to head office' in said
