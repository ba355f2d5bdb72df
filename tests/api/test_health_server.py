"""A real server on a real PostgreSQL that stops answering (a frozen proxy in between).

Health says "down" within its deadline, without holding up the event loop: other answers keep
coming meanwhile. A door request gets an answer instead of hanging. Thawed, all is well again.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url

from api.conftest import write_site
from api.server import GATEWATCH, free_port
from store.conftest import _postgres_database
from store.proxy import FreezableProxy

LIMITS = {"GATEWATCH_STORE_ANSWER_S": "1", "GATEWATCH_STORE_CONNECT_S": "2", "GATEWATCH_STORE_POOL_S": "1"}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[FreezableProxy, str]]:
    real = make_url(next(database := _postgres_database()))
    with FreezableProxy((real.host or "127.0.0.1", real.port or 5432)) as proxy:
        url = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        subprocess.run(
            [GATEWATCH, "user", "add", "gus", "--role", "guard", "--person", "g1", "--db", url],
            input="gus-password\n",
            text=True,
            check=True,
            capture_output=True,
        )
        port = free_port()
        server = subprocess.Popen(
            [GATEWATCH, "serve", "--site", str(write_site(tmp_path)), "--db", url, "--port", str(port)],
            env={**os.environ, **LIMITS},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            assert wait_for_health(base, 200, within_s=60)
            yield proxy, base
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    next(database, None)


def wait_for_health(base: str, status: int, within_s: float) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/v1/health", timeout=5).status_code == status:
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    return False


def timed(call: Any) -> tuple[httpx.Response, float]:
    began = time.monotonic()
    answer = call()
    return answer, time.monotonic() - began


def test_a_frozen_database_is_told_down_fast_and_the_doors_still_get_answers(
    served: tuple[FreezableProxy, str],
) -> None:
    proxy, base = served
    login = httpx.post(f"{base}/v1/login", json={"name": "gus", "password": "gus-password"}, timeout=10)
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    assert httpx.get(f"{base}/openapi.json", timeout=20).status_code == 200  # built once, before
    proxy.freeze()
    answers: list[tuple[httpx.Response, float]] = []
    asking = [
        threading.Thread(target=lambda: answers.append(timed(lambda: httpx.get(f"{base}/v1/health", timeout=20))))
        for _ in range(3)
    ]
    for thread in asking:
        thread.start()
    time.sleep(0.3)
    schema, took = timed(lambda: httpx.get(f"{base}/openapi.json", timeout=20))
    assert schema.status_code == 200 and took < 5.0  # answers while the probes wait (a hang would be 20 s)
    for thread in asking:
        thread.join(20)
    assert len(answers) == 3
    for answer, took in answers:
        assert answer.status_code == 503 and took < 10.0
        body = answer.json()
        assert body["status"] == "down" and body["store"]["ok"] is False
        assert body["store"]["detail"] == "the store did not answer within 2 s"
    door = {"id": "d1", "type": "request", "door": "outer", "by": "g1", "for": ["cook"]}
    refused, took = timed(lambda: httpx.post(f"{base}/v1/events", json=door, headers=headers, timeout=30))
    # an answer within the store's limits, not a hang: the door stays shut (the sign-in check fails first)
    assert refused.status_code == 503 and took < 15.0
    assert "did not answer" in refused.json()["detail"]
    proxy.thaw()
    assert wait_for_health(base, 200, within_s=20)
