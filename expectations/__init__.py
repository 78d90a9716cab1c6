"""Declared data-quality expectations of the canonical tables, run through Great Expectations on DuckDB.

One module per canonical table declares its extra rules (person.py, ...); derive.py adds what the model's metadata
implies; suites.py fits them to a table; grassroots.pipeline.validate runs them on every build.
"""
