"""The bundled rulesets and scripts: found from any folder, and shipped inside an installed copy."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from wargame.bundled import RULESETS_DIR, locate
from wargame.ruleset import load_ruleset


@pytest.mark.parametrize("given, bundled", [
    ("rulesets/hawkish_beijing.yaml", "hawkish_beijing.yaml"),
    ("hawkish_beijing.yaml", "hawkish_beijing.yaml"),
    ("hawkish_beijing", "hawkish_beijing.yaml"),
    ("rulesets/scripts/january_2026.yaml", "scripts/january_2026.yaml"),
    ("scripts/january_2026", "scripts/january_2026.yaml"),
])
def test_a_bundled_file_is_found_from_any_folder(tmp_path, monkeypatch, given, bundled):
    monkeypatch.chdir(tmp_path)
    assert locate(given) == RULESETS_DIR / bundled


@pytest.mark.parametrize("given", ["rulesets/no_such_ruleset.yaml", "no_such_ruleset", "../rulesets/hawkish_beijing.yaml"])
def test_a_name_that_is_not_bundled_stays_as_given(tmp_path, monkeypatch, given):
    monkeypatch.chdir(tmp_path)
    assert locate(given) == Path(given)


def test_a_file_in_the_working_folder_comes_before_the_bundled_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    mine = tmp_path / "rulesets" / "hawkish_beijing.yaml"
    mine.parent.mkdir()
    mine.write_text("extends: ../nowhere.yaml\n")
    assert locate("rulesets/hawkish_beijing.yaml") == Path("rulesets/hawkish_beijing.yaml")


def test_the_docs_commands_play_a_bundled_ruleset_and_script_from_another_folder(tmp_path):
    result = run_cli("run", "rulesets/hawkish_beijing.yaml", "--turns", "2", "--seed", "1",
                     "--script", "rulesets/scripts/january_2026.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    spelled_out = run_cli("run", str(RULESETS_DIR / "hawkish_beijing.yaml"), "--turns", "2", "--seed", "1",
                          "--script", str(RULESETS_DIR / "scripts" / "january_2026.yaml"))
    assert result.stdout == spelled_out.stdout and "Turn  2" in result.stdout


def test_a_bundled_ruleset_loads_by_name():
    assert load_ruleset("hawkish_beijing") is load_ruleset(RULESETS_DIR / "hawkish_beijing.yaml")


def test_the_package_list_names_every_package_in_the_source_tree():
    declared = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for top in ("wargame", "tui")
             for p in (ROOT / top).rglob("__init__.py")}
    assert declared == found | {"wargame.rulesets"}


@pytest.mark.slow
def test_an_installed_copy_carries_the_rulesets_and_plays_without_the_source_tree(tmp_path):
    # Builds the wheel a user's `pip install wargame` would install, and plays from it alone.
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path / "dist"), str(ROOT)],
                           capture_output=True, text=True, timeout=600)
    if build.returncode != 0 and "No matching distribution" in build.stderr:
        pytest.skip("no package index to fetch the build backend from")
    assert build.returncode == 0, build.stderr
    wheel, = (tmp_path / "dist").glob("wargame-*.whl")
    with zipfile.ZipFile(wheel) as z:
        z.extractall(tmp_path / "site")
    shipped = {p.relative_to(tmp_path / "site" / "wargame" / "rulesets") for p in (tmp_path / "site" / "wargame" / "rulesets").rglob("*.yaml")}
    assert shipped == {p.relative_to(ROOT / "rulesets") for p in (ROOT / "rulesets").rglob("*.yaml")}
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    where = tmp_path / "elsewhere"
    where.mkdir()
    played = subprocess.run([sys.executable, "-c", "import wargame, sys; print(wargame.__file__); "
                             "from wargame.cli import main; sys.exit(main(['run', 'hawkish_beijing', '--turns', '1']))"],
                            capture_output=True, text=True, cwd=where, env=env, timeout=300)
    assert played.returncode == 0, played.stderr
    assert played.stdout.startswith(str(tmp_path / "site")), played.stdout.splitlines()[0]
