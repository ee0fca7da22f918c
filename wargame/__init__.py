"""wargame: an agent-based diplomacy and trade wargame of the January 2026 China–Japan rare-earth crisis.

The public API for front ends, notebooks and batch runners:

    from wargame import WargameModel, load_ruleset
    model = WargameModel(load_ruleset(), rng=7)
    model.run(26)
    model.dataframe()          # the DataCollector's per-turn indicators
"""

from .errors import IllegalMove, Problem, RulesetError, SaveError, ScriptError, WargameError
from .model import WargameModel
from .observation import Observation
from .policies import HoldPolicy, Policy, RandomPolicy, UtilityPolicy
from .ruleset import DEFAULT_RULESET, Ruleset, load_ruleset
from .scripts import Script, load_script

__all__ = ["WargameModel", "Ruleset", "load_ruleset", "DEFAULT_RULESET", "Observation", "Policy", "UtilityPolicy",
           "RandomPolicy", "HoldPolicy", "Script", "load_script", "WargameError", "RulesetError", "ScriptError",
           "SaveError", "IllegalMove", "Problem"]
