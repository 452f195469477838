"""A nation's picture as files: its track table as CSV, or its estimated orbits as OMM (never the truth)."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import numpy as np
from numpy.typing import NDArray
from sgp4.api import jday

from wargame.adjudication.catalog import build_catalog
from wargame.adjudication.cdm_frames import earth_fixed_positions_to_teme, gmst_at
from wargame.adjudication.estimates import standard_normals
from wargame.adjudication.fusion import SOURCES
from wargame.adjudication.manoeuvres import Truth
from wargame.adjudication.mean_elements import fit_mean_elements
from wargame.adjudication.omm_write import OmmOut, omm_fields
from wargame.adjudication.orbits import REGIMES
from wargame.adjudication.picture_resource import directory_for
from wargame.adjudication.picture_set import Blobs
from wargame.adjudication.rendering import NationPicture, nation_picture
from wargame.domain.pictures import PictureSet
from wargame.domain.state import ExerciseState

F64 = NDArray[np.float64]

CSV_COLUMNS = ("object_id", "name", "owner", "kind", "mission", "regime", "source", "contributors",
               "sigma_km", "age_min", "delayed", "epoch", "lat_deg", "lon_deg", "alt_km")
MAX_CATALOG_NUMBER = 339_999


def _picture(state: ExerciseState, pictures: PictureSet, blobs: Blobs, nation: str) -> NationPicture:
    return nation_picture(nation, pictures, blobs, state.ruleset, state.seed)


def picture_csv(state: ExerciseState, pictures: PictureSet, blobs: Blobs, nation: str) -> str:
    """The nation's track table, one row per held object sorted by id: its cards and its own
    estimate (position at the track's epoch, 1-sigma, source, contributors, age)."""
    picture = _picture(state, pictures, blobs, nation)
    directory = directory_for(state, pictures, blobs)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    rows = sorted(range(len(picture)), key=lambda r: directory.ids[int(picture.index[r])])
    for r in rows:
        k = int(picture.index[r])
        delayed = bool(picture.delayed[r])
        epoch = picture.previous_epoch if delayed and picture.previous_epoch else picture.epoch
        age = picture.age_min[r]
        writer.writerow([
            directory.ids[k], directory.names[k], directory.owners[k] or "", directory.kinds[k],
            directory.missions[k] or "", REGIMES[int(directory.regime_idx[k])],
            SOURCES[int(picture.source[r])],
            " ".join(picture.contributor_names(r)), f"{picture.sigma_km[r]:.4f}",
            "" if np.isnan(age) else f"{age:.1f}", "yes" if delayed else "no", epoch.isoformat(),
            f"{picture.lat_deg[r]:.5f}", f"{picture.lon_deg[r]:.5f}", f"{picture.alt_km[r]:.3f}",
        ])
    return out.getvalue()


def _true_states(state: ExerciseState, index: NDArray[np.int64], epoch: datetime) -> tuple[F64, F64, list]:
    """TEME states at `epoch` of the objects at catalog `index`, from the truth's orbits (the
    velocities an estimate is drawn around), and their sgp4 records."""
    catalog = build_catalog(state, Truth.of(state).orbits)
    sats = [catalog.satrecs[int(k)] for k in index]
    jd, fr = jday(epoch.year, epoch.month, epoch.day, epoch.hour, epoch.minute,
                  epoch.second + epoch.microsecond / 1e6)
    positions = np.full((len(sats), 3), np.nan)
    velocities = np.full((len(sats), 3), np.nan)
    for row, sat in enumerate(sats):
        err, r, v = sat.sgp4(jd, fr)
        if err == 0:
            positions[row], velocities[row] = r, v
    return positions, velocities, sats


def picture_omm(
    state: ExerciseState, pictures: PictureSet, blobs: Blobs, nation: str
) -> tuple[list[OmmOut], int, datetime]:
    """The nation's current tracks as SGP4 element sets fitted to its estimated states at the
    picture's epoch: the picture's estimated position, and a velocity drawn around the truth with
    the track's 1-sigma scaled by |v|/|r| (as in its CDMs). Delayed tracks (a move old) and
    objects sgp4 cannot place are left out; returns the records, how many were left out, and the
    picture's epoch."""
    picture = _picture(state, pictures, blobs, nation)
    directory = directory_for(state, pictures, blobs)
    current = np.flatnonzero(~picture.delayed & np.all(np.isfinite(picture.ecef_km), axis=1))
    index = picture.index[current]
    gmst = gmst_at(picture.epoch)
    true_r, true_v, sats = _true_states(state, index, picture.epoch)
    usable = np.all(np.isfinite(true_v), axis=1)
    current, index, true_r, true_v = current[usable], index[usable], true_r[usable], true_v[usable]
    sats = [s for s, ok in zip(sats, usable, strict=True) if ok]
    sigma = picture.sigma_km[current]
    estimate_r = earth_fixed_positions_to_teme(picture.ecef_km[current], gmst)
    noise = standard_normals((state.seed, pictures.move, "picture-velocity", nation), 3 * len(picture))
    rate = np.linalg.norm(true_v, axis=1) / np.linalg.norm(true_r, axis=1)
    estimate_v = true_v + noise.reshape(-1, 3)[current] * (sigma * rate)[:, None]
    numbers = [s.satnum if 0 < s.satnum <= MAX_CATALOG_NUMBER else 0 for s in sats]
    bstar = np.array([s.bstar for s in sats])
    fits, miss = fit_mean_elements(estimate_r.reshape(-1, 3), estimate_v, picture.epoch, bstar, numbers)
    records: list[OmmOut] = []
    order = sorted(range(len(current)), key=lambda j: directory.ids[int(index[j])])
    for j in order:
        fit = fits[j]
        if fit is None:
            continue
        k, row = int(index[j]), int(current[j])
        fit.intldesg = sats[j].intldesg
        fit.classification = "U"
        contributors = " ".join(picture.contributor_names(row))
        records.append(OmmOut(
            omm_fields(fit, directory.names[k]),
            comments=(f"Exercise data: {nation}'s estimate at move {picture.move}, not the truth",
                      f"1-sigma {sigma[j]:.3f} km per axis; source {SOURCES[int(picture.source[row])]}; "
                      f"from {contributors or nation}"),
            user={"EXERCISE_OBJECT_ID": directory.ids[k], "SIGMA_KM": f"{sigma[j]:.4f}",
                  "FIT_MISS_KM": f"{miss[j]:.4f}"},
        ))
    return records, len(picture) - len(records), picture.epoch
