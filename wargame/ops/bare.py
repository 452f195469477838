"""A bare `websockets` broadcast server: the floor the fan-out benchmark compares against.

`python -m wargame.ops.bare PORT`: every text frame `go N` from a client makes the server
broadcast one ~1 KB event frame to every other connected client.
"""

from __future__ import annotations

import asyncio
import json
import sys

from websockets.asyncio.server import ServerConnection, broadcast, serve

PAYLOAD = "x" * 700


async def main(port: int) -> None:
    clients: set[ServerConnection] = set()

    async def handler(ws: ServerConnection) -> None:
        clients.add(ws)
        try:
            async for raw in ws:
                seq = int(str(raw).split()[-1])
                event = {
                    "seq": seq,
                    "type": "chat_posted",
                    "actor": "team:USA",
                    "move": 1,
                    "at": "2027-03-01T00:00:00+00:00",
                    "audience": ["control", "team:USA"],
                    "hash": "0" * 64,
                    "prev_hash": "0" * 64,
                    "body": {"text": PAYLOAD},
                }
                frame = json.dumps(
                    {"type": "event", "pos": seq, "event": event}, separators=(",", ":")
                )
                broadcast([c for c in clients if c is not ws], frame)
        finally:
            clients.discard(ws)

    async with serve(handler, "127.0.0.1", port, compression=None, max_size=2**20):
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
