"""The name data: rigour's name tagger loads in a process of its own while the server answers.

Entering starts the name-data process (``gatewatch.service.name_data``) and has every name part
not yet in memory looked up through it; once it is ready, one comparison in a thread loads the
matcher's own tables (nicknames, transliterations) before a guard's first comparison needs them.
Leaving stops the process (so that no child outlives the server), then has names looked up in
this process again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from gatewatch.core import name_symbols
from gatewatch.core.names import compare_names
from gatewatch.service.name_data import NameData, NameDataUnavailable

logger = logging.getLogger("gatewatch.workers")

WARM_NAMES = ("Natalia Sedova", "Natalya Sedova")
"""Two names compared once the name data is ready: the matcher's tables load then."""


def warm_matcher(name_data: NameData) -> bool:
    """Wait until the name-data process is ready, then compare two names; False if it never was."""
    name_data.wait_ready()
    if name_data.state != "ready":
        return False  # stopped, or looked up in this process: nothing is loaded here ahead of need
    try:
        compare_names(*WARM_NAMES)
    except NameDataUnavailable:
        return False  # the server stopped meanwhile
    return True


@asynccontextmanager
async def looking_up(name_data: NameData) -> AsyncIterator[None]:
    """Start the name-data process (in a thread: launching it takes milliseconds), look names up
    through it, and warm the matcher once it is ready; until the server stops."""
    await asyncio.to_thread(name_data.start)
    name_symbols.install(name_data.lookup)
    warming = asyncio.create_task(asyncio.to_thread(warm_matcher, name_data))
    try:
        yield
    finally:
        await asyncio.to_thread(name_data.stop)  # lookups now fail at once: the warm-up ends too
        try:
            await warming
        except Exception:  # a warm-up only saves time: the first comparison will say what is wrong
            logger.exception("name data: warming the matcher failed")
        if name_symbols.installed() == name_data.lookup:
            name_symbols.install(None)
