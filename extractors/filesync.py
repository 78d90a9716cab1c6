"""Sync a drop folder: each ready, new file becomes one load; broken files and rows go to quarantine with reasons.

A file whose content was already seen (dropped twice, or renamed) lands once. A file that cannot be decoded, is cut
short or disagrees with its flag file is quarantined whole; rows the parser refuses are quarantined one by one
while the good rows of the same file still land.
"""

from __future__ import annotations

import logging
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from extractors import filedrop, tabular
from extractors.context import SyncContext
from extractors.declare import FileKind, FileSource
from extractors.decoding import DecodeFailure, decode_to_utf8, sniff_format
from extractors.delta import Delta
from extractors.drift import DriftReport, apply_policy, compare
from extractors.landing import LoadWriter
from extractors.state import Commit
from extractors.summary import SyncSummary
from grassroots import quarantine

log = logging.getLogger(__name__)

PART_ROWS = 250_000


class FileRefused(Exception):
    """The whole file goes to quarantine: ``rule`` names the check, ``reason`` says what to do."""

    def __init__(self, rule: str, reason: str) -> None:
        super().__init__(reason)
        self.rule, self.reason = rule, reason


def sync_folder(ctx: SyncContext, src: FileSource, folder: Path) -> list[SyncSummary]:
    """Land every ready file of the folder not landed before, oldest name first."""
    ready, waiting = filedrop.list_candidates(src, folder)
    summaries = [_skipped(src, p, "waiting for its flag file") for p in waiting]
    fresh = [c for c in ready if not ctx.state.known_name(src.name, c.path.name, c.size, c.mtime_ns)]
    stable, moving = filedrop.settled(fresh, src.settle_seconds)
    summaries += [_skipped(src, p, "size still changing: being written") for p in moving]
    for candidate in stable:
        summaries.append(sync_file(ctx, src, candidate))
    if not ready and not waiting:
        log.info("%s: no files to sync in %s", src.name, folder)
    return summaries


def _skipped(src: FileSource, path: Path, why: str) -> SyncSummary:
    kind = filedrop.kind_of(src, path.name)
    return SyncSummary(src.name, kind.name if kind else "?", file=path.name, status="skipped", message=why)


def sync_file(ctx: SyncContext, src: FileSource, c: filedrop.Candidate) -> SyncSummary:
    started = time.monotonic()
    summary = SyncSummary(src.name, c.kind.name, file=c.path.name)
    sha, md5 = filedrop.digests(c.path)
    entry = {
        "sha256": sha,
        "file_name": c.path.name,
        "kind": c.kind.name,
        "size": c.size,
        "mtime_ns": c.mtime_ns,
    }
    known = ctx.state.known_file(src.name, sha)
    if known is not None:
        ctx.state.record_file(
            src.name, {**entry, "status": "duplicate", "reason": f"same as {known['file_name']}"}
        )
        summary.status, summary.message = (
            "skipped",
            f"same content as {known['file_name']} ({known['status']})",
        )
        return summary
    try:
        parsed, codec, fmt = _parse(ctx, src, c, md5)
    except FileRefused as refused:
        return _refuse(ctx, src, c, entry, refused, summary)
    summary.codec = codec
    return _land(ctx, src, c.kind, parsed, {**entry, "codec": codec, "format": fmt}, summary, started)


def _parse(
    ctx: SyncContext, src: FileSource, c: filedrop.Candidate, md5: str
) -> tuple[tabular.Parsed, str | None, str]:
    flag = filedrop.read_flag(src, c.path)
    if flag and flag.md5 and flag.md5 != md5:
        raise FileRefused(
            "md5_mismatch", "file MD5 differs from its flag file: truncated or altered; re-export it"
        )
    fmt = sniff_format(c.path)
    if fmt not in c.kind.formats:
        raise FileRefused("format", f"content is {fmt}, {c.kind.name} accepts {', '.join(c.kind.formats)}")
    try:
        if fmt == "xlsx":
            parsed, codec = tabular.read_xlsx(c.path), None
        else:
            parsed, codec = _read_text(ctx.home / "state" / "tmp" / src.name, c.path, c.kind)
    except DecodeFailure as exc:
        raise FileRefused("encoding", exc.reason + "; re-export in one of the declared encodings") from exc
    except tabular.BadHeader as exc:
        raise FileRefused("header", f"{exc}; re-export with the standard header row") from exc
    if flag and flag.rows is not None and flag.rows != parsed.records:
        raise FileRefused("row_count_mismatch", f"{parsed.records} records, the flag file says {flag.rows}")
    if parsed.cut_last_line:
        raise FileRefused(
            "truncated", "the last line is cut short (no line end, too few fields); re-export it"
        )
    missing = [k for k in c.kind.key if k not in parsed.header]
    if missing:
        raise FileRefused("key_column", f"key column(s) {', '.join(missing)} missing from the header")
    return parsed, codec, fmt


