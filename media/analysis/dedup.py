"""Near-duplicate items: MinHash signatures over normalised character shingles, LSH banding, exact Jaccard.

Our own vectorised MinHash rather than `datasketch`: datasketch hashes every shingle with SHA-1 in Python and
took 0.20 ms per 250-shingle item at 64 permutations on this machine (`MinHash.update_batch`), 40 % of the
whole per-item budget of the media pipeline (2,000 items/s). Here the shingles of an item are hashed in one
pass of numpy arithmetic on its code points (a polynomial hash of each window, wrapping in 64 bits) and the 64
permutations are the universal family h -> (a·h + b) >> 32 over 64-bit words, one broadcast and one `min`:
~20 µs an item. The estimator is the same (share of equal signature slots); candidates from LSH are then
verified by the exact Jaccard similarity of the shingle sets, so a hash collision never groups two items.

Shingles are windows of SHINGLE characters of `core.textnorm.normalize(text)` with spaces kept (word
boundaries carry information), so the same text in other spellings (أ/ا, ة/ه, accents, Arabizi digits) gives
the same shingles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain, repeat

import numpy as np
import numpy.typing as npt

SHINGLE = 5
PERMUTATIONS = 64
BANDS = 16  # 16 bands of 4 rows: a pair with Jaccard s is proposed with probability 1 - (1 - s**4)**16
ROWS = PERMUTATIONS // BANDS
THRESHOLD = 0.5  # exact Jaccard at or above which two items are near-duplicates (s=0.5 is proposed 64 % of
# the time by one band set, s=0.6 93 %, s=0.7 99.7 %)
SAME_TEXT = 0.9  # at or above: a copy, not indexed itself
MAX_VERIFIED = 4
BUCKET_MAX = 32  # items kept per band bucket (the latest)
ESTIMATE_MARGIN = 0.2  # 3 standard errors of a 64-slot estimate near 0.5: a true match is not dropped
_SEED = 20260415

_rng = np.random.default_rng(_SEED)
# Odd multipliers keep the map h -> a·h mod 2**64 a bijection, so distinct shingles stay distinct.
_A = _rng.integers(1, 2**63, PERMUTATIONS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _rng.integers(0, 2**63, PERMUTATIONS, dtype=np.uint64)
_BASE = np.uint64(1_000_003)
_POWERS = np.array([_BASE ** np.uint64(k) for k in range(SHINGLE - 1, -1, -1)], dtype=np.uint64)
_EMPTY = np.zeros(0, dtype=np.uint64)
_BAND_PREFIX = [bytes((b,)) for b in range(BANDS)]

Hashes = npt.NDArray[np.uint64]


def shingle_hashes(normalized: str) -> Hashes:
    """Sorted distinct 64-bit hashes of the SHINGLE-character windows of already-normalised text."""
    codes = np.frombuffer(normalized.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = codes.size - SHINGLE + 1
    if n <= 0:
        return np.unique(codes) if codes.size else _EMPTY
    h = codes[:n] * _POWERS[0]  # array arithmetic wraps silently in 64 bits
    for k in range(1, SHINGLE):
        h += codes[k : k + n] * _POWERS[k]
    return _sorted_distinct(h)


def _sorted_distinct(values: Hashes) -> Hashes:
    """np.unique(values) for a non-empty array, in a third of the time (np.unique's checks cost more than the
    sort of a few hundred hashes)."""
    values.sort()
    keep = np.empty(values.size, dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def signature(hashes: Hashes) -> npt.NDArray[np.uint32]:
    """MinHash signature (PERMUTATIONS slots) of a shingle-hash set; all ones for an empty set."""
    if hashes.size == 0:
        return np.full(PERMUTATIONS, np.iinfo(np.uint32).max, dtype=np.uint32)
    # Array arithmetic wraps silently in 64 bits. The shift is taken after the minimum: x -> x >> 32 never
    # decreases, so min(x >> 32) == min(x) >> 32, and one pass over the PERMUTATIONS x shingles block is saved.
    mixed = np.multiply(_A[:, None], hashes[None, :])
    mixed += _B[:, None]
    return (mixed.min(axis=1) >> np.uint64(32)).astype(np.uint32)


def jaccard(a: Hashes, b: Hashes) -> float:
    """Exact Jaccard similarity of two sorted distinct hash arrays."""
    if a.size == 0 or b.size == 0:
        return 0.0
    # Where each of a's hashes would sit in b; the ones found there are the common ones (both sorted, distinct).
    at = b.searchsorted(a)
    np.minimum(at, b.size - 1, out=at)  # past the end: b's last hash, smaller than a's, so not counted
    common = int(np.count_nonzero(b[at] == a))
    return common / (a.size + b.size - common)


@dataclass
class NearDuplicateIndex:
    """LSH over MinHash bands: `add` returns the earlier item an item nearly duplicates (or None), then indexes it.

    Items are referred to by the integer keys the caller gives. Memory is a few KB per item (its shingle
    hashes, for exact verification); `forget` drops items that left the time window the caller keeps.
    """

    threshold: float = THRESHOLD
    _buckets: dict[bytes, list[int]] = field(default_factory=dict)
    _hashes: dict[int, Hashes] = field(default_factory=dict)
    _bands: dict[int, list[bytes]] = field(default_factory=dict)
    _rows: dict[int, int] = field(default_factory=dict)
    _free: list[int] = field(default_factory=list)
    _matrix: npt.NDArray[np.uint32] = field(default_factory=lambda: np.zeros((0, PERMUTATIONS), dtype=np.uint32))

    def add(self, key: int, hashes: Hashes) -> tuple[int, float] | None:
        """Index `key`; return (the most similar earlier key, its exact Jaccard) when at or above threshold."""
        sig = signature(hashes)
        raw, width = sig.tobytes(), ROWS * 4
        # The band number is the key's first byte, so equal rows in different bands never collide.
        bands = [_BAND_PREFIX[b] + raw[b * width : (b + 1) * width] for b in range(BANDS)]
        candidates = list(dict.fromkeys(chain.from_iterable(map(self._buckets.get, bands, repeat(())))))
        best: tuple[int, float] | None = None
        for other in self._most_similar(sig, candidates):
            score = jaccard(hashes, self._hashes[other])
            if score >= self.threshold and (best is None or score > best[1]):
                best = (other, score)
        self._hashes[key] = hashes
        self._store_signature(key, sig)
        if best is not None and best[1] >= SAME_TEXT:
            return best  # a copy adds nothing to the buckets: its original answers for it
        for band in bands:
            bucket = self._buckets.setdefault(band, [])
            bucket.append(key)
            if len(bucket) > BUCKET_MAX:
                del bucket[0]  # a band every item of a template shares: the latest items answer for it
        self._bands[key] = bands
        return best

    def _store_signature(self, key: int, sig: npt.NDArray[np.uint32]) -> None:
        """Signatures live in one growing matrix so that a candidate set is compared in one numpy step."""
        row = self._free.pop() if self._free else len(self._rows)
        if row >= self._matrix.shape[0]:
            grown = np.zeros((max(1024, 2 * self._matrix.shape[0]), PERMUTATIONS), dtype=np.uint32)
            grown[: self._matrix.shape[0]] = self._matrix
            self._matrix = grown
        self._matrix[row] = sig
        self._rows[key] = row

    def _most_similar(self, sig: npt.NDArray[np.uint32], candidates: list[int]) -> list[int]:
        """The candidates worth an exact check: best full-signature estimates first, at most MAX_VERIFIED, none
        far below the threshold. Bounds the cost of a story copied a thousand times, or of a communiqué
        template every item of a wilaya shares."""
        if len(candidates) <= 1:
            return candidates
        rows = np.fromiter(map(self._rows.__getitem__, candidates), dtype=np.intp, count=len(candidates))
        agree = (self._matrix[rows] == sig).sum(axis=1)
        order = np.argsort(-agree, kind="stable")[:MAX_VERIFIED]
        floor = (self.threshold - ESTIMATE_MARGIN) * PERMUTATIONS
        return [candidates[i] for i, n in zip(order.tolist(), agree[order].tolist(), strict=True) if n >= floor]

    def forget(self, key: int) -> None:
        """Remove an item from the index (for a sliding window over a stream)."""
        for band in self._bands.pop(key, ()):
            bucket = self._buckets.get(band)
            if bucket is not None and key in bucket:
                bucket.remove(key)
                if not bucket:
                    del self._buckets[band]
        self._hashes.pop(key, None)
        if key in self._rows:
            self._free.append(self._rows.pop(key))

    def __len__(self) -> int:
        return len(self._hashes)
