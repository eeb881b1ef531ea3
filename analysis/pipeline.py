"""Run every stage on a corpus, in parallel over documents, on one machine or on Dask.

Every stage after loading works one document at a time, so the corpus is cut into
chunks of whole documents (in corpus order), each chunk goes through all the stages in
one worker, and the per-chunk tables are concatenated back in document order. The result
is the same table whatever the number of workers or the engine:

- ``engine="pandas"``: a process pool on this machine (``n_jobs`` processes, default all
  cores; ``n_jobs=1`` runs in this process).
- ``engine="dask"``: the same chunk function mapped over a ``dask.bag`` with one
  partition per chunk, on a ``distributed`` cluster: give the scheduler's address
  (``scheduler="tcp://10.0.0.5:8786"``) or a ``distributed.Client``; without one a local
  cluster of ``n_jobs`` worker processes is started for the call and closed after.

Tokens are reduced to term counts per document and part inside the workers: the token
table of ten thousand reports runs to tens of millions of rows and is never built in
one place (``analysis.tokenize`` gives it for any subset you want to read token by token).
"""

from __future__ import annotations

import inspect
import os
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = [
    "TABLES",
    "STAGES",
    "count_terms",
    "default_chunk_size",
    "process_chunk",
    "run_pipeline",
    "run_pipeline_timed",
    "term_counts",
    "terms_matrix",
    "warm_up",
]

#: Tables returned by :func:`run_pipeline`, in order.
TABLES = ("corpus", "sections", "problems", "indicators", "audit", "compliance", "terms")
#: Stages timed inside each chunk (CPU seconds; see :func:`run_pipeline_timed`).
STAGES = ("load", "sections", "problems", "indicators", "audit", "compliance", "terms")
#: Chunks per worker when the chunk size is not given (see :func:`default_chunk_size`).
CHUNKS_PER_WORKER = 8
#: Bounds of the default chunk size, in documents.
MIN_CHUNK_SIZE, MAX_CHUNK_SIZE = 10, 500
#: Columns of the ``terms`` table.
TERMS_COLUMNS = ("doc_id", "part", "term", "n")


# --------------------------------------------------------------------------- the chunk


def _stage_functions() -> dict[str, Callable[..., Any]]:
    import analysis

    return {
        "parse_sections": analysis.parse_sections,
        "extract_problems": analysis.extract_problems,
        "code_problems": analysis.code_problems,
        "extract_indicators_and_audit": analysis.extract_indicators_and_audit,
        "compliance": analysis.compliance,
    }