def _read_text(tmp_dir: Path, path: Path, kind: FileKind) -> tuple[tabular.Parsed, str]:
    tmp = tmp_dir / f"{uuid.uuid4().hex}.csv"
    tmp.parent.mkdir(parents=True, exist_ok=True)
    try:
        codec = decode_to_utf8(path, kind.encodings, tmp)
        read = tabular.read_csv_multiline if kind.records_span_lines else tabular.read_csv
        return read(tmp), codec
    finally:
        tmp.unlink(missing_ok=True)


def _refuse(
    ctx: SyncContext, src: FileSource, c: filedrop.Candidate, entry: dict[str, object], refused: FileRefused,
    summary: SyncSummary,
) -> SyncSummary:  # fmt: skip
    row = quarantine.record(
        run_id=ctx.run_id, stage="extract", source=src.name, table_or_file=c.path.name,
        rule=f"file_{refused.rule}", reason=f"whole file refused: {refused.reason}",
    )  # fmt: skip
    quarantine.write(ctx.home, "extract", [row])
    ctx.state.record_file(src.name, {**entry, "status": "quarantined", "reason": refused.reason})
    log.warning("%s: file %s quarantined: %s", src.name, c.path.name, refused.reason)
    summary.status, summary.message, summary.quarantined = "quarantined", refused.reason, 1
    return summary


def _quarantine_rows(ctx: SyncContext, src: str, file: str, parsed: tabular.Parsed, keyless: pa.Table) -> int:
    rows = [
        quarantine.record(
            run_id=ctx.run_id, stage="extract", source=src, table_or_file=file, line=r.line,
            rule=f"row_{r.rule}", reason=f"line {r.line}: {r.reason}; the other rows of the file landed",
            value=r.raw,
        )
        for r in parsed.rejects
    ]  # fmt: skip
    rows += [
        quarantine.record(
            run_id=ctx.run_id, stage="extract", source=src, table_or_file=file, line=line,
            rule="row_key_missing", reason=f"line {line}: empty key, the record cannot be tracked",
        )
        for line in keyless["_line"].to_pylist()
    ]  # fmt: skip
    quarantine.write(ctx.home, "extract", rows)
    return len(rows)


def _planned_rows(
    ctx: SyncContext, src: FileSource, kind: FileKind, parsed: tabular.Parsed, file_name: str
) -> tuple[pa.Table, list[tuple[str, str]], DriftReport]:
    """The file's rows under the drift policy, with ``_file`` and ``_line``."""
    where = f"{src.name}.{kind.name}"
    current = [(h, "text") for h in parsed.header]
    report = compare(ctx.state.schema(src.name, kind.name), current)
    report, schema = apply_policy(report, kind.drift, where, current, accept=where in ctx.accept_drift)
    if report:
        log.warning(
            "schema drift in %s (file %s): %s (%s)", where, file_name, report.describe(), report.action
        )
    rows = parsed.rows.select([*(name for name, _ in schema), "_line"])
    return rows.append_column("_file", pa.array([file_name] * rows.num_rows, pa.string())), schema, report


def _land(
    ctx: SyncContext, src: FileSource, kind: FileKind, parsed: tabular.Parsed, entry: dict[str, object],
    summary: SyncSummary, started: float,
) -> SyncSummary:  # fmt: skip
    file_name = str(entry["file_name"])
    rows, schema, report = _planned_rows(ctx, src, kind, parsed, file_name)
    columns = [name for name, _ in schema]
    load_id = ctx.state.begin_load(src.name, kind.name)
    extracted_at = datetime.now(UTC)
    writer = LoadWriter(ctx.load_dir(src.name, kind.name, load_id))
    delta = Delta(kind.key, ctx.landed_globs(src.name, kind.name), by_line=True)
    try:
        keyless = delta.keyless(rows)
        landed = delta.changed(rows, columns, load_id, extracted_at, "_line", ("_file", "_line"))
    finally:
        delta.close()
    for number, offset in enumerate(range(0, landed.num_rows, PART_ROWS)):
        writer.write(landed.slice(offset, PART_ROWS))
        ctx.chunk_done(kind.name, number)
    summary.count_ops(landed["_op"].to_pylist())
    summary.quarantined = _quarantine_rows(ctx, src.name, file_name, parsed, keyless)
    duration, drift = time.monotonic() - started, report.to_json()
    path = writer.finish(
        {"load_id": load_id, "source": src.name, "table": kind.name, "file": file_name, "codec": entry["codec"],
         "format": entry["format"], "sha256": entry["sha256"], "schema": schema, "key": list(kind.key),
         "extracted_at": extracted_at.isoformat(), "duration_s": round(duration, 3), "drift": drift,
         "quarantined_rows": summary.quarantined}
    )  # fmt: skip
    commit = Commit(
        load_id=load_id, rows=writer.rows, deletes=0, quarantined=summary.quarantined, bytes=writer.bytes,
        checksum=writer.checksum, watermark=None, duration_s=duration, schema=schema, key=kind.key, path=path,
        drift=drift, file={**entry, "status": "landed"},
    )  # fmt: skip
    ctx.state.commit_load(src.name, kind.name, commit)
    summary.load_id, summary.drift, summary.duration_s = load_id, drift, round(duration, 3)
    return summary
