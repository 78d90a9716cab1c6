"""Synthetic staged person records with known truth, full of the hard cases resolution must get right.

Used by the tests and by bench/resolve.py when no simulated city is at hand: homonyms (many 张伟), homophone typos
(张/章, 伟/玮), one wrong or swapped ID digit, upgraded 15-digit IDs, one ID recorded on two people, twins, household
members, records without an ID, day and month swapped. Truth: ``true_entity_id`` per record.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

import pyarrow as pa
from pypinyin import lazy_pinyin

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SURNAMES = "张张张张王王王李李李刘陈杨黄赵周吴徐孙胡朱高林何郭马罗"
_GIVEN = "伟伟伟伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅鹏飞建国志文斌辉"
_HOMOPHONES = {"张": "章", "伟": "玮", "芳": "方", "静": "晶", "丽": "莉", "军": "君", "明": "鸣", "华": "化"}
_REGIONS = ("429004", "429004", "429004", "422401", "422427")
_TOWNSHIPS = tuple(f"429004{n:03d}" for n in (1, 2, 3, 4, 101, 102, 103, 104))


def check_char(first17: str) -> str:
    """GB 11643 check character of the first 17 digits."""
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def citizen_id(region: str, birth: dt.date, seq: int) -> str:
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + check_char(body)


@dataclass
class TruePerson:
    pid: str
    name: str
    sex: str
    birth: dt.date
    cid: str
    phone: str | None
    household: str
    address_key: str
    township: str
    community: str
    category: str = "01"
    deceased: bool = False


@dataclass
class PersonCityFactory:
    """Builds true people and their noisy records in the three systems."""

    seed: int = 7
    people: list[TruePerson] = field(default_factory=list)
    rows: list[dict[str, object]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self._seq: dict[tuple[str, dt.date], int] = {}

    def _birth(self) -> dt.date:
        return dt.date(1940, 1, 1) + dt.timedelta(days=self.rng.randrange(0, 365 * 65))

    def _new_id(self, region: str, birth: dt.date, sex: str) -> str:
        seq = self._seq.get((region, birth), self.rng.randrange(10, 400))
        if (seq % 2 == 1) != (sex == "1"):
            seq += 1
        self._seq[(region, birth)] = seq + 2
        return citizen_id(region, birth, seq)

    def person(self, household: TruePerson | None = None, **overrides: object) -> TruePerson:
        rng = self.rng
        sex = str(overrides.pop("sex", rng.choice("12")))
        birth = overrides.pop("birth", None) or self._birth()
        assert isinstance(birth, dt.date)
        surname = household.name[0] if household and rng.random() < 0.8 else rng.choice(_SURNAMES)
        name = str(
            overrides.pop("name", surname + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2)))))
        )
        p = TruePerson(
            pid=f"T{len(self.people):06d}",
            name=name,
            sex=sex,
            birth=birth,
            cid=self._new_id(rng.choice(_REGIONS), birth, sex),
            phone=f"13{rng.randrange(100000000, 999999999)}" if rng.random() < 0.9 else None,
            household=household.household if household else f"H{rng.randrange(10**7, 10**8)}",
            address_key=household.address_key if household else f"addr:{rng.randrange(10**6)}",
            township=household.township if household else rng.choice(_TOWNSHIPS),
            community=household.community if household else f"社区{rng.randrange(50)}",
        )
        for key, value in overrides.items():
            setattr(p, key, value)
        self.people.append(p)
        return p

    def twins(self, head: TruePerson) -> tuple[TruePerson, TruePerson]:
        """Same birth date, surname, address and phone; IDs one sequence step apart; given names one char apart."""
        birth = self._birth()
        given = self.rng.choice(_GIVEN)
        a = self.person(head, birth=birth, name=head.name[0] + given + "一", sex="1", phone=head.phone)
        b = self.person(head, birth=birth, name=head.name[0] + given + "二", sex="1", phone=head.phone)
        return a, b

    def record(self, p: TruePerson, system: str, n: int, **noise: object) -> dict[str, object]:
        name = str(noise.get("name", p.name))
        cid = noise.get("cid", p.cid)
        status = noise.get("status", "valid" if cid else "missing")
        birth = noise.get("birth", p.birth)
        row: dict[str, object] = {
            "source_system": system,
            "source_table": {"police": "HJRK", "grid": "JC_RK", "civil": "mz_person"}[system],
            "record_key": f"{system[0]}{n:07d}",
            "load_id": "L1",
            "updated_at": dt.datetime(2026, 1, 1) + dt.timedelta(minutes=n),
            "citizen_id": cid,
            "citizen_id_status": status,
            "name": name,
            "name_pinyin": " ".join(lazy_pinyin(name)),
            "surname": name[0],
            "given_name": name[1:],
            "sex": p.sex,
            "birth_date": birth,
            "birth_date_precision": "day",
            "phone": noise.get("phone", p.phone),
            "household_no": p.household if system == "police" or self.rng.random() < 0.5 else None,
            "township_code": p.township,
            "community": p.community,
            "address_key": p.address_key if self.rng.random() < 0.9 else None,
            "category": p.category,
            "ethnicity": "01",
            "is_deceased": bool(noise.get("deceased", p.deceased)),
            "true_entity_id": p.pid,
        }
        row["phones"] = [row["phone"]] if row["phone"] else None
        self.rows.append(row)
        return row

    def noisy_record(self, p: TruePerson, system: str) -> None:
        """A record with the kinds and rates of damage the legacy systems show."""
        rng = self.rng
        noise: dict[str, object] = {}
        roll = rng.random()
        if system != "police" and roll < 0.15:
            noise.update(cid=None, status="missing")
        elif roll < 0.20:
            noise.update(cid=_wrong_digit(p.cid, rng), status="bad_check")
        elif roll < 0.24:
            noise.update(cid=_swap_digits(p.cid, rng), status="bad_check")
        elif roll < 0.28:
            noise.update(status="upgraded")
        roll = rng.random()
        if roll < 0.06:
            noise["name"] = "".join(_HOMOPHONES.get(c, c) for c in p.name)
        elif roll < 0.09 and len(p.name) > 2:
            noise["name"] = p.name[:-1] + rng.choice(_GIVEN)
        if rng.random() < 0.05 and p.birth.day <= 12 and p.birth.day != p.birth.month:
            noise["birth"] = p.birth.replace(month=p.birth.day, day=p.birth.month)
        if rng.random() < 0.15:
            noise["phone"] = None
        self.record(p, system, len(self.rows), **noise)


def _wrong_digit(cid: str, rng: random.Random) -> str:
    i = rng.randrange(14, 17)
    return cid[:i] + str((int(cid[i]) + rng.randrange(1, 10)) % 10) + cid[i + 1 :]


def _swap_digits(cid: str, rng: random.Random) -> str:
    for _ in range(10):
        i = rng.randrange(6, 16)
        if cid[i] != cid[i + 1]:
            return cid[:i] + cid[i + 1] + cid[i] + cid[i + 2 :]
    return _wrong_digit(cid, rng)


def synthetic_people(households: int = 120, seed: int = 7) -> tuple[pa.Table, list[TruePerson]]:
    """Staged person records (person input contract plus ``true_entity_id``) and the true people behind them."""
    f = PersonCityFactory(seed=seed)
    for h in range(households):
        head = f.person()
        members = [head] + [f.person(head) for _ in range(f.rng.choice((0, 1, 2, 3)))]
        if h % 10 == 0:
            members.extend(f.twins(head))
        if h % 7 == 0:
            members.append(f.person(name="张伟", sex="1"))
        if h % 25 == 0:
            members.append(f.person(head, category="02"))
        for p in members:
            systems = ["grid"] if p.category == "02" else ["police", "grid"]
            if f.rng.random() < 0.3:
                systems.append("civil")
            if f.rng.random() < 0.08:
                systems.append("grid")
            for system in systems:
                f.noisy_record(p, system)
    _one_id_on_two_people(f)
    _deceased_conflict(f)
    return pa.Table.from_pylist(f.rows), f.people


def _one_id_on_two_people(f: PersonCityFactory) -> None:
    """A grid clerk typed someone else's (valid) ID into another person's record."""
    donors, takers = f.people[3::40], f.people[17::40]
    for donor, taker in zip(donors, takers, strict=False):
        if donor.name != taker.name and donor.birth != taker.birth:
            f.record(taker, "grid", len(f.rows), cid=donor.cid, status="valid")


def _deceased_conflict(f: PersonCityFactory) -> None:
    for p in f.people[5::60]:
        f.record(p, "civil", len(f.rows), deceased=True)
