"""The probabilistic person model (Splink 5, DuckDB backend): comparisons fit for Chinese records, blocking, training.

Trained without labels: u from random sampling, m by EM over two blocking passes (on citizen ID, then on name and
birth year), so each comparison is estimated at least once while not blocked on. The trained model is saved as JSON
and reused by incremental runs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from transforms.resolve.person_features import char_overlap_sql, chars_differing_sql, transposed_sql

log = logging.getLogger(__name__)


def _level(sql: str, label: str, **options: Any) -> Any:
    from splink.internals.comparison_level_library import CustomLevel

    level = CustomLevel(sql, label)
    return level.configure(**options) if options else level


def _comparison(name: str, levels: list[Any]) -> Any:
    from splink.internals.comparison_library import CustomComparison

    return CustomComparison(levels, output_column_name=name)


def name_comparison() -> Any:
    """Exact characters (with term frequencies: 张伟 is common), homophone, one changed character, shared characters."""
    return _comparison(
        "name",
        [
            _level("name_l IS NULL OR name_r IS NULL", "null", is_null_level=True),
            _level("name_l = name_r", "exact", tf_adjustment_column="name", tf_adjustment_weight=1.0),
            _level("name_pinyin_l = name_pinyin_r", "same pinyin (homophone)"),
            _level(
                f"surname_x_l = surname_x_r AND {chars_differing_sql('given_x_l', 'given_x_r')} = 1",
                "same surname, one given-name character differs",
            ),
            _level(f"{chars_differing_sql('name_l', 'name_r')} = 1", "one character differs"),
            _level(f"{char_overlap_sql('name_l', 'name_r')} >= 0.5", "half the characters shared"),
            _level("ELSE", "different"),
        ],
    )


def birth_comparison() -> Any:
    """Exact, day and month swapped, two of year/month/day equal, same year."""
    a, b = "birth_date_l", "birth_date_r"
    return _comparison(
        "birth_date",
        [
            _level(f"{a} IS NULL OR {b} IS NULL", "null", is_null_level=True),
            _level(f"{a} = {b}", "exact"),
            _level(transposed_sql(a, b), "day and month swapped"),
            _level(
                f"(year({a}) = year({b}))::INT + (month({a}) = month({b}))::INT + (day({a}) = day({b}))::INT = 2",
                "one of year, month, day differs",
            ),
            _level(f"abs(year({a}) - year({b})) <= 1", "within a year"),
            _level("ELSE", "different"),
        ],
    )


def citizen_id_comparison() -> Any:
    """Any 18-character ID, checked or not: exact, one wrong or swapped digit, same region+birth (6+8) prefix."""
    return _comparison(
        "citizen_id",
        [
            _level("citizen_id_l IS NULL OR citizen_id_r IS NULL", "null", is_null_level=True),
            _level("citizen_id_l = citizen_id_r", "exact"),
            # hamming() is cheap and settles nearly every pair before the costly damerau_levenshtein().
            _level(
                "CASE WHEN hamming(rpad(left(citizen_id_l, 18), 18, '_'), rpad(left(citizen_id_r, 18), 18, '_')) <= 2 "
                "THEN damerau_levenshtein(citizen_id_l, citizen_id_r) <= 1 ELSE FALSE END",
                "one digit wrong or two swapped",
            ),
            _level("id_prefix14_l = id_prefix14_r", "same region and birth date, other sequence"),
            _level("ELSE", "different"),
        ],
    )


def phone_comparison() -> Any:
    return _comparison(
        "phone",
        [
            _level("phone_list_l IS NULL OR phone_list_r IS NULL", "null", is_null_level=True),
            _level("phone_l = phone_r", "same first number"),
            _level("list_has_any(phone_list_l, phone_list_r)", "a number in common"),
            _level("ELSE", "different"),
        ],
    )


def household_comparison() -> Any:
    return _comparison(
        "household_no",
        [
            _level("household_no_l IS NULL OR household_no_r IS NULL", "null", is_null_level=True),
            _level("household_no_l = household_no_r", "same household"),
            _level("ELSE", "different"),
        ],
    )


def address_comparison() -> Any:
    return _comparison(
        "address",
        [
            _level(
                "(address_key_l IS NULL OR address_key_r IS NULL) AND (community_l IS NULL OR community_r IS NULL)",
                "null",
                is_null_level=True,
            ),
            _level("address_key_l = address_key_r", "same address"),
            _level("community_l = community_r AND township_code_l = township_code_r", "same community"),
            _level("township_code_l = township_code_r", "same township"),
            _level("ELSE", "different"),
        ],
    )


def sex_comparison() -> Any:
    return _comparison(
        "sex",
        [
            _level("sex_l IS NULL OR sex_r IS NULL", "null", is_null_level=True),
            _level("sex_l = sex_r", "same"),
            _level("ELSE", "different"),
        ],
    )


# Blocking keeps recall high: a true pair survives any one of these. Every rule is an equi-join (fast in DuckDB).
# An ID with one wrong digit in its sequence and check characters (15-18) keeps one of the two ID keys. Blocking on
# the 6+8 region-and-birth prefix alone would also catch that, but pairs every two people of a region born on the
# same day: at 1.2 M residents 71 M candidate pairs, three quarters of all, for no true pair the other rules miss.
BLOCKING_RULES: tuple[str, ...] = (
    "l.name_pinyin = r.name_pinyin AND l.birth_year = r.birth_year",
    "l.surname_pinyin = r.surname_pinyin AND l.birth_date = r.birth_date",
    "l.given_x = r.given_x AND l.birth_date = r.birth_date",
    "l.id_but_17_18 = r.id_but_17_18",
    "l.id_but_15_16 = r.id_but_15_16",
    "l.phone = r.phone",
    "l.household_no = r.household_no",
    "l.name = r.name AND l.address_key = r.address_key",
    "l.surname_x = r.surname_x AND l.birth_year = r.birth_year AND l.address_key = r.address_key",
)


# Two records that both carry a usable citizen ID are decided by it: the same ID links them (guarded, in
# person.py), two different ones keep them apart (twins, family). The model decides only pairs in which at least
# one record has none, so only those are scored (and calibrated on): at 1.2 M residents 1.0 M of 38 M blocked pairs.
MODEL_DECIDES = "(l.usable_id IS NULL OR r.usable_id IS NULL)"


def prediction_rules() -> list[str]:
    return [f"{rule} AND {MODEL_DECIDES}" for rule in BLOCKING_RULES]


def settings(probability_two_random_records_match: float = 1e-6) -> Any:
    from splink import SettingsCreator

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        comparisons=[
            name_comparison(),
            birth_comparison(),
            citizen_id_comparison(),
            phone_comparison(),
            household_comparison(),
            address_comparison(),
            sex_comparison(),
        ],
        blocking_rules_to_generate_predictions=list[Any](prediction_rules()),
        probability_two_random_records_match=probability_two_random_records_match,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,
        max_iterations=20,
    )


SCRATCH = "splink_scratch"


@contextmanager
def scratch_database(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Let the tables Splink creates (unqualified: blocked pairs, comparison vectors, predictions, term
    frequencies) go to an in-memory database rather than the connection's own.

    A build resolves on its working database, a file: there Splink's millions of intermediate rows were written,
    compressed and checkpointed to disk, and left behind (train and score: 55 s there, 33 s in memory, in the
    benchmark at 1.2 M residents). An in-memory database spills to the connection's temp directory under memory pressure like any
    temporary table. Names are still found where they were: the scratch database comes first on the search path.
    """
    own_row = con.execute("SELECT current_database(), current_setting('search_path')").fetchone()
    own, path = (str(own_row[0]), str(own_row[1])) if own_row else ("memory", "")
    attached = {r[0] for r in con.execute("SELECT database_name FROM duckdb_databases()").fetchall()}
    if SCRATCH not in attached:
        con.execute(f"ATTACH ':memory:' AS {SCRATCH}")
    con.execute(f'USE "{SCRATCH}"')
    con.execute(f"SET search_path = '{SCRATCH}.main,{path or own + '.main'}'")
    try:
        yield
    finally:
        con.execute(f'USE "{own}"')
        con.execute(f"SET search_path = '{path or own + '.main'}'")
        con.execute(f"DETACH {SCRATCH}")


