"""The quality evaluation's scoring functions (bench/scoring.py) on hand-made cases, and the harness end to end."""

from __future__ import annotations

import gzip
import json
import math
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import scoring  # noqa: E402

QUALITY = REPO / "bench" / "quality.py"


# ---------------------------------------------------------------- shingles (Zyte benchmark rules)


def test_shingles_are_a_multiset_of_four_word_windows() -> None:
    assert scoring.shingles("a b c d e") == {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    assert scoring.shingles("a b c d a b c d") == {
        ("a", "b", "c", "d"): 2, ("b", "c", "d", "a"): 1, ("c", "d", "a", "b"): 1, ("d", "a", "b", "c"): 1
    }
    # fewer than four tokens: one short shingle; punctuation is not a token
    assert scoring.shingles("Hello, world!") == {("Hello", "world"): 1}
    assert scoring.shingles("") == {}


def test_shingle_tp_fp_fn_are_normalised_per_page() -> None:
    true = "one two three four five six"  # shingles: 1234 2345 3456
    pred = "one two three four five seven eight"  # 1234 2345 345_7 45_7_8
    tp, fp, fn = scoring.shingle_tp_fp_fn(true, pred)
    # tp 2, fp 2, fn 1 -> divided by 5
    assert (tp, fp, fn) == pytest.approx((0.4, 0.4, 0.2))
    assert scoring.precision_score(tp, fp, fn) == pytest.approx(0.5)
    assert scoring.recall_score(tp, fp, fn) == pytest.approx(2 / 3)
    assert scoring.shingle_tp_fp_fn("same text of five words", "same text of five words") == (1.0, 0.0, 0.0)
    assert scoring.shingle_tp_fp_fn("", "") == (0.0, 0.0, 0.0)
    assert scoring.shingle_tp_fp_fn("a b c d", "") == (0.0, 0.0, 1.0)


def test_shingle_metrics_average_pages_then_take_the_harmonic_mean() -> None:
    pages = [
        scoring.shingle_tp_fp_fn("one two three four five six", "one two three four five seven eight"),
        scoring.shingle_tp_fp_fn("a b c d e", "a b c d e"),
        scoring.shingle_tp_fp_fn("w x y z", ""),  # nothing predicted: counts for recall only
    ]
    m = scoring.shingle_metrics(pages)
    precision = (0.5 + 1.0) / 2
    recall = (2 / 3 + 1.0 + 0.0) / 3
    assert m["precision"] == pytest.approx(precision)
    assert m["recall"] == pytest.approx(recall)
    assert m["f1"] == pytest.approx(2 * precision * recall / (precision + recall))


def test_token_accuracy_ignores_punctuation_and_spacing() -> None:
    assert scoring.token_accuracy("Hello,  world.\n\nBye!", "Hello world Bye")
    assert not scoring.token_accuracy("Hello world", "hello world")


# ---------------------------------------------------------------- headlines


def test_title_normalisation_is_whitespace_only() -> None:
    assert scoring.normalize_ws("  Big\n\tnews \u00a0 today ") == "Big news today"
    assert scoring.title_exact("Big news today", " Big  news\ntoday ")
    assert not scoring.title_exact("Big news today", "Big News Today")
    assert scoring.title_exact("", None)  # empty gold expects no headline
    assert not scoring.title_exact("", "Something")


def test_title_similarity() -> None:
    assert scoring.title_similarity("Big news today", "Big news today!") >= 0.9
    assert scoring.title_similarity("Big news today", "Big news today | The Daily Example") < 0.9
    assert scoring.title_similarity(None, "") == 1.0
    assert scoring.title_similarity("Big news", None) == 0.0


# ---------------------------------------------------------------- dates


def test_same_day_with_nan_and_empty_gold() -> None:
    assert scoring.same_day("2020-06-07", "2020-06-07")
    assert scoring.same_day("2020-06-07", datetime(2020, 6, 7, 23, 59, tzinfo=UTC))
    assert scoring.same_day("2020-06-07", date(2020, 6, 7))
    assert scoring.same_day("2020-06-07", "2020-06-07T08:00:00+02:00")
    assert not scoring.same_day("2020-06-07", "2020-06-08")
    assert not scoring.same_day("2020-06-07", None)
    # NaN (htmldate's mediacloud file) or empty gold: no date expected
    assert scoring.same_day(math.nan, None)
    assert not scoring.same_day(math.nan, "2020-06-07")
    assert scoring.same_day("", None)
    assert not scoring.same_day(None, datetime(2020, 1, 1, tzinfo=UTC))
    assert scoring.is_empty(json.loads('{"date": NaN}')["date"])


# ---------------------------------------------------------------- authors


def test_author_normalisation_and_splitting() -> None:
    assert scoring.normalize_author("  By Jane   O'Neil-Smith ") == "jane o neil smith"
    assert scoring.normalize_author("Von Roland Brockmann") == "roland brockmann"
    assert scoring.author_set("Benjamin Fischer und Marcus Theurer") == {"benjamin fischer", "marcus theurer"}
    assert scoring.author_set("Sarah Hinger; Sylvia Torres-Guillén") == {"sarah hinger", "sylvia torres guillén"}
    assert scoring.author_set(["KEVIN SACK", "Sheri Fink & Adam Nossiter"]) == {
        "kevin sack", "sheri fink", "adam nossiter"
    }
    assert scoring.author_set(None) == set()
    assert scoring.author_set(["", " "]) == set()


def test_author_f1() -> None:
    assert scoring.author_f1("Jane Doe", ["jane doe"]) == 1.0
    assert scoring.author_f1("Jane Doe; John Roe", ["Jane Doe"]) == pytest.approx(2 / 3)
    assert scoring.author_f1("Jane Doe", ["Jane Doe", "Staff", "Reuters"]) == pytest.approx(0.5)
    assert scoring.author_f1("Jane Doe", []) == 0.0
    assert scoring.author_f1("", []) == 1.0  # nothing expected, nothing found
    assert scoring.author_f1("", ["Jane Doe"]) == 0.0


# ---------------------------------------------------------------- snippets and languages


def test_snippet_counts_and_metrics() -> None:
    text = "The council voted on Tuesday.\nThe  budget passed."
    counts = scoring.snippet_counts(text, ["council voted", "The budget passed", "missing line"], ["Impressum"])
    assert counts == (2, 1, 0, 1)
    m = scoring.snippet_metrics([counts, (0, 0, 1, 1)])
    assert m["precision"] == pytest.approx(2 / 3)
    assert m["recall"] == pytest.approx(2 / 3)
    assert m["accuracy"] == pytest.approx(4 / 6)


def test_language_code() -> None:
    assert scoring.language_code("en-US") == "en"
    assert scoring.language_code("PT_br") == "pt"
    assert scoring.language_code("") is None


# ---------------------------------------------------------------- the harness


def _page(title: str, author: str, day: str, body: str, lang: str = "en") -> bytes:
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                     "datePublished": f"{day}T09:30:00Z", "author": {"@type": "Person", "name": author}})
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    html = (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title} | Example News</title>'
            f'<script type="application/ld+json">{ld}</script></head><body><nav><a href="/">Home</a></nav>'
            f"<article><h1>{title}</h1><p class=byline>By {author}</p>{paras}</article>"
            f"<footer>Impressum</footer></body></html>")
    return gzip.compress(html.encode("utf-8"))


