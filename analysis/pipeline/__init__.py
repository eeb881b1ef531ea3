"""Run the whole analysis on a corpus: engines, command line, benchmark, synthetic corpora.

The last stage of the package: it only calls the public functions of the stages before it.

- :mod:`~analysis.pipeline.engines`: :func:`run_pipeline` over a process pool or Dask;
- :mod:`~analysis.pipeline.chunks`: one chunk of documents through every stage;
- :mod:`~analysis.pipeline.stream`: :func:`stream_pipeline`, the same run written to disk
  chunk by chunk (flat memory; what the command line uses);
- :mod:`~analysis.pipeline.dataset`: the partitioned tables on disk and :func:`read_table` /
  :func:`read_tables`, :func:`read_terms` (term counts, compact) and :func:`iter_texts`,
  which notebooks use (``$ANALYSIS_TABLES``);
- :mod:`~analysis.pipeline.corpus_steps`: steps over the whole corpus on those tables
  (keyness, the document-term matrix, template reuse, theme recurrence, figure data);
- :mod:`~analysis.pipeline.terms`: term counts per document and part, the sparse matrix;
- :mod:`~analysis.pipeline.cli`: ``python -m analysis run --corpus DIR --out DIR``;
- :mod:`~analysis.pipeline.bench`: ``python -m analysis.bench`` against a baseline;
- :mod:`~analysis.pipeline.synth`: a deterministic synthetic corpus for tests and benchmarks.

Names are imported lazily (PEP 562): ``python -m analysis.bench`` measures a baseline in a
process that imports :mod:`analysis.pipeline.bench` and must not load the stages with it.
"""

from __future__ import annotations

import importlib
from typing import Any

# public name -> submodule of analysis.pipeline that defines it
_EXPORTS: dict[str, str] = {
    "CHUNKS_PER_WORKER": "chunks",
    "MAX_CHUNK_SIZE": "chunks",
    "MIN_CHUNK_SIZE": "chunks",
    "STAGES": "chunks",
    "default_chunk_size": "chunks",
    "process_chunk": "chunks",
    "TABLES": "engines",
    "StageFailureWarning": "engines",
    "run_pipeline": "engines",
    "run_pipeline_timed": "engines",
    "warm_up": "engines",
    "StreamResult": "stream",
    "stream_pipeline": "stream",
    "read_corpus": "dataset",
    "read_table": "dataset",
    "read_tables": "dataset",
    "iter_table": "dataset",
    "iter_texts": "dataset",
    "read_terms": "dataset",
    "table_names": "dataset",
    "read_terms_matrix": "corpus_steps",
    "TERMS_COLUMNS": "terms",
    "count_terms": "terms",
    "term_counts": "terms",
    "terms_matrix": "terms",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis.pipeline' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"analysis.pipeline.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
