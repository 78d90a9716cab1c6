"""Normalizers as layers of named SQL expressions, so that each intermediate value is computed once per row.

A normalizer builder (``citizen_id_sql`` ...) returns a :class:`Layered`; ``standardize.standardize_sql`` stacks the
layers of several normalizers as nested projections over one source. Inside a layer, ``@name`` refers to a value of an
earlier layer and ``@in`` to the input column expression.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

_TOKEN = re.compile(r"@([a-z_][a-z0-9_]*)")


@dataclass(frozen=True)
class Layered:
    """One normalizer over one input expression.

    ``layers`` are evaluated in order, a layer may only use names of earlier layers; ``outputs`` name the returned
    values, the first being the standardized value and the second its status.
    """

    input: str
    layers: tuple[Mapping[str, str], ...]
    outputs: tuple[str, ...]
    names: tuple[str, ...] | None = None
    udfs: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        defined = [name for layer in self.layers for name in layer]
        if len(defined) != len(set(defined)) or not set(self.outputs) <= set(defined):
            raise ValueError(
                f"layer names must be unique and include every output: {defined} / {self.outputs}"
            )

    @property
    def fields(self) -> tuple[str, ...]:
        """Public names of the outputs (value, status, ...)."""
        return self.names or self.outputs

    def columns(self, out: str) -> list[tuple[str, str, str]]:
        """(layer name, field, column) per output: the value column is ``out``, the others ``out_<field>``."""
        return [
            (name, fld, out if i == 0 else f"{out}_{fld}")
            for i, (name, fld) in enumerate(zip(self.outputs, self.fields, strict=True))
        ]


def ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def internal_name(out: str, name: str) -> str:
    return f"__{out}__{name}"


def resolve(expr: str, layered: Layered, out: str) -> str:
    """Replace @name tokens by the internal column of this normalizer and @in by its input expression."""

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        return f"({layered.input})" if name == "in" else ident(internal_name(out, name))

    return _TOKEN.sub(sub, expr)