BODY = ("The city council approved the new budget on Tuesday after a long debate about school funding, "
        "road repairs and the future of the public library in the old town.\n\n"
        "Council members said the plan keeps taxes flat for another year while adding money for teachers, "
        "and the mayor promised a first report on the road works before the end of the summer.\n\n"
        "Residents who spoke at the meeting asked for more bus lines to the northern districts, "
        "and the council agreed to study the request and answer it at the next session in the autumn.")


def _tiny_corpus(root: Path) -> None:
    """Two hand-made pages per set, in the upstream layouts that bench/quality.py reads."""
    stories = [("Council approves budget", "Jane Doe", "2021-03-04"),
               ("Library reopens after repairs", "John Roe", "2022-11-20")]
    te, mc, gs, aeb = (root / n for n in ("trafilatura-eval", "htmldate-mediacloud-2020", "goose3-testdata",
                                          "article-extraction-benchmark"))
    for folder in (te / "html", mc / "html", gs / "content", aeb / "html"):
        folder.mkdir(parents=True)
    evaldata, mediacloud, truth = {}, {}, {}
    for i, (title, author, day) in enumerate(stories):
        url = f"https://news.example.com/{i}"
        data = _page(title, author, day, BODY)
        (te / "html" / f"p{i}.html.gz").write_bytes(data)
        evaldata[url] = {"file": f"p{i}.html", "title": title, "date": day, "author": author,
                         "with": ["approved the new budget"], "without": ["Impressum"]}
        (mc / "html" / f"{i}.html.gz").write_bytes(data)
        mediacloud[url] = {"file": f"{i}.html", "date": day if i == 0 else math.nan}
        (gs / "content" / f"test_{i}.html.gz").write_bytes(data)
        (gs / "content" / f"test_{i}.json").write_text(json.dumps({"url": url, "expected": {"title": title,
                                                                                            "authors": [author]}}))
        (aeb / "html" / f"{i:064x}.html.gz").write_bytes(data)
        truth[f"{i:064x}"] = {"url": url, "articleBody": BODY}
    (te / "evaldata.json").write_text(json.dumps(evaldata))
    (mc / "eval_mediacloud_2020.json").write_text(json.dumps(mediacloud))
    (aeb / "ground-truth.json").write_text(json.dumps(truth))


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(QUALITY), *args], cwd=REPO, capture_output=True, text=True,
                          timeout=600)


