"""A shipped scenario played in full over real websockets by scripted seats that record every
frame, are cut off at random points and resume with hello{last_pos} (some asking for a resync):
the script and the recording client of tests/leaks/test_wire.py."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from wargame.ops.client import StreamClient

JsonDict = dict[str, Any]
_ids = itertools.count(1)


@dataclass
class RecordingClient(StreamClient):
    """A seat's socket that keeps every frame it receives and every snapshot it reassembles."""

    viewer: str = ""
    frames: list[JsonDict] = field(default_factory=list)
    views: list[tuple[int, JsonDict]] = field(default_factory=list)
    """(stream position, the view) of each snapshot, reassembled from its parts."""
    sent: dict[str, JsonDict] = field(default_factory=dict)
    """command_id -> the command (a rejection may quote it)."""
    cuts: int = 0
    resyncs: int = 0

    def _handle(self, message: JsonDict, ws: Any) -> None:
        self.frames.append(message)
        super()._handle(message, ws)
        if message["type"] == "snapshot" and message["part"] == message["parts"] and self.view is not None:
            self.views.append((message["pos"], self.view))

    async def cut(self, abort: bool) -> None:
        """Drop the socket (a reset, or a clean close); the client reconnects and resumes."""
        ws = self.ws
        if ws is None:
            return
        self.cuts += 1
        if abort:
            ws.transport.abort()
        else:
            with contextlib.suppress(Exception):
                await ws.close()

    async def resync(self) -> None:
        for _ in range(100):
            if self.ws is not None:
                with contextlib.suppress(Exception):
                    await self.ws.send(json.dumps({"type": "resync"}))
                    self.resyncs += 1
                    return
            await asyncio.sleep(0.05)

    async def send(self, command: JsonDict) -> JsonDict:
        """A command, acknowledged or rejected (resent with its id after a cut)."""
        cid = f"wire-{next(_ids)}"
        self.sent[cid] = command
        return await self.command(command, cid, timeout_s=300)

    @property
    def nation(self) -> str:
        return self.viewer.removeprefix("team:")

    def events_of(self, kind: str) -> list[JsonDict]:
        return [r.event for r in self.received if r.event["type"] == kind]


def last_pos(http: str, token: str) -> int:
    """The head of a seat's stream (GET /api/log)."""
    request = urllib.request.Request(
        f"{http}/api/log?after=2147483647&limit=1", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=30) as reply:
        return int(json.loads(reply.read())["last_pos"])


