"""Section pages -> article links (clippings.sections): the rule on a listing page with the usual
furniture, relative links and <base href>, pagination, other outlets, and bad input."""

from __future__ import annotations

from clippings.sections import MAX_LINKS, is_article_url, section_links

SECTION = "https://riverton.example/local/"


def same(url: str) -> bool:
    return url.startswith("https://riverton.example/")


PAGE = """<html><head><title>Local</title></head><body>
<nav><a href="/">Home</a> <a href="/local/">Local</a> <a href="/about/">About</a>
<a href="/tag/elections/">Elections</a>
<a href="/author/jenna-morales/">Jenna Morales</a> <a href="/subscribe">Subscribe</a> <a href="#main">Skip</a></nav>
<main>
<article><a href="/local/2020/11/04/hundreds-rally-at-riverton-city-hall.html">Hundreds rally</a></article>
<article><a href="2020/11/02/county-clerk-vows-to-count-every-vote/?utm_source=home#comments">Clerk</a></article>
<article><a href="https://riverton.example/news/school-board-meets-tonight-123456">School board</a></article>
<article><a href="https://riverton.example/local/2020/11/04/hundreds-rally-at-riverton-city-hall.html#top">again</a></article>
<article><a href="https://www.othertown.example/2020/11/04/a-story-elsewhere-today.html">Elsewhere</a></article>
<a href="/local/page/2/">Older stories</a> <a href="/local/?page=3">Page 3</a> <a href="/sports/page/2/">Sports p2</a>
<a href="/static/site.css">css</a> <a href="/local/photo-of-the-day.jpg">photo</a>
<a href="mailto:desk@riverton.example">Mail</a>
<a href="javascript:void(0)">JS</a> <a href="/privacy/">Privacy</a> <a href="/weather">Weather</a>
</main></body></html>"""


def test_articles_and_pagination_are_found_and_furniture_is_not() -> None:
    links = section_links(PAGE, SECTION, same)
    assert links.articles == (
        "https://riverton.example/local/2020/11/04/hundreds-rally-at-riverton-city-hall.html",
        "https://riverton.example/local/2020/11/02/county-clerk-vows-to-count-every-vote/",
        "https://riverton.example/news/school-board-meets-tonight-123456",
    )
    assert links.listings == ("https://riverton.example/local/page/2/", "https://riverton.example/local/?page=3")
    assert not links.truncated


def test_base_href_is_respected() -> None:
    page = '<html><head><base href="https://riverton.example/archive/"></head><body>' \
           '<a href="2019/05/01/old-story-about-the-vote.html">old</a></body></html>'
    links = section_links(page, SECTION, same)
    assert links.articles == ("https://riverton.example/archive/2019/05/01/old-story-about-the-vote.html",)


def test_the_article_rule() -> None:
    yes = ["https://x.example/2020/11/04/story", "https://x.example/politics/20201104-rally.html",
           "https://x.example/count-every-vote-rallies-planned", "https://x.example/a/b/slug_with_three_words.html",
           "https://x.example/world/rally-9876543"]
    no = ["https://x.example/", "https://x.example/local/", "https://x.example/tag/count-every-vote",
          "https://x.example/author/jane-doe-smith", "https://x.example/2020-report.pdf", "https://x.example/weather",
          "https://x.example/about-us/our-team-members", "https://x.example/img/count-every-vote-rally.jpg"]
    assert [u for u in yes if not is_article_url(u)] == []
    assert [u for u in no if is_article_url(u)] == []


def test_bad_input_gives_no_links() -> None:
    for page in ("", "   ", b"\x00\xff\xfe garbage", "<html"):
        links = section_links(page, SECTION, same)
        assert links.articles == () and links.listings == ()


def test_a_huge_page_is_cut_and_says_so() -> None:
    many = "".join(f'<a href="/local/2020/11/04/story-number-{i}-of-many.html">s</a>' for i in range(MAX_LINKS + 50))
    links = section_links(f"<html><body>{many}</body></html>", SECTION, same)
    assert links.truncated and len(links.articles) == MAX_LINKS
