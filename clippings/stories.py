"""Story groups: which clippings are one story (a wire story on several sites, an outlet's story
reprinted by others), decided from the text of their bodies and from wire-agency evidence.

Pure functions; the store keeps each clipping's `fingerprint` and its group (`story_id`, `is_original`).

**The signature.** `fingerprint(body)` is a MinHash (128 permutations, seed 1) over the set of word
5-shingles of the normalised body (NFKC, case-folded, words = runs of letters and digits; punctuation,
quotation marks and spacing ignored), written as text:
``m1:<number of shingles>:<hex of the 128 hash values as little-endian uint32>`` (about 1,030
characters; hex rather than base64 because the store decodes a window's fingerprints in one
`bytes.fromhex` call, 0.5 µs a fingerprint against 3 µs one by one from base64). The number of
shingles lets `similarity` estimate containment, not only Jaccard. A body
of fewer than MIN_WORDS words gives "" (no signature; never grouped): a stub ("Subscribe to read.",
an empty extraction) says nothing about which story a page is, and identical stubs would group
unrelated pages. MinHash was chosen over SimHash because its
estimate is an unbiased estimate of a set overlap that can be turned into containment: a reprint that
keeps only the first half of a story, or adds a local paragraph, overlaps its original's shingles
almost wholly on the smaller side, which a SimHash's Hamming distance does not express.

The MinHash is datasketch's (2.0.0, its default "affine32" scheme: SHA-1's first 32 bits of each
shingle, mixed once by the MurmurHash3 finalizer, then permuted by ``a h + b mod 2^32`` with odd a, a
and b drawn from numpy's RandomState(seed)), computed here in a few numpy lines: importing `datasketch`
imports scipy (0.29 s and 47 MB more in the crawl's process, measured, for a 0.7 ms signature), so the
crawl never imports it. A test checks that the values are identical to
`datasketch.MinHash(num_perm=128, seed=1).update_batch(...)`'s: the pinned library is the reference.

**Similarity.** `similarity(a, b)` is the estimated containment of the smaller shingle set in the
larger one: from the MinHash Jaccard estimate J and the set sizes |A|, |B|,
``|A ∩ B| ≈ J (|A| + |B|) / (1 + J)``, divided by ``min(|A|, |B|)`` (at most 1). Translations share
no 5-word run; two outlets' own stories of one event share names and perhaps a quotation, but few
5-word runs relative to their length.

**The decision** (`same_story`): two clippings are one story when

1. they do not credit two different wire agencies (an AP story and a Reuters story are two stories), and
2. their similarity is at least `THRESHOLD`, or at least `AGENCY_THRESHOLD` with agency evidence:
   both credit the same agency, or one's outlet is the agency the other credits.

Both thresholds were measured on the tuning half of the labelled pairs in
`tests/fixtures/stories/pairs.jsonl` (`make quality` prints the curve; the held-out half is scored
with them, never tuned on); see that folder's README.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

SHINGLE_WORDS = 5  # words per shingle
NUM_PERM = 128  # MinHash permutations: the Jaccard estimate's standard error is at most 0.044
SEED = 1
VERSION = "m1"
# Measured on the tuning half of tests/fixtures/stories/pairs.jsonl (make quality: "story grouping").
THRESHOLD = 0.70
AGENCY_THRESHOLD = 0.40
MIN_WORDS = 25  # shorter bodies get no fingerprint
WINDOW_DAYS = 3  # the store compares a clipping with those published within this many days of it

_WORD_RE = re.compile(r"\w+")
_U32 = np.uint32
_FMIX = (_U32(16), _U32(0x85EBCA6B), _U32(13), _U32(0xC2B2AE35), _U32(16))  # MurmurHash3's 32-bit finalizer
UInt32s = np.ndarray[Any, np.dtype[np.uint32]]


@cache
def _permutations() -> tuple[UInt32s, UInt32s]:
    """datasketch's affine32 permutation parameters (a odd, b) for NUM_PERM and SEED."""
    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * _U32(2) + _U32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def minhash(found: set[bytes]) -> UInt32s:
    """The MinHash values of a set of shingles, as datasketch 2.0.0's MinHash computes them (affine32)."""
    a, b = _permutations()
    hv = np.array([int.from_bytes(hashlib.sha1(s).digest()[:4], "little") for s in found], dtype=np.uint32)
    s1, m1, s2, m2, s3 = _FMIX
    hv = hv ^ (hv >> s1)
    hv = hv * m1  # uint32 arithmetic wraps around: modulo 2^32, as intended
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    hv = (hv ^ (hv >> s3)).reshape(-1, 1)
    values: UInt32s = (hv * a + b).min(axis=0) if len(hv) else np.full(NUM_PERM, _U32(0xFFFFFFFF), dtype=np.uint32)
    return values


def words(body: str) -> list[str]:
    """The body's words, normalised: NFKC, case-folded, runs of letters and digits (underscores dropped)."""
    text = unicodedata.normalize("NFKC", body).casefold().replace("_", " ")
    return _WORD_RE.findall(text)


def shingles(body: str, k: int = SHINGLE_WORDS) -> set[bytes]:
    """The set of k-word runs of the normalised body (one shingle of all its words when it has fewer)."""
    w = words(body)
    if not w:
        return set()
    if len(w) < k:
        return {" ".join(w).encode("utf-8")}
    return {" ".join(w[i : i + k]).encode("utf-8") for i in range(len(w) - k + 1)}


