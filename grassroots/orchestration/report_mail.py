"""Mail a built quality report from a small manifest of its files (what tasks.build_report returns).

Manifest (JSON, what goes through XCom)::

    {"subject": "...", "html": "<path of the HTML body>", "text": "<path of a plain-text body>" (optional),
     "images": {"<content id>": "<path of a PNG>", ...}, "attachments": ["<path>", ...]}

The HTML shows each image with ``<img src="cid:<content id>">``; paths are absolute or relative to the home.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from grassroots.config import Settings
from grassroots.errors import FatalError
from grassroots.notify import InlineImage, send_mail


def mail_report(settings: Settings, manifest: dict[str, Any], to: list[str] | None = None) -> dict[str, Any]:
    """Send the report the manifest describes to ``to`` (default: GRASSROOTS_REPORT_TO)."""
    recipients = to if to is not None else settings.report_to
    html = _read(settings, manifest, "html").read_text(encoding="utf-8")
    text = _read(settings, manifest, "text").read_text(encoding="utf-8") if manifest.get("text") else None
    images = [
        InlineImage(
            cid, _resolve(settings, path).read_bytes(), subtype=Path(path).suffix.lstrip(".") or "png"
        )
        for cid, path in manifest.get("images", {}).items()
    ]
    attachments = [_resolve(settings, path) for path in manifest.get("attachments", [])]
    message_id = send_mail(settings, recipients, manifest["subject"], html, text, attachments, images)
    return {"message_id": message_id, "recipients": len(recipients), "subject": manifest["subject"]}


def _read(settings: Settings, manifest: dict[str, Any], key: str) -> Path:
    if not manifest.get(key):
        raise FatalError(f"The report manifest has no {key!r} entry; the report stage must write one.")
    return _resolve(settings, manifest[key])


def _resolve(settings: Settings, path: str) -> Path:
    resolved = Path(path) if Path(path).is_absolute() else settings.home / path
    if not resolved.is_file():
        raise FatalError(f"Report file {resolved} is missing; rebuild the report (grassroots report).")
    return resolved
