"""A user's own policy, plugged in with --policy ACTOR=cautious_policy:Cautious."""


class Cautious:
    def choose(self, observation, legal, rng):
        return [m for m in legal if observation.rules.moves[m].severity < 0][:1]
