"""Command line: run the whole pipeline on a folder of reports and export every table.

Usage::

    python -m analysis run --corpus DIR --out DIR [--overwrite] [--stata] [--n-jobs N]
    fazhi-analysis run --corpus DIR --out DIR            # the same, as a console script

Writes, into ``--out``:

* ``tables/NAME.parquet`` and ``tables/NAME.csv`` (UTF-8 with BOM, so Excel shows Chinese)
  for every table: ``corpus`` (metadata, without the text), ``texts`` (doc_id, sha256, text),
  ``sections``, ``problems`` (with themes), ``indicators``, ``audit`` (numbers audit),
  ``terms`` (term frequencies per report) and ``compliance``; ``tables/NAME.dta`` with
  ``--stata``;
* ``figures/*.png``: the notebooks' figures for this corpus;
* ``manifest.json``: package version, the corpus files with their sha256 and status,
  counts of ok/warning/error files, the parameters used, and start/end times.

Bad input (a missing or empty folder, an unwritable output folder, an existing output folder
without ``--overwrite``) ends with a one-line error and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import warnings
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import pandas as pd

__all__ = ["main", "export_table", "CliError"]

#: Tables exported by ``run``, in the order they are written.
TABLES = ("corpus", "texts", "sections", "problems", "indicators", "audit", "terms", "compliance")


class CliError(Exception):
    """A problem with the command's input or output, reported as one line."""


# --------------------------------------------------------------------------- export


def _flat(df: pd.DataFrame) -> pd.DataFrame:
    """Copy with list/tuple/array cells joined by "|" (CSV and Stata have no list type)."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object:
            sample = out[col].dropna()
            if len(sample) and sample.map(lambda v: isinstance(v, (list, tuple, set)) or hasattr(v, "tolist")).any():
                out[col] = out[col].map(
                    lambda v: "|".join(map(str, v.tolist() if hasattr(v, "tolist") else v))
                    if isinstance(v, (list, tuple, set)) or hasattr(v, "tolist")
                    else v
                )
    return out


# Words Stata reserves for itself; a column so named gets a trailing underscore (end -> end_).
_STATA_RESERVED = frozenset(
    "aggregate array boolean break byte case catch class colvector complex const continue default "
    "delegate delete do double else eltypedef end enum explicit export external float for friend "
    "function global goto if inline int local long NULL pragma protected quad rowvector short "
    "typedef typename virtual _all _N _skip _b _pi in _pred strL _coef _rc using _cons _se with _n".split()
)


def _for_stata(df: pd.DataFrame) -> pd.DataFrame:
    """Stata-safe copy: <= 32-character names, no reserved names, no nullable dtypes, no NA strings."""
    out = _flat(df)
    renames = {c: (f"{c}_" if str(c) in _STATA_RESERVED else str(c))[:32] for c in out.columns}
    out = out.rename(columns=renames)
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_bool_dtype(s):
            out[col] = s.astype("float64").astype("Int8").astype("float64")
        elif pd.api.types.is_integer_dtype(s) or pd.api.types.is_float_dtype(s):
            out[col] = s.astype("float64")
        elif pd.api.types.is_datetime64_any_dtype(s):
            out[col] = s.astype("datetime64[ns]")
        else:
            out[col] = s.astype("object").where(s.notna(), "").map(str)
    return out


def export_table(df: pd.DataFrame, name: str, folder: Path, *, stata: bool = False) -> list[Path]:
    """Write ``df`` as ``name.parquet`` and ``name.csv`` (UTF-8 with BOM) in ``folder``.

    With ``stata=True`` also ``name.dta`` (Stata 118, Unicode). List cells are joined with
    ``|`` in CSV and Stata. Returns the paths written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{name}.parquet", folder / f"{name}.csv"]
    df.reset_index(drop=True).to_parquet(paths[0], index=False)
    _flat(df).to_csv(paths[1], index=False, encoding="utf-8-sig", lineterminator="\n")
    if stata:
        dta = folder / f"{name}.dta"
        st = _for_stata(df)
        long_text = [c for c in st.columns if st[c].dtype == object and st[c].map(len).max(initial=0) > 2000]
        st.to_stata(dta, write_index=False, version=118, convert_strl=long_text)
        paths.append(dta)
    return paths


