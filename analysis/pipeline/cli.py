"""Command line: run the whole pipeline on a folder of reports and export every table.

Usage::

    python -m analysis run --corpus DIR --out DIR [--overwrite] [--strict] [--stata] [--n-jobs N]
    fazhi-analysis run --corpus DIR --out DIR            # the same, as a console script

Writes, into ``--out``:

* ``tables/NAME/part-NNNNN.parquet`` for the tables made report by report, written chunk
  by chunk while the analysis runs (``texts`` (doc_id, sha256, text), ``sections``,
  ``problems`` (with themes), ``indicators``, ``audit`` (numbers audit), ``terms`` (term
  frequencies per report and part), ``compliance``): a partitioned Parquet dataset per
  table, in corpus order (read it back with :func:`analysis.pipeline.read_table`, or any
  Parquet reader); ``tables/NAME.parquet`` for the tables of the whole corpus: ``corpus``
  (metadata, without the text; duplicates flagged across the corpus), ``keyness`` (the
  latest report year against the others), ``reuse`` (template reuse between shortcoming
  items), ``recurrence`` (problem themes by report year);
* ``tables/NAME.csv`` for every table (UTF-8 with BOM, so Excel shows Chinese; text that
  would start a spreadsheet formula gets a leading ``'``; left out for a table longer
  than a spreadsheet opens, with a note), written in pieces by the workers and joined;
  ``tables/NAME.dta`` with ``--stata`` (each table is then loaded whole);
* ``figures/*.png``: the notebooks' figures for this corpus (by report year where a
  corpus is too large for a bar per report);
* ``manifest.json`` (written last): package version, every report file with its sha256,
  status and message, every file of the corpus folder that was not read and why, counts,
  the files written (``outputs``), notes, the parameters used, seconds per step, and
  start/end times.

Memory stays flat whatever the number of reports (:mod:`analysis.pipeline.stream`);
each step is timed, shown as it ends (with a progress bar over the reports while they
are analysed) and summed up at the end.

The output appears all at once: everything is written into a hidden sibling folder that
replaces ``--out`` only when complete, so an interrupted or failed run leaves the previous
output as it was. ``--overwrite`` replaces only an earlier output of this tool
(:mod:`analysis.pipeline.outdir`).

Exit status: 0 when the tables are written (reports that could not be read or analysed
are rows with status ``error``); 1 with ``--strict`` when some report has status
``error``, or on an unexpected failure; 2 for bad input (a missing or empty corpus
folder, an output folder that could lose data or cannot be written), with one line on
stderr; 130/143 when interrupted (Ctrl-C / SIGTERM).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from analysis import __version__
from analysis.corpus import CorpusWarning, list_corpus
from analysis.corpus.index import IndexWarning, find_index
from analysis.corpus.listing import INDEX_REASON
from analysis.corpus.read import MAX_BYTES
from analysis.pipeline.dataset import read_table
from analysis.pipeline.engines import StageFailureWarning
from analysis.pipeline.export import export_table, write_stata
from analysis.pipeline.finish import LEVEL_TABLES, finish_tasks, run_finish
from analysis.pipeline.outdir import MANIFEST, PACKAGE_TAG, OutputError, check_output_folder, staged_output
from analysis.pipeline.stream import CORPUS_TABLE, STREAM_TABLES, stream_pipeline

__all__ = ["CORPUS_LEVEL", "PARTITIONED", "TABLES", "CliError", "export_table", "main", "run"]

#: Tables written report by report, chunk by chunk (a partitioned dataset each).
PARTITIONED = STREAM_TABLES
#: Tables of the whole corpus (one file each).
CORPUS_LEVEL = (CORPUS_TABLE, *LEVEL_TABLES)
#: Every table exported by ``run``.
TABLES = (CORPUS_TABLE, *STREAM_TABLES, *CORPUS_LEVEL[1:])
# How many problem files and unread files the summary names before "… and N more".
_SHOWN = 10


class CliError(Exception):
    """A problem with the command's input or output, reported as one line."""


class Terminated(BaseException):
    """SIGTERM received: unwinds the run like Ctrl-C, so partial output is removed."""


# --------------------------------------------------------------------------- the corpus folder


