"""Tables sent from pool workers through shared memory come back equal to the pickled ones."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import pipeline
from analysis.pipeline import synth, transport

# Values of each shippable dtype, missing values included where the dtype has them.
_TEXT = st.one_of(st.none(), st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=8))
_COLUMNS = {
    "int64": (st.integers(-(2**62), 2**62), lambda v: pd.array(v, dtype="int64")),
    "float64": (st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.none()), lambda v: np.array([np.nan if x is None else x for x in v], dtype="float64")),
    "bool": (st.booleans(), lambda v: np.array(v, dtype=bool)),
    "boolean": (st.one_of(st.booleans(), st.none()), lambda v: pd.array(v, dtype="boolean")),
    "Int64": (st.one_of(st.integers(-(2**62), 2**62), st.none()), lambda v: pd.array(v, dtype="Int64")),
    "string": (_TEXT, lambda v: pd.array(v, dtype="string")),
    "str": (_TEXT, lambda v: pd.array(v, dtype="str")),
    "datetime64[ns]": (
        st.one_of(st.datetimes(min_value=pd.Timestamp("1990-01-01").to_pydatetime(), max_value=pd.Timestamp("2100-01-01").to_pydatetime()), st.none()),
        lambda v: pd.to_datetime(pd.Series(v, dtype="object")).astype("datetime64[ns]").array,
    ),
    "datetime64[us]": (
        st.one_of(st.dates(min_value=pd.Timestamp("1990-01-01").date(), max_value=pd.Timestamp("2100-01-01").date()), st.none()),
        lambda v: pd.to_datetime(pd.Series(v, dtype="object")).astype("datetime64[us]").array,
    ),
}


@st.composite
def frames(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(0, 6))
    kinds = draw(st.lists(st.sampled_from(sorted(_COLUMNS)), min_size=1, max_size=5))
    data = {}
    for i, kind in enumerate(kinds):
        values, build = _COLUMNS[kind]
        data[f"c{i}_{kind}"] = build(draw(st.lists(values, min_size=n, max_size=n)))
    return pd.DataFrame(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=frames())
def test_round_trip_is_exact(tmp_path: Path, table: pd.DataFrame) -> None:
    assert transport.shippable(table)
    sent = transport.send_tables({"t": table}, str(tmp_path), "000001")
    assert isinstance(sent["t"], transport.SharedTable)
    back = transport.receive_tables(sent)["t"]
    pd.testing.assert_frame_equal(back, table)
    assert not list(tmp_path.iterdir())  # each file is unlinked once mapped


def test_other_tables_stay_in_the_result(tmp_path: Path) -> None:
    odd = {
        "objects": pd.DataFrame({"a": [[1], "x"]}),
        "index": pd.DataFrame({"a": [1, 2]}, index=[5, 6]),
        "names": pd.DataFrame({1: [1]}),
    }
    sent = transport.send_tables(odd, str(tmp_path), "000001")
    assert all(sent[name] is odd[name] for name in odd)
    assert not list(tmp_path.iterdir())


def test_without_a_folder_tables_stay_in_the_result(tmp_path: Path) -> None:
    table = pd.DataFrame({"a": [1]})
    assert transport.send_tables({"t": table}, None, "x")["t"] is table
    # a folder that cannot be written (gone, full): the table stays in the result
    assert transport.send_tables({"t": table}, str(tmp_path / "gone"), "x")["t"] is table


def test_shared_folder_is_private_and_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transport, "SHARED_MEMORY", tmp_path)
    with transport.shared_folder() as folder:
        assert folder is not None and Path(folder).parent == tmp_path
        assert Path(folder).name.startswith(f"{transport.PREFIX}{os.getpid()}-")
        assert (os.stat(folder).st_mode & 0o077) == 0  # only this user
        (Path(folder) / "x.arrow").write_bytes(b"")
    assert not list(tmp_path.iterdir())


def test_stale_folders_of_dead_runs_are_removed_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transport, "SHARED_MEMORY", tmp_path)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    stale = tmp_path / f"{transport.PREFIX}{dead.stdout.strip()}-abc"
    live = tmp_path / f"{transport.PREFIX}{os.getppid()}-abc"
    other = tmp_path / "someone-elses-folder"
    for folder in (stale, live, other):
        folder.mkdir()
        (folder / "table.arrow").write_bytes(b"kept?")
    with transport.shared_folder():
        pass
    assert not stale.exists()
    assert (live / "table.arrow").exists() and (other / "table.arrow").exists()


def test_no_shared_memory_gives_the_same_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synth.generate_corpus(tmp_path, 12, seed=5)
    shared = pipeline.run_pipeline(tmp_path, n_jobs=2, chunk_size=4)
    memory = transport.SHARED_MEMORY
    assert not list(memory.glob(f"{transport.PREFIX}{os.getpid()}-*"))  # the run left nothing behind
    monkeypatch.setattr(transport, "SHARED_MEMORY", tmp_path / "no-such-folder")
    pickled = pipeline.run_pipeline(tmp_path, n_jobs=2, chunk_size=4)
    for name in pipeline.TABLES:
        pd.testing.assert_frame_equal(shared[name], pickled[name], obj=name)
