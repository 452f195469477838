"""A move's pictures: its custody record and true positions, fused per nation, as events and blobs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.catalog import Catalog, Ephemeris
from wargame.adjudication.custody import OwnTracks
from wargame.adjudication.fusion import SOURCES, DelayedTracks, FusedPicture, PublicCatalog, fuse
from wargame.adjudication.orbits import REGIMES, teme_to_ecef
from wargame.adjudication.records import (
    CustodyRecord,
    Release,
    TruthRecord,
    decode_custody,
    decode_truth,
    encode_custody,
    encode_truth,
)
from wargame.domain.events import PictureUpdated
from wargame.domain.pictures import PictureRef, PictureSet, blob_digest
from wargame.domain.ruleset_model import Ruleset
from wargame.domain.sharing import track_releases
from wargame.domain.state import ExerciseState

F64 = NDArray[np.float64]
BOOL = NDArray[np.bool_]

Blobs = Mapping[str, bytes]
"""Blobs the core reads, by digest (the service passes those `state.pictures` names)."""


def public_catalog(
    state: ExerciseState,
    catalog: Catalog,
    at: datetime,
    burn_dv_m_per_s: F64 | None = None,
    burn_min: float = 0.0,
) -> PublicCatalog:
    """The public catalog at `at`: its 1-sigma per object (float32-exact, as records store it;
    inf for objects made in play) and the nations the scenario gives it to. An object that
    manoeuvred `burn_min` minutes ago (`burn_dv_m_per_s`, (n_obj,)) drifts away from its published
    elements like any unseen burn (custody.manoeuvre_drift_factor) until they are refreshed."""
    custody = state.ruleset.custody
    if custody.public_catalog_sigma_km is not None:
        by_regime = np.array([custody.public_catalog_sigma_km.get(r, np.inf) for r in REGIMES])  # type: ignore[call-overload]
        sigma = by_regime[catalog.regime_idx]
    elif custody.initial_custody in (None, "all") and custody.initial_sigma_km is not None:
        hours = (at - state.scenario.start_time) / timedelta(hours=1)
        sigma = np.full(catalog.n_obj, custody.initial_sigma_km + custody.growth_km_per_hour * hours)
    else:
        sigma = np.full(catalog.n_obj, np.inf)
    if burn_dv_m_per_s is not None:
        km_per_min_per_m_per_s = 60.0 / 1000.0
        sigma = sigma + custody.manoeuvre_drift_factor * km_per_min_per_m_per_s * burn_dv_m_per_s * burn_min
    sigma = np.where(catalog.created_in_play, np.inf, sigma).astype(np.float32).astype(np.float64)
    granted = {n.id: n.public_catalog for n in state.scenario.nations}
    return PublicCatalog(sigma_km=sigma, granted=np.array([granted.get(n, True) for n in catalog.nations]))


def releases_in_force(state: ExerciseState, catalog: Catalog) -> tuple[Release, ...]:
    """Every release of own tracks from one played nation to another during the current move
    (domain.sharing.track_releases), with its scope as regime codes and catalog indices."""
    index = {n: i for i, n in enumerate(catalog.nations)}
    out: list[Release] = []
    for r in track_releases(state):
        if r.releaser not in index or r.receiver not in index:
            continue
        regimes = tuple(REGIMES.index(g) for g in r.regimes) if r.regimes else None
        objects = tuple(catalog.index[o] for o in r.objects if o in catalog.index) if r.objects else None
        out.append(Release(index[r.releaser], index[r.receiver], r.level.value, regimes, objects))
    return tuple(out)


def custody_record(
    move: int,
    epoch: datetime,
    catalog: Catalog,
    own: OwnTracks,
    t_end_min: float,
    public: PublicCatalog,
    releases: tuple[Release, ...],
    decayed: BOOL,
) -> CustodyRecord:
    """The record of a move from the stored own tracks (custody.as_stored)."""
    return CustodyRecord(
        move=move,
        epoch=epoch,
        nations=catalog.nations,
        own_sigma_km=np.where(own.owner, np.inf, own.sigma_km),
        own_age_min=t_end_min - own.obs_min,
        owner=own.owner,
        regime_idx=catalog.regime_idx,
        decayed=decayed,
        in_public_catalog=np.isfinite(public.sigma_km),
        public_catalog_sigma_km=public.sigma_km,
        catalog_granted=public.granted,
        releases=releases,
    )


def fused_from_records(
    record: CustodyRecord,
    previous: CustodyRecord | None,
    rules: Ruleset,
    origin: datetime | None = None,
    holders: Sequence[int] | None = None,
) -> FusedPicture:
    """Every nation's picture of the record's move (or only `holders`', fusion.fuse), fused as
    the core fuses it. Times are minutes after `origin` (default: the record's epoch). 'Delayed'
    releases carry the previous record's own estimates, grown to this epoch."""
    origin = origin or record.epoch
    shift_min = (record.epoch - origin) / timedelta(minutes=1)
    n_nat, n_obj = record.own_sigma_km.shape
    owner_sigma = rules.custody.owner_sigma_km
    obs = shift_min - record.own_age_min
    own = OwnTracks(
        sigma_km=np.where(record.owner, owner_sigma, record.own_sigma_km),
        observed=record.owner | ~np.isnan(obs),
        obs_min=np.where(record.owner, shift_min, obs),
        owner=record.owner,
    )
    delayed_sigma = np.full((n_nat, n_obj), np.inf)
    delayed_obs = np.full((n_nat, n_obj), np.nan)
    if previous is not None:
        gap_min = (record.epoch - previous.epoch) / timedelta(minutes=1)
        n_old = previous.n_obj
        grow = rules.custody.growth_km_per_hour * gap_min / 60.0
        delayed_sigma[:, :n_old] = previous.own_sigma_km + grow
        delayed_obs[:, :n_old] = shift_min - gap_min - previous.own_age_min
    public = PublicCatalog(
        sigma_km=np.where(record.in_public_catalog, record.public_catalog_sigma_km, np.inf),
        granted=record.catalog_granted,
    )
    return fuse(
        own,
        record.releases,
        record.regime_idx,
        DelayedTracks(sigma_km=delayed_sigma, obs_min=delayed_obs),
        public,
        record.decayed,
        rules.custody,
        rules.sharing,
        holders,
    )


def truth_at_end(ephemeris: Ephemeris) -> TruthRecord:
    """True Earth-fixed positions at the last step of the ephemeris (the move's end)."""
    ecef = teme_to_ecef(ephemeris.end_teme_km[:, None, :], ephemeris.gmst[-1:])[:, 0, :]
    return TruthRecord(epoch=ephemeris.moment(ephemeris.n_time - 1), pos_ecef_km=ecef.astype(np.float32))


RECORDS_KEPT = 2
"""Decoded records a process keeps: a move's and the previous move's (a custody record decodes
to about 20 MB at 25 nations and 47,000 objects). A server adjudicating two exercises in turn
decodes again (about a second at that size) rather than keep 40 MB more for good."""


@lru_cache(maxsize=RECORDS_KEPT)
def _custody_of(digest: str, data: bytes) -> CustodyRecord:
    return decode_custody(data)


@lru_cache(maxsize=RECORDS_KEPT)
def _truth_of(digest: str, data: bytes) -> TruthRecord:
    return decode_truth(data)


def custody_from(blobs: Blobs, digest: str | None) -> CustodyRecord | None:
    """The decoded custody record named by `digest` (decoded once per process), or None."""
    return None if digest is None else _custody_of(digest, blobs[digest])


def truth_from(blobs: Blobs, digest: str | None) -> TruthRecord | None:
    return None if digest is None else _truth_of(digest, blobs[digest])


@dataclass(frozen=True)
class MovePictures:
    """A move's pictures as the core computed them, with the blobs they are recorded in."""

    record: CustodyRecord
    fused: FusedPicture
    pictures: PictureSet
    blobs: dict[str, bytes]


def record_pictures(
    state: ExerciseState, record: CustodyRecord, truth: TruthRecord, blobs: Blobs
) -> MovePictures:
    """Encode the move's record and truth, and fuse every nation's picture from the stored
    record and the previous move's (state.pictures), exactly as a viewer's picture is rendered."""
    previous_set = state.pictures[-1] if state.pictures else None
    previous = custody_from(blobs, previous_set.custody if previous_set else None)
    custody_blob, truth_blob = encode_custody(record), encode_truth(truth)
    stored = decode_custody(custody_blob)
    pictures = PictureSet(
        move=record.move,
        custody=blob_digest(custody_blob),
        truth=blob_digest(truth_blob),
        previous_custody=previous_set.custody if previous_set else None,
        previous_truth=previous_set.truth if previous_set else None,
    )
    fused = fused_from_records(stored, previous, state.ruleset)
    return MovePictures(
        record=stored,
        fused=fused,
        pictures=pictures,
        blobs={pictures.custody: custody_blob, pictures.truth: truth_blob},
    )


def picture_events(
    move: MovePictures, nations: Sequence[str], precise_sigma_km: float | None
) -> list[PictureUpdated]:
    """One PictureUpdated per played nation: the picture set and its counts by source. The
    first carries the new blobs for the service to store."""
    fused = move.fused
    events: list[PictureUpdated] = []
    for n, nation in enumerate(nations):
        held = fused.held[n]
        codes = np.bincount(fused.source[n][held], minlength=len(SOURCES))
        precise = (
            None if precise_sigma_km is None else int(np.sum(held & (fused.sigma_km[n] <= precise_sigma_km)))
        )
        ref = PictureRef(
            pictures=move.pictures,
            held=int(held.sum()),
            by_source={name: int(c) for name, c in zip(SOURCES, codes, strict=True)},
            precise=precise,
        )
        events.append(
            PictureUpdated(
                nation=nation, move=move.record.move, picture=ref, attachments=move.blobs if n == 0 else {}
            )
        )
    return events
