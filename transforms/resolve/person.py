"""Person resolution: citizen-ID links guarded by name and birth date, Splink for the rest, guarded clustering.

A full run scores every blocked pair; an incremental run (state present, few records changed) scores only pairs that
touch new or changed records and re-clusters only the entities those records belonged to or now link to.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import duckdb

from transforms.resolve import person_model
from transforms.resolve.calibrate import Calibration, calibrate
from transforms.resolve.graph import connected_components, split_rival_anchors
from transforms.resolve.identity import assign_ids, id_history_sql
from transforms.resolve.inputs import PERSON_CONTRACT, check_staged, conformed_sql, staged_columns
from transforms.resolve.person_features import hard_negative_sql, person_features_sql, same_person_guard_sql
from transforms.resolve.state import ResolveState

log = logging.getLogger(__name__)

# Above this share of new or changed records a full run is as cheap as an incremental one, and safer.
INCREMENTAL_LIMIT = 0.3
ID_RULE_WEIGHT = 30.0
# Below this many records EM has too few pairs to learn from: only the guarded citizen-ID links are used.
MIN_RECORDS_FOR_MODEL = 50
NO_MODEL = Calibration(1.0, 1.0, 0.0, 0.0, 0)
# Above any name match weight: a guarded citizen-ID link ranks first when a cluster is split.
NAME_LEVEL_ID = 99
# When a cluster holding two valid IDs is split, the people in it usually share birth date, address, phone and
# household (twins, family): the name is what tells them apart, so a record joins the part its name agrees with
# best, and only then the part with the heaviest match weight.
SPLIT_RANK = "[name_level::DOUBLE, weight]"


@dataclass(frozen=True)
class PersonRun:
    records: int
    entities: int
    mode: str
    calibration: Calibration
    changed_records: int
    split_clusters: int
    phase_seconds: dict[str, float]


def fingerprint_sql(conformed: str) -> str:
    """The conformed records with a digest of every column of each: it changes when anything in the record does.

    Every column, not only the contract's: golden fields such as the current address or welfare flags come from
    the staged extras, and an incremental run takes over the golden record of every entity none of whose records
    changed. A 64-bit hash of the whole row (a change hidden by a collision: about 1 in 10^19 per changed record);
    the md5 of the row as text cost 10 s at 1.2 M residents.
    """
    return f"SELECT *, hash(_rec) AS fingerprint FROM ({conformed}) _rec"


def id_edges_sql(features: str, changed: str | None = None) -> str:
    """Pairs sharing a valid citizen ID whose names or birth dates agree (the guard)."""
    touch = f"AND (l.record_id IN (SELECT record_id FROM {changed}) OR r.record_id IN (SELECT record_id FROM {changed}))"
    return f"""
        SELECT l.record_id AS a, r.record_id AS b, 'citizen_id' AS rule, {ID_RULE_WEIGHT} AS weight,
               1.0 AS match_probability, {NAME_LEVEL_ID} AS name_level
        FROM {features} l JOIN {features} r ON l.usable_id = r.usable_id AND l.record_id < r.record_id
        WHERE {same_person_guard_sql()} {touch if changed else ""}
    """


def model_edges_sql(predictions: str, features: str, threshold: float) -> str:
    """Splink pairs at or above the threshold, minus the hard negatives (twins, one ID on two people)."""
    return f"""
        SELECT DISTINCT least(p.record_id_l, p.record_id_r) AS a, greatest(p.record_id_l, p.record_id_r) AS b,
               'probabilistic' AS rule, p.match_weight AS weight, p.match_probability, p.mw_name AS name_level
        FROM {predictions} p
        JOIN {features} l ON l.record_id = p.record_id_l
        JOIN {features} r ON r.record_id = p.record_id_r
        WHERE p.match_probability >= {threshold} AND p.record_id_l <> p.record_id_r
          AND NOT coalesce({hard_negative_sql()}, FALSE)
          AND NOT coalesce(l.usable_id = r.usable_id, FALSE)
    """


def prepare(con: duckdb.DuckDBPyConnection, staged: str) -> int:
    check_staged(con, "person", staged)
    conformed = conformed_sql(PERSON_CONTRACT, staged_columns(con, staged), staged)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE rp_person AS {person_features_sql(fingerprint_sql(conformed))}
    """)
    row = con.execute("SELECT count(*) FROM rp_person").fetchone()
    return int(row[0]) if row else 0


