"""Template reuse: near-duplicate statements across reports (boilerplate, copying).

* :func:`template_reuse` — pairs of items from different reports with a character
  n-gram TF-IDF cosine of at least a threshold;
* :func:`template_clusters` — the items grouped into templates (connected pairs).

scikit-learn and scipy are imported inside the functions (heavy imports).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from analysis.problems.themes import item_statements
from analysis.ids import doc_id_table, with_doc_id_dtype

__all__ = ["MAX_EXACT", "REUSE_THRESHOLD", "ReusePairs", "distinct_tfidf", "item_ids", "ngram_text", "ngram_vectorizer", "reuse_pairs", "template_clusters",
           "template_reuse"]

#: Default cosine threshold of :func:`template_reuse` (see its docstring).
REUSE_THRESHOLD = 0.4

# punctuation and symbols -> space before n-gram vectorising, e.g. "单一,针对性" -> "单一 针对性"
_PUNCT = re.compile(r"[^\w]+")
# digit runs -> "0": years and counts differ between reports but not the template
_DIGITS = re.compile(r"\d+")


def ngram_text(text: str) -> str:
    """A statement as the n-gram vectoriser reads it: NFKC, digit runs as 0, punctuation as spaces."""
    # "普法宣传形式单一,2023年" -> "普法宣传形式单一 0年"
    return _PUNCT.sub(" ", _DIGITS.sub("0", unicodedata.normalize("NFKC", text))).strip()


def ngram_vectorizer(ngram_range: tuple[int, int]) -> Any:
    """The TF-IDF vectoriser of character n-grams that reuse and follow-through compare with."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=ngram_range,
        preprocessor=ngram_text,
        sublinear_tf=True,
        norm="l2",
        dtype=np.float64,
    )


