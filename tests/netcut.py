"""A TCP proxy between a browser and the gateway that a test can hold and cut, at a byte count.

    proxy = NetCut("127.0.0.1", gateway_port)
    base_url = await proxy.start()          # point the browser here
    proxy.hold_at(10 * MiB)                 # client→server bytes stop flowing at 10 MiB…
    await proxy.held.wait()                 # …deterministically, however fast the machine
    proxy.cut()                             # every connection reset; new ones refused…
    proxy.restore()                         # …until the network is back
    await proxy.stop()

Going offline in the browser (`context.set_offline`) does not always abort a request already on
the wire, so a test of "the connection dropped mid-upload" could see the upload finish first.
Here the bytes themselves stop: a hold pauses every client→server stream at an exact count
(the browser's own send buffers fill and its upload stalls), and a cut closes the sockets.
"""

from __future__ import annotations

import asyncio
import contextlib

from tests.harness import free_port

BLOCK = 64 * 1024


class NetCut:
    def __init__(self, host: str, port: int) -> None:
        self.upstream = (host, port)
        self.port = free_port()
        self.sent = 0  # client→server bytes forwarded, all connections together
        self.held = asyncio.Event()  # set while a hold has stopped the bytes
        self._limit: int | None = None
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._down = False
        self._server: asyncio.Server | None = None
        self._links: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> str:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)
        return f"http://127.0.0.1:{self.port}"

    def hold_at(self, count: int) -> None:
        """Stop forwarding client→server bytes once `count` of them have passed (and flow now)."""
        self._limit = count
        self.held.clear()
        self._flowing.set()

    def release(self) -> None:
        self._limit = None
        self.held.clear()
        self._flowing.set()

    def cut(self) -> None:
        """Reset every open connection and refuse new ones until `restore()`."""
        self._down = True
        self.release()
        for writer in list(self._links):
            with contextlib.suppress(Exception):
                writer.transport.abort()
        self._links.clear()

    def restore(self) -> None:
        self._down = False

    async def stop(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._down:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.transport.abort()
            return
        self._links.update((writer, up_writer))
        pumps = [asyncio.create_task(self._pump(reader, up_writer, counted=True)),
                 asyncio.create_task(self._pump(up_reader, writer, counted=False))]
        self._tasks.update(pumps)
        try:
            await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in pumps:
                task.cancel()
            await asyncio.gather(*pumps, return_exceptions=True)
            self._tasks.difference_update(pumps)
            for w in (writer, up_writer):
                self._links.discard(w)
                w.transport.abort()

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *,
                    counted: bool) -> None:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            while data := await reader.read(BLOCK):
                while counted and data:
                    await self._flowing.wait()
                    room = len(data) if self._limit is None else self._limit - self.sent
                    if room <= 0:
                        self._flowing.clear()
                        self.held.set()
                        continue
                    part, data = data[:room], data[room:]
                    self.sent += len(part)
                    writer.write(part)
                    await writer.drain()
                if not counted:
                    writer.write(data)
                    await writer.drain()
