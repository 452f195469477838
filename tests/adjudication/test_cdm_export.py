"""Conjunction warnings as CCSDS CDMs: on a real screening move, each warning's CDM gives back its
Pc and miss, carries the exercise banner and the item's marking, and reaches only those who hold
the warning."""

from __future__ import annotations

import numpy as np
import pytest
from adj_builders import adjudicate, make_state

from tests.factories import run_command, share
from wargame.adjudication.cdm import encounter_plane, foster_pc, parse_cdm, pc_2d
from wargame.adjudication.cdm_export import render_cdm, warning_cdm
from wargame.domain.common import InjectType
from wargame.domain.events import ConjunctionWarning, ExerciseCreated
from wargame.domain.products import SharingAgreement
from wargame.domain.scenario_model import Inject
from wargame.domain.state import Warning
from wargame.eventlog.store import MemoryEventStore
from wargame.scenario import find_ruleset, find_scenario, load_ruleset, load_scenario_parts
from wargame.services.adjudicators import InlineAdjudicator
from wargame.services.cdms import CdmRefused, cdm_for
from wargame.services.commands import ExerciseService

EX = "cdm-regional"
PC_REL_TOLERANCE = 1e-9
"""The warning's Pc against cdm.pc_2d on its estimate's own numbers (no text in between)."""
ROUND_TRIP_PC_REL = 1e-4
"""The Pc recomputed from the KVN text (positions to 1 mm, velocities to 1 um/s, covariances to
10 digits) against the warning's: measured below 1.2e-5 over three moves of global-sentinel."""


@pytest.fixture(scope="module")
def game() -> ExerciseService:
    """regional-sentinel's first move, with USA, GBR and FRA under a standing agreement and USA
    releasing its warnings to GBR (REL GBR): USA and POL warn on their own satellites."""
    scenario, background = load_scenario_parts(find_scenario("regional-sentinel"))
    agreement = SharingAgreement(id="cdm-test", nations=("USA", "GBR", "FRA"))
    scenario = scenario.model_copy(update={"agreements": (*scenario.agreements, agreement)})
    created = ExerciseCreated(
        title=scenario.title, scenario=scenario, ruleset=load_ruleset(find_ruleset(scenario.ruleset)),
        seed=scenario.seed,
    )
    service = ExerciseService(MemoryEventStore(), InlineAdjudicator())
    service.create(EX, created, background)
    for viewer, command in (
        ("team:USA", share("GBR", kind="warnings")),
        ("white_cell", {"type": "start_exercise"}),
        ("white_cell", {"type": "advance_move", "from_move": 1}),
    ):
        assert run_command(service, EX, viewer, command)["status"] == "accepted", command
    return service


def _warnings(service: ExerciseService) -> list[ConjunctionWarning]:
    return [e.body for e in service.store.read_after(EX, 0) if isinstance(e.body, ConjunctionWarning)]


def test_each_screening_warning_carries_states_that_give_its_pc_and_miss(game: ExerciseService) -> None:
    warnings = _warnings(game)
    state = game.state(EX)
    radius_m = state.ruleset.conjunction.hard_body_radius_m
    assert {w.nation for w in warnings} >= {"USA", "POL"}
    assert len({w.id for w in warnings}) == len(warnings)
    for w in warnings:
        est = w.estimate
        assert est is not None and w.id is not None and w.id.startswith("W-")
        c1 = np.eye(3) * (est.asset_sigma_km * 1e3) ** 2
        c2 = np.eye(3) * (est.other_sigma_km * 1e3) ** 2
        miss_m, cov_m2 = encounter_plane(
            np.array(est.asset_pos_km), np.array(est.asset_vel_km_per_s), c1,
            np.array(est.other_pos_km), np.array(est.other_vel_km_per_s), c2,
        )
        assert np.linalg.norm(miss_m) == pytest.approx(w.miss_km * 1e3, abs=1e-6)
        assert pc_2d(miss_m, cov_m2, radius_m) == pytest.approx(w.pc, rel=PC_REL_TOLERANCE)
        assert state.nations[w.nation].encounters[w.id] == est
        # The truth is near: the estimate is off by a few sigma, not by the orbit.
        sigma = max(est.asset_sigma_km, est.other_sigma_km)
        assert np.linalg.norm(np.subtract(est.other_pos_km, est.asset_pos_km)) < 5.0 + 6 * sigma


