"""Rules that follow from the canonical model's own metadata: required fields, keys, code tables, ID and phone fields.

The entity modules (expectations.person, ...) add what metadata cannot say: ranges, cross-field rules, references.
"""

from __future__ import annotations

from expectations import checks
from expectations.rules import InSet, Matches, NotInSet, NotNull, Predicate, Rule, Severity, Unique, quote
from schemas import codes
from schemas.model import Field, Table

# The one field whose broken value would corrupt entity resolution: it is refused, the others only flagged.
_LINKAGE_IDS = ("citizen_id",)


def model_rules(table: Table, multi_valued: frozenset[str] = frozenset()) -> tuple[Rule, ...]:
    """Every rule the metadata of ``table`` implies."""
    rules: list[Rule] = []
    for f in table.fields:
        rules.extend(field_rules(table, f, multi_valued=f.name in multi_valued))
    rules.extend(key_rules(table))
    return tuple(rules)


def field_rules(table: Table, f: Field, *, multi_valued: bool = False) -> list[Rule]:
    out: list[Rule] = []
    if f.required:
        out.append(
            NotNull(
                f"{f.name}_not_null",
                "error",
                f"{f.name} ({f.description_en}) is required in {table.name} but empty; fill it in the source",
                (f.name,),
            )
        )
    if f.code_table is not None:
        out.append(_code_rule(f, multi_valued))
    if f.mask == "id" and f.name.endswith("citizen_id"):
        out.extend(citizen_id_rules(f.name, "error" if f.name in _LINKAGE_IDS else "warning"))
    if f.mask == "phone":
        out.extend(phone_rules(f.name))
    if f.code_table == "township":
        out.append(
            Matches(
                f"{f.name}_format",
                "warning",
                f"{f.name} must be a 9-digit township code (GB/T 10114), e.g. 429004001",
                (f.name,),
                regex=checks.TOWNSHIP,
            )
        )
    return out


def _code_rule(f: Field, multi_valued: bool) -> Rule:
    assert f.code_table is not None
    values = tuple(codes.names(f.code_table))
    reason = (
        f"{f.name} is not a code of table {f.code_table} ({f.description_en}); map the source value to a code"
    )
    if not multi_valued:
        return InSet(f"{f.name}_in_code_table", "warning", reason, (f.name,), values=values)
    # Several codes joined by '|': every part must be a code.
    listed = ", ".join(f"'{v}'" for v in values)
    predicate = (
        f"{quote(f.name)} IS NOT NULL AND NOT list_has_all([{listed}], "
        f"list_filter(string_split({quote(f.name)}, '|'), x -> x <> ''))"
    )
    return Predicate(f"{f.name}_in_code_table", "warning", reason, (f.name,), predicate=predicate)


def citizen_id_rules(column: str, sev: Severity) -> list[Rule]:
    return [
        Matches(
            f"{column}_format",
            sev,
            f"{column} must be 18 characters, 17 digits and a digit or X (GB 11643); "
            "upgrade 15-digit numbers and move other certificates to cert_number",
            (column,),
            regex=checks.CITIZEN_ID,
        ),
        Predicate(
            f"{column}_check_char",
            sev,
            f"{column} fails its GB 11643 check character or embeds no valid birth date: "
            "a digit was mistyped or lost (Excel), correct it against the ID card",
            (column,),
            predicate=checks.citizen_id_bad_check_sql(column),
        ),
    ]


def phone_rules(column: str) -> list[Rule]:
    return [
        Matches(
            f"{column}_format",
            "warning",
            f"{column} is neither an 11-digit mobile (1[3-9]...) nor a landline written AREA-LOCAL "
            "(0728-3221234); keep one number per field, without +86",
            (column,),
            regex=checks.PHONE,
        ),
        NotInSet(
            f"{column}_not_placeholder",
            "warning",
            f"{column} is a placeholder number, not a way to reach anyone; ask for the real one",
            (column,),
            values=checks.PHONE_PLACEHOLDERS,
        ),
    ]


def key_rules(table: Table) -> list[Rule]:
    """The primary key identifies one row: a duplicated key refuses every row that shares it."""
    if not table.primary_key:
        return []
    key = table.primary_key
    return [
        Unique(
            f"{'_'.join(key)}_unique",
            "error",
            f"({', '.join(key)}) must identify one row of {table.name} ({table.grain_en}); "
            "the rows sharing it were all refused, fix the build that produced them",
            key,
        )
    ]
