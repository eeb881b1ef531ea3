"""The lock files agree with pyproject.toml (made by scripts/lock.sh; installed by setup_env.sh).

``requirements/lock.txt`` pins every package, transitive ones included, with hashes; every
requirement in pyproject must be pinned there within its range. ``requirements/floor.txt``
pins each direct requirement at exactly the lower bound pyproject states, so the bounds are
the versions CI runs the unit suite on.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from analysis.config import PROJECT_ROOT

LOCK = PROJECT_ROOT / "requirements" / "lock.txt"
FLOOR = PROJECT_ROOT / "requirements" / "floor.txt"

# One pinned package in uv/pip-compile output:  pandas==3.1.1 ; sys_platform == 'linux' \
_PIN_RE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_.\-]*)==(\S+?)\s*(?:;\s*(.*?))?\s*\\?$")
# One hash line below it:      --hash=sha256:59bb0325...
_HASH_RE = re.compile(r"^\s+--hash=sha256:[0-9a-f]{64}\b")


def parse_lock(text: str) -> dict[str, list[tuple[str, str, int]]]:
    """name -> [(version, marker, number of hashes)] of a requirements file with hashes."""
    pins: dict[str, list[tuple[str, str, int]]] = {}
    current: list | None = None
    for line in text.splitlines():
        m = _PIN_RE.match(line)
        if m:
            current = [m.group(2), m.group(3) or "", 0]
            pins.setdefault(canonicalize_name(m.group(1)), []).append(current)
        elif _HASH_RE.match(line) and current is not None:
            current[2] += 1
        elif line.strip() and not line.lstrip().startswith("#"):
            raise AssertionError(f"unexpected line in a lock file: {line!r}")
    return {name: [tuple(v) for v in versions] for name, versions in pins.items()}


def _on_oldest_linux(marker: str) -> bool:
    """Whether a pin's marker holds where CI installs floor.txt: the oldest Python, on Linux."""
    if not marker:
        return True
    oldest = re.fullmatch(r">=(3\.\d+)", _project()["requires-python"]).group(1)
    env = {"python_version": oldest, "python_full_version": f"{oldest}.0", "sys_platform": "linux",
           "platform_system": "Linux", "os_name": "posix", "implementation_name": "cpython",
           "platform_python_implementation": "CPython"}  # fmt: skip
    return Marker(marker).evaluate(env)


def _project() -> dict:
    return tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def requirements() -> list[Requirement]:
    project = _project()
    return [Requirement(s) for s in project["dependencies"] + project["optional-dependencies"]["dev"]]


def test_parse_lock_reads_pins_markers_and_hashes() -> None:
    text = (
        "# header\n"
        "numpy==2.4.6 \\\n    --hash=sha256:" + "a" * 64 + " \\\n    --hash=sha256:" + "b" * 64 + "\n"
        "    # via pandas\n"
        "appnope==1.0.0 ; sys_platform == 'darwin' \\\n    --hash=sha256:" + "c" * 64 + "\n"
    )
    assert parse_lock(text) == {"numpy": [("2.4.6", "", 2)], "appnope": [("1.0.0", "sys_platform == 'darwin'", 1)]}
    with pytest.raises(AssertionError, match="unexpected line"):
        parse_lock("numpy>=2\n")


@pytest.mark.parametrize("path", [LOCK, FLOOR], ids=lambda p: p.name)
def test_every_pin_has_hashes(path: Path) -> None:
    pins = parse_lock(path.read_text(encoding="utf-8"))
    assert pins, f"{path.name} pins nothing"
    unhashed = [f"{n}=={v}" for n, versions in pins.items() for v, _, hashes in versions if hashes == 0]
    assert not unhashed, f"{path.name}: pins without hashes: {unhashed}"


def test_lock_pins_every_requirement_within_its_range() -> None:
    pins = parse_lock(LOCK.read_text(encoding="utf-8"))
    problems = []
    for req in requirements():
        versions = pins.get(canonicalize_name(req.name))
        if not versions:
            problems.append(f"{req.name}: not in the lock")
            continue
        for version, _, _ in versions:
            if not req.specifier.contains(version, prereleases=True):
                problems.append(f"{req.name}=={version} is outside {req.specifier}")
    assert not problems, "pyproject.toml and requirements/lock.txt disagree (run: bash scripts/lock.sh): " + "; ".join(problems)


def test_floor_pins_every_requirement_at_its_lower_bound() -> None:
    """Each ``>=`` bound (or ``==`` pin) in pyproject is the version floor.txt installs."""
    pins = parse_lock(FLOOR.read_text(encoding="utf-8"))
    problems = []
    for req in requirements():
        bounds = [s.version for s in req.specifier if s.operator in (">=", "==")]
        assert len(bounds) == 1, f"{req}: state one lower bound (>=) or one exact pin (==)"
        versions = {v for v, marker, _ in pins.get(canonicalize_name(req.name), []) if _on_oldest_linux(marker)}
        if {Version(v) for v in versions} != {Version(bounds[0])}:
            problems.append(f"{req.name}: floor.txt has {sorted(versions)}, pyproject's bound is {bounds[0]}")
    assert not problems, "requirements/floor.txt is not at pyproject's bounds (run: bash scripts/lock.sh): " + "; ".join(problems)


def test_lock_names_no_index_host() -> None:
    """The lock carries versions and hashes only: no index URL or host to trust instead."""
    for path in (LOCK, FLOOR):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(?m)^\s*--(?:index-url|extra-index-url|find-links|trusted-host)\b", text)
        assert "://" not in text
        assert "bash scripts/lock.sh" in text.splitlines()[1]
