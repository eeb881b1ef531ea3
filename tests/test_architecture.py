"""The package's shape: imports run one way, stages talk through public names.

Reads every module of ``analysis/`` with :mod:`ast` (nothing is imported) and checks,
one test per module so that a failure names the module:

- no import cycle: following the ``import`` statements (at module level or inside
  functions) from a module never leads back to it;
- no module imports another module's ``_private`` name (``from analysis.x import _y``,
  or ``x._y`` on an imported analysis module): what another module needs is public;
- matplotlib is imported only under ``analysis/plots/``;
- a module longer than :data:`MAX_LINES` lines says why in its docstring, in a sentence
  that mentions its lines and gives the reason (``because``, ``since``, ``so that``,
  ``cannot``, ``why``), e.g. "It runs over 800 lines because the patterns and the
  rules that read them belong together."

Edges follow what Python executes: ``from analysis.x import y`` depends on the submodule
``analysis.x.y`` when there is one, else on ``analysis.x`` itself. Importing a submodule
does not count as depending on its parent package (the parent's ``__init__`` only runs).
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

from analysis.config import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "analysis"
#: Longest module that needs no reason in its docstring.
MAX_LINES = 800
# A sentence giving the reason for a long module, e.g. "It runs to 900 lines because …".
_REASON_RE = re.compile(r"[^.]*\blines\b[^.]*\b(?:because|since|so that|cannot|why)\b[^.]*|[^.]*\b(?:because|since|so that|cannot|why)\b[^.]*\blines\b[^.]*", re.IGNORECASE)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PROJECT_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@functools.cache
def _modules() -> dict[str, Path]:
    """Module name -> file, for every .py file of the package (resources excluded)."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).parts
        if "resources" in rel or any(p.startswith(".") or p == "__pycache__" for p in rel):
            continue
        out[_module_name(path)] = path
    return out


@functools.cache
def _tree(name: str) -> ast.Module:
    path = _modules()[name]
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _is_package(name: str) -> bool:
    return _modules()[name].name == "__init__.py"