def make_linker(con: duckdb.DuckDBPyConnection, features: str, model: Path | None = None) -> Any:
    """A Splink linker over the feature table, from a saved model when one is given."""
    from splink import DuckDBAPI, Linker

    db_api = DuckDBAPI(connection=con)
    frame = db_api.register(features, table_name="__resolve_person_input")
    spec = str(model) if model is not None else settings()
    return Linker(frame, spec, log_level=None)


def train(linker: Any, *, u_pairs: float, seed: int = 42) -> None:
    """Estimate λ from the citizen-ID rule, u by random sampling, m by EM over two blockings."""
    from splink import block_on

    started = time.perf_counter()
    linker.training.estimate_probability_two_random_records_match(
        [
            "l.usable_id = r.usable_id",
            "l.name = r.name AND l.birth_date = r.birth_date AND l.phone = r.phone",
        ],
        recall=0.8,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("citizen_id"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        "l.name_pinyin = r.name_pinyin AND l.birth_year = r.birth_year",
        estimate_without_term_frequencies=True,
    )
    # Splink's own per-chunk and per-iteration lines are kept out of the log (grassroots/logs.py): one line here.
    log.info(
        "trained the person match model in %.1f s (u from up to %d sampled pairs, m by EM over 2 blockings)",
        time.perf_counter() - started,
        int(u_pairs),
    )


def save(linker: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    linker.misc.save_model_to_json(str(path), overwrite=True)
    log.info("saved the person match model to %s", path)