def _trained_linker(
    con: duckdb.DuckDBPyConnection, state: ResolveState, u_pairs: float, retrain: bool
) -> object:
    if state.person_model.exists() and not retrain:
        return person_model.make_linker(con, "rp_person", state.person_model)
    linker = person_model.make_linker(con, "rp_person")
    person_model.train(linker, u_pairs=u_pairs)
    person_model.save(linker, state.person_model)
    return linker


def _full_edges(con: duckdb.DuckDBPyConnection, linker: object | None, state: ResolveState) -> Calibration:
    if linker is None:
        con.execute(f"CREATE OR REPLACE TEMP TABLE rp_person_edges AS {id_edges_sql('rp_person')}")
        return NO_MODEL
    predictions = linker.inference.predict(threshold_match_probability=0.001, warning_mode="never")  # type: ignore[attr-defined]
    cal = calibrate(con, predictions.physical_name)
    state.write_json(state.person_calibration, cal.__dict__)
    log.info(
        "person threshold %.3f (expected precision %.4f, recall %.4f over %d candidate pairs)",
        cal.threshold,
        cal.expected_precision,
        cal.expected_recall,
        cal.candidate_pairs,
    )
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE rp_person_edges AS
        {id_edges_sql("rp_person")} UNION ALL {model_edges_sql(predictions.physical_name, "rp_person", cal.threshold)}
    """)
    predictions.drop_table_from_database_and_remove_from_cache()
    return cal


def _incremental_edges(
    con: duckdb.DuckDBPyConnection, linker: object | None, state: ResolveState
) -> Calibration:
    """Old edges that touch no changed record, plus fresh edges of the changed records against everyone."""
    kept = """
        SELECT * FROM rp_prev_edges
        WHERE a NOT IN (SELECT record_id FROM rp_gone) AND b NOT IN (SELECT record_id FROM rp_gone)
    """
    if linker is None:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE rp_person_edges AS {kept} "
            f"UNION ALL {id_edges_sql('rp_person', 'rp_changed')}"
        )
        return NO_MODEL
    saved = state.read_json(state.person_calibration) or {}
    cal = Calibration(**saved) if saved else Calibration(0.9, 0, 0, 0, 0)
    db_api = linker._db_api  # type: ignore[attr-defined]
    linker.table_management.compute_tf_table("name")  # type: ignore[attr-defined]
    con.execute(
        "CREATE OR REPLACE TEMP TABLE rp_person_changed AS "
        "SELECT * FROM rp_person WHERE record_id IN (SELECT record_id FROM rp_changed)"
    )
    changed = db_api.register("rp_person_changed")
    everyone = db_api.register("rp_person")
    predictions = linker.inference.predict_between(  # type: ignore[attr-defined]
        changed, everyone, threshold_match_probability=cal.threshold, warning_mode="never"
    )
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE rp_person_edges AS
        {kept}
        UNION ALL {id_edges_sql("rp_person", "rp_changed")}
        UNION ALL {model_edges_sql(predictions.physical_name, "rp_person", cal.threshold)}
    """)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE rp_person_edges AS SELECT DISTINCT ON (a, b) * FROM rp_person_edges"
    )
    predictions.drop_table_from_database_and_remove_from_cache()
    return cal


def _changes(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """rp_changed: new or modified records; rp_gone: records gone or modified (their old edges are void)."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE rp_changed AS
        SELECT record_id FROM rp_person p
        WHERE NOT EXISTS (SELECT 1 FROM rp_prev_ids o WHERE o.record_id = p.record_id AND o.fingerprint = p.fingerprint)
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE rp_gone AS
        SELECT record_id FROM rp_prev_ids o
        WHERE NOT EXISTS (SELECT 1 FROM rp_person p WHERE o.record_id = p.record_id AND o.fingerprint = p.fingerprint)
    """)
    changed = con.execute("SELECT count(*) FROM rp_changed").fetchone()
    gone = con.execute("SELECT count(*) FROM rp_gone").fetchone()
    return (int(changed[0]) if changed else 0, int(gone[0]) if gone else 0)


