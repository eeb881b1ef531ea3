"""Load a folder of scraped reports into one tidy table: metadata plus clean text.

One row per input file, whatever state the file is in. The stage's parts, one job each:

- :mod:`~analysis.corpus.listing`: listing the folder (:func:`list_corpus`: every entry
  is a row or skipped with a reason), display paths, unique ``doc_id`` s;
- :mod:`~analysis.corpus.read`: one file → text (safe opening, formats in
  :mod:`~analysis.corpus.formats`, traditional script via :mod:`~analysis.corpus.script`,
  the canonical text form :func:`normalize_text`);
- :mod:`~analysis.corpus.index`: the crawler's index (sidecar metadata per file);
- :mod:`~analysis.corpus.chrome`: web-page furniture, and the dates and sources it states;
- :mod:`~analysis.corpus.metadata`: title, document number, report year, kind of page;
- :mod:`~analysis.corpus.issuer`: the issuing body, its type and level;
- :mod:`~analysis.corpus.places`: the gazetteer and :func:`~analysis.corpus.places.resolve_places`;
- :mod:`~analysis.corpus.load`: one file → one row (:func:`read_report`), rows → the table
  (:func:`finish_corpus`), and :func:`load_corpus` over a folder;
- :mod:`~analysis.corpus.timeliness`: :func:`publication_timeliness` (art. 24).

Later steps work on the one canonical ``text`` per report: every offset in every later
table points into it.
"""

from __future__ import annotations

from analysis.corpus.load import COLUMNS, finish_corpus, load_corpus, read_report, warn_index_problems
from analysis.corpus.issuer import ISSUER_LEVELS, ISSUER_TYPES
from analysis.corpus.listing import (
    REPORT_SUFFIXES,
    CorpusError,
    CorpusListing,
    CorpusWarning,
    SkippedEntry,
    discover_files,
    find_report_files,
    list_corpus,
)
from analysis.corpus.metadata import DOC_TYPES
from analysis.corpus.read import normalize_text
from analysis.corpus.timeliness import PUBLICATION_DEADLINE, publication_timeliness

__all__ = [
    "COLUMNS", "DOC_TYPES", "ISSUER_LEVELS", "ISSUER_TYPES", "PUBLICATION_DEADLINE", "REPORT_SUFFIXES",
    "CorpusError", "CorpusListing", "CorpusWarning", "SkippedEntry", "discover_files", "find_report_files",
    "finish_corpus", "list_corpus", "load_corpus", "normalize_text", "publication_timeliness",
    "read_report", "warn_index_problems",
]  # fmt: skip
