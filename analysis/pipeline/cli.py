"""Command line: run the whole pipeline on a folder of reports and export every table.

Usage::

    python -m analysis run --corpus DIR --out DIR [--overwrite] [--strict] [--stata] [--n-jobs N]
    fazhi-analysis run --corpus DIR --out DIR            # the same, as a console script

Writes, into ``--out``:

* ``tables/NAME.parquet`` (every value exact) and ``tables/NAME.csv`` (UTF-8 with BOM, so
  Excel shows Chinese; text that would start a spreadsheet formula gets a leading ``'``;
  left out for a table longer than a spreadsheet opens, with a note) for every table:
  ``corpus`` (metadata, without the text), ``texts`` (doc_id, sha256, text), ``sections``,
  ``problems`` (with themes), ``indicators``, ``audit`` (numbers audit), ``terms`` (term
  frequencies per report) and ``compliance``; ``tables/NAME.dta`` with ``--stata``;
* ``figures/*.png``: the notebooks' figures for this corpus;
* ``manifest.json`` (written last): package version, every report file with its sha256,
  status and message, every file of the corpus folder that was not read and why, counts,
  the files written (``outputs``), notes, the parameters used, and start/end times.

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

from analysis import __version__, safe_csv
from analysis.corpus import CorpusWarning, discover_files
from analysis.pipeline.engines import StageFailureWarning, run_pipeline
from analysis.pipeline.export import csv_fits, export_table
from analysis.pipeline.outdir import MANIFEST, PACKAGE_TAG, OutputError, check_output_folder, staged_output
from analysis.plots.output import write_figures

__all__ = ["TABLES", "CliError", "export_table", "main", "run"]

#: Tables exported by ``run``, in the order they are written.
TABLES = ("corpus", "texts", "sections", "problems", "indicators", "audit", "terms", "compliance")
# How many problem files and unread files the summary names before "… and N more".
_SHOWN = 10


class CliError(Exception):
    """A problem with the command's input or output, reported as one line."""


class Terminated(BaseException):
    """SIGTERM received: unwinds the run like Ctrl-C, so partial output is removed."""


# --------------------------------------------------------------------------- figures


def _figures(tables: dict[str, pd.DataFrame]) -> list[tuple[str, Callable[[], object]]]:
    """The notebooks' figures for this corpus: (file name, function drawing it)."""
    from analysis import plots

    corpus = tables["corpus_full"]
    ok = corpus[corpus["status"] != "error"]
    term_counts = tables["terms"].groupby("term", observed=True)["n"].sum() if len(tables["terms"]) else pd.Series(dtype="int64")
    labels = plots.report_labels(ok).to_dict()  # one label per report, shared by every figure
    out: list[tuple[str, Callable[[], object]]] = [
        ("01-report-lengths.png", lambda: plots.plot_report_lengths(corpus)),
        ("02-part-shares.png", lambda: plots.plot_part_shares(tables["sections"], labels=labels, corpus=ok)),
        ("03-indicator-density.png", lambda: plots.plot_indicator_density(tables["indicators"], ok)),
        ("03-indicator-categories.png", lambda: plots.plot_indicator_categories(tables["indicators"], ok)),
        ("03-audit-classes.png", lambda: plots.plot_audit_classes(tables["audit"], ok)),
    ]
    if len(term_counts):
        out.append(("04-wordcloud.png", lambda: plots.plot_wordcloud(term_counts.to_dict(), title=f"All reports (n={len(ok)})")))
    if len(tables["problems"]):
        out.append(("05-theme-heatmap.png", lambda: plots.plot_theme_heatmap(tables["problems"], corpus=ok, labels=labels)))
    return out


# --------------------------------------------------------------------------- the corpus folder


def _readable(path: str) -> str:
    """A file name that can be written anywhere: undecodable bytes shown as ``\\xNN``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def not_read(root: Path, read: list[Path]) -> list[dict[str, str]]:
    """Every entry under ``root`` that is not among the ``read`` files, with the reason.

    Hidden files and folders are walked too; symbolic links to folders are listed, not
    followed. Reasons: ``hidden``, ``editor lock file`` (``~$x.docx``), ``link to a
    folder``, ``not a report file type``.
    """
    done = {os.path.normpath(p) for p in read}
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


def _write_tables(export: dict[str, pd.DataFrame], folder: Path, *, stata: bool) -> tuple[dict[str, dict], list[str]]:
    """Export every table into ``folder``: (the manifest's ``tables`` entry, notes)."""
    written: dict[str, dict] = {}
    notes: list[str] = []
    for name in TABLES:
        if name not in export:
            continue
        df = export[name]
        files = [p.name for p in export_table(df, name, folder, stata=stata)]
        written[name] = {"rows": int(len(df)), "files": files}
        if not csv_fits(len(df)):
            notes.append(
                f"{name} has {len(df):,} rows, more than a spreadsheet opens ({safe_csv.EXCEL_MAX_ROWS:,} rows): "
                f"written as Parquet only (tables/{name}.parquet)"
            )
    return written, notes


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
    files = discover_files(corpus_path)[0]
    if not files:
        raise CliError(f"no .txt/.html/.htm report files under {corpus_path}")
    unread = not_read(corpus_path, files)
    if progress is None:
        progress = len(files) >= 200 and getattr(sys.stderr, "isatty", lambda: False)()
    # The pipeline reads the files in its workers (each reads what it analyses).
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CorpusWarning)
        warnings.simplefilter("always", StageFailureWarning)
        tables = run_pipeline(corpus_path, n_jobs=n_jobs, engine=engine, scheduler=scheduler, progress=progress)
    ours = (CorpusWarning, StageFailureWarning)  # the summary and the manifest report these
    skipped = [str(w.message) for w in caught if issubclass(w.category, CorpusWarning)]
    for w in caught:  # the others are not the CLI's to swallow
        if not issubclass(w.category, ours):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)

    export = dict(tables)
    full = export.pop("corpus")
    export["corpus"] = full.drop(columns=["text"])
    export["texts"] = full[["doc_id", "sha256", "text"]]
    counts = full["status"].value_counts().reindex(["ok", "warning", "error"], fill_value=0)
    with staged_output(out_dir) as staging:
        written, notes = _write_tables(export, staging / "tables", stata=stata)
        figure_files: list[str] = []
        if figures:
            tables_for_plots = dict(tables)
            tables_for_plots["corpus_full"] = full
            figure_files = write_figures(_figures(tables_for_plots), staging / "figures")
        outputs = [f"tables/{f}" for entry in written.values() for f in entry["files"]]
        outputs += [f"figures/{f}" for f in figure_files]
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
            "notes": notes,
            "parameters": {"n_jobs": n_jobs, "engine": engine, "scheduler": scheduler, "stata": stata, "figures": figures},
            "tables": written,
            "figures": figure_files,
            "outputs": outputs,
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
    r.add_argument("--no-figures", action="store_true", help="skip the figures")
    r.add_argument("--no-progress", action="store_true", help="never show progress bars")
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
