"""Packaging metadata: pyproject.toml, environment.yml and CI say the same thing."""

from __future__ import annotations

import re
import tomllib

import yaml
from packaging.requirements import Requirement

from analysis import __version__
from analysis.config import PROJECT_ROOT

_NAME_RE = re.compile(r"^\s*([A-Za-z0-9_.\-]+)")


def _name(spec: str) -> str:
    m = _NAME_RE.match(spec)
    assert m, spec
    return re.sub(r"[-_.]+", "-", m.group(1)).lower()


def _project() -> dict:
    return tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _wanted() -> dict[str, str]:
    """pyproject's runtime and dev requirements: name -> specifier (extras dropped)."""
    project = _project()
    reqs = [Requirement(s) for s in project["dependencies"] + project["optional-dependencies"]["dev"]]
    return {_name(r.name): str(r.specifier) for r in reqs}


def _environment_yml() -> tuple[dict[str, str], list[str]]:
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    have: dict[str, str] = {}
    pip_specs: list[str] = []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_specs = dep["pip"]
        else:
            have[_name(dep)] = dep[len(_NAME_RE.match(dep).group(1)) :].strip()
    for spec in pip_specs:
        if not spec.startswith("-e"):
            r = Requirement(spec)
            have[_name(r.name)] = str(r.specifier)
    return have, pip_specs


def test_environment_yml_mirrors_pyproject() -> None:
    wanted = _wanted()
    have, pip_specs = _environment_yml()
    assert "-e ." in pip_specs, "environment.yml must install the package itself with pip: [-e .]"
    python = have.pop("python")
    have.pop("pip")
    # dask[bag] is the same distribution as dask
    assert set(have) == set(wanted), f"only in environment.yml: {sorted(set(have) - set(wanted))}; only in pyproject: {sorted(set(wanted) - set(have))}"
    differ = {n: (have[n], wanted[n]) for n in wanted if have[n].replace(" ", "") != wanted[n]}
    assert not differ, f"version ranges differ (environment.yml, pyproject): {differ}"
    assert python == _project()["requires-python"]


def test_distribution_metadata() -> None:
    project = _project()
    assert project["name"] == "fazhi-analysis"
    assert project["license"] == "MIT"  # an SPDX expression, not the deprecated table form
    assert project["dynamic"] == ["version"]
    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "analysis.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


def test_classifiers_name_the_supported_pythons() -> None:
    """requires-python's floor and the classifiers agree; CI tests the first and the last."""
    project = _project()
    oldest = re.fullmatch(r">=(3\.\d+)", project["requires-python"]).group(1)
    listed = [c.rsplit(" :: ", 1)[1] for c in project["classifiers"] if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)]
    assert listed and listed[0] == oldest
    assert listed == sorted(listed, key=lambda v: tuple(map(int, v.split("."))))
    ci = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert f'OLDEST="{listed[0]}"' in ci and f'NEWEST="{listed[-1]}"' in ci
    setup = (PROJECT_ROOT / "scripts" / "setup_env.sh").read_text(encoding="utf-8")
    major, minor = oldest.split(".")
    assert f"sys.version_info < ({major}, {minor})" in setup
    assert f'OLDEST="{oldest}"' in (PROJECT_ROOT / "scripts" / "lock.sh").read_text(encoding="utf-8")


def test_ci_runs_the_readme_test_command() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    ci = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = "bash scripts/test.sh"
    assert command in readme
    assert command in ci


def test_binder_installs_the_lock_and_the_package() -> None:
    """Binder (repo2docker) reads binder/: the lock's Python line, the lock, then the package."""
    binder = PROJECT_ROOT / "binder"
    runtime = (binder / "runtime.txt").read_text(encoding="utf-8").strip()
    project = _project()
    listed = [c.rsplit(" :: ", 1)[1] for c in project["classifiers"] if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)]
    assert runtime.removeprefix("python-") in listed
    reqs = [line for line in (binder / "requirements.txt").read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    assert reqs == ["-r ../requirements/lock.txt"]
    post = binder / "postBuild"
    assert "pip install --no-deps --no-cache-dir -e ." in post.read_text(encoding="utf-8")
    assert post.stat().st_mode & 0o111, "postBuild must be executable"
