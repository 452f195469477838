"""CDM read/write and Foster 2D Pc against NASA CARA's expected values (Alfano test cases)."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest

from wargame.adjudication import reference
from wargame.adjudication.cdm import encounter_plane, foster_pc, parse_cdm, pc_2d, write_cdm
from wargame.adjudication.conjunction import pc_isotropic
from wargame.cli import main

DATA = Path(__file__).parent / "data" / "cdm"
CASES = list(csv.DictReader((DATA / "expected_pc.csv").open()))


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_foster_pc_matches_cara(case: dict[str, str]) -> None:
    cdm = parse_cdm((DATA / case["file"]).read_text())
    assert cdm.hard_body_radius_m == float(case["hbr_m"])
    expected = float(case["expected_pc"])
    assert foster_pc(cdm) == pytest.approx(expected, rel=1e-3)


def test_write_then_read_gives_the_same_message() -> None:
    cdm = parse_cdm((DATA / "AlfanoTestCase05.cdm").read_text())
    again = parse_cdm(write_cdm(cdm))
    assert again.header == cdm.header
    assert [o.fields for o in again.objects] == [o.fields for o in cdm.objects]
    assert np.array_equal(again.objects[1].covariance_rtn_m2, cdm.objects[1].covariance_rtn_m2)
    assert foster_pc(again) == foster_pc(cdm)


def test_comment_lines_are_kept_and_written_back() -> None:
    cdm = parse_cdm((DATA / "AlfanoTestCase05.cdm").read_text())
    banner = "EXERCISE EXERCISE EXERCISE - UNCLASSIFIED"
    cdm.header[1:1] = [("COMMENT", banner, ""), ("COMMENT", "REL FVEY", "")]
    text = write_cdm(cdm)
    assert text.splitlines()[1:3] == [f"COMMENT {banner}", "COMMENT REL FVEY"]
    again = parse_cdm(text)
    assert again.comments == [banner, "REL FVEY"]
    assert again.header == cdm.header and again.hard_body_radius_m == cdm.hard_body_radius_m


def test_encounter_plane_is_normal_to_relative_velocity() -> None:
    cdm = parse_cdm((DATA / "AlfanoTestCase04.cdm").read_text())
    a, b = cdm.objects
    miss, cov = encounter_plane(
        a.position_km, a.velocity_km_s, a.covariance_rtn_m2,
        b.position_km, b.velocity_km_s, b.covariance_rtn_m2,
    )
    assert miss.shape == (2,) and cov.shape == (2, 2)
    assert miss[1] == pytest.approx(0.0, abs=1e-9)
    assert np.allclose(cov, cov.T) and np.all(np.linalg.eigvalsh(cov) > 0)


@pytest.mark.parametrize("seed", range(4))
def test_pc_2d_isotropic_matches_series_and_reference_twin(seed: int) -> None:
    rng = np.random.default_rng(seed)
    miss_m, sigma_m, radius_m = rng.uniform(0, 50), rng.uniform(5, 40), rng.uniform(2, 20)
    fast = pc_2d(np.array([miss_m, 0.0]), np.eye(2) * sigma_m**2, radius_m)
    series = float(pc_isotropic(np.array(miss_m), np.array(sigma_m), radius_m))
    twin = reference.pc_reference(miss_m, sigma_m, radius_m, n_r=120)
    assert fast == pytest.approx(series, rel=1e-6)
    assert fast == pytest.approx(twin, rel=1e-3)


def test_cli_prints_each_files_pc(capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(DATA / c["file"]) for c in CASES[:3]]
    assert main(["cdm", "pc", "--hbr-m", "15", *files]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split("\t")[0] for line in lines] == files
    assert math.isclose(float(lines[0].split("\t")[1]), float(CASES[0]["expected_pc"]), rel_tol=1e-3)
    assert main(["cdm", "pc", str(DATA / "missing.cdm")]) == 1
