"""A font that draws Chinese in the charts; without one, charts fall back to English labels (with a warning)."""

from __future__ import annotations

import functools
import logging
import re

from matplotlib import font_manager

log = logging.getLogger(__name__)

# Families known to cover simplified Chinese, best first (Debian: fonts-noto-cjk, fonts-wqy-microhei/zenhei).
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "SimHei",
    "Microsoft YaHei",
)
_CJK_FILE_RE = re.compile(
    r"(NotoSans(Mono)?CJK|NotoSerifCJK|SourceHan|wqy|DroidSansFallback|uming|ukai)", re.I
)


def _known_families() -> set[str]:
    return {f.name for f in font_manager.fontManager.ttflist}


@functools.cache
def cjk_family() -> str | None:
    """The first CJK family matplotlib can use, registering system font files its cache predates."""
    for family in CJK_FAMILIES:
        if family in _known_families():
            return family
    for path in font_manager.findSystemFonts():
        if _CJK_FILE_RE.search(path):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
    for family in CJK_FAMILIES:
        if family in _known_families():
            return family
    log.warning(
        "no font with Chinese glyphs found (fc-list :lang=zh is empty): charts use English labels only; "
        "install fonts-noto-cjk or fonts-wqy-microhei"
    )
    return None


def label(zh: str, en: str) -> str:
    """A chart label in both languages when Chinese can be drawn, else in English."""
    return f"{zh} {en}" if cjk_family() else en