def count_terms(tokens: pd.DataFrame) -> pd.DataFrame:
    """Term counts per document (and part, when tokens carry one), from a token table.

    Parameters
    ----------
    tokens
        Table from :func:`analysis.tokenize` (``doc_id``, ``term``, optional ``part``;
        categorical or string columns).

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``part`` (NA when the tokens have no part), ``term``, ``n`` (int64):
        one row per document, part and term. Documents in order of first appearance;
        within a document, parts in the order they first appear in it; within a part,
        ``n`` descending, then ``term`` ascending. The order depends only on each
        document's own tokens, so counting chunks of documents and concatenating gives
        the table of the whole.

    Examples
    --------
    >>> tok = pd.DataFrame({"doc_id": ["a", "a", "a", "b"], "part": ["p", "p", "p", "p"],
    ...                     "term": ["执法", "普法", "执法", "调解"]})
    >>> count_terms(tok).values.tolist()
    [['a', 'p', '执法', 2], ['a', 'p', '普法', 1], ['b', 'p', '调解', 1]]
    """
    if tokens.empty:
        return _empty_terms()
    d_codes, d_uniques = pd.factorize(tokens["doc_id"], sort=False)
    t_codes, t_uniques = pd.factorize(tokens["term"], sort=False)
    if "part" in tokens.columns:
        p_codes, p_uniques = pd.factorize(tokens["part"], sort=False)  # NA -> -1
    else:
        p_codes, p_uniques = np.full(len(tokens), -1, dtype=np.int64), pd.Index([])
    n_parts = len(p_uniques) + 1
    n_terms = max(len(t_uniques), 1)
    d_codes = d_codes.astype(np.int64)
    p_codes = p_codes.astype(np.int64) + 1
    t_codes = t_codes.astype(np.int64)
    doc_part = d_codes * n_parts + p_codes
    keys, counts = np.unique(doc_part * n_terms + t_codes, return_counts=True)
    k_doc_part = keys // n_terms
    k_term = keys % n_terms
    # parts within a document: in order of their first token in that document
    dp_values, dp_first = np.unique(doc_part, return_index=True)
    dp_rank = np.empty(len(dp_values), dtype=np.int64)
    dp_rank[np.argsort(dp_first, kind="stable")] = np.arange(len(dp_values))
    k_dp_rank = dp_rank[np.searchsorted(dp_values, k_doc_part)]
    term_strings = np.asarray(t_uniques.astype(str), dtype=object)
    term_rank = np.empty(len(term_strings), dtype=np.int64)
    term_rank[np.argsort(term_strings, kind="stable")] = np.arange(len(term_strings))
    order = np.lexsort((term_rank[k_term], -counts, k_dp_rank, k_doc_part // n_parts))
    doc_strings = np.asarray(d_uniques.astype(str), dtype=object)
    part_strings = np.asarray([None, *(str(p) for p in p_uniques)], dtype=object)
    return pd.DataFrame(
        {
            "doc_id": pd.array(doc_strings[(k_doc_part // n_parts)[order]], dtype="string"),
            "part": pd.array(part_strings[(k_doc_part % n_parts)[order]], dtype="string"),
            "term": pd.array(term_strings[k_term[order]], dtype="string"),
            "n": counts[order].astype(np.int64),
        }
    )


# tokenize() options the fast counting path understands (anything else: tokenize itself).
_FAST_OPTIONS = frozenset({"stopwords", "boilerplate", "min_chars", "drop_numbers", "backend", "hmm"})


def term_counts(corpus: pd.DataFrame, **tokenize_options: Any) -> pd.DataFrame:
    """``count_terms(analysis.tokenize(corpus, **tokenize_options))``, without the token table.

    The pipeline's way of counting terms: the same segmenter, the same stopwords and
    the same rules for what is a term as :func:`analysis.tokenize` (its own helpers,
    so the two cannot drift apart unnoticed: ``tests/test_pipeline.py`` checks equality),
    but the words are counted in one vectorised pass (Arrow encoding, numpy counts)
    instead of building one row per token with its offsets and part-of-speech tag: the
    segmenter's own time plus little more. Memory holds the words of one call (a chunk).
    Options :func:`analysis.tokenize` has but this path does not know fall back to it.

    Parameters
    ----------
    corpus
        Reports or sections (``doc_id``, ``text``; optional ``part``, ``start``, ``end``),
        as for :func:`analysis.tokenize`.
    **tokenize_options
        ``stopwords``, ``boilerplate``, ``min_chars``, ``drop_numbers``, ``backend``,
        ``hmm``.

    Returns
    -------
    pandas.DataFrame
        As :func:`count_terms`: ``doc_id``, ``part``, ``term``, ``n``.
    """
    from analysis import keywords

    if set(tokenize_options) - _FAST_OPTIONS:
        return count_terms(keywords.tokenize(corpus, **tokenize_options))
    missing = {"doc_id", "text"} - set(corpus.columns)
    if missing:
        raise KeyError(f"term_counts needs columns {sorted(missing)}")
    defaults = inspect.signature(keywords.tokenize).parameters
    opt = {k: tokenize_options.get(k, defaults[k].default) for k in _FAST_OPTIONS}
    segmenter = keywords.get_segmenter(opt["backend"], hmm=opt["hmm"])
    drop = keywords._wordset(opt["stopwords"], "function") | keywords._wordset(opt["boilerplate"], "boilerplate")
    min_chars, drop_numbers = opt["min_chars"], opt["drop_numbers"]
    has_word_char, is_number = keywords._HAS_WORD_CHAR.search, keywords._NUMBER.match

    def keep_type(word: str) -> bool:  # the rule of analysis.tokenize
        if len(word) < min_chars or word in drop or not has_word_char(word):
            return bool(not drop_numbers and len(word) >= min_chars and is_number(word) and word not in drop)
        return not (drop_numbers and is_number(word))

    frame = corpus
    if "start" in frame.columns and "end" in frame.columns and len(frame):
        frame = keywords._outermost_rows(frame)
    docs = frame["doc_id"].astype(str).tolist()
    parts = frame["part"].tolist() if "part" in frame.columns else [None] * len(frame)

    # Segment every text into one flat word list; remember each row's bucket (doc, part).
    words: list[str] = []
    lengths: list[int] = []
    row_bucket: list[int] = []
    bucket_of: dict[tuple[str, Any], int] = {}
    cut = segmenter.cut
    for doc, text, part in zip(docs, frame["text"].tolist(), parts):
        if not isinstance(text, str) or not text:
            continue
        if part is not None and not isinstance(part, str) and pd.isna(part):
            part = None
        row_bucket.append(bucket_of.setdefault((doc, part), len(bucket_of)))
        cut_words = cut(text)
        words.extend(cut_words)
        lengths.append(len(cut_words))
    if not words:
        return _empty_terms()
    # word ids in order of first appearance (Arrow's hash encoding: faster than
    # pd.factorize on an object array of millions of words)
    encoded = pa.array(words, type=pa.large_string()).dictionary_encode()
    del words
    codes = encoded.indices.to_numpy().astype(np.int64)
    uniques = encoded.dictionary.to_numpy(zero_copy_only=False)
    # the rule of analysis.tokenize, decided once per distinct word
    keep_word = np.fromiter((keep_type(w) for w in uniques), dtype=bool, count=len(uniques))
    row_of_token = np.repeat(np.arange(len(lengths)), lengths)
    kept = keep_word[codes]
    codes, row_of_token = codes[kept], row_of_token[kept]
    if not len(codes):
        return _empty_terms()
    bucket_of_row = np.asarray(row_bucket, dtype=np.int64)
    bucket_of_token = bucket_of_row[row_of_token]
    # Order of tokenize's table: documents in order of their first kept token, within a
    # document its (part) buckets in order of their first kept token.
    n_buckets = len(bucket_of)
    first_row = np.full(n_buckets, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_row, bucket_of_token, row_of_token)
    bucket_doc = np.empty(n_buckets, dtype=object)
    bucket_part = np.empty(n_buckets, dtype=object)
    for (doc, part), b in bucket_of.items():
        bucket_doc[b], bucket_part[b] = doc, part
    doc_codes = pd.factorize(bucket_doc, sort=False)[0]
    doc_first = np.full(doc_codes.max() + 1, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(doc_first, doc_codes, first_row)
    bucket_pos = np.empty(n_buckets, dtype=np.int64)
    bucket_pos[np.lexsort((first_row, doc_first[doc_codes]))] = np.arange(n_buckets)
    # count (bucket, word) pairs; order by bucket, count descending, then word
    n_words = len(uniques)
    keys, n = np.unique(bucket_pos[bucket_of_token] * n_words + codes, return_counts=True)
    pos, word = keys // n_words, keys % n_words
    word_strings = np.asarray(uniques, dtype=object)
    word_rank = np.empty(n_words, dtype=np.int64)
    word_rank[np.argsort(word_strings, kind="stable")] = np.arange(n_words)
    order = np.lexsort((word_rank[word], -n, pos))
    bucket_at = np.empty(n_buckets, dtype=np.int64)
    bucket_at[bucket_pos] = np.arange(n_buckets)
    b = bucket_at[pos[order]]
    return pd.DataFrame(
        {
            "doc_id": _take_strings(bucket_doc, b),
            "part": _take_strings(bucket_part, b),
            "term": _take_strings(word_strings, word[order]),
            "n": n[order].astype(np.int64),
        }
    )


def _take_strings(values: np.ndarray, index: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``pd.array(values[index], dtype="string")``, gathered in Arrow.

    Converting a few distinct strings once and gathering them by index in Arrow is ~5x
    faster than converting one Python string per row (the terms table has millions).
    """
    return pd.array(pa.array(values, type=pa.large_string()).take(pa.array(index)), dtype="string")


def _empty_terms() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": pd.Series([], dtype="string"),
            "part": pd.Series([], dtype="string"),
            "term": pd.Series([], dtype="string"),
            "n": pd.Series([], dtype="int64"),
        }
    )


def process_chunk(corpus: pd.DataFrame, *, tokenize_options: dict[str, Any] | None = None) -> tuple[dict[str, pd.DataFrame], dict[str, float]]:
    """Run every per-document stage on some rows of a corpus table.

    This is the unit of work of both engines; it is public so a lab can call it from
    its own scheduler. It never mutates ``corpus``.

    Parameters
    ----------
    corpus
        Rows of :func:`analysis.load_corpus`'s table (at least ``doc_id`` and ``text``
        and what the stages read).
    tokenize_options
        Keyword arguments for :func:`analysis.tokenize`.

    Returns
    -------
    tables : dict of str to pandas.DataFrame
        ``sections``, ``problems`` (coded, with themes), ``indicators``, ``audit``,
        ``compliance``, ``terms`` (:func:`term_counts` of the sections).
    seconds : dict of str to float
        CPU seconds spent in each stage (:data:`STAGES` after ``load``; ``time.thread_time``).
    """
    fns = _stage_functions()
    seconds: dict[str, float] = {}
    # CPU time of this thread: what the stage costs, whatever else runs on the machine
    # (a process-pool worker or a Dask worker thread alike).
    clock = time.thread_time

    t = clock()
    sections = fns["parse_sections"](corpus)
    seconds["sections"] = clock() - t

    t = clock()
    problems = fns["code_problems"](fns["extract_problems"](sections))
    seconds["problems"] = clock() - t

    t = clock()
    # one scan of each report gives both the stated quantities and the numbers audit
    indicators, audit = fns["extract_indicators_and_audit"](corpus, sections)
    seconds["indicators"] = clock() - t
    seconds["audit"] = 0.0  # counted under "indicators": both come from the same scan

    t = clock()
    compliance = fns["compliance"](corpus, sections, indicators=indicators)
    seconds["compliance"] = clock() - t

    t = clock()
    terms = term_counts(sections, **(tokenize_options or {}))
    seconds["terms"] = clock() - t

    tables = {
        "sections": sections,
        "problems": problems,
        "indicators": indicators,
        "audit": audit,
        "compliance": compliance,
        "terms": terms,
    }
    return tables, seconds


class _Files(NamedTuple):
    """A chunk given as report files, read by the worker that analyses them."""

    paths: tuple[str, ...]
    root: str


# (tables, CPU seconds per stage, warnings raised, loader rows when the chunk was files)
_Result = tuple[dict[str, pd.DataFrame], dict[str, float], list[tuple[type[Warning], str]], list[dict[str, Any]] | None]


def _read_files(files: _Files) -> list[dict[str, Any]]:
    from pathlib import Path

    from analysis.corpus import read_report

    root = Path(files.root)
    return [read_report(Path(p), root) for p in files.paths]


def _chunk_task(args: tuple[pd.DataFrame | _Files, dict[str, Any] | None]) -> _Result:
    """process_chunk in a worker; warnings are recorded and sent back to the caller.

    A chunk of files is read here first (:func:`analysis.load_corpus`'s per-file reader),
    so the texts are never shipped between processes before they are analysed; the
    loader's rows go back with the tables (duplicates are flagged over the whole corpus
    by the caller). A worker's warnings would otherwise go to its own stderr (or, in a
    forked worker that inherited a "warnings are errors" filter, fail the chunk); the
    caller re-emits them.
    """
    chunk, tokenize_options = args
    rows: list[dict[str, Any]] | None = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_seconds = 0.0
        if isinstance(chunk, _Files):
            from analysis.corpus import finish_corpus

            t = time.thread_time()
            rows = _read_files(chunk)
            chunk = finish_corpus(rows)
            load_seconds = time.thread_time() - t
        tables, seconds = process_chunk(chunk, tokenize_options=tokenize_options)
    seconds["load"] = load_seconds
    return tables, seconds, [(w.category, str(w.message)) for w in caught], rows


def _chunks(corpus: pd.DataFrame | _Files, size: int) -> list[Any]:
    if isinstance(corpus, _Files):
        return [_Files(corpus.paths[i : i + size], corpus.root) for i in range(0, len(corpus.paths), size)]
    return [corpus.iloc[i : i + size] for i in range(0, len(corpus), size)]


def _chunk_len(chunk: pd.DataFrame | _Files) -> int:
    return len(chunk.paths) if isinstance(chunk, _Files) else len(chunk)


def default_chunk_size(n_docs: int, workers: int) -> int:
    """Documents per chunk when none is given: about eight chunks per worker.

    Each call of a stage has a fixed cost (building its tables), so few large chunks are
    cheaper than many small ones; eight per worker keep the last chunks short enough
    that no worker idles long at the end. Bounded by :data:`MIN_CHUNK_SIZE` and
    :data:`MAX_CHUNK_SIZE` (the tables of one chunk stay a few dozen MB).

    >>> default_chunk_size(5000, 2), default_chunk_size(100, 2), default_chunk_size(100_000, 8)
    (313, 10, 500)
    """
    per_chunk = -(-n_docs // max(1, workers * CHUNKS_PER_WORKER))
    return max(MIN_CHUNK_SIZE, min(MAX_CHUNK_SIZE, per_chunk))


# --------------------------------------------------------------------------- assembling


def _concat(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate per-chunk tables in order, keeping the dtypes of a one-chunk run."""
    if not frames:
        return pd.DataFrame()
    nonempty = [f for f in frames if len(f)]
    if not nonempty:
        return frames[0].reset_index(drop=True)
    if len(nonempty) == 1:
        return nonempty[0].reset_index(drop=True)
    with warnings.catch_warnings():
        # pandas warns when an all-NA column of one chunk decides the result dtype; the
        # dtype is restored from the first non-empty chunk below.
        warnings.simplefilter("ignore", FutureWarning)
        out = pd.concat(nonempty, ignore_index=True)
    for col in out.columns:
        dtypes = {str(f[col].dtype) for f in nonempty if col in f.columns}
        if len(dtypes) <= 1 and str(out[col].dtype) in dtypes:
            continue
        # a chunk where the column is all NA may carry another dtype (object, float):
        # take the dtype of the first chunk that has values in it
        ref = next((f for f in nonempty if col in f.columns and f[col].notna().any()), nonempty[0])
        if out[col].dtype != ref[col].dtype:
            try:
                out[col] = out[col].astype(ref[col].dtype)
            except (TypeError, ValueError):
                pass
    return out


def _merge(results: list[_Result], *, progress: bool = False) -> tuple[dict[str, pd.DataFrame], dict[str, float]]:
    """Concatenate the chunks' tables in order; empties ``results`` to free memory early."""
    parts: dict[str, list[pd.DataFrame]] = {}
    seconds: dict[str, float] = dict.fromkeys(STAGES, 0.0)
    caught: dict[tuple[type[Warning], str], None] = {}
    for tables, secs, warns, _rows in results:
        for name, df in tables.items():
            parts.setdefault(name, []).append(df)
        for k, v in secs.items():
            seconds[k] = seconds.get(k, 0.0) + v
        caught.update(dict.fromkeys(warns))
    results.clear()
    for category, message in caught:  # once each, in the order the chunks raised them
        warnings.warn(message, category, stacklevel=3)
    names: Iterable[str] = list(parts)
    if progress:
        from tqdm.auto import tqdm

        names = tqdm(names, desc="assemble", unit="table")
    merged: dict[str, pd.DataFrame] = {}
    for name in names:
        frames = parts.pop(name)  # the chunks of a table are freed once it is built
        merged[name] = _concat(frames)
        del frames
    return merged, seconds


# --------------------------------------------------------------------------- engines


def _n_workers(n_jobs: int | None) -> int:
    cores = os.cpu_count() or 1
    if n_jobs is None or n_jobs == 0:
        return cores
    if n_jobs < 0:
        return max(1, cores + 1 + n_jobs)  # -1: all cores, -2: all but one
    return n_jobs


def _progress(results: Iterable[_Result], *, enabled: bool, sizes: Sequence[int]) -> Iterator[_Result]:
    """Yield chunk results, advancing a bar by the documents of each chunk."""
    if not enabled:
        yield from results
        return
    from tqdm.auto import tqdm

    with tqdm(total=sum(sizes), desc="analyse", unit="doc") as bar:
        for result, size in zip(results, sizes):
            yield result
            bar.update(size)


# A small report exercising every stage (headings, numbers, shortcomings, plans), run
# once in the parent before forking workers so they inherit loaded modules and caches.
_WARM_UP_TEXT = (
    "2023年,某街道深入学习贯彻习近平法治思想,现将有关情况报告如下:\n"
    "一、主要举措和成效\n(一)加强组织领导。全年召开专题会议12次,开展普法宣传120余场次,"
    "发放宣传资料1.4万余份,调解成功率99.7%。\n"
    "二、存在的不足和原因\n一是法治队伍人员力量不足。\n二是普法宣传形式单一。\n"
    "三、2024年工作计划\n(一)加强执法队伍建设,组织培训不少于3次。"
)


def _warm_up(tokenize_options: dict[str, Any] | None) -> None:
    """Import every stage and build its caches (segmenter, codebooks, patterns) here."""
    corpus = pd.DataFrame({"doc_id": ["warm-up"], "text": [_WARM_UP_TEXT]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        process_chunk(corpus, tokenize_options=tokenize_options)


def _pool_context() -> tuple[Any, bool]:
    """(multiprocessing context, whether workers inherit this process's state).

    ``fork`` where it is safe (POSIX, this process has one thread): workers start at once
    and share the parent's loaded segmenter and tables copy-on-write. With other threads
    running (a notebook's, a Dask client's) forking can deadlock: ``forkserver`` then, or
    the platform's default (``spawn`` on Windows and macOS).
    """
    import multiprocessing
    import threading

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork"), True
    if "forkserver" in methods:
        return multiprocessing.get_context("forkserver"), False
    return None, False


def _run_pandas(chunks: list[Any], workers: int, tokenize_options: dict[str, Any] | None, progress: bool) -> list[_Result]:
    tasks = [(c, tokenize_options) for c in chunks]
    sizes = [_chunk_len(c) for c in chunks]
    if workers <= 1 or len(chunks) <= 1:
        return list(_progress(map(_chunk_task, tasks), enabled=progress, sizes=sizes))
    context, inherits = _pool_context()
    if inherits:
        _warm_up(tokenize_options)
    with ProcessPoolExecutor(max_workers=min(workers, len(chunks)), mp_context=context) as pool:
        # map() yields results in submission order: the output order is the corpus order.
        results = pool.map(_chunk_task, tasks)  # workers are forked here, before any bar thread
        return list(_progress(results, enabled=progress, sizes=sizes))


def _run_dask(chunks: list[Any], workers: int, scheduler: Any, tokenize_options: dict[str, Any] | None, progress: bool) -> list[_Result]:
    import dask.bag as db
    from distributed import Client, LocalCluster

    own_client = own_cluster = None
    scattered: list[Any] = []
    if scheduler is None:
        own_cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = own_client = Client(own_cluster)
    elif isinstance(scheduler, str):
        client = own_client = Client(scheduler)
    else:
        client = scheduler  # a distributed.Client (or anything dask accepts as a scheduler)
    try:
        tasks = [[(c, tokenize_options)] for c in chunks]  # one partition per chunk
        if hasattr(client, "scatter"):
            # Send the documents to the workers once, outside the task graph (a graph
            # holding the texts of thousands of reports is slow to ship and warned about).
            # Keep the futures referenced until the results are back, or the scheduler
            # releases the data ("lost dependencies").
            scattered = client.scatter(tasks, hash=False)
            bag = db.from_delayed(scattered)
        else:
            bag = db.from_sequence([t for part in tasks for t in part], npartitions=len(tasks))
        bag = bag.map(_chunk_task)
        if progress:
            from distributed import progress as dask_progress

            futures = client.compute(bag.to_delayed())
            dask_progress(futures)
            results = [r for part in client.gather(futures) for r in part]
        else:
            results = bag.compute(scheduler=client)
        return list(results)
    finally:
        del scattered
        if own_client is not None:
            own_client.close()
        if own_cluster is not None:
            own_cluster.close()


# --------------------------------------------------------------------------- public


def _report_files(corpus: Any) -> _Files:
    """The report files :func:`analysis.load_corpus` would read, with its warning."""
    from analysis.corpus import find_report_files

    files, root = find_report_files(corpus, stacklevel=4)  # -> the caller of run_pipeline
    return _Files(tuple(str(p) for p in files), str(root))


def _corpus_from_rows(results: list[_Result]) -> pd.DataFrame:
    """The corpus table from the loader rows of each chunk (as :func:`analysis.load_corpus`)."""
    from analysis.corpus import finish_corpus

    rows = [row for result in results for row in (result[3] or [])]
    return finish_corpus(rows)  # duplicates over the whole corpus: a twin may sit in another chunk


def _warm_up_loader() -> None:
    # Build the gazetteer index once here; forked workers inherit it.
    from analysis.corpus.places import resolve_places

    resolve_places("")


def warm_up(tokenize_options: dict[str, Any] | None = None) -> None:
    """Load everything the pipeline needs (modules, segmenter, gazetteer, codebooks) now.

    :func:`run_pipeline` does this itself before starting workers; call it first only to
    keep start-up out of a timing (as :mod:`analysis.bench` does, like its baseline's
    ``jieba.initialize()``), or to pay the cost before a notebook's first run.
    """
    _warm_up_loader()
    _warm_up(tokenize_options)


def run_pipeline_timed(
    corpus: Any = None,
    *,
    n_jobs: int | None = None,
    engine: str = "pandas",
    scheduler: Any = None,
    progress: bool = False,
    chunk_size: int | None = None,
    tokenize_options: dict[str, Any] | None = None,
) -> tuple[dict[str, pd.DataFrame], dict[str, float]]:
    """:func:`run_pipeline`, also returning seconds per stage.

    The stage seconds (:data:`STAGES`) are CPU seconds summed over workers: ``load`` is
    reading and parsing the files, done by the workers that analyse them (with
    ``engine="dask"`` the files are read in this process and ``load`` is its wall-clock
    time; 0 for a table already loaded). ``prepare`` (listing the files, loading the
    gazetteer), ``analyse`` (the parallel part), ``assemble`` and ``total`` are
    wall-clock seconds.
    """
    if engine not in {"pandas", "dask"}:
        raise ValueError(f"engine must be 'pandas' or 'dask', got {engine!r}")
    if chunk_size is not None and chunk_size < 1:
        raise ValueError(f"chunk_size must be >= 1, got {chunk_size}")
    workers = _n_workers(n_jobs)
    clock = time.perf_counter
    t0 = clock()
    table: pd.DataFrame | None = None
    source: pd.DataFrame | _Files
    if isinstance(corpus, pd.DataFrame):
        source = table = corpus
    elif engine == "pandas":
        # Files are read by the workers that analyse them (see _chunk_task).
        source = _report_files(corpus)
        if workers > 1:
            _warm_up_loader()
    else:
        # Dask workers may run on other machines without access to the files: read them
        # here and ship the texts.
        _warm_up_loader()
        source = table = _load_in_client(corpus, workers)
    t_load = clock() - t0
    n_docs = _chunk_len(source)
    size = chunk_size or default_chunk_size(n_docs, workers)
    chunks = _chunks(source, size) or [source]
    t1 = clock()
    if engine == "pandas":
        results = _run_pandas(chunks, workers, tokenize_options, progress)
    else:
        results = _run_dask(chunks, workers, scheduler, tokenize_options, progress)
    t_analyse = clock() - t1
    t2 = clock()
    if table is None:
        table = _corpus_from_rows(results)
    tables, seconds = _merge(results, progress=progress)
    out = {"corpus": table.reset_index(drop=True)}
    for name in TABLES[1:]:
        out[name] = tables.get(name, pd.DataFrame())
    if "terms" in out and out["terms"].empty and not len(out["terms"].columns):
        out["terms"] = _empty_terms()
    if engine == "dask" and not isinstance(corpus, pd.DataFrame):
        seconds["load"] = t_load  # read in this process (wall seconds), not by the workers
    seconds.update(prepare=t_load, analyse=t_analyse, assemble=clock() - t2, total=clock() - t0)
    return out, seconds


def _load_in_client(corpus: Any, workers: int) -> pd.DataFrame:
    import analysis

    return analysis.load_corpus(corpus, n_jobs=workers)


def run_pipeline(
    corpus: Any = None,
    *,
    n_jobs: int | None = None,
    engine: str = "pandas",
    scheduler: Any = None,
    progress: bool = False,
    chunk_size: int | None = None,
    tokenize_options: dict[str, Any] | None = None,
) -> dict[str, pd.DataFrame]:
    """Run every stage on a corpus and return all the tables.

    Parameters
    ----------
    corpus
        A folder of reports (loaded with :func:`analysis.load_corpus`), ``None`` for the
        default corpus (``$ANALYSIS_CORPUS`` or the seeds), or a table already loaded.
    n_jobs
        Worker processes (default ``None``: all cores; ``1``: run in this process;
        ``-1``: all cores, ``-2``: all but one). Used for loading too.
    engine
        ``"pandas"`` (a process pool on this machine) or ``"dask"`` (a ``dask.bag`` over
        chunks of documents on a distributed cluster).
    scheduler
        ``engine="dask"`` only: a scheduler address (``"tcp://host:8786"``) or a
        ``distributed.Client``. ``None`` starts a local cluster of ``n_jobs`` workers for
        this call.
    progress
        Show a progress bar (tqdm) while documents are analysed.
    chunk_size
        Documents per chunk (default: :func:`default_chunk_size`). Tables do not depend on
        it.
    tokenize_options
        Keyword arguments passed to :func:`analysis.tokenize`.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``corpus`` (the loaded table), ``sections``, ``problems`` (shortcoming items
        coded with themes), ``indicators``, ``audit`` (every numeral classified),
        ``compliance`` and ``terms`` (``doc_id``, ``part``, ``term``, ``n``: term counts
        per document and part; see :func:`count_terms`), each in corpus document order.
        The tables are identical whatever ``n_jobs``, ``engine`` and ``chunk_size``.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["d"], "text": [
    ...     "2023年,某街道推进法治建设。\\n一、主要举措和成效\\n开展普法宣传12场。\\n"
    ...     "二、存在的不足\\n一是队伍力量不足。\\n三、下一年度工作计划\\n加强培训。"]})
    >>> tables = run_pipeline(corpus, n_jobs=1)
    >>> sorted(tables)
    ['audit', 'compliance', 'corpus', 'indicators', 'problems', 'sections', 'terms']
    >>> tables["problems"][["text", "themes"]].values.tolist()
    [['队伍力量不足', 'staffing']]
    >>> tables["indicators"][["subject", "value", "unit"]].values.tolist()
    [['开展普法宣传', 12.0, '场']]
    """
    tables, _ = run_pipeline_timed(
        corpus,
        n_jobs=n_jobs,
        engine=engine,
        scheduler=scheduler,
        progress=progress,
        chunk_size=chunk_size,
        tokenize_options=tokenize_options,
    )
    return tables


def terms_matrix(terms: pd.DataFrame, *, doc_ids: Sequence[str] | None = None):  # noqa: ANN201
    """Sparse document-term matrix from a ``terms`` table (counts summed over parts).

    Parameters
    ----------
    terms
        Table with ``doc_id``, ``term``, ``n`` (``run_pipeline(...)["terms"]``).
    doc_ids
        Row order (default: documents in order of first appearance). Documents absent
        from ``terms`` get empty rows.

    Returns
    -------
    matrix : scipy.sparse.csr_matrix
        Documents x terms, int64 counts (never dense).
    doc_ids : list of str
    vocabulary : list of str
        Column labels, sorted.

    Examples
    --------
    >>> t = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["普法", "执法", "普法"], "n": [2, 1, 3]})
    >>> m, docs, vocab = terms_matrix(t)
    >>> m.toarray().tolist(), docs, vocab
    ([[1, 2], [0, 3]], ['a', 'b'], ['执法', '普法'])
    """
    from scipy import sparse

    d_codes, d_uniques = pd.factorize(terms["doc_id"], sort=False)
    t_codes, t_uniques = pd.factorize(terms["term"], sort=False)
    vocab = np.asarray(t_uniques.astype(str), dtype=object)
    order = np.argsort(vocab, kind="stable")
    col_of = np.empty(len(vocab), dtype=np.int64)
    col_of[order] = np.arange(len(vocab))
    vocab = vocab[order]
    if doc_ids is None:
        docs = [str(d) for d in d_uniques]
        rows = d_codes
    else:
        docs = [str(d) for d in doc_ids]
        row_of = pd.Index(docs).get_indexer(pd.Index(d_uniques.astype(str)))
        rows = np.where(d_codes >= 0, row_of[d_codes], -1)
    cols = col_of[t_codes]
    keep = rows >= 0
    matrix = sparse.csr_matrix(
        (terms["n"].to_numpy(dtype=np.int64)[keep], (rows[keep], cols[keep])),
        shape=(len(docs), len(vocab)),
        dtype=np.int64,
    )
    matrix.sum_duplicates()
    return matrix, docs, vocab.tolist()
