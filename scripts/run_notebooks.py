"""Execute the numbered notebooks in order, each in a fresh kernel, and store outputs.

Usage::

    python scripts/run_notebooks.py                 # every notebooks/NN-*.ipynb
    python scripts/run_notebooks.py notebooks/02-parse-structure.ipynb
    python scripts/run_notebooks.py --html site/    # also render HTML + index page
    ANALYSIS_CORPUS=/my/reports ANALYSIS_FIGURES=/tmp/figs \
        python scripts/run_notebooks.py --out /tmp/executed   # your corpus; stored notebooks untouched

Every executed notebook is put in the canonical form of ``scripts/normalize_notebooks.py``
(one kernelspec, no Python version, no timings), so that diffs stay reviewable and
re-running on the same corpus with the locked environment gives byte-identical notebooks.
Kernels talk to this process over IPC sockets in a private temporary folder (no TCP ports,
nothing for ipykernel to warn about).
"""

from __future__ import annotations

import argparse
import html
import importlib.util
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from traitlets.config import Config

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


def _load_normalizer():
    """``scripts/normalize_notebooks.py`` as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("normalize_notebooks", Path(__file__).with_name("normalize_notebooks.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


normalize_notebooks = _load_normalizer()


def execute(path: Path, timeout: int = 600, target: Path | None = None) -> None:
    """Execute ``path`` in a fresh kernel (working folder: its own) and write it to ``target``.

    The kernel is ipykernel's ``python3`` of this environment, reached over IPC sockets
    in a private temporary folder; the written notebook has canonical metadata.
    """
    nb = nbformat.read(path, as_version=4)
    sockets = Path(tempfile.mkdtemp(prefix="fazhi-kernel-"))
    try:
        config = Config()
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = str(sockets / "kernel")  # socket files kernel-<port> in there
        client = NotebookClient(  # the client owns (and shuts down) its kernel manager
            nb,
            config=config,
            timeout=timeout,
            kernel_name=normalize_notebooks.KERNELSPEC["name"],
            resources={"metadata": {"path": str(path.parent)}},
            record_timing=False,
        )
        client.execute()
    finally:
        shutil.rmtree(sockets, ignore_errors=True)
    out = target or path
    # nbformat's writer first (it stores sources and texts as lists of lines), then the metadata
    out.write_text(normalize_notebooks.normalize_text(nbformat.writes(nb)), encoding="utf-8")


def render_html(paths: list[Path], out: Path) -> Path:
    """Render executed notebooks to HTML in ``out`` with an ``index.html`` linking them."""
    from nbconvert import HTMLExporter

    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter()  # figures are embedded inline as data URIs
    items = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        body, _ = exporter.from_notebook_node(nb)
        target = out / (path.stem + ".html")
        target.write_text(body, encoding="utf-8")
        title = next(
            (
                line.lstrip("# ").strip()
                for cell in nb.cells
                if cell.cell_type == "markdown"
                for line in cell.source.splitlines()
                if line.startswith("# ")
            ),
            path.stem,
        )
        items.append(f'<li><a href="{html.escape(target.name)}">{html.escape(path.stem)}</a>: {html.escape(title)}</li>')
    index = out / "index.html"
    index.write_text(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>Rule-of-law government reports: notebooks</title></head><body>\n"
        "<h1>Rule-of-law government reports (法治政府建设年度报告): notebooks</h1>\n"
        "<p>Read them in order; each was executed top to bottom in a fresh kernel.</p>\n<ol>\n"
        + "\n".join(items)
        + "\n</ol>\n</body></html>\n",
        encoding="utf-8",
    )
    return index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--html", type=Path, default=None, help="render HTML into this folder")
    parser.add_argument("--out", type=Path, default=None, help="write executed copies here instead of in place")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    executed = []
    for path in paths:
        shown = path.resolve().relative_to(ROOT) if path.resolve().is_relative_to(ROOT) else path
        print(f"executing {shown}", flush=True)
        target = None
        if args.out is not None:
            args.out.mkdir(parents=True, exist_ok=True)
            target = args.out.resolve() / path.name
        execute(path.resolve(), target=target)
        executed.append(target or path.resolve())
    if args.html is not None:
        index = render_html(executed, args.html)
        print(f"rendered HTML: {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