def _touched_nodes_sql() -> str:
    """Records whose cluster must be recomputed: changed ones, members of the entities they were in or now link to."""
    return """
        WITH hit AS (
            SELECT record_id FROM rp_changed UNION SELECT record_id FROM rp_gone
            UNION SELECT a FROM rp_person_edges WHERE a IN (SELECT record_id FROM rp_changed)
                                                   OR b IN (SELECT record_id FROM rp_changed)
            UNION SELECT b FROM rp_person_edges WHERE a IN (SELECT record_id FROM rp_changed)
                                                   OR b IN (SELECT record_id FROM rp_changed)
        ),
        hit_entities AS (SELECT DISTINCT entity_id FROM rp_prev_ids WHERE record_id IN (SELECT record_id FROM hit))
        SELECT record_id AS node FROM rp_person
        WHERE record_id IN (SELECT record_id FROM rp_changed)
           OR record_id IN (SELECT record_id FROM rp_prev_ids WHERE entity_id IN (SELECT entity_id FROM hit_entities))
    """


def touched_entities_sql() -> str:
    """Every entity id an incremental run may have changed: the ids its re-clustered records had and now have.

    Every other entity keeps its records, id, golden record and lineage rows as the last run left them.
    """
    return """
        SELECT entity_id FROM rp_prev_ids
        WHERE record_id IN (SELECT node FROM _rp_nodes) OR record_id IN (SELECT record_id FROM rp_gone)
        UNION SELECT entity_id FROM rp_person_ids WHERE record_id IN (SELECT node FROM _rp_nodes)
    """


def confirmed_names_sql(clusters: str) -> str:
    """Anchors for the second guard: a name (by pinyin, so homophone typos do not count) that at least two systems
    give within one cluster. Two such names in one cluster are two people (twins, family), not a typo."""
    return f"""
        WITH named AS (
            SELECT c.node, c.label, p.name_pinyin, count(DISTINCT p.source_system)
                       OVER (PARTITION BY c.label, p.name_pinyin) AS systems
            FROM {clusters} c JOIN rp_person p ON p.record_id = c.node
        )
        SELECT node, name_pinyin AS anchor FROM named WHERE systems >= 2 AND name_pinyin IS NOT NULL
    """


