"""GET /api/picture: a team gets its own estimates only, control any nation's or the truth."""

from __future__ import annotations

import gzip

import pytest

from tests.conftest import LiveExercise
from tests.picture_format import read_picture
from tests.server.wsclient import Client, get_picture

pytestmark = [pytest.mark.integration]


async def test_who_gets_which_picture(tutorial_exercise: LiveExercise) -> None:
    tokens = tutorial_exercise.tokens
    white = Client(tokens["white_cell"])
    await white.connect()
    await white.recv()
    assert (await white.command({"type": "start_exercise"}))["type"] == "ack"

    status, headers, data = await get_picture(tokens["team:USA"], "move=0")
    assert status == 200 and headers["Content-Type"] == "application/vnd.wargame.picture"
    header, columns = read_picture(data)
    assert (header["kind"], header["nation"], header["move"]) == ("picture", "USA", 0)
    assert header["rows"] == len(columns["object_id"]) > 0
    assert "usa-gps-iii-1" in columns["object_id"] or any(o.startswith("usa-") for o in columns["object_id"])
    zipped_status, zipped_headers, zipped = await get_picture(tokens["team:USA"], "move=0", gzip_ok=True)
    assert zipped_status == 200 and zipped_headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped) == data and zipped_headers["ETag"] == headers["ETag"]

    # A team never gets another's picture or the truth; observers hold none; nobody without a token.
    assert (await get_picture(tokens["team:USA"], "move=0&nation=GBR"))[0] == 403
    assert (await get_picture(tokens["team:USA"], "move=0&truth=1"))[0] == 403
    assert (await get_picture(tokens["observer"], "move=0"))[0] == 403
    assert (await get_picture("", "move=0"))[0] == 401
    assert (await get_picture("nope", "move=0"))[0] == 401
    assert (await get_picture(tokens["team:USA"], "move=7"))[0] == 404
    assert (await get_picture(tokens["team:USA"], "move=x"))[0] == 400

    # Control: any nation's estimates, and the ground truth of every object.
    status, _h, gbr = await get_picture(tokens["white_cell"], "move=0&nation=GBR")
    assert status == 200 and read_picture(gbr)[0]["nation"] == "GBR"
    assert (await get_picture(tokens["white_cell"], "move=0"))[0] == 400
    status, _h, truth = await get_picture(tokens["facilitator"], "move=0&truth=1")
    truth_header, truth_columns = read_picture(truth)
    assert status == 200 and truth_header["kind"] == "truth"
    assert set(columns["object_id"]) <= set(truth_columns["object_id"])
    assert set(truth_header["dictionaries"]["status"]) >= {"nominal", "destroyed"}

    # As a file: the same projection (own picture only, never the truth).
    status, headers, text = await get_picture(tokens["team:USA"], "move=0&format=csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert 'filename="picture-USA-move0.csv"' in headers["Content-Disposition"]
    exported = [line.split(",")[0] for line in text.decode().splitlines()[1:]]
    assert sorted(exported) == sorted(columns["object_id"])
    status, headers, text = await get_picture(tokens["team:USA"], "format=omm-xml")
    assert status == 200 and text.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<ndm ')
    assert (await get_picture(tokens["team:USA"], "move=0&nation=GBR&format=csv"))[0] == 403
    assert (await get_picture(tokens["facilitator"], "move=0&truth=1&format=csv"))[0] == 400
    assert (await get_picture(tokens["team:USA"], "move=0&format=docx"))[0] == 400
    await white.close()