def _absolute(name: str, node: ast.ImportFrom) -> str:
    """The absolute module an ``ImportFrom`` reads from (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    base = name.split(".")
    if not _is_package(name):
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


@functools.cache
def _imports(name: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(analysis modules imported, private names imported from other modules, third-party roots)."""
    modules = _modules()
    deps: list[str] = []
    private: list[str] = []
    roots: list[str] = []
    bound: dict[str, str] = {}  # local name -> analysis module it is bound to
    for node in ast.walk(_tree(name)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                roots.append(alias.name.split(".")[0])
                if alias.name in modules:
                    deps.append(alias.name)
                    if alias.asname:
                        bound[alias.asname] = alias.name
                    else:
                        bound[alias.name.split(".")[0]] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(name, node)
            roots.append(source.split(".")[0])
            if source.split(".")[0] != "analysis":
                continue
            for alias in node.names:
                sub = f"{source}.{alias.name}"
                if sub in modules:
                    deps.append(sub)
                    bound[alias.asname or alias.name] = sub
                    continue
                if source in modules:
                    deps.append(source)
                if _is_private(alias.name) and source != name:
                    private.append(f"from {source} import {alias.name} (line {node.lineno})")
    # attribute access on an imported analysis module: keywords._wordset, analysis.corpus._read_one
    for node in ast.walk(_tree(name)):
        if isinstance(node, ast.Attribute) and _is_private(node.attr):
            dotted = _dotted(node.value)
            if dotted is None:
                continue
            head, _, rest = dotted.partition(".")
            if head not in bound:
                continue
            target = bound[head] + (f".{rest}" if rest else "")
            if target in modules and target != name:
                private.append(f"{dotted}.{node.attr} (line {node.lineno})")
    return tuple(dict.fromkeys(d for d in deps if d != name)), tuple(dict.fromkeys(private)), tuple(roots)


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return None if inner is None else f"{inner}.{node.attr}"
    return None


@functools.cache
def _cycles() -> dict[str, tuple[str, ...]]:
    """Module -> the modules of its import cycle (strongly connected component), if any."""
    graph = {m: _imports(m)[0] for m in _modules()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: dict[str, tuple[str, ...]] = {}
    counter = 0

    def visit(v: str) -> None:  # Tarjan's algorithm
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                for w in component:
                    out[w] = tuple(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return out


MODULES = sorted(_modules())


def test_every_module_found() -> None:
    assert {"analysis", "analysis.config", "analysis.pipeline", "analysis.plots"} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_no_import_cycle(module: str) -> None:
    cycle = _cycles().get(module)
    assert cycle is None, f"{module} is in an import cycle with: {', '.join(m for m in cycle if m != module)}"


@pytest.mark.parametrize("module", MODULES)
def test_no_private_name_of_another_module(module: str) -> None:
    private = _imports(module)[1]
    assert not private, f"{module} uses private names of other modules: " + "; ".join(private)


@pytest.mark.parametrize("module", MODULES)
def test_matplotlib_only_in_plots(module: str) -> None:
    if module == "analysis.plots" or module.startswith("analysis.plots."):
        return
    assert "matplotlib" not in _imports(module)[2], f"{module} imports matplotlib: drawing belongs in analysis/plots/"


@pytest.mark.parametrize("module", MODULES)
def test_long_module_says_why(module: str) -> None:
    path = _modules()[module]
    n_lines = len(path.read_text(encoding="utf-8").splitlines())
    if n_lines <= MAX_LINES:
        return
    doc = ast.get_docstring(_tree(module)) or ""
    assert _REASON_RE.search(" ".join(doc.split())), (
        f"{module} has {n_lines} lines (> {MAX_LINES}) and its docstring does not say why it cannot split"
    )


# --------------------------------------------------------------------------- the checker itself


def _check_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str]) -> None:
    """Point the checks at a made-up package under ``tmp_path``."""
    for rel, text in files.items():
        path = tmp_path / "analysis" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    monkeypatch.setitem(globals(), "PROJECT_ROOT", tmp_path)
    monkeypatch.setitem(globals(), "PACKAGE", tmp_path / "analysis")
    for fn in (_modules, _tree, _imports, _cycles):
        fn.cache_clear()


@pytest.fixture
def fake_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    def make(files: dict[str, str]) -> None:
        _check_source(tmp_path, monkeypatch, files)

    yield make
    for fn in (_modules, _tree, _imports, _cycles):
        fn.cache_clear()


def test_checker_finds_each_violation(fake_package) -> None:
    fake_package(
        {
            "__init__.py": '"""Package."""\n',
            "a.py": "from analysis.b import helper\n",
            "b.py": "from analysis import a\nfrom analysis.c import _secret\n",
            "c.py": "import analysis.d as d\n\ndef f():\n    import matplotlib.pyplot\n    return d._x\n",
            "d.py": '"""Short."""\n' + "x = 1\n" * (MAX_LINES + 1),
            "e.py": '"""Long, because it must be: it runs over 800 lines since the table is one piece."""\n'
            + "x = 1\n" * (MAX_LINES + 1),
            "plots/__init__.py": "import matplotlib\n",
        }
    )
    assert _cycles()["analysis.a"] == ("analysis.a", "analysis.b")
    assert "analysis.c" not in _cycles()
    assert _imports("analysis.b")[1] == ("from analysis.c import _secret (line 2)",)
    assert _imports("analysis.c")[1] == ("d._x (line 5)",)
    assert "matplotlib" in _imports("analysis.c")[2]
    with pytest.raises(AssertionError, match="analysis.d has 802 lines"):
        test_long_module_says_why("analysis.d")
    test_long_module_says_why("analysis.e")
    test_matplotlib_only_in_plots("analysis.plots")
    with pytest.raises(AssertionError, match="analysis.c imports matplotlib"):
        test_matplotlib_only_in_plots("analysis.c")