def _cluster(con: duckdb.DuckDBPyConnection, nodes: str) -> int:
    """Components, split first around rival valid IDs, then around rival confirmed names."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _rp_sub_edges AS
        SELECT * FROM rp_person_edges WHERE a IN (SELECT node FROM {nodes}) AND b IN (SELECT node FROM {nodes})
    """)
    connected_components(con, nodes, "_rp_sub_edges", "_rp_cc")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _rp_anchor AS
        SELECT record_id AS node, usable_id AS anchor FROM rp_person
        WHERE usable_id IS NOT NULL AND record_id IN (SELECT node FROM {nodes})
    """)
    by_id = split_rival_anchors(con, "_rp_cc", "_rp_anchor", "_rp_sub_edges", "_rp_by_id", SPLIT_RANK)
    con.execute("CREATE OR REPLACE TEMP TABLE _rp_rival_ids AS SELECT * FROM _rival_clusters")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _rp_names AS {confirmed_names_sql('_rp_by_id')}")
    by_name = split_rival_anchors(con, "_rp_by_id", "_rp_names", "_rp_sub_edges", "_rp_clusters", SPLIT_RANK)
    con.execute("CREATE OR REPLACE TEMP TABLE _rp_rival_names AS SELECT * FROM _rival_clusters")
    return by_id + by_name


def resolve_people(
    con: duckdb.DuckDBPyConnection,
    staged: str,
    state: ResolveState,
    *,
    run_id: str = "",
    u_pairs: float = 1e6,
    retrain: bool = False,
) -> PersonRun:
    """Resolve the staged person table; leaves ``rp_person``, ``rp_person_edges``, ``rp_person_ids`` and the
    clustering's tables behind for person_outputs, which releases them (``release_working_tables``)."""
    clock = _Clock()
    n = prepare(con, staged)
    clock.lap("prepare")
    # Splink's intermediate tables (millions of pairs) live in memory, not in the build's database file.
    with person_model.scratch_database(con):
        linker = None
        if n >= MIN_RECORDS_FOR_MODEL or (state.person_model.exists() and not retrain):
            linker = _trained_linker(con, state, u_pairs, retrain)
        else:
            log.warning("only %d person records: linking by citizen ID alone, no probabilistic model", n)
        clock.lap("train")
        has_prev = state.load(con, "person_ids", "rp_prev_ids") and state.load(
            con, "person_edges", "rp_prev_edges"
        )
        changed, gone = _changes(con) if has_prev else (n, 0)
        incremental = has_prev and not retrain and (changed + gone) <= INCREMENTAL_LIMIT * max(n, 1)
        if incremental:
            cal = _incremental_edges(con, linker, state)
            clock.lap("score")
            con.execute(f"CREATE OR REPLACE TEMP TABLE _rp_nodes AS {_touched_nodes_sql()}")
            splits = _cluster(con, "_rp_nodes")
            con.execute("""
                CREATE OR REPLACE TEMP TABLE _rp_clusters AS
                SELECT * FROM _rp_clusters
                UNION ALL
                SELECT o.record_id AS node, 'kept:' || o.entity_id AS label FROM rp_prev_ids o JOIN rp_person USING (record_id)
                WHERE o.record_id NOT IN (SELECT node FROM _rp_nodes)
            """)
        else:
            cal = _full_edges(con, linker, state)
            clock.lap("score")
            con.execute("CREATE OR REPLACE TEMP TABLE _rp_nodes AS SELECT record_id AS node FROM rp_person")
            splits = _cluster(con, "_rp_nodes")
    clock.lap("cluster")
    assign_ids(con, "person", "_rp_clusters", "rp_prev_ids" if has_prev else None, "rp_person_ids")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE rp_person_ids AS
        SELECT i.record_id, i.entity_id, p.fingerprint FROM rp_person_ids i JOIN rp_person p USING (record_id)
    """)
    if has_prev:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _hist_person AS "
            + id_history_sql("person", "rp_prev_ids", "rp_person_ids", run_id)
        )
    row = con.execute("SELECT count(DISTINCT entity_id) FROM rp_person_ids").fetchone()
    entities = int(row[0]) if row else 0
    state.save(con, "rp_person_ids", "person_ids")
    state.save(
        con, "(SELECT a, b, rule, weight, match_probability, name_level FROM rp_person_edges)", "person_edges"
    )
    if incremental:
        con.execute(f"CREATE OR REPLACE TEMP TABLE touched_person AS {touched_entities_sql()}")
    else:
        con.execute("DROP TABLE IF EXISTS touched_person")
    clock.lap("identify")
    mode = "incremental" if incremental else "full"
    log.info(
        "resolved %d person records into %d people (%s run, %d changed; %s)",
        n, entities, mode, changed, ", ".join(f"{k} {v:.1f}s" for k, v in clock.laps.items()),
    )  # fmt: skip
    return PersonRun(n, entities, mode, cal, changed, splits, clock.laps)


# What resolve_people leaves for person_outputs that nothing reads afterwards.
WORKING_TABLES = (
    "rp_person", "rp_person_edges", "rp_person_changed", "rp_prev_ids", "rp_prev_edges", "rp_changed", "rp_gone",
    "_rp_nodes", "_rp_sub_edges", "_rp_cc", "_rp_anchor", "_rp_by_id", "_rp_rival_ids", "_rp_names",
    "_rp_clusters", "_rp_rival_names",
)  # fmt: skip


def release_working_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the person run's working tables once its outputs are written: at 1.2 M residents they hold gigabytes
    the other kinds and the lineage tables would otherwise see spilled to disk."""
    for name in WORKING_TABLES:
        con.execute(f"DROP TABLE IF EXISTS temp.main.{name}")


class _Clock:
    """Seconds spent per phase, for the log and the benchmark."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = self.laps.get(name, 0.0) + now - self._last
        self._last = now
