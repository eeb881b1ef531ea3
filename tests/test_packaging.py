"""The conda environment and pyproject.toml list the same dependencies."""

from __future__ import annotations

import re
import tomllib

import yaml

from analysis.config import PROJECT_ROOT

_NAME_RE = re.compile(r"^\s*([A-Za-z0-9_.\-]+)")


def _name(spec: str) -> str:
    m = _NAME_RE.match(spec)
    assert m, spec
    return re.sub(r"[-_.]+", "-", m.group(1)).lower()


def test_environment_yml_mirrors_pyproject() -> None:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_name(s) for s in project["dependencies"]}
    wanted |= {_name(s) for s in project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    have: set[str] = set()
    pip_specs: list[str] = []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_specs = dep["pip"]
        else:
            have.add(_name(dep))
    assert "-e ." in pip_specs, "environment.yml must install the package itself with pip: [-e .]"
    have |= {_name(s) for s in pip_specs if not s.startswith("-e")}
    have -= {"python", "pip"}
    # dask[bag] is the same distribution as dask
    assert have == wanted, f"only in environment.yml: {sorted(have - wanted)}; only in pyproject: {sorted(wanted - have)}"


def test_ci_runs_the_readme_test_command() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    ci = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = "bash scripts/test.sh"
    assert command in readme
    assert command in ci
