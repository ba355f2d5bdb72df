"""The door ticker keeps time whatever else the server's threads are busy with.

Found by attacking the doors with a guard's sign-in: the ticker looked at the doors in the event
loop's shared thread pool (a handful of threads on a small machine, one held for good by the
checkpoint keeper), where every live screen reconnecting with ``Last-Event-ID`` reads its backlog
of the record too. Enough screens reconnecting at once kept the ticker waiting, and a door held
open raised no DOOR_HELD for as long.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from doors_support import PIN, WAIT_S, harbour
from gatewatch.workers.door_ticker import tick_once


def test_the_ticker_is_not_held_up_by_a_busy_shared_pool(tmp_path: Path) -> None:
    with harbour(tmp_path) as site:
        site.issue_card()
        assert site.driver.present("quay-out", "c-ines", PIN).granted
        site.driver.set_contact("quay-door", True)
        assert site.doors.flush(WAIT_S)
        site.clock.advance(25)
        busy = threading.Event()

        async def run() -> object:
            loop = asyncio.get_running_loop()
            blocked = [loop.run_in_executor(None, busy.wait) for _ in range(64)]  # every shared thread, and more
            try:
                return await asyncio.wait_for(tick_once(site.services.desk, site.services.zone, site.clock), WAIT_S)
            finally:
                busy.set()
                await asyncio.gather(*blocked)

        ticked = asyncio.run(run())
        assert ticked is not None, "no tick"
        assert [a["code"] for a in ticked.outcome["alerts"]] == ["DOOR_HELD"]  # type: ignore[attr-defined]
