"""The rulesets and move scripts that ship with the game, found alike in a source checkout and in an installed copy.

Authors edit them in the checkout's top-level rulesets/; an installed wargame carries the same files inside the
package (pyproject.toml maps rulesets/ to wargame.rulesets), since there is no checkout beside it.
"""

from __future__ import annotations

from pathlib import Path


def _rulesets_dir() -> Path:
    package = Path(__file__).resolve().parent
    checkout = package.parent / "rulesets"
    return checkout if checkout.is_dir() else package / "rulesets"


RULESETS_DIR = _rulesets_dir()
DEFAULT_RULESET = RULESETS_DIR / "rare_earths_2026.yaml"


def locate(path: str | Path) -> Path:
    """`path` if it exists; otherwise the bundled file it names, if there is one, so that the docs' commands work
    from any folder: `rulesets/hawkish_beijing.yaml`, `hawkish_beijing.yaml` and `hawkish_beijing` all name the
    bundled ruleset, and `rulesets/scripts/january_2026.yaml` the bundled script. A file of the same name in the
    working folder comes first."""
    given = Path(path)
    if given.exists() or given.is_absolute() or ".." in given.parts:
        return given
    inside = Path(*given.parts[1:]) if given.parts[:1] == ("rulesets",) and len(given.parts) > 1 else given
    candidates = [RULESETS_DIR / inside]
    if not inside.suffix:
        candidates.append(RULESETS_DIR / inside.with_suffix(".yaml"))
    return next((c for c in candidates if c.is_file()), given)


def bundled_rulesets() -> list[str]:
    """The names of the bundled rulesets (without .yaml), for hints."""
    return sorted(p.stem for p in RULESETS_DIR.glob("*.yaml"))
