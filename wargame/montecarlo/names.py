"""How error messages name a batch's inputs: by the keywords of `montecarlo.run()` in Python, by the flags of
`wargame montecarlo` on the command line.

Every check refers to an input by its keyword (`names["runs"]`), so one set of checks speaks to both: a Python
user reads `runs=: expected a whole number of at least 1, got 0`, a command-line user `--runs: expected ...`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

KEYWORDS = ("ruleset", "runs", "turns", "seed", "script", "workers", "scheduler", "overrides", "sweep", "out",
            "resume", "every", "chunk")


@dataclass(frozen=True)
class Names:
    labels: Mapping[str, str]      # keyword → how messages name it
    resume_command: str            # how to continue the batch in {out}

    def __getitem__(self, keyword: str) -> str:
        return self.labels[keyword]

    def given(self, keyword: str, value) -> str:
        """An input and the value given for it, as the user wrote it: `runs=7` or `--runs 7`."""
        label = self.labels[keyword]
        if label.endswith("="):
            return f"{label}{value!r}" if isinstance(value, str) else f"{label}{value}"
        return f"{label} {value}"

    def resume_hint(self, out: Path) -> str:
        return self.resume_command.format(out=out, out_repr=repr(str(out)))


PYTHON = Names({**{k: f"{k}=" for k in KEYWORDS}, "resume": "resume=True"},
               "montecarlo.run(out={out_repr}, resume=True)")

COMMAND_LINE = Names({**{k: f"--{k}" for k in KEYWORDS}, "ruleset": "RULESET", "overrides": "--set"},
                     "'wargame montecarlo --out {out} --resume'")
