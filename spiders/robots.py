"""Scrapy's robots.txt middleware, with every request waiting for a host's robots.txt checked.

Scrapy 2.19's `RobotsTxtMiddleware` keeps one Deferred per host while that host's robots.txt is
being fetched, and every request that arrives meanwhile awaits it. The first awaiter's callback
consumes the Deferred's result, so every other request gets None ("no robots.txt") and goes out
unchecked: a crawl whose first requests to a host go out together (a campaign's feeds or
sitemaps) fetched pages robots.txt forbids. The parser is stored on the middleware before the
Deferred fires, so a request that got None looks it up there.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred


class CheckedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """`RobotsTxtMiddleware` whose concurrent first requests to a host are all checked."""

    async def robot_parser(self, request: Request) -> RobotParser | None:
        parser = await super().robot_parser(request)
        if parser is None:
            stored = self._parsers.get(urlparse_cached(request).netloc)
            if stored is not None and not isinstance(stored, Deferred):
                return stored
        return parser
