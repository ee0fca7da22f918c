"""wargame: an agent-based diplomacy and trade wargame of the January 2026 China–Japan rare-earth crisis.

The public API for front ends, notebooks and batch runners:

    from wargame import WargameModel, load_ruleset
    model = WargameModel(load_ruleset(), rng=7)
    model.run(26)
    model.dataframe()          # the DataCollector's per-turn indicators

Names are imported on first use, so that `import wargame` (and the terminal UI's first screen) stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "WargameModel": "model", "Ruleset": "ruleset", "load_ruleset": "ruleset", "DEFAULT_RULESET": "ruleset",
    "Observation": "observation", "Policy": "policies", "UtilityPolicy": "policies", "RandomPolicy": "policies",
    "HoldPolicy": "policies", "Script": "scripts", "load_script": "scripts", "WargameError": "errors",
    "RulesetError": "errors", "ScriptError": "errors", "SaveError": "errors", "IllegalMove": "errors",
    "Problem": "errors", "save_game": "saves", "load_game": "saves",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'wargame' has no attribute '{name}'")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