def test_harness_runs_on_a_tiny_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    _tiny_corpus(corpus)
    out = tmp_path / "quality.json"
    proc = _run("--limit", "5", "--corpus", str(corpus), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "headline exact" in proc.stdout and "pages/s" in proc.stdout
    report = json.loads(out.read_text())
    assert report["pages"] == {"trafilatura-eval": 2, "htmldate-mediacloud-2020": 2, "goose3-testdata": 2,
                               "article-extraction-benchmark": 2}
    rows = {(r["metric"], r["set"]): r for r in report["rows"]}
    # simple pages with JSON-LD: both extractors must read them right
    assert rows[("headline exact", "trafilatura-eval")]["ours"] == 1.0
    assert rows[("date same day", "trafilatura-eval")]["ours"] == 1.0
    assert rows[("authors F1", "goose3-testdata")]["ours"] == 1.0
    assert rows[("body shingle F1", "article-extraction-benchmark")]["ours"] > 0.9
    assert rows[("body shingle F1", "article-extraction-benchmark")]["trafilatura"] > 0.9
    # the mediacloud NaN gold expects no date, and both pages here carry one
    assert rows[("date same day", "htmldate-mediacloud-2020")]["ours"] == 0.5
    speed = report["speed"]
    assert speed["ours"]["pages"] == speed["trafilatura"]["pages"] == 8
    assert speed["ours"]["peak_rss_mb"] > 10 and speed["trafilatura"]["pages_per_second"] > 0


def test_harness_on_the_fixture_corpus_scores_what_it_has_and_names_what_is_missing(tmp_path: Path) -> None:
    """tests/fixtures/corpus holds page subsets with their own indexes, and goose3's upstream layout."""
    corpus = REPO / "tests" / "fixtures" / "corpus"
    proc = _run("--limit", "5", "--corpus", str(corpus), "--out", str(tmp_path / "q.json"))
    assert proc.returncode == 0, proc.stderr
    for name in ("trafilatura-eval", "htmldate-mediacloud-2020", "article-extraction-benchmark"):
        assert f"skipping {name}: " in proc.stderr
    rows = {(r["metric"], r["set"]): r for r in json.loads((tmp_path / "q.json").read_text())["rows"]}
    assert rows[("authors F1", "goose3-testdata")]["ours"] == 1.0
    assert "pages/s" in proc.stdout


def test_harness_fails_clearly_without_a_corpus(tmp_path: Path) -> None:
    proc = _run("--corpus", str(tmp_path / "nowhere"), "--out", str(tmp_path / "q.json"))
    assert proc.returncode == 2
    assert "not found" in proc.stderr
