"""Language codes: every spelling a page, feed or header uses -> ISO 639-1."""

from __future__ import annotations

import re

_CODE_RE = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$")
# The three-letter codes seen in the wild, and langdetect's own spellings.
_ALIASES = {"eng": "en", "spa": "es", "fra": "fr", "fre": "fr", "deu": "de", "ger": "de",
            "por": "pt", "ita": "it", "nld": "nl", "dut": "nl", "pol": "pl", "swe": "sv",
            "tur": "tr", "rus": "ru", "ara": "ar", "zho": "zh", "chi": "zh", "jpn": "ja",
            "kor": "ko"}


def normalize_code(value: str | None) -> str | None:
    """'en-US' -> 'en', 'es_ES' -> 'es', 'zh-cn' -> 'zh', 'eng' -> 'en'; anything else -> None."""
    if not value or not isinstance(value, str):
        return None
    m = _CODE_RE.match(value.split(",")[0])
    if not m:
        return None
    code = m.group(1).lower()
    if len(code) == 3:
        return _ALIASES.get(code)
    return code