def http_get(http: str, token: str, path: str) -> tuple[int, bytes]:
    """(status, body) of a GET with the seat's token."""
    request = urllib.request.Request(f"{http}{path}", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return int(reply.status), reply.read()
    except urllib.error.HTTPError as error:
        return int(error.code), error.read()


async def settle(http: str, clients: list[RecordingClient], timeout_s: float = 120) -> None:
    """Wait until every client holds the head of its seat's stream."""
    heads = {c.token: await asyncio.to_thread(last_pos, http, c.token) for c in clients}
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while any((c.last_pos or 0) < heads[c.token] for c in clients):
        if loop.time() > deadline:
            behind = {
                c.viewer: (c.last_pos, heads[c.token]) for c in clients if (c.last_pos or 0) < heads[c.token]
            }
            raise TimeoutError(f"seats behind after {timeout_s}s: {behind}")
        await asyncio.sleep(0.05)


ADHOC_MARKINGS: tuple[tuple[JsonDict, list[str]], ...] = (
    ({"releasability": "REL FVEY"}, []),
    ({"releasability": "NOFORN"}, ["GBR"]),
    ({"releasability": "REL", "releasable_to": ["JPN", "USA"]}, []),
    ({"releasability": "REL CSPO"}, []),
    ({"releasability": "PUBLIC"}, []),
    ({"releasability": "REL ALL-PARTICIPANTS"}, []),
    ({"releasability": "NOFORN"}, ["JPN"]),
    ({"releasability": "PUBLIC"}, ["USA"]),
)
"""The white cell's ad-hoc injects, one per move in turn: every marking, with and without recipients."""


@dataclass
class Script:
    """A full game: per move, each team chats on its channels, releases a product (kinds and
    markings in turn), forwards an inject it received, orders, and probes an inject it was not
    told of; the white cell writes an ad-hoc inject and releases the MSEL's manual injects.
    Every seat is cut off at least twice at random points; some ask for a resync."""

    http: str
    control: RecordingClient
    teams: list[RecordingClient]
    others: list[RecordingClient]
    groups: dict[str, list[str]]
    manual: list[str]
    """The MSEL's injects the white cell releases by hand (contingencies, conditions)."""
    probe: str
    """An MSEL inject id every team tries to attribute (refused unless it received it)."""
    moves: int
    rng: random.Random
    step: int = 0
    cut_at: dict[int, list[tuple[RecordingClient, bool]]] = field(default_factory=dict)

    @property
    def everyone(self) -> list[RecordingClient]:
        return [self.control, *self.teams, *self.others]

    def plan_cuts(self, steps: int) -> None:
        for client in self.everyone:
            for at in self.rng.sample(range(1, steps), 3):
                self.cut_at.setdefault(at, []).append((client, self.rng.random() < 0.5))

    async def tick(self) -> None:
        self.step += 1
        for client, abort in self.cut_at.pop(self.step, []):
            await client.cut(abort)

    async def run(self, client: RecordingClient, command: JsonDict) -> JsonDict:
        reply = await client.send(command)
        await self.tick()
        return reply

    def marking_for(self, team: RecordingClient, move: int) -> tuple[str, JsonDict]:
        kind = ("tracks", "warnings", "assessments")[move % 3]
        group = "FVEY" if team.nation in self.groups.get("FVEY", []) else "CSPO"
        if team.nation not in self.groups.get(group, []):
            partner = self.partner(team)
            return kind, {"releasability": "REL", "releasable_to": [partner]}
        ladder = (
            {"releasability": f"REL {group}"},
            {"releasability": "REL ALL-PARTICIPANTS"},
            {"releasability": "REL", "releasable_to": [self.partner(team)]},
        )
        return kind, ladder[move % 3]

    def partner(self, team: RecordingClient) -> str:
        nations = [t.nation for t in self.teams]
        return nations[(nations.index(team.nation) + 1) % len(nations)]

    async def play(self) -> None:
        await self.run(self.control, {"type": "start_exercise"})
        for move in range(1, self.moves + 1):
            await self.white_cell(move)
            for team in self.teams:
                await self.team_move(team, move)
            await self.run(self.control, {"type": "advance_move", "from_move": move})
            await settle(self.http, self.everyone)
            if move % 2 == 0:  # a quiet moment: some seats ask for a fresh snapshot
                for client in self.rng.sample(self.everyone, max(2, len(self.everyone) // 3)):
                    await client.resync()
                await settle(self.http, self.everyone)

    async def white_cell(self, move: int) -> None:
        marking, recipients = ADHOC_MARKINGS[(move - 1) % len(ADHOC_MARKINGS)]
        played = {t.nation for t in self.teams}
        command = {
            "type": "adhoc_inject",
            "inject_type": "message",
            "title": f"Ad-hoc {move}",
            "text": f"WIRE-ADHOC-TEXT-{move} under {marking['releasability']}",
            "controller_notes": f"WIRE-NOTES-{move} for control only",
            "releasability": marking["releasability"],
            "releasable_to": marking.get("releasable_to", []),
            "recipients": [r for r in recipients if r in played],
        }
        await self.run(self.control, command)
        for channel in ("control", "coalition"):
            await self.run(
                self.control,
                {
                    "type": "post_chat",
                    "channel": channel,
                    "text": f"WIRE-WHITE-{channel}-{move} from the white cell",
                },
            )
        if move == 2 or move == self.moves:
            for inject_id in self.manual:
                await self.run(self.control, {"type": "release_inject", "inject_id": inject_id})

    async def team_move(self, team: RecordingClient, move: int) -> None:
        nation, partner = team.nation, self.partner(team)
        for channel in ("team", "coalition", "bilateral"):
            await self.run(
                team,
                {
                    "type": "post_chat",
                    "channel": channel,
                    "partner": partner,
                    "text": f"WIRE-CHAT-{nation}-{channel}-{move} private to the channel",
                },
            )
        kind, marking = self.marking_for(team, move)
        level = ("full", "degraded", "delayed")[move % 3] if kind == "tracks" else "full"
        await self.run(
            team, {"type": "release_product", "product": {"kind": kind}, "marking": marking, "level": level}
        )
        received = [e["body"]["inject"]["id"] for e in team.events_of("inject_released")]
        if received:
            await self.run(
                team,
                {
                    "type": "forward_inject",
                    "inject_id": received[move % len(received)],
                    "marking": {"releasability": "REL", "releasable_to": [partner]},
                    "text": None if move % 2 else f"WIRE-SANITIZED-{nation}-{move} summary",
                },
            )
        own = [
            e["body"]["product_id"]
            for e in team.events_of("product_released")
            if e["body"]["nation"] == nation
        ]
        if move % 2 == 0 and own:
            await self.run(team, {"type": "withdraw_product", "product_id": own[0]})
        view = team.views[-1][1] if team.views else {}
        assets = [a["id"] for a in view.get("assets", [])]
        if assets:
            await self.run(
                team,
                {
                    "type": "submit_order",
                    "reason": f"WIRE-REASON-{nation}-{move} sealed",
                    "order": {"kind": "anti_jam", "asset_id": assets[move % len(assets)], "enabled": True},
                },
            )
        await self.run(
            team,
            {
                "type": "submit_order",
                "reason": f"WIRE-PROBE-{nation}-{move}",
                "order": {
                    "kind": "public_attribution",
                    "inject_id": self.probe,
                    "accused": "RED",
                    "likelihood": "likely",
                },
            },
        )