def test_a_cdm_round_trips_to_its_warnings_pc_and_miss(game: ExerciseService) -> None:
    state = game.state(EX)
    copies = [(n, w) for n, s in state.nations.items() for w in s.warnings if w.kind == "conjunction"]
    assert any(w.shared_by is not None for _n, w in copies)
    for holder, w in copies:
        assert w.id is not None and w.pc is not None
        cdm = parse_cdm(cdm_for(state, f"team:{holder}", w.id).text)
        assert float(cdm.header_value("COLLISION_PROBABILITY") or 0) == pytest.approx(w.pc, rel=1e-6)
        assert foster_pc(cdm) == pytest.approx(w.pc, rel=ROUND_TRIP_PC_REL)
        a, b = cdm.objects
        miss_m, _cov = encounter_plane(
            a.position_km, a.velocity_km_s, a.covariance_rtn_m2,
            b.position_km, b.velocity_km_s, b.covariance_rtn_m2,
        )
        assert abs(np.linalg.norm(miss_m) - w.miss_km * 1e3) < 1.0
        assert abs(float(cdm.header_value("MISS_DISTANCE") or 0) - w.miss_km * 1e3) < 1e-3
        assert [o.get("REF_FRAME") for o in cdm.objects] == ["ITRF", "ITRF"]  # CDM 1.0 frames only
        assert [o.get("OBJECT_DESIGNATOR") for o in cdm.objects] == [w.asset_id, w.other_id]


def test_own_and_shared_cdms_carry_the_banner_and_the_items_marking(game: ExerciseService) -> None:
    state = game.state(EX)
    usa = [w for w in state.nations["USA"].warnings if w.kind == "conjunction"]
    assert usa, "USA warns on its ISR satellite in move 1"
    warning_id = usa[0].id
    assert warning_id is not None
    own = parse_cdm(cdm_for(state, "team:USA", warning_id).text)
    assert own.comments[:2] == [state.scenario.marking, "RELEASABILITY NOFORN"]
    assert (own.header_value("ORIGINATOR"), own.header_value("MESSAGE_FOR")) == ("USA", "USA")
    assert own.header_value("MESSAGE_ID") == f"{EX}_{warning_id}_USA"
    assert own.header_value("CREATION_DATE") == state.move_start(1).strftime("%Y-%m-%dT%H:%M:%S.000")
    shared_text = cdm_for(state, "team:GBR", warning_id).text
    shared = parse_cdm(shared_text)
    assert shared.comments[:3] == [
        state.scenario.marking, "RELEASABILITY REL GBR", "Received by GBR through USA's warnings product",
    ]
    assert (shared.header_value("ORIGINATOR"), shared.header_value("MESSAGE_FOR")) == ("USA", "GBR")
    assert [o.fields for o in shared.objects] == [o.fields for o in own.objects]  # the same estimate
    assert shared_text == cdm_for(state, "team:GBR", warning_id).text  # deterministic