def _readable(path: str) -> str:
    """A file name that can be written anywhere: undecodable bytes shown as ``\\xNN``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def not_read(root: Path, read: list[Path], index: Path | None = None) -> list[dict[str, str]]:
    """Every entry under ``root`` that is not among the ``read`` files, with the reason.

    Hidden files and folders are walked too; symbolic links to folders are listed, not
    followed. Reasons: ``hidden``, ``editor lock file`` (``~$x.docx``), ``link to a
    folder``, the crawler index (``index``, read as metadata), ``not a report file type``.
    """
    done = {os.path.normpath(p) for p in read}
    index_path = os.path.normpath(index) if index is not None else None
    out: list[dict[str, str]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        links = [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]
        for name in [*links, *sorted(filenames)]:
            full = os.path.join(dirpath, name)
            if os.path.normpath(full) in done:
                continue
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            if name in links:
                reason = "link to a folder"
            elif os.path.normpath(full) == index_path:
                reason = INDEX_REASON
            elif name.startswith("~$"):
                reason = "editor lock file"
            elif any(part.startswith(".") for part in rel.split("/")):
                reason = "hidden"
            else:
                reason = "not a report file type"
            out.append({"path": _readable(rel), "reason": reason})
    out.sort(key=lambda e: e["path"])
    return out


# --------------------------------------------------------------------------- run


def _check_corpus(corpus: Path) -> None:
    if not corpus.exists():
        raise CliError(f"corpus folder not found: {corpus}")
    if not corpus.is_dir():
        raise CliError(f"--corpus must be a folder: {corpus}")


class _Steps:
    """Seconds per step of a run; each step's line goes to ``log`` as it ends."""

    def __init__(self, log: Callable[[str], None] | None) -> None:
        self.seconds: dict[str, float] = {}
        self.log = log

    @contextmanager
    def step(self, name: str, what: str = "") -> Iterator[None]:
        t = time.perf_counter()
        yield
        took = time.perf_counter() - t
        self.seconds[name] = self.seconds.get(name, 0.0) + took
        if self.log is not None:
            self.log(f"{name:<11}{took:>7.1f} s  {what}".rstrip())


