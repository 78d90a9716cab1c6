"""Things of the true city: vehicles with 鄂M plates, devices (雪亮工程 cameras, fire equipment) and hazards."""

from __future__ import annotations

import numpy as np
import pandas as pd

from schemas import codes
from simulator import ids

# thing_type, plate type (GA 36), share of vehicles
_VEHICLES = (("vehicle_car", "02", 0.80), ("vehicle_ne", "52", 0.10), ("vehicle_truck", "01", 0.04),
             ("vehicle_motorcycle", "07", 0.06))  # fmt: skip
_BRANDS = ("大众牌FV7152", "丰田牌TV7201", "别克牌SGM7151", "东风日产牌DFL7160", "比亚迪牌BYD7005BEV", "五菱牌LZW6446",
           "长安牌SC7164", "吉利牌JL7152", "东风牌DFH1180", "雅迪牌YD125")  # fmt: skip
_COLORS = ("白", "黑", "银", "灰", "红", "蓝")


def vehicles(
    rng: np.random.Generator, n: int, adults: pd.DataFrame, orgs: pd.DataFrame, today: np.datetime64
):
    shares = np.array([v[2] for v in _VEHICLES])
    kind = rng.choice(len(_VEHICLES), size=n, p=shares)
    ne = kind == 1
    plates = np.empty(n, dtype=object)
    if (~ne).any():
        plates[~ne] = ids.ordinary_plates(rng, int((~ne).sum()))
    if ne.any():
        plates[ne] = ids.new_energy_plates(rng, int(ne.sum()))
    by_org = rng.random(n) < 0.05
    owner = adults.iloc[rng.integers(0, len(adults), n)]
    org = orgs.iloc[rng.integers(0, len(orgs), n)]
    return pd.DataFrame(
        {
            "thing_type": np.array([v[0] for v in _VEHICLES])[kind],
            "kind": "vehicle",
            "plate": plates,
            "plate_type": np.array([v[1] for v in _VEHICLES])[kind],
            "device_code": None,
            "name": rng.choice(_BRANDS, n),
            "color": rng.choice(_COLORS, n),
            "owner_person_id": np.where(by_org, None, owner["person_id"].to_numpy()),
            "owner_org_id": np.where(by_org, org["org_id"].to_numpy(), np.array(None)),
            "house_id": np.where(by_org, org["house_id"].to_numpy(), owner["house_id"].to_numpy()),
            "grid_code": np.where(by_org, org["grid_code"].to_numpy(), owner["grid_code"].to_numpy()),
            "status": rng.choice(np.array(["A", "E", "G"]), n, p=[0.97, 0.02, 0.01]),
            "registered_on": today - rng.integers(10, 365 * 18, n).astype("timedelta64[D]"),
        }
    )


def devices_and_hazards(
    rng: np.random.Generator, grids: pd.DataFrame, houses: pd.DataFrame, today: np.datetime64
):
    """Cameras and hydrants in every grid, fire equipment and hazards at some houses."""
    g = len(grids)
    cams = rng.integers(3, 9, g)
    hyd = rng.integers(1, 4, g)
    gi = np.concatenate([np.repeat(np.arange(g), cams), np.repeat(np.arange(g), hyd)])
    dtype = np.concatenate([np.full(cams.sum(), "camera"), np.full(hyd.sum(), "hydrant")])
    at = rng.random(len(houses))
    fire = np.flatnonzero(at < 0.01)
    hazard = np.flatnonzero(at > 0.996)
    grid_of = grids["grid_code"].to_numpy()
    h = houses
    frame = pd.DataFrame(
        {
            "thing_type": np.concatenate(
                [dtype, np.full(len(fire), "fire_equipment"),
                 rng.choice(np.array(["hazard_fire", "hazard_chemical", "hazard_building"]), len(hazard))]
            ),
            "grid_code": np.concatenate([grid_of[gi], h["grid_code"].to_numpy()[fire], h["grid_code"].to_numpy()[hazard]]),
            "house_id": np.concatenate([np.full(len(gi), None), h["house_id"].to_numpy()[fire], h["house_id"].to_numpy()[hazard]]),
            "street": np.concatenate([np.full(len(gi), None), h["street"].to_numpy()[fire], h["street"].to_numpy()[hazard]]),
        }
    )  # fmt: skip
    n = len(frame)
    frame["kind"] = np.where(frame["thing_type"].str.startswith("hazard"), "hazard", "device")
    serial = np.char.zfill(np.arange(1, n + 1).astype("U6"), 6)
    camera = frame["thing_type"].to_numpy() == "camera"
    frame["device_code"] = np.select(
        [camera, frame["kind"].to_numpy() == "device"],
        [np.char.add("4290040000" + "132" + "0", serial), np.char.add("XF4290", np.char.zfill(serial, 6))],
        np.array(None),
    )
    frame["device_code"] = np.where(frame["kind"] == "device", frame["device_code"], np.array(None))
    frame["status"] = np.where(
        frame["kind"] == "hazard",
        rng.choice(np.array(["未整改", "整改中", "已整改"]), n),
        rng.choice(np.array(["正常", "故障", "停用"]), n, p=[0.9, 0.07, 0.03]),
    )
    frame["registered_on"] = today - rng.integers(10, 365 * 8, n).astype("timedelta64[D]")
    label = frame["thing_type"].map(codes.names("thing_type"))
    place = frame["street"].fillna(frame["grid_code"].map(grids.set_index("grid_code")["name"]))
    frame["name"] = place + label + pd.Series(np.arange(n) % 97 + 1).astype(str) + "号"
    return frame.drop(columns="street")
