from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from wargame.ruleset import DEFAULT_RULESET, load_ruleset

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def rules():
    return load_ruleset(DEFAULT_RULESET)


@pytest.fixture(scope="session")
def default_text() -> str:
    return DEFAULT_RULESET.read_text(encoding="utf-8")


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the real `wargame` command in a fresh interpreter."""
    return subprocess.run([sys.executable, "-m", "wargame", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=timeout)


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]
