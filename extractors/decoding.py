"""Recognizing what a dropped file is: its format by magic bytes, its encoding by strict decoding in declared order.

Nothing is guessed: a file that no declared codec decodes completely is refused with the reason of each attempt.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

BLOCK = 8 << 20
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff_format(path: Path) -> str:
    """xlsx (a zip container), xls (an OLE2 compound file) or csv (anything else: text)."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(_ZIP):
        return "xlsx"
    if head.startswith(_OLE):
        return "xls"
    return "csv"


@dataclass(frozen=True)
class DecodeFailure(Exception):
    """No declared codec decodes the file; ``reason`` lists every attempt."""

    reason: str


def _line_of(path: Path, offset: int) -> int:
    with path.open("rb") as fh:
        return fh.read(offset).count(b"\n") + 1


def _try(path: Path, codec: str, out: Path) -> str | None:
    """Decode ``path`` strictly into UTF-8 ``out``; returns the failure reason, or None on success."""
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    consumed = 0
    with path.open("rb") as src, out.open("w", encoding="utf-8", newline="") as dst:
        while True:
            block = src.read(BLOCK)
            try:
                dst.write(decoder.decode(block, final=not block))
            except UnicodeDecodeError as exc:
                at = consumed + exc.start
                return (
                    f"{codec}: byte 0x{exc.object[exc.start]:02x} at offset {at} (line {_line_of(path, at)})"
                )
            consumed += len(block)
            if not block:
                return None


def decode_to_utf8(path: Path, encodings: tuple[str, ...], out: Path) -> str:
    """Write the text of ``path`` as UTF-8 to ``out`` with the first codec that decodes all of it; returns the codec
    used (``utf-8-sig`` only when a BOM was really there)."""
    failures = []
    for codec in encodings:
        reason = _try(path, codec, out)
        if reason is None:
            if codecs.lookup(codec).name == "utf-8-sig":
                with path.open("rb") as fh:
                    return "utf-8-sig" if fh.read(3) == codecs.BOM_UTF8 else "utf-8"
            return codecs.lookup(codec).name
        failures.append(reason)
    out.unlink(missing_ok=True)
    raise DecodeFailure("no declared encoding decodes the file: " + "; ".join(failures))
