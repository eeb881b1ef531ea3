"""Tokenising speed: analysis.tokenize against plain ``jieba.lcut`` on the same text.

The seed reports are replicated (each copy a separate document, so the text is the
seeds' own) until the corpus reaches ``--megabytes`` of UTF-8 text (default 20). In the
same process, after warming every segmenter up (dictionary loading is reported
separately, not timed), it times:

1. ``jieba.lcut(text)`` per document: the field's plain baseline (global jieba
   tokenizer, its defaults: HMM on, no user dictionary, no table);
2. ``analysis.tokenize(corpus)``: the default backend (rjieba, HMM off, user dictionary,
   stopwords, numbers and single characters dropped, tidy table with offsets);
3. ``analysis.tokenize(corpus, backend="jieba")`` (unless ``--skip-jieba-backend``): the
   same table from the reference jieba backend, and whether it equals (2).

It prints MB/s and the ratio baseline time / tokenize time (> 1: tokenize is faster).

Run: ``python benchmarks/tokenize_speed.py [--megabytes 20]``
"""

from __future__ import annotations

import argparse
import logging
import time
import warnings

import pandas as pd

import analysis
from analysis import config, keywords
from analysis.config import SEEDS_DIR


def replicated_corpus(megabytes: float) -> pd.DataFrame:
    """The seed reports repeated until their text reaches ``megabytes`` MB (UTF-8)."""
    from analysis.corpus import CorpusWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)  # seeds/README.md is not a report
        seeds = analysis.load_corpus(SEEDS_DIR)
    seeds = seeds[seeds["status"] != "error"]
    size = sum(len(t.encode("utf-8")) for t in seeds["text"])
    copies = max(1, int(megabytes * 1e6 // size) + 1)
    rows = []
    for k in range(copies):
        for doc_id, text in zip(seeds["doc_id"], seeds["text"]):
            rows.append((f"{doc_id}-{k:04d}", text))
    return pd.DataFrame(rows, columns=["doc_id", "text"])


def _spans(words: list[str]) -> set[tuple[int, int, str]]:
    out, pos = set(), 0
    for w in words:
        out.add((pos, pos + len(w), w))
        pos += len(w)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=20.0)
    parser.add_argument("--skip-jieba-backend", action="store_true")
    args = parser.parse_args(argv)

    corpus = replicated_corpus(args.megabytes)
    mb = sum(len(t.encode("utf-8")) for t in corpus["text"]) / 1e6
    print(f"corpus: {len(corpus)} documents, {mb:.1f} MB UTF-8, {corpus['text'].str.len().sum():,} characters")

    import jieba

    jieba.setLogLevel(logging.WARNING)
    t = time.perf_counter()
    jieba.initialize()
    print(f"load: jieba global dictionary {time.perf_counter() - t:.2f} s")
    for backend in ("rjieba", "jieba"):
        t = time.perf_counter()
        keywords.get_segmenter(backend)
        print(f"load: analysis segmenter {backend!r} with user dictionary {time.perf_counter() - t:.2f} s")

    texts = corpus["text"].tolist()
    t = time.perf_counter()
    n_base = sum(len(jieba.lcut(text)) for text in texts)
    base = time.perf_counter() - t
    print(f"baseline jieba.lcut:                {base:7.2f} s  {mb / base:6.2f} MB/s  {n_base:,} tokens (all, incl. punctuation)")

    t = time.perf_counter()
    tokens = analysis.tokenize(corpus)
    fast = time.perf_counter() - t
    mem = tokens.memory_usage(deep=True).sum() / 1e6
    print(f"analysis.tokenize (rjieba):         {fast:7.2f} s  {mb / fast:6.2f} MB/s  {len(tokens):,} terms kept, table {mem:.0f} MB")
    print(f"ratio jieba.lcut / tokenize:        {base / fast:7.2f}x")

    # Segmentation agreement of the two backends on the seeds (user dictionary loaded),
    # for both HMM settings: the reason the fast backend is the default with HMM off only.
    seeds = corpus["text"].iloc[: corpus["doc_id"].str.endswith("-0000").sum()].tolist()
    for hmm in (False, True):
        same = total = 0
        for text in seeds:
            a = _spans(keywords.get_segmenter("rjieba", hmm=hmm).cut(text))
            b = _spans(keywords.get_segmenter("jieba", hmm=hmm).cut(text))
            same += len(a & b)
            total += max(len(a), len(b))
        print(f"segmentation agreement rjieba vs jieba backend (jieba.posseg) on the seeds, HMM {'on ' if hmm else 'off'}: {same / total:.5%} ({same:,} of {total:,} tokens)")
    # with HMM on, jieba.posseg segments unknown runs with its own POS HMM; plain
    # Tokenizer.cut (no tags) is the closer reference for rjieba.cut:
    import io

    plain = jieba.Tokenizer()
    plain.tmp_dir = str(config.cache_dir())
    plain.cache_file = f"jieba-{jieba.__version__}.cache"
    plain.load_userdict(io.BytesIO(keywords.userdict_bytes()))
    rj = keywords.get_segmenter("rjieba", hmm=True)
    same = total = 0
    for text in seeds:
        a, b = _spans(rj.cut(text)), _spans(plain.lcut(text, HMM=True))
        same += len(a & b)
        total += max(len(a), len(b))
    print(f"segmentation agreement rjieba vs jieba.Tokenizer.cut on the seeds, HMM on : {same / total:.5%} ({same:,} of {total:,} tokens)")

    if not args.skip_jieba_backend:
        t = time.perf_counter()
        reference = analysis.tokenize(corpus, backend="jieba")
        slow = time.perf_counter() - t
        print(f"analysis.tokenize (jieba backend):  {slow:7.2f} s  {mb / slow:6.2f} MB/s  ratio jieba.lcut / this {base / slow:.2f}x")
        same = tokens.equals(reference)
        cols = ["doc_id", "position", "term", "start", "end"]
        agree = (tokens[cols].merge(reference[cols], how="inner").shape[0]) / max(len(tokens), len(reference))
        print(f"rjieba vs jieba backend: tables identical: {same}; token agreement {agree:.5%}")


if __name__ == "__main__":
    main()
