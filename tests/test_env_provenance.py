"""analysis.provenance.environment_info: what manifest.json records about the environment."""

from __future__ import annotations

import json
import platform
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import analysis
from analysis import provenance
from analysis.config import PROJECT_ROOT
from analysis.provenance import NOT_A_CHECKOUT, environment_info, git_commit

SHA = "0123456789abcdef0123456789abcdef01234567"
SHA2 = "fedcba9876543210fedcba9876543210fedcba98"


def test_environment_info_describes_this_process() -> None:
    info = environment_info()
    assert list(info) == ["python", "python_implementation", "platform", "machine", "package", "package_version", "dependencies", "git_commit"]
    assert info["python"] == platform.python_version() == ".".join(map(str, sys.version_info[:3]))
    assert info["python_implementation"] == platform.python_implementation()
    assert info["platform"] == platform.platform() and info["machine"] == platform.machine()
    assert (info["package"], info["package_version"]) == ("fazhi-analysis", analysis.__version__)
    deps = info["dependencies"]
    assert list(deps) == sorted(provenance.RESULT_DEPENDENCIES)
    assert deps["pandas"] == pd.__version__
    assert all(isinstance(v, str) for v in deps.values()), {k: v for k, v in deps.items() if v is None}
    assert json.loads(json.dumps(info)) == info  # JSON-ready
    assert environment_info() == info  # reads only: the same answer twice


def test_every_runtime_dependency_is_classified() -> None:
    """A new dependency must be declared as touching results (reported) or not."""
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {canonicalize_name(Requirement(s).name) for s in project["dependencies"]}
    results, other = set(provenance.RESULT_DEPENDENCIES), set(provenance.OTHER_DEPENDENCIES)
    assert not results & other
    assert runtime <= results | other, f"classify in analysis/provenance.py: {sorted(runtime - results - other)}"
    assert other <= runtime, f"not dependencies any more: {sorted(other - runtime)}"


def test_missing_distribution_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(provenance.RESULT_DEPENDENCIES, "no-such-distribution-xyz", "test")
    assert environment_info()["dependencies"]["no-such-distribution-xyz"] is None


@pytest.mark.skipif(shutil.which("git") is None or not (PROJECT_ROOT / ".git").exists(), reason="needs a git checkout")
def test_git_commit_of_this_checkout_is_heads() -> None:
    head = subprocess.run(["git", "-C", str(PROJECT_ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    assert environment_info()["git_commit"] == head == git_commit(PROJECT_ROOT)


def test_not_a_checkout(tmp_path: Path) -> None:
    assert environment_info(root=tmp_path)["git_commit"] == NOT_A_CHECKOUT
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    assert git_commit(tmp_path / "sub") == NOT_A_CHECKOUT  # parents are never searched


def _gitdir(path: Path, head: str) -> Path:
    path.mkdir(parents=True)
    (path / "HEAD").write_text(head + "\n", encoding="utf-8")
    return path


def test_loose_packed_and_detached_refs(tmp_path: Path) -> None:
    git = _gitdir(tmp_path / ".git", "ref: refs/heads/main")
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "refs" / "heads" / "main").write_text(SHA + "\n", encoding="utf-8")
    assert git_commit(tmp_path) == SHA
    (git / "refs" / "heads" / "main").unlink()
    (git / "packed-refs").write_text(f"# pack-refs with: peeled fully-peeled sorted\n{SHA2} refs/heads/main\n^{SHA}\n", encoding="utf-8")
    assert git_commit(tmp_path) == SHA2
    (git / "HEAD").write_text(SHA + "\n", encoding="utf-8")  # detached
    assert git_commit(tmp_path) == SHA
    (git / "HEAD").write_text("ref: refs/heads/unborn\n", encoding="utf-8")
    assert git_commit(tmp_path) == "no commit"


def test_worktree_git_file(tmp_path: Path) -> None:
    """A worktree's .git is a file naming its git folder; branches live in the common folder."""
    common = _gitdir(tmp_path / "main" / ".git", "ref: refs/heads/main")
    (common / "refs" / "heads").mkdir(parents=True)
    (common / "refs" / "heads" / "feature").write_text(SHA2 + "\n", encoding="utf-8")
    wt_git = _gitdir(common / "worktrees" / "feature", "ref: refs/heads/feature")
    (wt_git / "commondir").write_text("../..\n", encoding="utf-8")
    checkout = tmp_path / "feature"
    checkout.mkdir()
    (checkout / ".git").write_text(f"gitdir: {wt_git}\n", encoding="utf-8")
    assert git_commit(checkout) == SHA2
    (checkout / ".git").write_text("gitdir: ../main/.git/worktrees/feature\n", encoding="utf-8")  # relative
    assert git_commit(checkout) == SHA2
    (checkout / ".git").write_text("gitdir: /no/such/folder\n", encoding="utf-8")
    assert git_commit(checkout) == NOT_A_CHECKOUT
