"""Comparison features of staged person records, and the SQL predicates that compare two of them.

Chinese names defeat the Latin-name string metrics (Jaro-Winkler of 张伟/张玮 is 0.667), so names are compared by
exact characters, by pinyin (homophones: 张/章, 伟/玮), by one changed character and by shared characters.
"""

from __future__ import annotations

from transforms.resolve.inputs import USABLE_ID_STATUSES


def person_features_sql(conformed: str) -> str:
    """One row per staged person record with the derived keys used for blocking and comparison."""
    usable = ", ".join(f"'{s}'" for s in USABLE_ID_STATUSES)
    return f"""
        SELECT *,
            CASE WHEN citizen_id_status IN ({usable}) AND NOT {id_birth_conflict_sql()} THEN citizen_id END
                AS usable_id,
            {id_birth_conflict_sql()} AS id_birth_conflict,
            left(citizen_id, 14) AS id_prefix14,
            -- The ID without two of its last four characters: one wrong digit there (or two swapped) keeps one key.
            left(citizen_id, 16) AS id_but_17_18,
            left(citizen_id, 14) || right(citizen_id, 2) AS id_but_15_16,
            coalesce(surname, left(name, 1)) AS surname_x,
            coalesce(given_name, substr(name, length(coalesce(surname, left(name, 1))) + 1)) AS given_x,
            nullif(split_part(name_pinyin, ' ', 1), '') AS surname_pinyin,
            CASE WHEN coalesce(birth_date_precision, 'day') = 'day' THEN birth_date END AS birth_day,
            year(birth_date) AS birth_year,
            coalesce(phones, CASE WHEN phone IS NOT NULL THEN [phone] END) AS phone_list
        FROM ({conformed})
    """


def id_birth_sql(citizen_id: str = "citizen_id") -> str:
    """The birth date written into a citizen ID (characters 7-14), NULL when it is no date."""
    return f"try_strptime(substr({citizen_id}, 7, 8), '%Y%m%d')::DATE"


def id_birth_conflict_sql() -> str:
    """A checked ID whose embedded birth date contradicts the record's own (even allowing day and month swapped):
    most often someone else's ID typed into the record, so it is no evidence of who the record is."""
    b = id_birth_sql()
    return (
        f"coalesce(coalesce(birth_date_precision, 'day') = 'day' AND {b} <> birth_date "
        f"AND NOT {transposed_sql(b, 'birth_date')}, FALSE)"
    )


def chars_differing_sql(a: str, b: str, longest: int = 6) -> str:
    """How many character positions differ between two names of equal length (NULL otherwise).

    Unrolled over the first ``longest`` positions instead of a lambda, so Splink's SQL parser can read it; names
    longer than that (some minority names) count differences in their first ``longest`` characters only.
    """
    terms = " + ".join(
        f"(substr({a}, {i}, 1) <> substr({b}, {i}, 1))::INTEGER" for i in range(1, longest + 1)
    )
    return f"CASE WHEN length({a}) = length({b}) THEN {terms} END"


def char_overlap_sql(a: str, b: str, longest: int = 4) -> str:
    """Jaccard similarity of the characters of two names: shared characters over all characters.

    Counted position by position with contains() over the first ``longest`` characters of ``a`` (string functions
    cost nanoseconds where list intersections cost microseconds over the millions of pairs of u estimation); a
    character repeated inside one name (张丽丽) counts twice, which only nudges the figure.
    """
    shared = " + ".join(
        f"(length({a}) >= {i} AND contains({b}, substr({a}, {i}, 1)))::INTEGER" for i in range(1, longest + 1)
    )
    return f"(({shared}) / greatest(length({a}) + length({b}) - ({shared}), 1)::DOUBLE)"


def names_agree_sql(left: str = "l", right: str = "r") -> str:
    """Same name, same pinyin, or one character changed in a name of three or more: the name side of the ID guard.

    In a two-character name one changed character leaves only the surname, which says nothing.
    """
    return (
        f"coalesce({left}.name = {right}.name OR {left}.name_pinyin = {right}.name_pinyin "
        f"OR (length({left}.name) >= 3 AND {chars_differing_sql(f'{left}.name', f'{right}.name')} = 1), FALSE)"
    )


def transposed_sql(a: str, b: str) -> str:
    """Day and month swapped (05/03 read as 03/05), same year."""
    return (
        f"(year({a}) = year({b}) AND month({a}) = day({b}) AND day({a}) = month({b}) "
        f"AND month({a}) <> day({a}))"
    )


def births_agree_sql(left: str = "l", right: str = "r") -> str:
    """Same birth date, or the same date with day and month swapped."""
    a, b = f"{left}.birth_date", f"{right}.birth_date"
    return f"coalesce({a} = {b} OR {transposed_sql(a, b)}, FALSE)"


def same_person_guard_sql(left: str = "l", right: str = "r") -> str:
    """A shared citizen ID links two records only if their names or their birth dates agree."""
    return f"({names_agree_sql(left, right)} OR {births_agree_sql(left, right)})"


def hard_negative_sql(left: str = "l", right: str = "r") -> str:
    """Pairs that are never the same person: two different valid IDs (twins: same 6+8 prefix, other sequence),
    or one valid ID on both whose names and birth dates both disagree (one ID recorded on two people)."""
    return (
        f"(({left}.usable_id IS NOT NULL AND {right}.usable_id IS NOT NULL AND {left}.usable_id <> {right}.usable_id) "
        f"OR ({left}.usable_id = {right}.usable_id AND NOT {same_person_guard_sql(left, right)}))"
    )
