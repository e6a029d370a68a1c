"""The lock files install exactly the pins of requirements*.txt, every package with its hashes."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;#\\]+)", re.M)


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    return {normalise(name): version for name, version in PIN.findall(path.read_text())}


def locked(path: Path) -> dict[str, str]:
    """name → version of a pip-compile --generate-hashes file; every entry must carry a hash."""
    text = path.read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 1)[1] if text.startswith("#") else text)
    result = {}
    for entry in entries:
        match = PIN.match(entry.strip())
        if not match:
            continue
        assert "--hash=sha256:" in entry, f"{path.name}: {match.group(1)} has no hash"
        result[normalise(match.group(1))] = match.group(2)
    return result


def test_every_runtime_pin_is_locked_at_its_version():
    runtime = pins(ROOT / "requirements.txt")
    lock = locked(ROOT / "requirements.lock")
    assert {name: lock.get(name) for name in runtime} == runtime, "requirements.txt changed: run `make lock`"


def test_every_dev_pin_is_locked_and_the_dev_lock_agrees_with_the_runtime_lock():
    dev = pins(ROOT / "requirements-dev.txt")
    runtime_lock = locked(ROOT / "requirements.lock")
    dev_lock = locked(ROOT / "requirements-dev.lock")
    assert {name: dev_lock.get(name) for name in dev} == dev, "requirements-dev.txt changed: run `make lock`"
    assert {name: dev_lock.get(name) for name in runtime_lock} == runtime_lock  # same versions in production


def test_test_only_packages_stay_out_of_the_runtime_lock():
    runtime_lock = locked(ROOT / "requirements.lock")
    for name in ("pytest", "pypdf", "ruff", "hypothesis", "playwright", "pytest-cov", "pip-tools"):
        assert name not in runtime_lock
    assert "holidays" in runtime_lock  # the business-day calendar (lib/business_days.py)