def test_only_those_who_hold_a_warning_get_its_cdm(game: ExerciseService) -> None:
    state = game.state(EX)
    usa_id = next(w.id for w in state.nations["USA"].warnings if w.kind == "conjunction")
    pol_id = next(w.id for w in state.nations["POL"].warnings if w.kind == "conjunction")
    assert usa_id is not None and pol_id is not None
    refusals = []
    for viewer, warning_id, receiver in (
        ("team:FRA", usa_id, None),  # another team's warning
        ("team:GBR", pol_id, None),  # POL shares nothing
        ("team:FRA", "W-0000000000", None),  # no such warning
        ("team:GBR", usa_id, "USA"),  # a team asks for another's copy
        ("observer", usa_id, None),
        ("white_cell", usa_id, "FRA"),  # FRA holds no copy
    ):
        with pytest.raises(CdmRefused) as refused:
            cdm_for(state, viewer, warning_id, receiver)
        refusals.append((refused.value.status, refused.value.code, refused.value.message))
    assert {r[:2] for r in refusals} == {(404, "not_found")}
    assert len({r[2] for r in refusals}) == 1  # the message names no warning, so tells nothing
    for viewer in ("white_cell", "facilitator"):
        assert parse_cdm(cdm_for(state, viewer, usa_id).text).header_value("MESSAGE_FOR") == "USA"
        gbr_copy = parse_cdm(cdm_for(state, viewer, usa_id, "GBR").text)
        assert gbr_copy.header_value("MESSAGE_FOR") == "GBR" and "RELEASABILITY REL GBR" in gbr_copy.comments
        assert parse_cdm(cdm_for(state, viewer, pol_id).text).header_value("ORIGINATOR") == "POL"


def test_a_scripted_conjunction_warning_has_a_cdm_at_its_declared_miss() -> None:
    inject = Inject(
        id="i1", title="t", type=InjectType.CONJUNCTION, target="USA-LEO", actor=None,
        params={"secondary": "DEB-1", "miss_km": 0.2, "tca_offset_hours": 2.0},
    )
    state = make_state(injects=(inject,))
    warnings = [e for e in adjudicate(state) if isinstance(e, ConjunctionWarning) and e.nation == "USA"]
    scripted = [w for w in warnings if w.other_id == "DEB-1"]
    assert len(scripted) == 1
    w = scripted[0]
    assert w.estimate is not None and w.id is not None
    again = [e for e in adjudicate(state) if isinstance(e, ConjunctionWarning) and e.id == w.id]
    assert again == [w]  # the same move adjudicated again gives the same warning, states and id
    copy = Warning(
        kind="conjunction", nation="USA", asset_id=w.asset_id, other_id=w.other_id, move=state.move,
        miss_km=w.miss_km, pc=w.pc, id=w.id, tca=w.tca,
    )
    cdm = warning_cdm(state, copy, w.estimate, "USA")
    assert foster_pc(cdm) == pytest.approx(w.pc, rel=ROUND_TRIP_PC_REL)
    assert parse_cdm(render_cdm(state, copy, w.estimate, "USA")).header == cdm.header
    assert cdm.header_value("TCA") == w.tca.strftime("%Y-%m-%dT%H:%M:%S.000")


def test_a_warnings_cdm_in_xml_is_conformant_and_gives_the_same_pc(game: ExerciseService) -> None:
    import warnings as python_warnings

    from wargame.adjudication.cdm_xml import missing_keywords

    state = game.state(EX)
    holder, w = next((n, w) for n, s in state.nations.items() for w in s.warnings if w.kind == "conjunction")
    assert w.id is not None and w.pc is not None
    document = cdm_for(state, f"team:{holder}", w.id, fmt="xml")
    assert document.filename.endswith(".xml") and document.content_type.startswith("application/xml")
    kvn = parse_cdm(cdm_for(state, f"team:{holder}", w.id).text)
    xml = parse_cdm(document.text)
    assert missing_keywords(xml) == [] and missing_keywords(kvn) == []
    assert [o.fields for o in xml.objects] == [o.fields for o in kvn.objects]
    assert xml.keyed_header() == kvn.keyed_header()
    assert foster_pc(xml) == pytest.approx(w.pc, rel=ROUND_TRIP_PC_REL)
    ccsds_ndm = pytest.importorskip("ccsds_ndm.ndm_io")  # an independent reader (dev dependency)
    with python_warnings.catch_warnings():
        python_warnings.simplefilter("error")  # any value it cannot type is a failure
        parsed = ccsds_ndm.NdmIo().from_string(document.text)
    assert parsed.body.segment[0].metadata.ref_frame.value == "ITRF"
    assert parsed.header.message_id == f"{EX}_{w.id}_{holder}"
    with pytest.raises(CdmRefused) as refused:
        cdm_for(state, f"team:{holder}", w.id, fmt="pdf")
    assert refused.value.status == 400
