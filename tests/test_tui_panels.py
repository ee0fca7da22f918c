"""The turn screen's panels as a player reads them: objectives whose arrows agree with their labels, choices the
Moves tab refuses on the spot, indicator charts that do not make noise look like news, and a trade table that
fits 80 columns."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

pytest.importorskip("textual")

from tui.app import WargameApp  # noqa: E402
from tui.widgets.objectives import Objectives  # noqa: E402
from tuikit import plain, running  # noqa: E402
from wargame import WargameModel  # noqa: E402
from wargame.views import objective_standings  # noqa: E402

RULESETS = sorted((Path(__file__).parent.parent / "rulesets").glob("*.yaml"))


@pytest.mark.parametrize("ruleset", RULESETS, ids=lambda p: p.stem)
def test_an_objective_wanted_lower_against_its_weight_is_labelled_as_the_loss_it_shows(ruleset):
    """A positive weight means the actor wants more of what the objective measures. Where its row wants the
    figure lower, the figure must be the opposite — a loss — and its label must say so, or the arrow reads
    backwards ('▼ China's rare-earth exports')."""
    model = WargameModel(ruleset, rng=1)
    opening = dict(model.state.indicators)
    model.step()
    rows = 0
    for actor in model.rules.actor_ids:
        for s in objective_standings(model, actor, opening):
            if s.wants == "shown":
                continue
            rows += 1
            against = (s.weight > 0) != (s.wants == "higher")
            assert against == ("lost" in s.label), (actor, s.label, s.weight, s.wants)
    assert rows


def test_beijings_objectives_want_chinas_lost_exports_lower(tmp_path):
    model = WargameModel(rng=7, humans=("beijing",), turns=4)

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app) as pilot:
            await pilot.press("1")
            await pilot.pause()
            return plain(app.screen.query_one(Objectives))

    row = next(line for line in asyncio.run(scenario()).splitlines() if "exports" in line)
    assert row.split()[0] == "▼" and "China's lost rare-earth exports" in row, row
    assert row.split()[-2:] == ["$0", "m"], row             # the loss itself: nothing lost before turn 1