# --------------------------------------------------------------------------- figures


def _figures(tables: dict[str, pd.DataFrame]) -> list[tuple[str, Callable[[], object]]]:
    """The notebooks' figures for this corpus: (file name, function drawing it)."""
    from analysis import corpus as corpus_mod
    from analysis import indicators, keywords, plots

    corpus = tables["corpus_full"]
    ok = corpus[corpus["status"] != "error"]
    term_counts = tables["terms"].groupby("term", observed=True)["n"].sum() if len(tables["terms"]) else pd.Series(dtype="int64")
    labels = dict(zip(ok["doc_id"], ok["issuer"].fillna(ok["doc_id"])))
    out: list[tuple[str, Callable[[], object]]] = [
        ("01-report-lengths.png", lambda: corpus_mod.plot_report_lengths(corpus)),
        ("02-part-shares.png", lambda: plots.plot_part_shares(tables["sections"], labels=labels, corpus=ok)),
        ("03-indicator-density.png", lambda: indicators.plot_indicator_density(tables["indicators"], ok)),
        ("03-indicator-categories.png", lambda: indicators.plot_indicator_categories(tables["indicators"], ok)),
        ("03-audit-classes.png", lambda: indicators.plot_audit_classes(tables["audit"], ok)),
    ]
    if len(term_counts):
        out.append(("04-wordcloud.png", lambda: keywords.plot_wordcloud(term_counts.to_dict())))
    if len(tables["problems"]):
        out.append(("05-theme-heatmap.png", lambda: plots.plot_theme_heatmap(tables["problems"], corpus=ok)))
    return out


# --------------------------------------------------------------------------- run


def _check_paths(corpus: Path, out: Path, overwrite: bool) -> None:
    if not corpus.exists():
        raise CliError(f"corpus folder not found: {corpus}")
    if not corpus.is_dir():
        raise CliError(f"--corpus must be a folder: {corpus}")
    if out.exists():
        if not out.is_dir():
            raise CliError(f"output path exists and is not a folder: {out}")
        if any(out.iterdir()) and not overwrite:
            raise CliError(f"output folder exists and is not empty: {out} (use --overwrite to replace it)")
    parent = out if out.exists() else out.parent
    while not parent.exists():
        parent = parent.parent
    if not os.access(parent, os.W_OK | os.X_OK):
        raise CliError(f"output folder is not writable: {out}")
    try:
        with tempfile.TemporaryFile(dir=parent):
            pass
    except OSError as exc:
        raise CliError(f"output folder is not writable: {out} ({exc.strerror})") from None


