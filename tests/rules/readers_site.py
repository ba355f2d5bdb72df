"""The test house with card and PIN readers (format version 2), for the readers' rule tests.

Built from ``support``'s site by overrides only (its site is left as it is): readers on both
sides of the outer, inner and front doors, and a vault (level 4, ``two_person``) off the house
behind a door with a reader on its house side. The side gate and the office door keep no reader.
Credentials the tests start from are issued at 08:00 by the lead (``CARDS``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from gatewatch.core.site import Site
from gatewatch.core.state import State
from support import SITE_YAML, site, start_state

READERS = [
    {"id": "outer-out", "door": "outer", "side": "outside"},
    {"id": "outer-in", "door": "outer", "side": "inside"},
    {"id": "inner-out", "door": "inner", "side": "outside"},
    {"id": "inner-in", "door": "inner", "side": "inside"},
    {"id": "front-out", "door": "front", "side": "outside"},
    {"id": "front-in", "door": "front", "side": "inside"},
    {"id": "vault-out", "door": "vault-door", "side": "outside"},
]
"""Every reader of the site: ``-out`` on a door's lower side (entering), ``-in`` on its higher side."""


def overrides(policy: Mapping[str, Any] | None = None, timezone: str | None = None) -> dict[str, Any]:
    """What the readers' site replaces in the test site's mapping."""
    base = yaml.safe_load(SITE_YAML)
    changed: dict[str, Any] = {
        "zones": [*base["zones"], {"id": "vault", "level": 4, "two_person": True}],
        "doors": [*base["doors"], {"id": "vault-door", "between": ["house", "vault"]}],
        "readers": READERS,
    }
    if policy:
        changed["policy"] = dict(policy)
    if timezone:
        changed["timezone"] = timezone
    return changed


def readers_site(policy: Mapping[str, Any] | None = None, timezone: str | None = None) -> Site:
    return site(overrides=yaml.safe_dump(overrides(policy, timezone)))


def readers_site_yaml(policy: Mapping[str, Any] | None = None) -> str:
    """The readers' site as a site file's text (for a desk built from a file)."""
    return yaml.safe_dump({**yaml.safe_load(SITE_YAML), **overrides(policy)}, sort_keys=False)


def readers_state(policy: Mapping[str, Any] | None = None, timezone: str | None = None) -> State:
    return start_state(readers_site(policy, timezone))


CARDS = """
- {id: k-res, at: "2024-06-03T08:00", type: credential, person: res, credential: c-res, kind: card+pin,
   pin: "1234", duress_pin: "9999", by: lead}
- {id: k-cook, at: "08:00", type: credential, person: cook, credential: c-cook, kind: card, by: lead}
- {id: k-aide, at: "08:00", type: credential, person: aide, credential: c-aide, kind: card, by: lead}
- {id: k-g1, at: "08:00", type: credential, person: g1, credential: c-g1, kind: pin, pin: "2468", by: lead}
"""
"""Ruth Resident (in the house) holds a card with PIN 1234 and duress PIN 9999; Carl Cook and Ada
Aide (in the house) plain cards; Gus Guard (not placed) a PIN-only credential, PIN 2468."""
