"""The run's last steps, side by side: corpus-level tables and figures from the streamed tables.

After :func:`analysis.pipeline.stream_pipeline` has written the tables, the command
line still has to compute the tables of the whole corpus (keyness, template reuse,
theme recurrence) and draw the figures. None of them needs another's result, and each
reads only what it needs from disk, so they run as independent tasks on a process pool
(:func:`analysis.pipeline.engines.map_chunks`): on two cores the figures are drawn while
template reuse is computed. Each task writes its own files and sends back only their
names, its row count, a note and its seconds.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from analysis.pipeline import corpus_steps
from analysis import safe_csv
from analysis.pipeline.export import csv_fits, export_table

__all__ = ["LEVEL_TABLES", "FinishResult", "FinishTask", "finish_tasks", "run_finish", "run_finish_task"]

#: Corpus-level tables computed at the end, in the order they are listed.
LEVEL_TABLES = ("keyness", "reuse", "recurrence")


class FinishTask(NamedTuple):
    """One last step: a corpus-level table (``kind="table"``) or a figure (``kind="figure"``)."""

    kind: str
    name: str
    #: the tables folder
    folder: str
    #: where figures go
    figures: str
    #: the corpus table (no text), the term counts per year, the part shares
    corpus: pd.DataFrame
    term_year: pd.DataFrame
    part_shares: pd.DataFrame


class FinishResult(NamedTuple):
    kind: str
    name: str
    rows: int
    files: list[str]
    notes: list[str]
    seconds: float
    warnings: list[tuple[type[Warning], str]]


def _table(task: FinishTask) -> tuple[pd.DataFrame | None, str]:
    folder = Path(task.folder)
    if task.name == "keyness":
        return corpus_steps.latest_year_keyness(task.term_year)
    if task.name == "recurrence":
        ok = task.corpus[task.corpus["status"] != "error"]
        return corpus_steps.problems_recurrence(folder, ok), ""
    raise ValueError(f"unknown corpus-level table {task.name!r}")


def run_finish_task(task: FinishTask) -> FinishResult:
    """Compute and write one corpus-level table, or draw and write one figure."""
    t = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rows, files, notes = 0, [], []
        if task.kind == "table":
            written: tuple[int, list[Path]] | None
            if task.name == "reuse":
                # written batch by batch: the whole table holds two statements per pair
                written = corpus_steps.write_problems_reuse(Path(task.folder))
            else:
                df, note = _table(task)
                notes += [note] if note else []
                written = None if df is None else (int(len(df)), export_table(df, task.name, Path(task.folder)))
            if written is not None:
                rows, files = written[0], [p.name for p in written[1]]
                if not csv_fits(rows):
                    notes.append(
                        f"{task.name} has {rows:,} rows, more than a spreadsheet opens ({safe_csv.EXCEL_MAX_ROWS:,} rows): "
                        f"written as Parquet only (tables/{task.name}.parquet)"
                    )
        else:
            from analysis.pipeline.figures import cli_figures
            from analysis.plots.output import write_figures

            draw = dict(cli_figures(task.folder, task.corpus, task.term_year, task.part_shares))[task.name]
            files = write_figures([(task.name, draw)], task.figures)
    return FinishResult(
        task.kind, task.name, rows, files, notes, time.perf_counter() - t, [(w.category, str(w.message)) for w in caught]
    )


def finish_tasks(
    folder: Path,
    figures: Path | None,
    corpus: pd.DataFrame,
    term_year: pd.DataFrame,
    part_shares: pd.DataFrame,
    *,
    skip: tuple[str, ...] = (),
) -> list[FinishTask]:
    """The tasks of the end of a run: the corpus-level tables, then (with ``figures``) every figure.

    The slowest first (template reuse, the word cloud), so that the others fill the
    remaining workers. ``skip`` names corpus-level tables not to compute.
    """
    from analysis.pipeline.figures import cli_figures

    names = [name for name, _ in cli_figures(folder, corpus, term_year, part_shares)] if figures is not None else []
    names.sort(key=lambda n: n != "04-wordcloud.png")
    common = (str(folder), str(figures or ""), corpus, term_year, part_shares)
    tables = [FinishTask("table", "reuse", *common)] + [FinishTask("table", n, *common) for n in LEVEL_TABLES if n != "reuse"]
    tables = [t for t in tables if t.name not in skip]
    slowest = [t for t in tables if t.name == "reuse"]
    rest = [t for t in tables if t.name != "reuse"]
    return slowest + [FinishTask("figure", n, *common) for n in names] + rest


def warm_up_finish() -> None:
    """Load what several tasks use (the plotting layer and its font, wordcloud) once, here.

    Forked workers then inherit it instead of each loading it again. scikit-learn (0.6 s
    to import) is left to the one task that uses it, template reuse: its worker loads it
    while the other draws figures.
    """
    import wordcloud  # noqa: F401

    from analysis.plots import use_cjk_font

    use_cjk_font()  # loads matplotlib and registers the font


def run_finish(
    tasks: list[FinishTask], *, n_jobs: int | None = None, log: Callable[[str], None] | None = None
) -> Iterator[FinishResult]:
    """Run the tasks on a process pool of ``n_jobs`` workers; yield results as they end."""
    from analysis.pipeline.engines import map_chunks, n_workers

    if n_workers(n_jobs) > 1 and len(tasks) > 1:
        warm_up_finish()

    for result in map_chunks(run_finish_task, tasks, n_tasks=len(tasks), engine="pandas", n_jobs=n_jobs):
        if log is not None:
            log(f"{result.kind:<11}{result.seconds:>7.1f} s  {result.name}" + (f" ({result.rows:,} rows)" if result.kind == "table" else ""))
        yield result
