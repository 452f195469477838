"""Manoeuvre orders and events in three directions, and the logs written before they had them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from wargame.domain.events import ManoeuvreExecuted, OrderSubmitted
from wargame.domain.orders import ManoeuvreOrder
from wargame.domain.scenario_model import KeplerianOrbit

ORBIT = KeplerianOrbit(
    kind="keplerian",
    epoch=datetime(2027, 3, 1, tzinfo=UTC),
    semi_major_axis_km=7000.0,
    eccentricity=0.001,
    inclination_deg=98.0,
    raan_deg=0.0,
    arg_perigee_deg=0.0,
    mean_anomaly_deg=0.0,
)


def test_components_and_norm() -> None:
    order = ManoeuvreOrder.model_validate(
        {"kind": "manoeuvre", "asset_id": "sat", "dv_m_per_s": 4.0, "dv_radial_m_per_s": -12.0,
         "dv_cross_track_m_per_s": 3.0}
    )
    assert order.dv_rtn_m_per_s == (-12.0, 4.0, 3.0)
    assert order.dv_norm_m_per_s == 13.0
    assert ManoeuvreOrder(kind="manoeuvre", asset_id="sat", dv_m_per_s=-2.5).dv_norm_m_per_s == 2.5


@pytest.mark.parametrize("field", ["dv_m_per_s", "dv_radial_m_per_s", "dv_cross_track_m_per_s"])
def test_each_component_has_the_same_bounds(field: str) -> None:
    data = {"kind": "manoeuvre", "asset_id": "sat", "dv_m_per_s": 1.0, field: 1000.5}
    with pytest.raises(ValidationError) as info:
        ManoeuvreOrder.model_validate(data)
    assert [e["loc"] for e in info.value.errors()] == [(field,)]


def test_an_along_track_order_dumps_as_before_the_new_components() -> None:
    """Logs written before the radial and cross-track components existed must keep their hashes."""
    old_json = {"kind": "manoeuvre", "asset_id": "sat", "dv_m_per_s": 0.5, "purpose": "evasion"}
    order = ManoeuvreOrder.model_validate(old_json)
    assert order.model_dump(mode="json") == old_json
    submitted = OrderSubmitted(nation="USA", order_id="o1", order=order, reason="r")
    assert submitted.model_dump(mode="json")["order"] == old_json
    executed = ManoeuvreExecuted(
        asset_id="sat", owner="USA", dv_m_per_s=0.5, orbit=ORBIT, propellant_dv_m_per_s=9.5
    )
    assert "dv_radial_m_per_s" not in json.loads(executed.model_dump_json())
    burned = executed.model_copy(update={"dv_radial_m_per_s": 1.0, "dv_cross_track_m_per_s": -2.0})
    dumped = burned.model_dump(mode="json")
    assert (dumped["dv_radial_m_per_s"], dumped["dv_cross_track_m_per_s"]) == (1.0, -2.0)
    assert ManoeuvreExecuted.model_validate(dumped) == burned
