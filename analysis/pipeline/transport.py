"""Send a chunk's tables from a pool worker to its parent through shared memory.

A process pool returns results by pickling them through a pipe: the worker copies every
table into a pickle, the kernel copies it through the pipe, the parent copies it out and
unpickles it. The in-memory pipeline's tables are about 14 times the size of the text
they come from (sections repeat the text, the numbers audit repeats a sentence per
numeral, terms hold millions of rows), so on two cores this took about a tenth of the
run. Instead, a worker writes each table as an Arrow IPC file into a folder in shared
memory (``/dev/shm``, RAM) made by the parent for the run, and the parent maps the file
and builds the table on the mapped buffers without copying them (the file is unlinked at
once: its pages are freed with the table).

Only tables whose columns Arrow restores exactly travel this way (:func:`shippable`);
any other table, and every table when the folder cannot be written (no ``/dev/shm``,
full), goes back in the pickle as before. The tables the parent gets are equal either
way (``tests/pipeline/test_transport.py``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

__all__ = ["SHARED_MEMORY", "SharedTable", "receive_tables", "shared_folder", "send_tables", "shippable"]

#: Where run folders are made: RAM-backed on Linux. Elsewhere tables are pickled.
SHARED_MEMORY = Path("/dev/shm")
#: Prefix of a run's folder (the parent's process id follows).
PREFIX = "analysis-chunks-"

# Column dtypes Arrow's pandas metadata restores exactly (checked by the round-trip tests).
_SHIPPABLE = frozenset(
    {"int64", "float64", "bool", "boolean", "Int64", "string", "str", "datetime64[ns]", "datetime64[us]"}
)


class SharedTable(NamedTuple):
    """A table written by a worker: the Arrow IPC file to map."""

    path: str


def shippable(table: pd.DataFrame) -> bool:
    """Whether ``table`` survives the Arrow round trip exactly (columns, dtypes, index).

    >>> shippable(pd.DataFrame({"a": [1], "b": pd.array(["x"], dtype="string")}))
    True
    >>> shippable(pd.DataFrame({"a": [[1]]}))  # an object column
    False
    """
    index = table.index
    if not (isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1):
        return False
    columns = table.columns
    if not all(isinstance(c, str) for c in columns) or not columns.is_unique:
        return False
    return all(str(dtype) in _SHIPPABLE for dtype in table.dtypes)


@contextlib.contextmanager
def shared_folder() -> Iterator[str | None]:
    """A private folder in shared memory for one run's tables, removed after the run.

    Yields ``None`` (tables go back pickled) when there is no writable shared memory.
    Files left by runs whose process was killed (their process id no longer exists)
    are removed first: they hold only tables this module wrote.
    """
    if not (SHARED_MEMORY.is_dir() and os.access(SHARED_MEMORY, os.W_OK | os.X_OK)):
        yield None
        return
    _remove_stale()
    try:
        folder = tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=SHARED_MEMORY)
    except OSError:
        yield None
        return
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _remove_stale() -> None:
    for path in SHARED_MEMORY.glob(f"{PREFIX}*-*"):
        pid = path.name[len(PREFIX) :].split("-", 1)[0]
        if not pid.isdigit() or not path.is_dir() or path.is_symlink():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except OSError:
            continue  # alive (or not ours to signal)


def send_tables(tables: dict[str, pd.DataFrame], folder: str | None, tag: str) -> dict[str, Any]:
    """In a worker: write each shippable table to ``folder``; the others stay in the result.

    Returns the tables with those written replaced by :class:`SharedTable` (``tag`` names
    the chunk in the file names). A table that cannot be written (full shared memory)
    stays in the result.
    """
    if folder is None:
        return dict(tables)
    import pyarrow as pa

    out: dict[str, Any] = {}
    for name, table in tables.items():
        if not shippable(table):
            out[name] = table
            continue
        path = os.path.join(folder, f"{tag}-{name}.arrow")
        try:
            arrow = pa.Table.from_pandas(table, preserve_index=False)
            with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, arrow.schema) as writer:
                writer.write_table(arrow)
        except (OSError, pa.ArrowException):
            with contextlib.suppress(OSError):
                os.unlink(path)
            out[name] = table
            continue
        out[name] = SharedTable(path)
    return out


def receive_tables(tables: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """In the parent: the tables of :func:`send_tables`, mapped from shared memory.

    Each file is unlinked once mapped; its pages are freed with the table built on them.
    """
    import pyarrow as pa

    out: dict[str, pd.DataFrame] = {}
    for name, table in tables.items():
        if not isinstance(table, SharedTable):
            out[name] = table
            continue
        try:
            with pa.memory_map(table.path) as source:
                arrow = pa.ipc.open_file(source).read_all()
        finally:
            with contextlib.suppress(OSError):
                os.unlink(table.path)
        out[name] = arrow.to_pandas()
    return out