def fingerprint(body: str) -> str:
    """The body's MinHash signature as text (``m1:<shingles>:<base64>``), or "" for a body under MIN_WORDS words."""
    if len(words(body)) < MIN_WORDS:
        return ""
    found = shingles(body)
    return f"{VERSION}:{len(found)}:{minhash(found).astype('<u4').tobytes().hex()}"


@dataclass(frozen=True)
class Signature:
    """A decoded fingerprint: the shingle count and the MinHash values."""

    size: int
    values: UInt32s


def decode(fp: str | None) -> Signature | None:
    """The signature in a fingerprint; None for "", None or another version's text."""
    if not fp:
        return None
    version, _, rest = fp.partition(":")
    size, _, packed = rest.partition(":")
    if version != VERSION or not size.isdigit() or len(packed) != 8 * NUM_PERM:
        return None
    try:
        values = np.frombuffer(bytes.fromhex(packed), dtype="<u4")
    except ValueError:
        return None
    return Signature(int(size), values)


def jaccard(a: str | Signature | None, b: str | Signature | None) -> float:
    """The MinHash estimate of the Jaccard similarity of two bodies' shingle sets (0 without signatures)."""
    sa, sb = _sig(a), _sig(b)
    if sa is None or sb is None:
        return 0.0
    return float(np.count_nonzero(sa.values == sb.values)) / NUM_PERM


def similarity(a: str | Signature | None, b: str | Signature | None) -> float:
    """The estimated share of the smaller body's shingles found in the other (containment), 0 to 1."""
    sa, sb = _sig(a), _sig(b)
    if sa is None or sb is None:
        return 0.0
    j = float(np.count_nonzero(sa.values == sb.values)) / NUM_PERM
    common = j * (sa.size + sb.size) / (1.0 + j)
    return min(1.0, common / min(sa.size, sb.size))


def similarities(sig: Signature, others: list[Signature]) -> np.ndarray[Any, np.dtype[np.float64]]:
    """`similarity(sig, o)` for every signature in `others`, in one vectorised pass."""
    if not others:
        return np.zeros(0)
    return _similarities(sig, np.stack([o.values for o in others]), np.array([o.size for o in others]))


def similarities_to(sig: Signature, fingerprints: list[str | None]) -> np.ndarray[Any, np.dtype[np.float64]]:
    """`similarity(sig, f)` for every fingerprint text (0 for "", None or another version's), decoded in one
    pass: what the store runs on the clippings of a date window."""
    scores = np.zeros(len(fingerprints))
    keep, sizes, packed = [], [], []
    for i, fp in enumerate(fingerprints):
        version, _, rest = (fp or "").partition(":")
        size, _, hexed = rest.partition(":")
        if version == VERSION and size.isdigit() and len(hexed) == 8 * NUM_PERM:
            keep.append(i)
            sizes.append(int(size))
            packed.append(hexed)
    if keep:
        try:
            matrix = np.frombuffer(bytes.fromhex("".join(packed)), dtype="<u4").reshape(len(keep), NUM_PERM)
        except ValueError:  # a damaged fingerprint: decode them one by one, skipping it
            return np.array([similarity(sig, fp) for fp in fingerprints])
        scores[keep] = _similarities(sig, matrix, np.array(sizes))
    return scores


def _similarities(sig: Signature, matrix: UInt32s, sizes: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    sizes = sizes.astype(np.float64)
    j = np.count_nonzero(matrix == sig.values, axis=1) / NUM_PERM
    common = j * (sizes + sig.size) / (1.0 + j)
    return np.minimum(1.0, common / np.minimum(sizes, sig.size))


def _sig(x: str | Signature | None) -> Signature | None:
    return x if isinstance(x, Signature) else decode(x)


def folded(name: str | None) -> str:
    """A name compared case- and punctuation-blind ("The Associated Press" = "the associated press")."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


@dataclass(frozen=True)
class StoryText:
    """What the grouping decision reads of a clipping: its body's fingerprint, its outlet and its agency."""

    fingerprint: str | None
    outlet: str
    agency: str | None = None


def agency_relation(a: StoryText, b: StoryText) -> str:
    """"same" (both credit one agency, or one's outlet is the agency the other credits), "conflict" (two
    different agencies credited), else "none"."""
    fa, fb = folded(a.agency), folded(b.agency)
    if fa and fb:
        return "same" if fa == fb else "conflict"
    if (fa and fa == folded(b.outlet)) or (fb and fb == folded(a.outlet)):
        return "same"
    return "none"


def decide(score: float, relation: str, threshold: float = THRESHOLD,
           agency_threshold: float = AGENCY_THRESHOLD) -> bool:
    """The grouping rule on a similarity and an agency relation (see the module docstring)."""
    if relation == "conflict":
        return False
    return score >= threshold or (relation == "same" and score >= agency_threshold)


def same_story(a: StoryText, b: StoryText, threshold: float = THRESHOLD,
               agency_threshold: float = AGENCY_THRESHOLD) -> bool:
    """True when the two clippings are one story: near-duplicate bodies, with agency evidence weighing in."""
    return decide(similarity(a.fingerprint, b.fingerprint), agency_relation(a, b), threshold, agency_threshold)
