"""Each indicator has one name, which every place that names it reads (indicators.NAMES)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT
from wargame.compare import label as compare_label
from wargame.indicators import NAMES, SCALARS, in_sentence, label, short, titled
from wargame.model import WargameModel


def test_every_indicator_a_turn_reports_has_a_name(rules):
    model = WargameModel(rules, rng=0)
    model.step()
    reported = model.state.indicators
    assert set(reported) - {"date"} <= set(NAMES)
    assert set(SCALARS) <= set(NAMES)
    assert all(NAMES[k].label and NAMES[k].label[0].isupper() for k in NAMES)


def test_the_forms_of_a_name_are_built_from_it():
    assert titled("japan_supply_index") == f"{label('japan_supply_index')} ({NAMES['japan_supply_index'].unit})"
    assert titled("japan_gdp_loss_jpy", "¥ bn") == f"{label('japan_gdp_loss_jpy')} (¥ bn)"
    assert short("japan_import_share_china") == NAMES["japan_import_share_china"].short
    assert short("china_export_loss_usd") == label("china_export_loss_usd")       # no short form: the label
    # Inside a sentence a common noun is not capitalised; a name that starts with a proper noun stays as it is.
    assert in_sentence("japan_import_share_china").startswith("the share of")
    assert in_sentence("cohesion").startswith("G7 cohesion")
    assert label("no_such_indicator") == titled("no_such_indicator") == "no_such_indicator"


def test_compare_names_indicators_from_the_table(rules):
    assert compare_label("japan_supply_index") == titled("japan_supply_index")
    assert compare_label("china_export_loss_usd") == label("china_export_loss_usd")    # money carries its unit
    assert compare_label("diversification_tpw", rules) == titled("diversification_tpw", f"t/{rules.per_turn[1]}")


def test_the_names_cost_nothing_of_the_engine_to_import():
    code = ("import sys, wargame.indicators\n"
            "print(sorted(m for m in ('numpy', 'networkx', 'wargame.ruleset', 'wargame.state', 'wargame.trade')"
            " if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
