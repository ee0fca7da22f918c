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
    if given.exists():
        return given
    return bundled_file(given) or given


def bundled_file(name: str | Path) -> Path | None:
    """The bundled file `name` means (`hawkish_beijing`, `hawkish_beijing.yaml`, `rulesets/hawkish_beijing.yaml`,
    `rulesets/scripts/january_2026.yaml`), or None if it names none."""
    given = Path(name)
    if given.is_absolute() or ".." in given.parts:
        return None
    inside = Path(*given.parts[1:]) if given.parts[:1] == ("rulesets",) and len(given.parts) > 1 else given
    candidates = [RULESETS_DIR / inside]
    if not inside.suffix:
        candidates.append(RULESETS_DIR / inside.with_suffix(".yaml"))
    return next((c for c in candidates if c.is_file()), None)


def extended_file(child: str | Path, name: str) -> Path:
    """The ruleset file that `extends: NAME` in the ruleset file `child` means: NAME relative to `child`'s folder
    if there is such a file, else the bundled ruleset of that name (so that a variant written anywhere can
    extend the default), else the relative path, for the error to name."""
    beside = (Path(child).parent / name).resolve()
    if beside.is_file():
        return beside
    found = bundled_file(name)
    return found.resolve() if found is not None else beside


def bundled_rulesets() -> list[str]:
    """The names of the bundled rulesets (without .yaml), for hints."""
    return sorted(p.stem for p in RULESETS_DIR.glob("*.yaml"))