def run(
    corpus_path: Path,
    out: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    stata: bool = False,
    n_jobs: int | None = None,
    engine: str = "pandas",
    scheduler: str | None = None,
    figures: bool = True,
    progress: bool | None = None,
    chunk_size: int | None = None,
    write_on: str = "workers",
    reuse: bool = True,
    index: str | os.PathLike[str] | bool | None = None,
    follow_symlinks: bool = False,
    max_bytes: int = MAX_BYTES,
    stream=None,  # noqa: ANN001
) -> dict[str, object]:
    """Run the pipeline on ``corpus_path`` and write tables, figures and manifest to ``out``.

    Raises :class:`CliError` or :class:`~analysis.pipeline.outdir.OutputError` (one line
    for the user) before anything is written; returns the manifest.
    """
    stream = stream or sys.stdout
    started = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    corpus_path = Path(corpus_path)
    _check_corpus(corpus_path)
    out_dir = check_output_folder(out, corpus_path, overwrite=overwrite)
    if isinstance(index, (str, os.PathLike)) and not Path(index).is_file():
        raise CliError(f"crawler index not found: {index}")
    explicit = [index] if isinstance(index, (str, os.PathLike)) else []
    if max_bytes < 1:
        raise CliError(f"the size limit must be positive, got {max_bytes} bytes")
    files = list_corpus(corpus_path, follow_symlinks=follow_symlinks, exclude=explicit).files
    if not files:
        raise CliError(f"no report files under {corpus_path}")
    index_file = Path(explicit[0]) if explicit else (None if index is False or not corpus_path.is_dir() else find_index(corpus_path))
    unread = not_read(corpus_path, files, index_file)
    if progress is None:
        progress = len(files) >= 200 and getattr(sys.stderr, "isatty", lambda: False)()
    steps = _Steps((lambda line: print(line, file=sys.stderr, flush=True)) if progress else None)
    notes: list[str] = []
    with staged_output(out_dir) as staging:
        folder = staging / "tables"
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", CorpusWarning)
            warnings.simplefilter("always", StageFailureWarning)
            result = stream_pipeline(
                corpus_path,
                folder,
                n_jobs=n_jobs,
                engine=engine,
                scheduler=scheduler,
                chunk_size=chunk_size,
                csv=True,
                write_on=write_on,
                progress=progress,
                index=index,
                follow_symlinks=follow_symlinks,
                max_bytes=max_bytes,
            )
            for name in ("analyse", "corpus", "csv"):  # the streaming run's own steps
                steps.seconds[name] = result.seconds[name]
                if steps.log is not None:
                    steps.log(f"{name:<11}{result.seconds[name]:>7.1f} s  " + {
                        "analyse": f"{len(result.corpus):,} reports read, analysed, written chunk by chunk",
                        "corpus": "corpus table, duplicates flagged across the corpus",
                        "csv": "CSV pieces joined",
                    }[name])
            notes.extend(result.notes)
            written: dict[str, dict] = {}
            for name in (CORPUS_TABLE, *STREAM_TABLES):
                written[name] = {"rows": result.rows[name], "files": result.files[name]}
            # corpus-level tables and figures: independent tasks, side by side
            tasks = finish_tasks(
                folder, staging / "figures" if figures else None, result.corpus, result.term_year, result.part_shares,
                skip=() if reuse else ("reuse",),
            )
            figure_files: list[str] = []
            finish_seconds: dict[str, float] = {}
            with steps.step("finish", "corpus-level tables and figures, side by side"):
                done = {r.name: r for r in run_finish(tasks, n_jobs=n_jobs, log=steps.log)}
            for task in tasks:  # in a fixed order, whatever order they ended in
                r = done[task.name]
                finish_seconds[r.name] = round(r.seconds, 3)
                for category, message in dict.fromkeys(r.warnings):
                    warnings.warn(message, category, stacklevel=1)
                if r.kind == "table":
                    notes.extend(r.notes)
                    if r.files:
                        written[r.name] = {"rows": r.rows, "files": list(r.files)}
                else:
                    figure_files += r.files
        ours = (CorpusWarning, StageFailureWarning)  # the summary and the manifest report these
        skipped = [str(w.message) for w in caught if issubclass(w.category, CorpusWarning) and not issubclass(w.category, IndexWarning)]
        index_problems = [str(w.message) for w in caught if issubclass(w.category, IndexWarning)]
        for w in caught:  # the others are not the CLI's to swallow
            if not issubclass(w.category, ours):
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        if stata:
            with steps.step("stata", "Stata files (each table loaded whole)"):
                for name in written:
                    df = read_table(folder, name)
                    written[name]["files"].append(write_stata(df, folder / f"{name}.dta").name)
                    del df
        figure_files.sort()
        outputs = [f"tables/{f}" for entry in written.values() for f in entry["files"]]
        outputs += [f"figures/{f}" for f in figure_files]
        full = result.corpus
        counts = full["status"].value_counts().reindex(["ok", "warning", "error"], fill_value=0)
        seconds = {k: round(v, 3) for k, v in steps.seconds.items()}
        seconds["total"] = round(time.perf_counter() - t0, 3)
        manifest = {
            "package": PACKAGE_TAG,
            "version": __version__,
            "corpus": _readable(str(corpus_path.resolve())),
            "files": [
                {"path": _readable(str(p)), "sha256": None if pd.isna(s) else s, "status": st, "message": m}
                for p, s, st, m in zip(full["path"], full["sha256"], full["status"], full["message"].fillna(""))
            ],
            "counts": {k: int(v) for k, v in counts.items()},
            "not_read": unread,
            "skipped": skipped,
            "index_problems": index_problems,
            "notes": notes,
            "parameters": {
                "n_jobs": n_jobs, "engine": engine, "scheduler": scheduler, "stata": stata, "figures": figures,
                "chunk_size": chunk_size, "write_on": write_on, "reuse": reuse,
                "index": _readable(str(index)) if isinstance(index, (str, os.PathLike)) else index,
                "follow_symlinks": follow_symlinks, "max_bytes": max_bytes,
            },
            "tables": written,
            "figures": figure_files,
            "outputs": outputs,
            "seconds": seconds,
            "finish_seconds": finish_seconds,
            "chunk_seconds": {k: round(v, 3) for k, v in result.seconds.items()},
            "started": started.isoformat(timespec="seconds"),
            "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        (staging / MANIFEST).write_bytes(text.encode("utf-8", "backslashreplace"))  # last
    _summary(manifest, full, out_dir, time.perf_counter() - t0, stream)
    return manifest


def _summary(manifest: dict, corpus: pd.DataFrame, out: Path, seconds: float, stream) -> None:  # noqa: ANN001
    c = manifest["counts"]
    print(f"read {len(corpus)} report files from {manifest['corpus']}: "
          f"{c['ok']} ok, {c['warning']} warning, {c['error']} error ({seconds:.1f} s)", file=stream)  # fmt: skip
    unread = manifest["not_read"]
    if unread:
        reasons: dict[str, int] = {}
        for entry in unread:
            reasons[entry["reason"]] = reasons.get(entry["reason"], 0) + 1
        why = ", ".join(f"{n} {reason}" for reason, n in reasons.items())
        names = ", ".join(e["path"] for e in unread[:_SHOWN])
        more = f" … and {len(unread) - _SHOWN} more" if len(unread) > _SHOWN else ""
        print(f"not read: {len(unread)} file(s) ({why}): {names}{more} (all listed in {MANIFEST})", file=stream)
    bad = corpus[corpus["status"] != "ok"]
    for row in bad.head(_SHOWN).itertuples():
        print(f"  {row.status}: {_readable(str(row.path))}: {row.message}", file=stream)
    if len(bad) > _SHOWN:
        print(f"  … and {len(bad) - _SHOWN} more (see {MANIFEST})", file=stream)
    rows = ", ".join(f"{k} {v['rows']}" for k, v in manifest["tables"].items())
    print(f"tables ({rows}) -> {out / 'tables'}", file=stream)
    for note in manifest["notes"]:
        print(f"  note: {note}", file=stream)
    if manifest["figures"]:
        print(f"{len(manifest['figures'])} figures -> {out / 'figures'}", file=stream)
    print(f"manifest -> {out / MANIFEST}", file=stream)
    times = ", ".join(f"{k} {v:.1f} s" for k, v in manifest["seconds"].items() if k != "total")
    print(f"time: {times}; total {manifest['seconds']['total']:.1f} s", file=stream)


# --------------------------------------------------------------------------- main


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description="Rule-of-law government reports → tables.")
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="run the whole pipeline on a folder of reports and export every table")
    r.add_argument("--corpus", required=True, type=Path, help="folder of .txt/.html/.htm reports (searched recursively)")
    r.add_argument("--out", required=True, help="output folder (must not exist or be empty, unless --overwrite)")
    r.add_argument("--overwrite", action="store_true", help="replace an earlier output of this tool (nothing else)")
    r.add_argument("--strict", action="store_true", help="exit with status 1 when some report has status error")
    r.add_argument("--stata", action="store_true", help="also write Stata .dta tables")
    r.add_argument("--n-jobs", type=int, default=None, help="worker processes (default: all cores)")
    r.add_argument("--engine", choices=("pandas", "dask"), default="pandas")
    r.add_argument("--scheduler", default=None, help="Dask scheduler address (with --engine dask), e.g. tcp://host:8786")
    r.add_argument("--chunk-size", type=int, default=None, help="reports per chunk (default: about eight chunks per worker, at most 500)")
    r.add_argument("--write-on", choices=("workers", "client"), default="workers",
                   help="who writes the tables: the workers (default; they must see --out) or this process (a Dask cluster without a shared disk)")
    r.add_argument("--no-figures", action="store_true", help="skip the figures")
    r.add_argument("--no-reuse", action="store_true", help="skip the template-reuse table (the longest corpus-level step)")
    r.add_argument("--no-progress", action="store_true", help="never show progress bars")
    r.add_argument("--index", default=None, metavar="FILE",
                   help="the crawler's index of the files (CSV or JSONL; default: index.csv/index.jsonl at the corpus root)")
    r.add_argument("--no-index", action="store_true", help="ignore a crawler index at the corpus root")
    r.add_argument("--follow-symlinks", action="store_true", help="read symlinks that lead outside the corpus folder")
    r.add_argument("--max-mb", type=float, default=MAX_BYTES / 2**20,
                   help=f"files larger than this many MiB are error rows (default {MAX_BYTES // 2**20})")
    r.add_argument("--debug", action="store_true", help="show tracebacks")
    return parser


