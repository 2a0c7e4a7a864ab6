"""clippings: a news-coverage tracker and press-clipping scraper."""

__version__ = "0.1.0"