def distinct_tfidf(texts: list[str], ngram_range: tuple[int, int]) -> tuple[Any, np.ndarray]:
    """The TF-IDF rows of :func:`ngram_vectorizer` fitted on ``texts``, one per distinct
    statement: ``(X, rows)`` with ``X[rows[i]]`` equal, to the last bit, to row ``i`` of
    ``ngram_vectorizer(ngram_range).fit_transform(texts)``.

    Statements that read the same once normalised (:func:`ngram_text`: digits as ``0``,
    punctuation as spaces) have the same vector; the n-grams are counted once per distinct
    statement and the document frequencies weighted by how often each occurs, so the IDF is
    the one fitted on every statement. A corpus of copied templates (synthetic corpora,
    boilerplate shared by a province's reports) holds far fewer distinct statements than
    items."""
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

    first: dict[str, int] = {}
    rows = np.empty(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        rows[i] = first.setdefault(ngram_text(text), len(first))
    reps = [""] * len(first)
    for i in range(len(texts) - 1, -1, -1):  # the first statement of each group represents it
        reps[rows[i]] = texts[i]
    base = ngram_vectorizer(ngram_range)
    counts = CountVectorizer(analyzer=base.analyzer, ngram_range=base.ngram_range, preprocessor=base.preprocessor,
                             dtype=base.dtype).fit_transform(reps).tocsr()
    weight = np.bincount(rows, minlength=len(reps)).astype(np.float64)
    entry_rows = np.repeat(np.arange(len(reps)), np.diff(counts.indptr))
    # TfidfTransformer's own formula (smooth_idf): log((n + 1) / (df + 1)) + 1, df over all statements
    df = np.bincount(counts.indices, weights=weight[entry_rows], minlength=counts.shape[1]) + 1.0
    idf = np.full_like(df, fill_value=len(texts) + 1, dtype=np.float64)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    tfidf = TfidfTransformer(norm=base.norm, use_idf=True, smooth_idf=base.smooth_idf, sublinear_tf=base.sublinear_tf)
    tfidf.fit(counts)
    tfidf.idf_ = idf
    return tfidf.transform(counts).tocsr(), rows


def item_ids(items: pd.DataFrame) -> pd.Series:
    """The id of each item within its report: ``item``, else ``path``, else 1..n."""
    if "item" in items.columns:
        return items["item"]
    if "path" in items.columns:
        return items["path"]
    return pd.Series(range(1, len(items) + 1), index=items.index)


def _block_size(n: int, budget: int = 4_000_000) -> int:
    return max(1, min(n, budget // max(n, 1)))


# A margin on the threshold for the candidate bound (see _prefixes): rounding in the bound
# and in the scores is far smaller, so no pair the exhaustive product keeps is missed.
_BOUND_MARGIN = 1e-6


def _prefixes(X: Any, threshold: float | np.ndarray) -> tuple[Any, np.ndarray]:
    """Each row's prefix (the features it must share with any row it reaches ``threshold``
    with, as a binary sparse matrix), and an order of the rows that puts likely partners
    together.

    Exact candidate pairs for a cosine threshold, by prefix filtering (Bayardo, Ma and
    Srikant, "Scaling up all pairs similarity search", WWW 2007; the L2 bound of
    Anastasiu and Karypis, ICDE 2014). Features are ranked once for all rows, the most
    frequent first; a row's suffix ``S`` is its run of most frequent features whose bound
    ``min(sum(x_f * m_f), ||x_S||)`` stays below the threshold (``m_f``: the largest
    weight of feature ``f`` in any row; rows have unit length), its prefix the rest. Two
    rows reaching the threshold share a feature that lies in both prefixes: if the prefix
    of ``x`` ends no later in the ranking than that of ``y``, a shared feature outside it
    lies in ``S_x``, and the features in ``S_x`` give at most the bound, less than the
    threshold. Suffixes hold the char n-grams every statement shares (法治, 工作), so
    prefixes hold rarer ones and few rows share them. The bound is taken on the safe side
    (``_BOUND_MARGIN``)."""
    from scipy.sparse import csr_matrix

    n, n_feat = X.shape
    indptr, indices, data = X.indptr, X.indices, X.data
    df = np.bincount(indices, minlength=n_feat)
    top = np.asarray(X.max(axis=0).todense()).ravel()
    # rank 0 = the most frequent feature (ties by feature index)
    rank = np.empty(n_feat, dtype=np.int64)
    rank[np.lexsort((np.arange(n_feat), -df))] = np.arange(n_feat)
    thresholds = None if np.isscalar(threshold) else np.asarray(threshold)
    kept_rows: list[np.ndarray] = []
    kept_cols: list[np.ndarray] = []
    # Rows in blocks of about _PREFIX_BLOCK entries (each row's prefix depends only on its own
    # entries and the global ranks and maxima): memory bounded whatever the corpus.
    lo = 0
    while lo < n:
        hi = int(np.searchsorted(indptr, indptr[lo] + _PREFIX_BLOCK, side="right")) - 1
        hi = min(n, max(hi, lo + 1))
        a, b = int(indptr[lo]), int(indptr[hi])
        counts = np.diff(indptr[lo : hi + 1])
        rows = np.repeat(np.arange(lo, hi, dtype=np.int64), counts)
        cols = indices[a:b]
        order = np.lexsort((rank[cols], rows))  # each row's entries, most frequent first
        w = data[a:b][order]
        start = np.repeat(indptr[lo:hi] - a, counts)  # where each entry's row starts in ``order``

        def running(values: np.ndarray, start: np.ndarray = start) -> np.ndarray:  # sums within each row
            total = np.cumsum(values)
            return total - np.where(start > 0, total[np.maximum(start - 1, 0)], 0.0)

        bound = np.minimum(running(w * top[cols[order]]), np.sqrt(running(w * w)))
        # (a threshold per row: the prefix of each row for its own threshold)
        thr = threshold if thresholds is None else thresholds[rows[order]]
        kept = np.sort(order[bound >= thr - _BOUND_MARGIN])  # (row by row, columns as in X)
        kept_rows.append(rows[kept].astype(np.int32))
        kept_cols.append(cols[kept])
        lo = hi
    k_rows = np.concatenate(kept_rows) if kept_rows else np.array([], dtype=np.int32)
    k_cols = np.concatenate(kept_cols) if kept_cols else np.array([], dtype=np.int32)
    # the prefix entries in CSR form directly (rows ascending; no COO copy)
    p_indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(k_rows, minlength=n), out=p_indptr[1:])
    P = csr_matrix((np.ones(k_rows.size, dtype=np.float64), k_cols, p_indptr), shape=(n, n_feat))
    if not P.has_sorted_indices:
        P.sort_indices()
    # rows ordered by their rarest feature (then index): copies of one template share it
    rarest = np.full(n, -1, dtype=np.int64)
    np.maximum.at(rarest, k_rows, rank[k_cols])
    return P, np.lexsort((np.arange(n), rarest))


#: Entries of X handled at once by :func:`_prefixes` (bounds its memory: ~60 bytes an entry).
_PREFIX_BLOCK = 2_000_000


def _block_pairs(
    r: np.ndarray, c: np.ndarray, v: np.ndarray, docs: np.ndarray, *, threshold: float, top_k: int | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The entries (row, column, cosine) of a block of products that count: other rows of
    other reports at the threshold, the ``top_k`` best per row (ties by column)."""
    mask = (c != r) & (v >= threshold - 1e-12)
    r, c, v = r[mask], c[mask], v[mask]
    diff = docs[r] != docs[c]
    r, c, v = r[diff], c[diff], v[diff]
    if top_k is not None and r.size:
        order = np.lexsort((c, -v, r))
        r, c, v = r[order], c[order], v[order]
        first = np.searchsorted(r, r, side="left")
        keep = (np.arange(r.size) - first) < top_k
        r, c, v = r[keep], c[keep], v[keep]
    return r, c, v

# The threshold of the partners of a saturated statement (see _distinct_entries): below any
# score of a unit vector with itself, above any other statement's score but a copy's.
_NEAR_ONE = 1.0 - 1e-6


def _statement_scores(
    X: Any, subset: np.ndarray, threshold: float | np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Entries (row, column, score) of the rows ``subset`` of ``X`` with every row they reach
    ``threshold`` with (one for all, or one per row), themselves included, computed as
    ``X[block] @ X[candidates].T``.

    With a threshold per row, a row's prefix is taken for its own threshold and the
    candidates' prefixes for the lowest: a pair at a row's threshold shares a feature of
    both prefixes taken for that threshold, and a lower threshold only lengthens a prefix."""
    P, order = _prefixes(X, threshold)
    lowest = threshold if np.isscalar(threshold) else float(np.min(np.asarray(threshold)[subset]))
    P_T = (P if np.isscalar(threshold) else _prefixes(X, lowest)[0]).T.tocsr()
    row_threshold = np.full(X.shape[0], threshold) if np.isscalar(threshold) else np.asarray(threshold)
    wanted = np.zeros(X.shape[0], dtype=bool)
    wanted[subset] = True
    order = order[wanted[order]]
    parts_r: list[np.ndarray] = [np.array([], dtype=np.int64)]
    parts_c: list[np.ndarray] = [np.array([], dtype=np.int64)]
    parts_v: list[np.ndarray] = [np.array([], dtype=np.float64)]
    step = _block_size(X.shape[0])
    for lo in range(0, order.size, step):
        block = np.sort(order[lo:lo + step])
        cand = np.unique((P[block] @ P_T).indices)
        if cand.size == 0:
            continue
        scores = (X[block] @ X[cand].T).tocoo()
        keep = scores.data >= row_threshold[block[scores.row]] - 1e-12
        parts_r.append(block[scores.row[keep]].astype(np.int64))
        parts_c.append(cand[scores.col[keep]].astype(np.int64))
        parts_v.append(scores.data[keep])
    return np.concatenate(parts_r), np.concatenate(parts_c), np.concatenate(parts_v)


def _raised_thresholds(
    X: Any, rows: np.ndarray, full: np.ndarray, msize: np.ndarray, threshold: float, need: int
) -> np.ndarray:
    """A threshold per statement (``threshold`` for the others) for the ``rows`` statements:
    the score at which their partners among the ``full`` (saturated) statements alone hold
    ``need`` items, when it is above ``threshold``. A statement's ``need`` best items then
    all score at least that much, so only partners above it are searched (few, when a
    statement is a variant of a template copied into many reports)."""
    out = np.full(X.shape[0], threshold, dtype=np.float64)
    if rows.size == 0 or full.size == 0 or rows.size * full.size > 20_000_000:
        return out
    scores = (X[rows] @ X[full].T).toarray()
    scores[scores < threshold - 1e-12] = -np.inf
    order = np.argsort(-scores, axis=1, kind="stable")
    ranked = np.take_along_axis(scores, order, axis=1)
    held = np.cumsum(np.where(np.isfinite(ranked), msize[full][order], 0), axis=1)
    enough = held[:, -1] >= need
    at = np.argmax(held >= need, axis=1)
    value = ranked[np.arange(rows.size), at]
    raised = enough & (value > threshold)
    out[rows[raised]] = value[raised]
    return out


def _distinct_entries(
    X: Any, rows: np.ndarray, docs: np.ndarray, *, threshold: float, top_k: int, sample: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The entries :func:`_block_pairs` gives for every item with ``top_k``, found on the
    distinct statements: ``X`` holds one row per distinct statement and item ``i`` reads
    ``X[rows[i]]``.

    Two items score what their statements score, computed in the same order as the
    product of their own rows, so every value is the same to the last bit. The statements
    are compared with each other (the candidates of :func:`_prefixes`, each with itself
    included); then each item takes, among the items of the statements its own reaches the
    threshold with, the ``top_k`` best of other reports (ties by item order). Items of one
    statement and one report share that list, and it lies within the first
    ``top_k + m`` candidates of their statement (``m``: the most items any report has), so
    only that many are gathered per statement.

    With ``sample``, the statements are compared with a bounded sample of their candidate
    statements (:func:`_sampled_entries`, as above :data:`MAX_EXACT` statements) instead of
    all of them, and each with itself: time and memory grow with the distinct statements,
    not with the items."""
    n_distinct = X.shape[0]
    empty = np.array([], dtype=np.int64)
    members = np.argsort(rows, kind="stable")  # the items of each statement, in item order
    mstart = np.searchsorted(rows[members], np.arange(n_distinct + 1))
    msize = np.diff(mstart)
    _, doc_code = np.unique(docs, return_inverse=True)
    doc_code = doc_code.astype(np.int64)
    need = top_k + int(np.bincount(doc_code).max())
    # A statement whose copies in other reports fill the top_k of each of its items whatever
    # its report (saturated) needs only the partners that score at least its score with
    # itself (about 1): the copies, and any statement with the same vector. They share one
    # of the rarest n-grams (the prefixes of a threshold near 1), so few are compared.
    n_docs = np.int64(doc_code.max() + 1)
    statement_doc, copies = np.unique(rows * n_docs + doc_code, return_counts=True)
    most_in_one_doc = np.zeros(n_distinct, dtype=np.int64)
    np.maximum.at(most_in_one_doc, statement_doc // n_docs, copies)
    saturated = msize - most_in_one_doc >= top_k
    parts = []
    if sample:
        # each statement's best partner statements in a sample (every statement of its own
        # "report", so only the statement itself is left out), then itself
        P, _ = _prefixes(X, threshold)
        parts.append(_sampled_entries(X, P, np.arange(n_distinct), threshold=threshold, top_k=need))
        step = max(1, _block_size(n_distinct))
        own = np.concatenate(
            [np.asarray(X[lo : lo + step].multiply(X[lo : lo + step]).sum(axis=1)).ravel() for lo in range(0, n_distinct, step)]
        )
        selves = np.flatnonzero(own >= threshold - 1e-12)
        parts.append((selves, selves.copy(), own[selves]))
        saturated[:] = False
    elif saturated.any():
        r, c, v = _statement_scores(X, np.flatnonzero(saturated), _NEAR_ONE)
        self_score = np.full(n_distinct, np.inf)
        self_score[r[r == c]] = v[r == c]
        keep = (v >= self_score[r]) & (v >= threshold - 1e-12)
        parts.append((r[keep], c[keep], v[keep]))
        saturated &= np.isfinite(self_score)  # (always; else compared in full below)
    if not sample and (~saturated).any():
        others = np.flatnonzero(~saturated)
        parts.append(_statement_scores(X, others, _raised_thresholds(X, others, np.flatnonzero(saturated), msize,
                                                                     threshold, need)))
    if not parts:
        return empty, empty, np.array([], dtype=np.float64)
    gr, gc, gv = (np.concatenate(x) for x in zip(*parts))
    if gr.size == 0:
        return empty, empty, np.array([], dtype=np.float64)
    by = np.lexsort((-gv, gr))  # each statement's partners, best first
    gr, gc, gv = gr[by], gc[by], gv[by]
    starts = np.searchsorted(gr, np.arange(n_distinct + 1))
    out_r: list[np.ndarray] = []
    out_c: list[np.ndarray] = []
    out_v: list[np.ndarray] = []
    for u in range(n_distinct):
        lo, hi = starts[u], starts[u + 1]
        if lo == hi:
            continue
        partners, values = gc[lo:hi], gv[lo:hi]
        total = np.cumsum(msize[partners])
        cut = int(np.searchsorted(total, need))  # the partner that completes ``need`` items
        if cut < partners.size:
            cut = int(np.searchsorted(-values, -values[cut], side="right"))  # and every tie with it
        partners, values = partners[:cut], values[:cut]
        cand = np.concatenate([members[mstart[w]:mstart[w + 1]] for w in partners])
        cval = np.repeat(values, msize[partners])
        pick = np.lexsort((cand, -cval))[:need]
        cand, cval = cand[pick], cval[pick]
        mine = members[mstart[u]:mstart[u + 1]]
        other = doc_code[mine][:, None] != doc_code[cand][None, :]
        rank = np.cumsum(other, axis=1)
        keep = other & (rank <= top_k)
        i, j = np.nonzero(keep)
        out_r.append(mine[i])
        out_c.append(cand[j])
        out_v.append(cval[j])
    if not out_r:
        return empty, empty, np.array([], dtype=np.float64)
    return np.concatenate(out_r), np.concatenate(out_c), np.concatenate(out_v)


#: Statements are compared once per distinct text (:func:`_distinct_entries`) when the
#: distinct ones are at most this share of the items (below it the items are compared).
_DISTINCT_SHARE = 0.5

#: Above this many statements, :func:`template_reuse` and :func:`template_clusters` compare
#: each statement with a sample of its candidates (see :func:`_sampled_entries`) when
#: ``top_k`` is set; up to it, with every candidate (the result is exact).
MAX_EXACT = 10_000
# The sample: for each of _SAMPLE_HASHES min-hashes of the prefixes, the rows sorted by it
# are cut into runs of _SAMPLE_RUN rows, and the rows of each run are compared.
_SAMPLE_HASHES = 8
_SAMPLE_RUN = 32
# A prime above any feature or row number, for the hashes (products stay below 2**63).
_PRIME = 2_147_483_647


def _dedupe_top_k(r: np.ndarray, c: np.ndarray, v: np.ndarray, n: int, top_k: int) -> tuple[np.ndarray, ...]:
    """Each (row, column) entry once, then the ``top_k`` best per row (ties by column)."""
    _, once = np.unique(r * n + c, return_index=True)
    r, c, v = r[once], c[once], v[once]
    order = np.lexsort((c, -v, r))
    r, c, v = r[order], c[order], v[order]
    keep = (np.arange(r.size) - np.searchsorted(r, r, side="left")) < top_k
    return r[keep], c[keep], v[keep]


def _sampled_entries(
    X: Any, P: Any, docs: np.ndarray, *, threshold: float, top_k: int, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's ``top_k`` best partners among a sample of its candidates, for a corpus
    too large to compare every candidate: rows whose prefixes (``P``) share their smallest
    hash (a min-hash: shared with a probability equal to the Jaccard similarity of the
    prefixes) sit next to each other when the rows are sorted by it; the sorted rows are
    cut into runs of ``_SAMPLE_RUN`` and the rows of a run compared (one sparse product),
    for ``_SAMPLE_HASHES`` hashes, ties in a random order (so that the copies of a template
    copied thousands of times meet different copies under each hash) and the runs of odd
    hashes shifted by half a run. At most ``_SAMPLE_HASHES * _SAMPLE_RUN`` comparisons per
    row and ``top_k`` entries kept per row, whatever the corpus; deterministic for a
    given ``seed``. Entries as :func:`_block_pairs` gives them."""
    n = P.shape[0]
    empty = np.array([], dtype=np.int64)
    best: tuple[np.ndarray, ...] = (empty, empty, np.array([], dtype=np.float64))
    has = np.flatnonzero(np.diff(P.indptr))
    if has.size < 2:
        return best
    rng = np.random.default_rng(seed)
    feats = P.indices.astype(np.int64)
    firsts = P.indptr[:-1][has]
    for k in range(_SAMPLE_HASHES):
        a, b, c, d = rng.integers(1, _PRIME, size=4)
        key = np.minimum.reduceat((a * feats + b) % _PRIME, firsts)
        ordered = has[np.lexsort(((c * has + d) % _PRIME, key))]
        found = [best]
        for lo in range(-(_SAMPLE_RUN // 2) * (k % 2), ordered.size, _SAMPLE_RUN):
            run = np.sort(ordered[max(lo, 0) : lo + _SAMPLE_RUN])
            if run.size < 2:
                continue
            scores = (X[run] @ X[run].T).tocoo()
            found.append(_block_pairs(run[scores.row], run[scores.col], scores.data, docs,
                                      threshold=threshold, top_k=None))
        best = _dedupe_top_k(*(np.concatenate(parts) for parts in zip(*found)), n=n, top_k=top_k)
    return best


def _similar_pairs(
    X: Any, docs: np.ndarray, *, threshold: float, top_k: int | None, exhaustive: bool = False,
    max_exact: int | None = MAX_EXACT, rows: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (a < b) of rows of the L2-normalised sparse matrix X from different docs with cosine >= threshold.

    With ``rows``, ``X`` holds one row per distinct statement and row ``i`` of the matrix
    compared is ``X[rows[i]]`` (:func:`distinct_tfidf`); with ``top_k`` and at most
    ``max_exact`` distinct statements, fewer than :data:`_DISTINCT_SHARE` of the rows, the
    statements are compared instead of the rows (:func:`_distinct_entries`), with the same
    result.

    Candidates first: a row is compared only with the rows whose prefix shares a feature
    with its own (:func:`_prefixes`), which include every row it reaches the threshold with;
    its scores with them are computed as ``X[block] @ X[candidates].T`` (sparse), the
    same sums in the same order as the product with all rows, so every score is the
    same to the last bit as the exhaustive one (``exhaustive=True``, kept for tests):
    the result is identical, in a fraction of the time when most pairs share only
    common n-grams. Rows go in blocks, so memory is bounded by the block size, never
    n x n. With ``top_k``, each row keeps only its ``top_k`` best partners (ties by row
    order) before pairs are merged, so the output is at most ``n * top_k`` pairs even
    when a template is copied into thousands of reports (the comparisons within such a
    template still grow with the square of its copies). A pair's score is the larger of
    its two computed values (they can differ in the last bit), so the result is exactly
    symmetric and deterministic.

    Above ``max_exact`` rows, with ``top_k`` set, each row is compared with a bounded
    sample of its candidates instead (:func:`_sampled_entries`): time and memory linear in
    the rows, scores still exact, but a row may miss some of its true ``top_k`` partners
    (rows of a template copied into thousands of reports find others of its copies).
    When the statements are compared instead of the rows, the sample is one of statements
    (above ``max_exact`` distinct statements): at 100,000 synthetic reports, 20,567
    statements instead of 348,892 items (36 s and 2.4 GiB instead of 188 s and 11 GiB).
    """
    keys: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    by_statement = False
    if rows is not None:
        distinct = X.shape[0]
        if not exhaustive and top_k is not None and distinct <= _DISTINCT_SHARE * rows.size:
            n = rows.size
            by_statement = True
            # above max_exact statements, a sample of each statement's candidates (as for rows)
            sample = max_exact is not None and distinct > max_exact
            r, c, v = _distinct_entries(X, rows, docs, threshold=threshold, top_k=top_k, sample=sample)
            keys.append(np.minimum(r, c) * n + np.maximum(r, c))
            vals.append(v)
        else:
            X = X[rows]
    n = X.shape[0] if rows is None else rows.size
    step = _block_size(n)
    if by_statement:
        pass
    elif exhaustive:
        XT = X.T.tocsc()
        for lo in range(0, n, step):
            block = (X[lo:lo + step] @ XT).tocoo()
            r, c, v = _block_pairs(block.row.astype(np.int64) + lo, block.col.astype(np.int64), block.data, docs,
                                   threshold=threshold, top_k=top_k)
            keys.append(np.minimum(r, c) * n + np.maximum(r, c))
            vals.append(v)
    elif top_k is not None and max_exact is not None and n > max_exact:
        P, _ = _prefixes(X, threshold)
        r, c, v = _sampled_entries(X, P, docs, threshold=threshold, top_k=top_k)
        keys.append(np.minimum(r, c) * n + np.maximum(r, c))
        vals.append(v)
    else:
        P, rows_order = _prefixes(X, threshold)
        P_T = P.T.tocsr()
        for lo in range(0, n, step):
            block = np.sort(rows_order[lo:lo + step])
            reach = P[block] @ P_T  # rows whose prefix shares a feature with a block row's
            cand = np.unique(reach.indices)
            if cand.size == 0:
                continue
            scores = (X[block] @ X[cand].T).tocoo()
            r, c, v = _block_pairs(block[scores.row], cand[scores.col], scores.data, docs,
                                   threshold=threshold, top_k=top_k)
            keys.append(np.minimum(r, c) * n + np.maximum(r, c))
            vals.append(v)
    if not keys:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64), np.array([], dtype=float)
    key = np.concatenate(keys)
    val = np.concatenate(vals)
    if key.size == 0:
        return key, key.copy(), val
    order = np.lexsort((-val, key))
    key, val = key[order], val[order]
    first = np.ones(key.size, dtype=bool)
    first[1:] = key[1:] != key[:-1]
    key, val = key[first], val[first]
    return key // n, key % n, val


@doc_id_table
def template_reuse(
    items: pd.DataFrame,
    *,
    threshold: float = REUSE_THRESHOLD,
    ngram_range: tuple[int, int] = (2, 4),
    min_chars: int = 8,
    top_k: int | None = 10,
    max_exact: int | None = MAX_EXACT,
    text_col: str = "text",
    body_col: str = "body",
) -> pd.DataFrame:
    """Near-duplicate statements across different reports (boilerplate, copying).

    Each item (headline + body when a ``body`` column exists) is turned into a
    TF-IDF vector of character 2- to 4-grams (scikit-learn ``char_wb``; digits
    mapped to ``0`` so that changed years and counts do not hide a template,
    punctuation treated as a break, sublinear tf, IDF fitted on ``items``).
    Pairs of items from **different** reports whose cosine similarity is at
    least ``threshold`` are returned.

    Threshold rationale (default 0.4), measured on full shortcoming items
    (headline + body, 50-250 characters): items of the five seed reports,
    written independently, score at most about 0.12 against each other even
    when they share a topic ("执法水平有待提升" vs "执法专业化水平有待进一步
    提高"); a heavy paraphrase of one item (same points, reworded) about
    0.3-0.37; a rewrite that keeps the template and changes some words
    0.45; a copy with a few words changed about 0.75; a verbatim copy 1.0.
    0.4 thus flags reuse of a template while leaving alone statements that
    merely share a topic.  Short statements (headlines only) share a larger
    part of their n-grams by chance (up to about 0.2 in the seeds), so keep
    the threshold at 0.4 or above for them.  The tests pin these orders of
    magnitude.

    Only candidate pairs are scored: two statements can reach the threshold
    only if they share one of the rarer n-grams of each (prefix filtering, see
    ``_prefixes`` in the source), so pairs that share only common n-grams
    (法治, 工作) are never computed; the scores of the candidates are exact, and
    up to ``max_exact`` statements the result is the same as comparing every
    pair.  Beyond, with ``top_k`` set, each statement is compared with a
    bounded sample of its candidates (runs of statements sorted by min-hashes
    of their rarer n-grams): time and memory grow linearly, every score is
    exact, but a statement whose template was copied into thousands of reports
    may keep other near-copies than its very best ones.  The products run in
    row blocks, never as a dense n x n matrix.

    Copies are compared once: statements that read the same once normalised
    share one vector (``distinct_tfidf``, the IDF still counting every copy),
    and when the distinct statements are at most half the items, the distinct
    statements are compared (all their candidates up to ``max_exact`` distinct
    statements, a sample of them above) and each item takes its
    ``top_k`` among the items of its statement's partners: the same pairs and
    scores, to the last bit, as comparing the items.  A statement whose copies
    in other reports fill every one of its items' ``top_k`` looks only for
    partners scoring as much as its copies, found by the prefixes of a
    threshold near 1.  On this project's 2-core machine, the shortcoming items
    of the synthetic benchmark corpora (copies of the seeds' items, plus
    variants): 2,000 reports (6,941 items, 426 distinct) 4.5 s before, 0.9 s
    after; 10,000 reports (34,965 items, 2,039 distinct) 17.3 s sampled before,
    13.6 s exact after; 100,000 reports (348,892 items, 20,567 distinct, sampled)
    188 s and 11 GiB when the items were sampled, 36 s and 2.4 GiB now.
    :func:`reuse_pairs` gives the pairs without building the rows, so that a large
    table can be written in batches (the command line does).

    Parameters
    ----------
    items
        ``doc_id`` and ``text`` (problem items from ``extract_problems`` or plan
        items from :func:`plan_items`); ``item``/``path``, ``start``, ``end``
        and ``body`` are used when present.
    threshold
        Minimum cosine similarity, in (0, 1].
    ngram_range
        Character n-gram lengths.
    min_chars
        Statements with fewer characters (after normalising) are skipped.
    top_k
        Each item keeps at most its ``top_k`` most similar partners (``None``:
        all pairs).  A template copied into m reports otherwise yields m(m-1)/2
        pairs; with ``top_k`` the output stays linear in the number of items.
    max_exact
        Up to this many statements (default :data:`MAX_EXACT`, 10,000), every
        candidate pair is scored and the result is exact; above it, with
        ``top_k`` set, a bounded sample of candidates per statement.  ``None``:
        always exact.

    Returns
    -------
    pandas.DataFrame
        One row per pair, side by side: ``doc_a``, ``item_a``, ``text_a``,
        ``doc_b``, ``item_b``, ``text_b``, ``score`` (rounded to 4 decimals),
        plus ``start_a``, ``end_a``, ``start_b``, ``end_b`` when offsets are
        given.  ``doc_a`` < ``doc_b`` by row order of the input; sorted by score
        (descending), then doc and item.

    Examples
    --------
    >>> items = pd.DataFrame({"doc_id": ["a", "b", "c"], "item": [1, 1, 1], "text": [
    ...     "普法宣传形式单一,针对性和实效性不强。",
    ...     "普法宣传形式较为单一,针对性和实效性还不强。",
    ...     "规范性文件备案工作有待加强。"]})
    >>> template_reuse(items)[["doc_a", "doc_b"]].values.tolist()
    [['a', 'b']]
    """
    pairs = reuse_pairs(
        items, threshold=threshold, ngram_range=ngram_range, min_chars=min_chars, top_k=top_k,
        max_exact=max_exact, text_col=text_col, body_col=body_col,
    )
    return pairs.rows(0, len(pairs))


class ReusePairs(NamedTuple):
    """The pairs of :func:`template_reuse` before their rows are built (arrays, in the
    table's row order), so that a large table can be written in batches of rows
    (:meth:`rows`) without holding every row's two texts at once."""

    docs: np.ndarray
    ids: np.ndarray
    texts: np.ndarray
    starts: np.ndarray | None
    ends: np.ndarray | None
    a: np.ndarray
    b: np.ndarray
    score: np.ndarray
    columns: list[str]

    def __len__(self) -> int:
        return int(self.a.size)

    def rows(self, lo: int, hi: int) -> pd.DataFrame:
        """Rows ``lo:hi`` of the table (columns and dtypes as :func:`template_reuse`'s)."""
        if not len(self):
            return with_doc_id_dtype(_empty_pairs(self.columns))
        a, b = self.a[lo:hi], self.b[lo:hi]
        out = pd.DataFrame(
            {
                "doc_a": self.docs[a],
                "item_a": self.ids[a],
                "text_a": self.texts[a],
                "doc_b": self.docs[b],
                "item_b": self.ids[b],
                "text_b": self.texts[b],
                "score": self.score[lo:hi],
            }
        )
        if self.starts is not None and self.ends is not None:
            out["start_a"], out["end_a"] = self.starts[a], self.ends[a]
            out["start_b"], out["end_b"] = self.starts[b], self.ends[b]
        out = out.astype({"doc_a": "str", "doc_b": "str", "text_a": "str", "text_b": "str"})[self.columns]
        return with_doc_id_dtype(out)


def reuse_pairs(
    items: pd.DataFrame,
    *,
    threshold: float = REUSE_THRESHOLD,
    ngram_range: tuple[int, int] = (2, 4),
    min_chars: int = 8,
    top_k: int | None = 10,
    max_exact: int | None = MAX_EXACT,
    text_col: str = "text",
    body_col: str = "body",
) -> ReusePairs:
    """:func:`template_reuse`'s pairs as arrays in the table's order (see :class:`ReusePairs`)."""
    if not 0 < threshold <= 1:
        raise ValueError("threshold must be in (0, 1]")
    has_pos = {"start", "end"} <= set(items.columns)
    cols = ["doc_a", "item_a", "text_a", "doc_b", "item_b", "text_b", "score"]
    if has_pos:
        cols += ["start_a", "end_a", "start_b", "end_b"]
    none = np.array([], dtype=np.int64)
    empty = ReusePairs(none, none, none, None, None, none, none, np.array([], dtype=np.float64), cols)
    statements = item_statements(items, text_col=text_col, body_col=body_col)
    keep = np.asarray(statements.map(lambda s: len(ngram_text(s).replace(" ", "")) >= min_chars), dtype=bool)
    # (only the columns the pairs show: the items' own texts are not copied)
    texts = statements.to_numpy(dtype=object)[keep]
    del statements
    docs = items["doc_id"].astype(str).to_numpy()[keep]
    if texts.size < 2 or len(set(docs)) < 2:
        return empty
    X, rows = distinct_tfidf(texts.tolist(), ngram_range)
    a, b, s = _similar_pairs(X, docs, threshold=threshold, top_k=top_k, max_exact=max_exact, rows=rows)
    del X, rows
    if a.size == 0:
        return empty
    score = np.minimum(np.round(s, 4), 1.0)
    # by score (descending), then the rows of the pair (a < b, as the input's order)
    order = np.lexsort((b, a, -score))
    return ReusePairs(
        docs,
        item_ids(items).to_numpy()[keep],
        texts,
        items["start"].to_numpy()[keep] if has_pos else None,
        items["end"].to_numpy()[keep] if has_pos else None,
        a[order],
        b[order],
        score[order],
        cols,
    )


@doc_id_table
def template_clusters(
    items: pd.DataFrame,
    *,
    threshold: float = REUSE_THRESHOLD,
    ngram_range: tuple[int, int] = (2, 4),
    min_chars: int = 8,
    top_k: int | None = 10,
    max_exact: int | None = MAX_EXACT,
    text_col: str = "text",
    body_col: str = "body",
) -> pd.DataFrame:
    """Group near-duplicate statements into templates (connected pairs of :func:`template_reuse`).

    Two items belong to the same template when a chain of cross-report pairs
    with cosine >= ``threshold`` links them (connected components of the pair
    graph, ``scipy.sparse.csgraph``).  Useful on large corpora, where the pair
    list is long: the templates shared by the most reports are the boilerplate.
    Parameters as in :func:`template_reuse` (above ``max_exact`` statements the
    pairs are found from a sample of candidates, which still links the copies of
    a template).

    Returns
    -------
    pandas.DataFrame
        The input rows (same order and index) plus ``template`` (an int, numbered
        1.. in order of first appearance; items too short to compare get 0),
        ``template_reports`` (number of distinct reports using the template)
        and ``template_items`` (number of items in it).

    Examples
    --------
    >>> items = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": [
    ...     "普法宣传形式单一,针对性和实效性不强。", "普法宣传形式较为单一,针对性和实效性还不强。", "规范性文件备案工作有待加强。"]})
    >>> template_clusters(items)[["template", "template_reports"]].values.tolist()
    [[1, 2], [1, 2], [2, 1]]
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    out = items.copy()
    statements = item_statements(items, text_col=text_col, body_col=body_col)
    keep = statements.map(lambda t: len(ngram_text(t).replace(" ", "")) >= min_chars).to_numpy()
    pos = np.flatnonzero(keep)
    template = np.zeros(len(items), dtype=np.int64)
    if pos.size:
        docs = items["doc_id"].astype(str).to_numpy()[pos]
        X, rows = distinct_tfidf(statements.iloc[pos].tolist(), ngram_range)
        a, b, _ = _similar_pairs(X, docs, threshold=threshold, top_k=top_k, max_exact=max_exact, rows=rows)
        graph = coo_matrix((np.ones(a.size), (a, b)), shape=(pos.size, pos.size))
        _, labels = connected_components(graph, directed=False)
        # renumber components 1.. by first appearance
        first: dict[int, int] = {}
        for lab in labels:
            first.setdefault(int(lab), len(first) + 1)
        template[pos] = [first[int(lab)] for lab in labels]
    out["template"] = template
    frame = pd.DataFrame({"template": template, "doc_id": items["doc_id"].astype(str).to_numpy()})
    reports = frame.groupby("template")["doc_id"].nunique()
    sizes = frame.groupby("template").size()
    out["template_reports"] = np.where(template > 0, reports.reindex(template).to_numpy(), 0).astype(np.int64)
    out["template_items"] = np.where(template > 0, sizes.reindex(template).to_numpy(), 0).astype(np.int64)
    return out


def _empty_pairs(cols: list[str]) -> pd.DataFrame:
    dtypes = {"score": "float64", "start_a": "int64", "end_a": "int64", "start_b": "int64", "end_b": "int64",
              "item_a": "object", "item_b": "object"}
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "str")) for c in cols})
