"""The command line's output folder: never delete what the tool did not write; write atomically.

:func:`check_output_folder` refuses, with one line, an output folder whose replacement
could lose data: the corpus itself, a folder that contains the corpus or lies inside it,
the current folder, the home folder, the file-system root, an empty ``--out``, a folder
holding anything but an earlier output of this tool (its ``manifest.json`` and the files
that manifest lists, in the tool's own ``tables/`` and ``figures/`` folders).

:func:`staged_output` gives a fresh hidden sibling folder to write everything into; only
when the block ends without an error is it swapped into place by two renames (with
Ctrl-C and SIGTERM held back between them), so an interrupted or failed run leaves
either the previous complete output or the new complete output, never a mix.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "MANIFEST",
    "PACKAGE_TAG",
    "TOOL_FOLDERS",
    "OutputError",
    "check_output_folder",
    "foreign_entries",
    "staged_output",
]

#: Name of the manifest file, written last into every output folder.
MANIFEST = "manifest.json"
#: ``manifest["package"]`` of an output written by this tool.
PACKAGE_TAG = "analysis"
#: Folders the tool writes into (besides the manifest at the top).
TOOL_FOLDERS = ("tables", "figures")


class OutputError(Exception):
    """The output folder cannot be used; the message is one line for the user."""


def _listed_outputs(manifest: dict) -> set[str]:
    """Relative paths an earlier run says it wrote (``outputs``, else its tables and figures)."""
    listed = manifest.get("outputs")
    if isinstance(listed, list):
        return {str(p) for p in listed}
    out: set[str] = set()
    for entry in (manifest.get("tables") or {}).values():  # manifests written before "outputs"
        out.update(f"tables/{f}" for f in (entry or {}).get("files", []))
    out.update(f"figures/{f}" for f in manifest.get("figures") or [])
    return out


def foreign_entries(folder: Path) -> list[str]:
    """What in ``folder`` was not written by this tool (empty when it is a clean earlier output).

    An earlier output holds a ``manifest.json`` naming this package, the files that
    manifest lists and the tool's folders (:data:`TOOL_FOLDERS`). Anything else (a file
    the manifest does not list, another folder, a symbolic link) is returned, as paths
    relative to ``folder``; without a readable manifest the answer is ``["manifest.json
    (missing or not this tool's)"]``.
    """
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("package") != PACKAGE_TAG:
        return [f"{MANIFEST} (missing or not this tool's)"]
    allowed = _listed_outputs(manifest) | {MANIFEST}
    allowed_dirs = set(TOOL_FOLDERS) | {p.rsplit("/", 1)[0] for p in allowed if "/" in p}
    foreign: list[str] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        base = Path(dirpath).relative_to(folder).as_posix()
        prefix = "" if base == "." else base + "/"
        for name in sorted(dirnames):
            rel = prefix + name
            if os.path.islink(os.path.join(dirpath, name)) or rel not in allowed_dirs:
                foreign.append(rel + "/")
        dirnames[:] = sorted(d for d in dirnames if prefix + d in allowed_dirs and not os.path.islink(os.path.join(dirpath, d)))
        for name in sorted(filenames):
            rel = prefix + name
            if rel not in allowed or os.path.islink(os.path.join(dirpath, name)):
                foreign.append(rel)
    return foreign


def _resolved(path: Path) -> Path:
    return Path(os.path.realpath(path))


def check_output_folder(out: str | os.PathLike[str], corpus: Path, *, overwrite: bool) -> Path:
    """Return ``out`` as a path if the run may write there, else raise :class:`OutputError`.

    ``out`` may be missing (it is created), an empty folder, or, with ``overwrite``, an
    earlier output of this tool (:func:`foreign_entries` finds nothing else in it).

    Examples
    --------
    >>> check_output_folder("", Path("seeds"), overwrite=True)
    Traceback (most recent call last):
    ...
    analysis.pipeline.outdir.OutputError: --out is empty: give the folder to write the tables to
    """
    if not str(out).strip():
        raise OutputError("--out is empty: give the folder to write the tables to")
    path = Path(out)
    target, source = _resolved(path), _resolved(corpus)
    here, home = _resolved(Path.cwd()), _resolved(Path.home())
    if target == Path(target.anchor):
        raise OutputError(f"--out is the root of the file system: {path}")
    if target == source:
        raise OutputError(f"--out is the corpus folder: {path}")
    if target in source.parents:
        raise OutputError(f"--out contains the corpus folder: {path}")
    if source in target.parents:
        raise OutputError(f"--out lies inside the corpus folder: {path}")
    if target == home or target in home.parents:
        raise OutputError(f"--out is or contains your home folder: {path}")
    if target == here or target in here.parents:
        raise OutputError(f"--out is or contains the current folder: {path}")
    if path.is_symlink():
        raise OutputError(f"--out is a symbolic link: {path} (give the real folder)")
    if path.exists():
        if not path.is_dir():
            raise OutputError(f"output path exists and is not a folder: {path}")
        if any(path.iterdir()):
            if not overwrite:
                raise OutputError(f"output folder exists and is not empty: {path} (use --overwrite to replace an earlier output of this tool)")
            foreign = foreign_entries(path)
            if foreign:
                more = f" and {len(foreign) - 1} more" if len(foreign) > 1 else ""
                raise OutputError(
                    f"--overwrite refused: {path} holds files this tool did not write ({foreign[0]}{more})"
                )
    parent = path.parent
    while not parent.exists():
        parent = parent.parent
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"output folder is not writable: {path}")
    try:
        with tempfile.TemporaryFile(dir=parent):
            pass
    except OSError as exc:
        raise OutputError(f"output folder is not writable: {path} ({exc.strerror})") from None
    return path


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back SIGINT and SIGTERM (delivered when the block ends) in the main thread."""
    can_block = hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()
    if not can_block:
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _sibling(out: Path, tag: str) -> Path:
    return out.parent / f".{out.name}.{tag}-{os.getpid()}-{secrets.token_hex(4)}"


@contextlib.contextmanager
def staged_output(out: Path) -> Iterator[Path]:
    """Yield a fresh folder next to ``out``; when the block succeeds, it becomes ``out``.

    Write everything (the manifest last) into the yielded folder. If the block raises
    (an error, Ctrl-C, SIGTERM turned into an exception), the folder is removed and
    ``out`` is untouched. On success the previous ``out`` (if any) is renamed aside, the
    new folder renamed to ``out`` (signals held back between the two renames), and the
    previous one deleted.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = _sibling(out, "partial")
    staging.mkdir()
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    previous = None
    with _signals_held():
        if out.exists():
            previous = _sibling(out, "previous")
            os.rename(out, previous)
        try:
            os.rename(staging, out)
        except BaseException:
            if previous is not None:
                os.rename(previous, out)
            shutil.rmtree(staging, ignore_errors=True)
            raise
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)
