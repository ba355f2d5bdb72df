"""Schemathesis against ``/openapi.json``: generated requests (valid and not) to every operation
find no server error and no response that breaks the documented schema.

Bounded (``max_examples`` per operation) so it runs in CI. The live stream (it never ends) is left
out. Sign-out is in: the test signs with an API token, which a sign-out never ends.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.conftest import USERS, password, write_site
from gatewatch.bootstrap import build
from gatewatch.server import create_app

_DIRECTORY = Path(tempfile.mkdtemp(prefix="gatewatch-openapi-"))
atexit.register(shutil.rmtree, _DIRECTORY, ignore_errors=True)
_SERVICES = build(
    write_site(_DIRECTORY), f"sqlite:///{_DIRECTORY / 'gatewatch.db'}", notes_key=_DIRECTORY / "notes.key"
)
for _name, (_role, _person) in USERS.items():
    _SERVICES.gatekeeper.add_user(_name, _role, password(_name), _person)
EXAMPLES = int(os.environ.get("GATEWATCH_FUZZ_EXAMPLES", "40"))
"""Examples per operation: bounded for CI; raise it to search longer."""
HEADERS = {"Authorization": f"Bearer {_SERVICES.gatekeeper.api_token('lena')}"}

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(_SERVICES, names_apart=False)).exclude(
    path_regex=r"^/v1/stream$"
)


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_contract(case: schemathesis.Case) -> None:
    case.call_and_validate(
        headers=HEADERS,
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
    )
