"""The roundup: "what folks are saying", one line per outlet, written from stored clippings.

The shape is the press release's block in `../shared/seeds/`:

    From CNN: "We see these mobilizations as a critical way to counter any misinformation," said Sean Eldridge.

    Newsweek: Over 200 Protests Already Planned If Trump Attempts to Dispute Election Results

    AFP: «Si Trump rechaza el veredicto de las urnas, los manifestantes ya estan listos» (es)

`build_roundup` picks the lines (rules in its docstring); `RoundupLine.txt` is the plain line a person
pastes into a press release. The other formats (md, html, json) are in `render_roundup`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from clippings.article import CountClaim


@dataclass(frozen=True)
class RoundupLine:
    """One outlet's line: its best clipping's quote of a campaign person, else that clipping's headline."""

    outlet: str
    kind: Literal["quote", "headline"]
    text: str  # the quoted words (no quotation marks), or the headline as published
    url: str  # the clipping the line comes from
    published_at: datetime | None
    language: str | None  # the clipping's language (ISO 639-1)
    foreign: bool  # the language is not the campaign's first language: the line says which
    person: str | None = None  # for a quote: the campaign's person who said it, as the campaign spells the name
    headline: str = ""  # the clipping's headline (also for quote lines)
    counts: tuple[CountClaim, ...] = ()  # the clipping's count claims (for --with-counts)
    copies: tuple[tuple[str, str], ...] = field(default=())  # (outlet, url) of syndicated copies of the story
    agency: str | None = None  # the wire agency of the story, when known

    def as_dict(self) -> dict[str, Any]:
        return {
            "outlet": self.outlet,
            "kind": self.kind,
            "text": self.text,
            "person": self.person,
            "headline": self.headline,
            "url": self.url,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "language": self.language,
            "foreign": self.foreign,
            "agency": self.agency,
            "counts": [c.as_dict() for c in self.counts],
            "copies": [{"outlet": o, "url": u} for o, u in self.copies],
        }
