"""Masking and keyed pseudonyms for personal data (domain.md §5, GB/T 35273-2020).

Logs, reports and error messages are screens too: everything shown to a person goes through these.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re

# An 18-digit citizen ID (or 17 digits and X), or a 15-digit old one, standing alone in text.
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8}|\d{5})(\d{3}[\dXx]|\d{4}|\d{3})(?![0-9A-Za-z])")
# A mainland mobile number standing alone, with an optional +86 / 0086 prefix.
_MOBILE_RE = re.compile(r"(?<!\d)((?:\+?86|0086)?[- ]?)(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")


def mask_id(value: str | None) -> str | None:
    """429004198503051239 -> 429004********1239 (keep the region and the last four)."""
    if value is None:
        return None
    v = str(value)
    if len(v) <= 10:
        return "*" * len(v)
    return v[:6] + "*" * (len(v) - 10) + v[-4:]


def mask_phone(value: str | None) -> str | None:
    """13972800000 -> 139****0000; landlines keep their last four only."""
    if value is None:
        return None
    v = str(value)
    if len(v) == 11 and v.startswith("1"):
        return v[:3] + "****" + v[-4:]
    if len(v) <= 4:
        return "*" * len(v)
    return "*" * (len(v) - 4) + v[-4:]


def mask_name(value: str | None) -> str | None:
    """张三丰 -> 张**: the surname stays, the given name goes."""
    if value is None:
        return None
    v = str(value)
    return v[:1] + "*" * (len(v) - 1) if v else v


def mask_text(text: str) -> str:
    """Mask every citizen ID and mobile number found inside free text (log lines, error messages)."""
    text = _ID_RE.sub(lambda m: mask_id(m.group(0)) or "", text)
    return _MOBILE_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}****{m.group(4)}", text)


def pseudonym(value: str | None, key: bytes) -> str | None:
    """Keyed HMAC-SHA256 pseudonym of an already normalized value (a plain hash could be enumerated)."""
    if value is None:
        return None
    return hmac.new(key, str(value).encode("utf-8"), hashlib.sha256).hexdigest()[:32]


class MaskingFilter(logging.Filter):
    """A last line of defence: masks IDs and phone numbers in every log record that passes the handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
