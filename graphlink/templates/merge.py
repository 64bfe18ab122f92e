"""Near-duplicate scaffolds: MinHash over word shingles, LSH banding, connected components.

A *signature* is the set of scaffold segments one prompt contains.  The
paraphrased variants of one scaffold (synonyms swapped, a sentence added or
dropped, a per-request choice among wordings) are different signatures whose
word-shingle sets overlap heavily.  :func:`merge_signatures` joins every
pair whose estimated Jaccard similarity reaches ``threshold``; the groups are
the connected components.

The method is datasketch's: its ``affine32`` MinHash scheme (each 32-bit
shingle hash pre-mixed with the MurmurHash3 finalizer, then permuted by
``a * h + b mod 2**32`` with datasketch's own seeded ``a, b``) and the band
layout its :class:`~datasketch.MinHashLSH` picks for the threshold.  It is
applied to whole numpy matrices instead of one Python object per set:
building a :class:`~datasketch.MinHash` and querying the index per signature
cost about 0.6 ms each, a minute for the hundred thousand signatures a
million prompts produce; the matrix form does the same in about a second.
``tests/test_templates_merge.py`` checks the matrices equal datasketch's own.

A signature's MinHash is the element-wise minimum of its segments'
MinHashes (MinHash of a union), so each segment is hashed once however many
signatures contain it.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

# datasketch and scipy are imported where they are used: together they take
# a quarter of a second to import, which every command line call would pay.

__all__ = ["segment_minhashes", "signature_minhashes", "lsh_pairs", "near_duplicates", "merge_signatures", "SEED"]

SEED = 1
"""datasketch seed of the permutations (fixed: ids and groups must not change between runs)."""

def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (datasketch's pre-mix for ``affine32``); uint32 arithmetic wraps."""
    h = np.asarray(h, dtype=np.uint32).copy()
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h


