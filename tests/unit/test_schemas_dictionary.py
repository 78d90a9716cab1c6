"""The analysts' data dictionary: the committed copy is what the generator writes, and its layout does not drift."""

from pathlib import Path

import schemas
from schemas import codes
from schemas.dictionary import analyst_sees, main, render, table_lines
from schemas.model import Field, Table

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "docs" / "data-dictionary.md"
GOLDEN_SAMPLE = ROOT / "tests" / "golden" / "dictionary_table_sample.md"

SAMPLE = Table(
    name="sample",
    kind="entity",
    grain_zh="每个样例一行",
    grain_en="one row per sample",
    primary_key=("sample_id",),
    description_zh="用于检查版式的样例表。",
    description_en="A table to check the layout with.",
    module="population",
    fields=(
        Field("sample_id", "VARCHAR", "标识", "id", required=True),
        Field("sex", "VARCHAR", "性别", "sex", code_table="sex"),
        Field("citizen_id", "VARCHAR", "身份号码", "citizen ID", privacy="personal", mask="id"),
        Field("note", "VARCHAR", "备注|说明", "note | remark", privacy="sensitive"),
    ),
)


def test_committed_dictionary_is_up_to_date():
    assert COMMITTED.exists(), "docs/data-dictionary.md is missing: run `make dictionary` and commit it"
    assert COMMITTED.read_text(encoding="utf-8") == render(), (
        "docs/data-dictionary.md differs from the schemas: run `make dictionary` and commit the result"
    )


def test_table_section_layout_matches_the_golden_sample():
    got = "\n".join(table_lines(SAMPLE))
    assert got == GOLDEN_SAMPLE.read_text(encoding="utf-8").rstrip("\n") + "\n"


def test_dictionary_names_every_table_field_and_code_table():
    text = render()
    assert render() == text, "output must be deterministic"
    for table in schemas.TABLES:
        assert f"### `{table.name}`" in text
        for field in table.fields:
            assert f"| `{field.name}` |" in text
    for name in codes.tables():
        assert f'<a id="code-{name}"></a>' in text
    assert "429004198503051239" not in text, "examples must be masked"


def test_analyst_sees_the_masked_form():
    assert analyst_sees(schemas.PERSON.field("citizen_id")) == "masked 429004********1239"
    assert analyst_sees(schemas.PERSON.field("phone")) == "masked 139****0000"
    assert analyst_sees(schemas.PERSON.field("special_group")) == "withheld (NULL)"
    assert analyst_sees(schemas.PERSON.field("sex")) == "as stored"


def test_main_writes_the_file(tmp_path):
    out = tmp_path / "docs" / "dd.md"
    assert main([str(out)]) == 0
    assert out.read_text(encoding="utf-8") == render()
