"""Scale and noise of the simulated city: the one typed place where every rate lives."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class NoiseConfig:
    """How dirty the legacy systems are. Each rate is the share of the records of the system that shows the fault."""

    grid_coverage: float = 0.90
    """Share of the people actually living in the city that the grid platform holds."""
    police_migrant_coverage: float = 0.85
    """Share of migrants registered with the police (LDRK)."""
    grid_duplicate: float = 0.02
    """Residents registered twice in the grid platform under another RYBH."""
    grid_place_duplicate: float = 0.01
    """Houses and organizations entered twice in the grid platform."""
    grid_facility_duplicate: float = 0.03
    """Devices (cameras, fire equipment) entered twice in the grid platform's JC_SS, with the same device code."""
    civil_duplicate: float = 0.005
    grid_stale_address: float = 0.5
    """Share of the people who moved house whose grid record still shows the address before the move."""
    grid_stale_dead: float = 0.6
    """Share of the dead whose grid record was never cancelled."""
    name_typo: float = 0.015
    """Homophone or similar-character typo in a name (张/章, 王/汪)."""
    name_format: float = 0.01
    """Annotation, inner space or separator variant in a name."""
    id_damage: float = 0.06
    """Any damage to a citizen ID in the grid platform (the kinds are drawn evenly)."""
    id_missing: float = 0.01
    id_shared: float = 0.002
    """The same ID written on two different people."""
    civil_id_damage: float = 0.01
    date_format_mix: float = 0.35
    """Birth dates in the grid platform written in a format other than YYYY-MM-DD."""
    date_placeholder: float = 0.01
    sex_variant: float = 0.3
    """Sex written other than 男/女; a fifth of these come from the 0 = male legacy import."""
    ethnicity_variant: float = 0.4
    placeholder: float = 0.02
    """Placeholder text (无 不详 未知 - NULL ？) instead of a value in optional grid fields."""
    phone_variant: float = 0.3
    phone_dummy: float = 0.02
    address_variant: float = 0.3
    """Address text with the province prefix dropped or changed, an old township name, 栋/幢 variants."""
    birth_conflict: float = 0.01
    """Civil-affairs birth date that disagrees with the true one."""
    credit_code_damage: float = 0.05
    zero_date: float = 0.005
    """Grid DJSJ holding the MariaDB zero date 0000-00-00 00:00:00."""
    hard_delete: float = 0.1
    """Share of cancelled grid duplicates that an operator hard-deletes during advance."""
    police_double_report: float = 0.15
    """Share of grid disputes and complaints that a party also reports to the police (a JQ incident of the same event)."""


@dataclass(frozen=True)
class CityConfig:
    """Scale and start of the simulated city."""

    people: int = 5_000
    seed: int = 1
    start_date: dt.date = dt.date(2026, 1, 5)
    migrant_share: float = 0.15
    foreigner_share: float = 0.001
    people_per_org: int = 60
    people_per_grid: int = 900
    vehicles_per_adult: float = 0.3
    events_per_person: float = 0.05
    """Events (disputes, requests, incidents, hazards) of the last two years per resident."""
    dead_share: float = 0.006
    """People who died during the last two years (still in some systems)."""
    noise: NoiseConfig = field(default_factory=NoiseConfig)

    def with_noise(self, **rates: float) -> CityConfig:
        return dataclasses.replace(self, noise=dataclasses.replace(self.noise, **rates))


@dataclass(frozen=True)
class LifeRates:
    """Yearly rates per resident that drive ``simulate advance`` (Hubei, 2020s), and daily operator activity."""

    births: float = 0.008
    deaths: float = 0.007
    moves: float = 0.02
    """Households moving house, per resident."""
    marriages: float = 0.006
    arrivals: float = 0.01
    """Migrants arriving and registering."""
    event_step: float = 0.25
    """Daily chance that an open event moves one step along its workflow."""
    grid_corrections: float = 0.0005
    """Daily share of residents whose grid row an operator retypes (true name and ID)."""
    grid_dedup: float = 0.0002
    """Daily share of residents whose duplicate grid row is cleaned up (cancelled or hard-deleted)."""
    vehicles: float = 0.02
    """New vehicle registrations per resident."""
    vehicle_transfers: float = 0.01
    """Vehicles transferred out of the city (机动车状态 A -> E), per vehicle."""
    welfare_changes: float = 0.002
    """Daily chance that an open welfare case closes; as many temporary-relief cases open."""

    def scaled(self, factor: float) -> LifeRates:
        """Every rate times ``factor`` (tests use a busy city to see each kind of change in a few days)."""
        return LifeRates(**{f.name: getattr(self, f.name) * factor for f in dataclasses.fields(self)})
