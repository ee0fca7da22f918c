from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from wargame.ruleset import DEFAULT_RULESET, load_ruleset

ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config):
    # A suite started as a background job (`cmd &`, nohup) inherits SIGINT ignored, and so would every game it
    # starts: the Ctrl-C tests could not interrupt anything. A handler, unlike "ignored", is not inherited by
    # the programs the tests run, which then take Ctrl-C as a user's terminal delivers it.
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


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
