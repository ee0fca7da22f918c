"""Choosing a policy by name: the built-in AIs, a player's own class, and names that cannot be used."""

from __future__ import annotations

import textwrap

import pytest

from conftest import run_cli
from wargame import WargameModel, load_ruleset
from wargame.errors import WargameError
from wargame.policies import BUILTIN, PLAYED_BY, HoldPolicy, RandomPolicy, UtilityPolicy, make_policy, played_by

OWN_POLICIES = textwrap.dedent("""
    class AlwaysProtest:
        def choose(self, observation, legal, rng):
            return ["formal_protest"] if "formal_protest" in legal else []

    class NeedsSettings:
        def __init__(self, aggression):
            self.aggression = aggression

        def choose(self, observation, legal, rng):
            return []

    class Broken:
        def __init__(self):
            raise RuntimeError("no model file")

        def choose(self, observation, legal, rng):
            return []

    class NoChoose:
        pass

    def a_function():
        return None
""")


@pytest.fixture
def own_module(tmp_path, monkeypatch):
    (tmp_path / "my_policies.py").write_text(OWN_POLICIES)
    monkeypatch.syspath_prepend(str(tmp_path))
    return "my_policies"


@pytest.mark.parametrize("name,kind", [("utility", UtilityPolicy), ("random", RandomPolicy), ("hold", HoldPolicy)])
def test_builtin_policies_by_name(name, kind):
    rules = load_ruleset()
    assert isinstance(make_policy(name, rules.actors["tokyo"], rules), kind)


def test_a_players_own_class_plays(own_module):
    rules = load_ruleset()
    model = WargameModel(rules, rng=3, turns=3, policies={"tokyo": f"{own_module}:AlwaysProtest"})
    model.run()
    played = [m for r in model.reports for m in r.orders["tokyo"]]
    assert played and set(played) == {"formal_protest"}
    assert model.policy_names["tokyo"] == f"{own_module}:AlwaysProtest"


@pytest.mark.parametrize("attr,words", [
    ("NeedsSettings", "could not be created: TypeError: "),
    ("Broken", "could not be created: RuntimeError: no model file"),
    ("NoChoose", "has no choose(observation, legal, rng) method"),
    ("a_function", "is not a class"),
    ("Missing", "cannot load policy"),
])
def test_unusable_classes_are_refused_in_words(own_module, attr, words):
    rules = load_ruleset()
    with pytest.raises(WargameError) as info:
        make_policy(f"{own_module}:{attr}", rules.actors["tokyo"], rules)
    assert words in str(info.value)
    assert f"'{own_module}:{attr}'" in str(info.value)


@pytest.mark.parametrize("name", ["os:system", "no_such_module_here:Policy", "mystery"])
def test_cli_refuses_an_unusable_policy_in_one_line(name):
    result = run_cli("run", "--turns", "1", "--policy", f"beijing={name}")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert name in result.stderr


@pytest.mark.parametrize("policy", sorted(BUILTIN))
def test_every_policy_known_by_name_is_worded_for_people(policy):
    assert policy in PLAYED_BY                  # not 'the policy utility': the id is for the command line
    assert played_by(policy) == PLAYED_BY[policy] != policy


def test_a_policy_of_the_users_own_is_named_as_they_wrote_it():
    assert played_by("mine:Cautious") == "the policy mine:Cautious"
