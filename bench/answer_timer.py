"""Times ``gatewatch serve`` from launch until ``/v1/health`` answers, for ``startup.py``.

It runs as its own small process, started before the benchmark builds its record: launching a
server from a process holding gigabytes would time the copy of that process, not the server.
Reads ``SITE DATA`` lines on standard input; prints the seconds for each.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

GATEWATCH = str(Path(sys.executable).parent / "gatewatch")


def server_answers(site: str, data: str) -> float:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    began = time.perf_counter()
    server = subprocess.Popen(
        [GATEWATCH, "serve", "--site", site, "--data", data, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with httpx.Client(timeout=5) as client:
            while server.poll() is None:
                try:
                    if client.get(f"http://127.0.0.1:{port}/v1/health").status_code == 200:
                        return time.perf_counter() - began
                except httpx.TransportError:
                    time.sleep(0.01)
        raise RuntimeError("the server stopped before answering")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    for line in sys.stdin:
        site, data = line.split()
        print(f"{server_answers(site, data):.4f}", flush=True)
