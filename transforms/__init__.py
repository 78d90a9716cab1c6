"""Transforms: standardizers of dirty governance values (citizen IDs, credit codes, names, dates, phones, addresses,
codes, plates) as DuckDB SQL builders; see transforms/README.md."""