def _terminate(signum: int, frame: object) -> None:
    raise Terminated()


@contextmanager
def _sigterm_unwinds() -> Iterator[None]:
    """While the block runs, SIGTERM raises :class:`Terminated` (cleanup code then runs)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None) -> int:
    """``python -m analysis run …``; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        with _sigterm_unwinds():
            manifest = run(
                args.corpus,
                args.out,
                overwrite=args.overwrite,
                stata=args.stata,
                n_jobs=args.n_jobs,
                engine=args.engine,
                scheduler=args.scheduler,
                figures=not args.no_figures,
                progress=False if args.no_progress else None,
                chunk_size=args.chunk_size,
                write_on=args.write_on,
                reuse=not args.no_reuse,
                index=False if args.no_index else args.index,
                follow_symlinks=args.follow_symlinks,
                max_bytes=int(args.max_mb * 2**20),
            )
    except (CliError, OutputError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted; the output folder was left as it was", file=sys.stderr)
        return 130
    except Terminated:
        print("error: terminated; the output folder was left as it was", file=sys.stderr)
        return 143
    except Exception as exc:  # one line for the user; --debug shows the traceback
        if args.debug:
            raise
        print(f"error: {type(exc).__name__}: {exc} (run with --debug for the traceback)", file=sys.stderr)
        return 1
    n_errors = manifest["counts"]["error"]  # type: ignore[index]
    if args.strict and n_errors:
        print(f"error: {n_errors} report(s) have status error (--strict); see {MANIFEST}", file=sys.stderr)
        return 1
    return 0
