"""An article's claims: the numbers its headline, lede and body print, and the quotations in its body.

The one pure function the crawl's claims step runs (in a worker process, named
"clippings.claims:article_claims"). Rules:

- counts are read from the headline, the lede and the body, in that order, each with
  `clippings.counts.extract_counts` and the article's language; every claim keeps the field it
  came from (`CountClaim.field`) and its offset into that field's text. A lede that the body
  repeats word for word (its first paragraph, usually) gives its claims once, as the lede's: the
  body's claims inside that repeat are dropped.
- quotes are read from the body only, with `clippings.quotes.extract_quotes` and the campaign's
  people (the names as the campaign file spells them).
- everything scraped is untrusted: each field is cut to MAX_FIELD_CHARS before it is read (a
  longer body is a page dump, not a story; its first part still is read).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from clippings.article import CountClaim, Quote
from clippings.counts import extract_counts
from clippings.quotes import extract_quotes

MAX_FIELD_CHARS = 200_000


def article_claims(
    headline: str | None, lede: str | None, body: str | None, people: Sequence[str] = (), lang: str | None = None
) -> tuple[list[CountClaim], list[Quote]]:
    """(count claims of headline, lede and body, each with its `field`; quotes in the body)."""
    counts: list[CountClaim] = []
    for name, text in (("headline", headline), ("lede", lede), ("body", body)):
        if text:
            counts += [replace(c, field=name) for c in extract_counts(text[:MAX_FIELD_CHARS], lang)]
    if lede and body and (at := body.find(lede.strip(), 0, MAX_FIELD_CHARS)) >= 0:
        end = at + len(lede.strip())  # the body repeats the lede: its claims are the lede's, once
        counts = [c for c in counts if not (c.field == "body" and at <= c.start < end)]
    quotes = extract_quotes(body[:MAX_FIELD_CHARS], list(people)) if body else []
    return counts, quotes