def segment_minhashes(owner: np.ndarray, shingle: np.ndarray, num_perm: int, *, chunk: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """MinHash of every segment from its 32-bit shingle hashes.

    Parameters
    ----------
    owner : segment id of each shingle row, sorted (rows of one segment together).
    shingle : 32-bit hash of each shingle.
    num_perm : permutations.
    chunk : permutations computed per pass (bounds memory to 4 bytes * rows * chunk).

    Returns
    -------
    (ids, matrix)
        the distinct segment ids in order, and a ``len(ids) x num_perm``
        uint32 matrix: row i is the MinHash of segment ``ids[i]``.

    Notes
    -----
    O(R * num_perm) for R shingle rows; uint32 products wrap, which is the
    scheme's arithmetic modulo 2**32.
    """
    from datasketch import MinHash

    owner = np.asarray(owner)
    if len(owner) == 0:
        return owner[:0], np.zeros((0, num_perm), dtype=np.uint32)
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    ids = owner[starts]
    a, b = (np.asarray(x, dtype=np.uint32)[:, None] for x in MinHash(num_perm=num_perm, seed=SEED).permutations)
    hv = _fmix32(shingle)[None, :]
    out = np.empty((num_perm, len(ids)), dtype=np.uint32)
    with np.errstate(over="ignore"):
        for p in range(0, num_perm, chunk):
            out[p : p + chunk] = np.minimum.reduceat(a[p : p + chunk] * hv + b[p : p + chunk], starts, axis=1)
    return ids, np.ascontiguousarray(out.T)


def signature_minhashes(
    signatures: Sequence[Sequence[int]], seg_ids: np.ndarray, seg_matrix: np.ndarray
) -> np.ndarray:
    """MinHash of each signature: element-wise minimum over its segments' rows.

    Every segment of every signature must be in *seg_ids* (sorted); a
    signature without segments gets the empty-set MinHash (all ones).
    """
    n, p = len(signatures), seg_matrix.shape[1]
    lengths = np.fromiter((len(s) for s in signatures), dtype=np.int64, count=n)
    out = np.full((n, p), np.iinfo(np.uint32).max, dtype=np.uint32)
    nonempty = lengths > 0
    if not nonempty.any():
        return out
    flat = np.fromiter((h for s in signatures for h in s), dtype=seg_ids.dtype, count=int(lengths.sum()))
    rows = np.searchsorted(seg_ids, flat)
    offsets = np.r_[0, np.cumsum(lengths)[:-1]][nonempty]
    out[nonempty] = np.minimum.reduceat(seg_matrix[rows], offsets, axis=0)
    return out


def _bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """Bands and rows per band: datasketch's choice; one band of every row when it has none (threshold 1)."""
    from datasketch import MinHashLSH

    try:
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    except ValueError:
        return 1, num_perm
    return lsh.b, lsh.r


def lsh_pairs(matrix: np.ndarray, threshold: float) -> np.ndarray:
    """Candidate pairs: rows equal on at least one LSH band.

    The band count and width are those datasketch's MinHashLSH chooses for
    *threshold* and the matrix's permutation count.  Within a bucket each row
    is paired with the bucket's first row and with its predecessor, enough
    for connected components.  Returns an ``m x 2`` array of row indices.
    """
    n, num_perm = matrix.shape
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64)
    n_bands, width = _bands(threshold, num_perm)
    pairs = []
    for band in range(n_bands):
        keys = np.ascontiguousarray(matrix[:, band * width : (band + 1) * width])
        _, bucket = np.unique(keys.view(np.dtype((np.void, keys.dtype.itemsize * width))).ravel(), return_inverse=True)
        order = np.argsort(bucket, kind="stable")
        sb = bucket[order]
        same = np.flatnonzero(sb[1:] == sb[:-1]) + 1  # positions whose predecessor is in the same bucket
        if len(same) == 0:
            continue
        first = np.r_[0, np.flatnonzero(sb[1:] != sb[:-1]) + 1]
        head = first[np.searchsorted(first, same, side="right") - 1]
        pairs.append(np.stack([order[same - 1], order[same]], axis=1))
        pairs.append(np.stack([order[head], order[same]], axis=1))
    if not pairs:
        return np.zeros((0, 2), dtype=np.int64)
    allp = np.sort(np.concatenate(pairs), axis=1)
    allp = allp[allp[:, 0] != allp[:, 1]]
    return np.unique(allp, axis=0)


def near_duplicates(matrix: np.ndarray, threshold: float, *, batch: int = 200_000) -> np.ndarray:
    """Group the rows of a MinHash matrix whose estimated Jaccard similarity reaches *threshold*.

    Returns
    -------
    numpy.ndarray
        ``groups[i]`` is the smallest row index in the group of row i (so the
        numbering is deterministic).

    Notes
    -----
    Linear in rows and permutations, plus the candidate pairs.  Grouping is
    transitive (connected components), which is what joins a scaffold whose
    sentences are paraphrased independently per request or per account: any
    two of its variants differ little from a third.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(matrix)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    pairs = lsh_pairs(matrix, threshold)
    keep = np.zeros(len(pairs), dtype=bool)
    for s in range(0, len(pairs), batch):
        p = pairs[s : s + batch]
        keep[s : s + batch] = (matrix[p[:, 0]] == matrix[p[:, 1]]).mean(axis=1) >= threshold
    edges = pairs[keep]
    graph = coo_matrix((np.ones(len(edges), dtype=np.int8), (edges[:, 0], edges[:, 1])), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    smallest = np.full(labels.max() + 1, n, dtype=np.int64)
    np.minimum.at(smallest, labels, np.arange(n))
    return smallest[labels]


def merge_signatures(
    signatures: Sequence[Sequence[int]], seg_ids: np.ndarray, seg_matrix: np.ndarray, *, threshold: float
) -> np.ndarray:
    """Group near-duplicate signatures (sets of segment ids); see :func:`near_duplicates`.

    *seg_ids* (sorted) and *seg_matrix* are the MinHashes of at least the
    segments the signatures mention (:func:`segment_minhashes`).
    """
    return near_duplicates(signature_minhashes(signatures, seg_ids, seg_matrix), threshold)
