"""A team's picture as CSV or OMM: its own estimates only (never the truth, never another nation's)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import numpy as np
import pytest

from tests.server.test_picture_cache import started_tutorial
from wargame.adjudication import omm as omm_read
from wargame.adjudication.cdm_frames import gmst_at, teme_to_earth_fixed
from wargame.adjudication.orbits import SGP4_EPOCH
from wargame.adjudication.picture_set import truth_from
from wargame.adjudication.rendering import nation_picture
from wargame.domain.audience import Role, Seat
from wargame.domain.commands import command_adapter
from wargame.services.commands import ExerciseService
from wargame.services.pictures import PictureRefused, PictureResources


@pytest.fixture(scope="module")
def played() -> ExerciseService:
    """The tutorial after move 1 (pictures of move 0 and move 1)."""
    service = started_tutorial()
    advance = command_adapter.validate_python({"type": "advance_move", "from_move": 1})
    assert service.handle("x", Seat(role=Role.WHITE_CELL, label="w"), "a", advance)["status"] == "accepted"
    return service


def _picture_and_truth(service: ExerciseService, nation: str) -> tuple[object, np.ndarray, list[str]]:
    state = service.state("x")
    pictures = state.pictures[-1]
    digests = [d for d in (pictures.custody, pictures.truth, pictures.previous_custody,
                           pictures.previous_truth) if d]
    blobs = service.blobs(digests)
    picture = nation_picture(nation, pictures, blobs, state.ruleset, state.seed)
    truth = truth_from(blobs, pictures.truth)
    assert truth is not None
    return picture, truth.pos_ecef_km.astype(float), state.object_ids()


def test_csv_is_the_teams_own_estimated_track_table(played: ExerciseService) -> None:
    document = PictureResources(played).export("x", "team:JPN", None, None, "csv")
    assert document.filename == "picture-JPN-move1.csv" and document.content_type.startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(document.text)))
    picture, truth, ids = _picture_and_truth(played, "JPN")
    held = {ids[int(k)]: r for r, k in enumerate(picture.index)}  # type: ignore[attr-defined]
    assert sorted(held) == [row["object_id"] for row in rows]
    for row in rows:
        r = held[row["object_id"]]
        assert float(row["lat_deg"]) == pytest.approx(picture.lat_deg[r], abs=1e-5)  # type: ignore[attr-defined]
        assert float(row["sigma_km"]) == pytest.approx(picture.sigma_km[r], abs=1e-4)  # type: ignore[attr-defined]
    # Estimates, not the truth: each position is off by about its 1-sigma.
    errors = [np.linalg.norm(picture.ecef_km[r] - truth[int(k)])  # type: ignore[attr-defined]
              for r, k in enumerate(picture.index)]  # type: ignore[attr-defined]
    assert np.median(errors) > 0.01


@pytest.mark.parametrize("fmt", ["omm-kvn", "omm-xml", "omm-json"])
def test_omm_element_sets_put_each_object_at_the_teams_estimate(played: ExerciseService, fmt: str) -> None:
    document = PictureResources(played).export("x", "team:USA", None, None, fmt)
    reader = {"omm-kvn": omm_read.read_kvn, "omm-xml": omm_read.read_xml, "omm-json": omm_read.read_json}[fmt]
    good, bad = reader(document.text)
    assert bad == [] and len(good) > 10
    picture, truth, ids = _picture_and_truth(played, "USA")
    row_of = {ids[int(k)]: r for r, k in enumerate(picture.index)}  # type: ignore[attr-defined]
    epoch = picture.epoch  # type: ignore[attr-defined]
    gmst = gmst_at(epoch)
    misses, offsets = [], []
    for record in good:
        fields = record.fields
        object_id = fields.get("USER_DEFINED_EXERCISE_OBJECT_ID") or fields["EXERCISE_OBJECT_ID"]
        r = row_of[object_id]
        sat = omm_read.satrec_of_fields(record.fields)
        element_epoch = sat.jdsatepoch - 2433281.5 + sat.jdsatepochF  # days since SGP4_EPOCH
        minutes = ((epoch - SGP4_EPOCH) / timedelta(days=1) - element_epoch) * 1440
        err, position, velocity = sat.sgp4_tsince(minutes)
        assert err == 0
        ecef, _v = teme_to_earth_fixed(np.array(position), np.array(velocity), gmst)
        misses.append(np.linalg.norm(ecef - picture.ecef_km[r]))  # type: ignore[attr-defined]
        offsets.append(np.linalg.norm(ecef - truth[int(picture.index[r])]))  # type: ignore[attr-defined]
    assert max(misses) < 0.01  # on the estimate, within 10 m (TLE-precision elements)
    assert np.median(offsets) > 0.01  # and so off the truth


def test_the_export_keeps_the_pictures_projection(played: ExerciseService) -> None:
    resources = PictureResources(played)
    refusals = []
    for viewer, nation, move, fmt in (
        ("team:USA", "GBR", None, "csv"),  # another team's picture
        ("observer", None, None, "csv"),  # observers hold none
        ("white_cell", None, None, "csv"),  # control names a nation
        ("team:USA", None, None, "pdf"),
        ("team:USA", None, 0, "omm-kvn"),  # OMM of an older move: orbits changed since
        ("team:USA", None, 7, "csv"),
    ):
        with pytest.raises(PictureRefused) as info:
            resources.export("x", viewer, move, nation, fmt)
        refusals.append(info.value.status)
    assert refusals == [403, 403, 400, 400, 409, 404]
    control = resources.export("x", "white_cell", None, "GBR", "csv")
    assert control.filename == "picture-GBR-move1.csv"
    assert resources.export("x", "team:USA", 0, None, "csv").filename == "picture-USA-move0.csv"