def run(
    corpus_path: Path,
    out: Path,
    *,
    overwrite: bool = False,
    stata: bool = False,
    n_jobs: int | None = None,
    engine: str = "pandas",
    scheduler: str | None = None,
    figures: bool = True,
    progress: bool | None = None,
    stream=None,
) -> dict[str, object]:
    """Run the pipeline on ``corpus_path`` and write tables, figures and manifest to ``out``."""
    stream = stream or sys.stdout
    started = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    corpus_path = Path(corpus_path)
    out = Path(out)
    _check_paths(corpus_path, out, overwrite)

    from analysis import __version__
    from analysis.corpus import CorpusWarning, _discover
    from analysis.pipeline import run_pipeline

    n_files = len(_discover(corpus_path)[0]) if corpus_path.is_dir() else 1
    if not n_files:
        raise CliError(f"no .txt/.html/.htm report files under {corpus_path}")
    if progress is None:
        progress = n_files >= 200 and getattr(sys.stderr, "isatty", lambda: False)()
    # The pipeline reads the files in its workers (each reads what it analyses).
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CorpusWarning)
        tables = run_pipeline(corpus_path, n_jobs=n_jobs, engine=engine, scheduler=scheduler, progress=progress)
    skipped = [str(w.message) for w in caught if issubclass(w.category, CorpusWarning)]
    for w in caught:  # the others are not the CLI's to swallow
        if not issubclass(w.category, CorpusWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    corpus = tables["corpus"]

    if out.exists() and overwrite:
        shutil.rmtree(out)
    table_dir = out / "tables"
    written: dict[str, list[str]] = {}
    export = dict(tables)
    full = export.pop("corpus")
    export["corpus"] = full.drop(columns=["text"])
    export["texts"] = full[["doc_id", "sha256", "text"]]
    for name in TABLES:
        if name in export:
            written[name] = [p.name for p in export_table(export[name], name, table_dir, stata=stata)]
    figure_files: list[str] = []
    if figures:
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt

        from analysis.plots.fonts import save_figure

        tables_for_plots = dict(tables)
        tables_for_plots["corpus_full"] = full
        for fname, draw in _figures(tables_for_plots):
            fig = draw()
            save_figure(fig, fname, figures_dir=out / "figures")
            plt.close(fig)
            figure_files.append(fname)

    counts = full["status"].value_counts().reindex(["ok", "warning", "error"], fill_value=0)
    finished = datetime.now(timezone.utc)
    manifest = {
        "package": "analysis",
        "version": __version__,
        "corpus": str(corpus_path.resolve()),
        "files": [
            {"path": p, "sha256": None if pd.isna(s) else s, "status": st, "message": m}
            for p, s, st, m in zip(full["path"], full["sha256"], full["status"], full["message"].fillna(""))
        ],
        "counts": {k: int(v) for k, v in counts.items()},
        "skipped": skipped,
        "parameters": {"n_jobs": n_jobs, "engine": engine, "scheduler": scheduler, "stata": stata, "figures": figures},
        "tables": {name: {"rows": int(len(export[name])), "files": files} for name, files in written.items()},
        "figures": figure_files,
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    _summary(manifest, full, out, time.perf_counter() - t0, stream)
    return manifest


def _summary(manifest: dict, corpus: pd.DataFrame, out: Path, seconds: float, stream) -> None:
    c = manifest["counts"]
    print(f"read {len(corpus)} report files from {manifest['corpus']}: "
          f"{c['ok']} ok, {c['warning']} warning, {c['error']} error ({seconds:.1f} s)", file=stream)
    for line in manifest["skipped"]:
        print(f"  skipped: {line}", file=stream)
    bad = corpus[corpus["status"] != "ok"]
    for row in bad.head(10).itertuples():
        print(f"  {row.status}: {row.path}: {row.message}", file=stream)
    if len(bad) > 10:
        print(f"  … and {len(bad) - 10} more (see manifest.json)", file=stream)
    rows = ", ".join(f"{k} {v['rows']}" for k, v in manifest["tables"].items())
    print(f"tables ({rows}) -> {out / 'tables'}", file=stream)
    if manifest["figures"]:
        print(f"{len(manifest['figures'])} figures -> {out / 'figures'}", file=stream)
    print(f"manifest -> {out / 'manifest.json'}", file=stream)


# --------------------------------------------------------------------------- main


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description="Rule-of-law government reports → tables.")
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="run the whole pipeline on a folder of reports and export every table")
    r.add_argument("--corpus", required=True, type=Path, help="folder of .txt/.html/.htm reports (searched recursively)")
    r.add_argument("--out", required=True, type=Path, help="output folder (must not exist or be empty, unless --overwrite)")
    r.add_argument("--overwrite", action="store_true", help="replace an existing output folder")
    r.add_argument("--stata", action="store_true", help="also write Stata .dta tables")
    r.add_argument("--n-jobs", type=int, default=None, help="worker processes (default: all cores)")
    r.add_argument("--engine", choices=("pandas", "dask"), default="pandas")
    r.add_argument("--scheduler", default=None, help="Dask scheduler address (with --engine dask), e.g. tcp://host:8786")
    r.add_argument("--no-figures", action="store_true", help="skip the figures")
    r.add_argument("--no-progress", action="store_true", help="never show progress bars")
    r.add_argument("--debug", action="store_true", help="show tracebacks")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        run(
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
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # one line for the user; --debug shows the traceback
        if args.debug:
            raise
        print(f"error: {type(exc).__name__}: {exc} (run with --debug for the traceback)", file=sys.stderr)
        return 1
    return 0
