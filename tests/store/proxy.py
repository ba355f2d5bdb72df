"""A TCP proxy on a free loopback port that can be frozen: a database that stopped answering.

Frozen, it keeps every socket open and forwards no byte either way (new connections are
accepted and then hear nothing), as a server stopped with ``SIGSTOP`` does; thawed, it
forwards again. The shared server behind it is never touched.
"""

from __future__ import annotations

import select
import socket
import threading
from types import TracebackType


class FreezableProxy:
    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port = int(self._listener.getsockname()[1])
        self._flowing = threading.Event()
        self._flowing.set()
        self._closed = threading.Event()
        self._sockets: list[socket.socket] = []
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    def freeze(self) -> None:
        self._flowing.clear()

    def thaw(self) -> None:
        self._flowing.set()

    def close(self) -> None:
        self._closed.set()
        self._listener.close()
        for held in list(self._sockets):
            held.close()
        for thread in self._threads:
            thread.join(timeout=2)

    def __enter__(self) -> FreezableProxy:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            server = socket.create_connection(self.upstream)
            self._sockets += [client, server]
            for source, target in ((client, server), (server, client)):
                pump = threading.Thread(target=self._pump, args=(source, target), daemon=True)
                self._threads.append(pump)
                pump.start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while not self._closed.is_set():
                if not self._flowing.wait(0.05):
                    continue
                ready, _, _ = select.select([source], [], [], 0.05)
                if not ready or not self._flowing.is_set():
                    continue
                data = source.recv(65536)
                if not data:
                    break
                target.sendall(data)
        except (OSError, ValueError):  # the other direction closed both sockets
            pass
        finally:
            source.close()
            target.close()
