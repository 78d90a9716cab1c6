"""The drop folder: which files are ready to read, what their flag files promise, and their checksums.

A file is ready when its flag file exists (if the source uses one) and its size did not change between two looks
``settle_seconds`` apart. The flag file of an export holds its row count and MD5; a mismatch means truncation.
"""

from __future__ import annotations

import fnmatch
import hashlib
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from extractors.declare import FileKind, FileSource

_MD5 = re.compile(r"\b[0-9a-fA-F]{32}\b")
_INT = re.compile(r"(?<![0-9A-Fa-f])\d+(?![0-9A-Fa-f])")


@dataclass(frozen=True)
class Candidate:
    path: Path
    kind: FileKind
    size: int
    mtime_ns: int = 0


class Flag(NamedTuple):
    """What the exporter promised: the number of data rows and the MD5 of the file (either may be absent)."""

    rows: int | None
    md5: str | None


def parse_flag(text: str) -> Flag:
    """Read ``rows=123 md5=...``, ``123,<md5>``, JSON or two lines alike: the 32-hex token is the MD5, the first
    other integer the row count."""
    md5 = _MD5.search(text)
    rest = _MD5.sub(" ", text)
    count = _INT.search(rest)
    return Flag(int(count.group(0)) if count else None, md5.group(0).lower() if md5 else None)


def digests(path: Path) -> tuple[str, str]:
    """SHA-256 (the manifest key) and MD5 (what flag files carry) in one pass."""
    sha, md5 = hashlib.sha256(), hashlib.md5(usedforsecurity=False)
    with path.open("rb") as fh:
        while block := fh.read(8 << 20):
            sha.update(block)
            md5.update(block)
    return sha.hexdigest(), md5.hexdigest()


def kind_of(source: FileSource, name: str) -> FileKind | None:
    for kind in source.kinds:
        if fnmatch.fnmatch(name, kind.pattern):
            return kind
    return None


def list_candidates(source: FileSource, folder: Path) -> tuple[list[Candidate], list[Path]]:
    """Files matching a declared kind, in name order (exports sort by day and sequence), and those still waiting
    for their flag file."""
    ready, waiting = [], []
    flag = source.flag_suffix
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if not path.is_file() or (flag and path.name.endswith(flag)) or path.name.startswith("."):
            continue
        kind = kind_of(source, path.name)
        if kind is None:
            continue
        if flag and not path.with_name(path.name + flag).exists():
            waiting.append(path)
            continue
        stat = path.stat()
        ready.append(Candidate(path, kind, stat.st_size, stat.st_mtime_ns))
    return ready, waiting


def settled(candidates: list[Candidate], seconds: float) -> tuple[list[Candidate], list[Path]]:
    """Keep the files whose size did not change over ``seconds`` (one pause for all of them).

    A file last modified longer than ``seconds`` ago has already kept its size that long: the pause only waits out
    what remains for the most recently modified one, so a drop of settled files costs no pause at all.
    """
    if seconds > 0 and candidates:
        newest = max(c.mtime_ns for c in candidates) / 1e9
        time.sleep(min(seconds, max(0.0, newest + seconds - time.time())))
    stable: list[Candidate] = []
    moving: list[Candidate] = []
    for c in candidates:
        (stable if c.path.exists() and c.path.stat().st_size == c.size else moving).append(c)
    return stable, [c.path for c in moving]


def read_flag(source: FileSource, path: Path) -> Flag | None:
    if not source.flag_suffix:
        return None
    flag_path = path.with_name(path.name + source.flag_suffix)
    return parse_flag(flag_path.read_text(encoding="utf-8", errors="replace"))
