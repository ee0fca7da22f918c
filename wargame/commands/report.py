"""`wargame report`: the debrief of a saved game as Markdown and printable HTML, with PNG charts."""

from __future__ import annotations

import argparse

from ..report import build_report, require_matplotlib
from .common import add_trust_argument, existing_file, positive_int


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="write the debrief of a saved game: timeline, charts, decisions and their "
                                      "consequences, discussion questions",
                       description="Write the debrief of a saved game into DIR: report.md and report.html (the same "
                                   "content, printable) and PNG charts in DIR/charts/. Needs the optional "
                                   "'analysis' extra (matplotlib).")
    p.add_argument("file", metavar="FILE", help="a save file")
    p.add_argument("--out", metavar="DIR", required=True, help="the folder to write the report into")
    p.add_argument("--title", default=None, help="the report's title (default: 'Debrief: ' and the ruleset's name)")
    p.add_argument("--window", type=positive_int, default=3, metavar="N",
                   help="turns over which a move's consequences are measured (default 3)")
    p.add_argument("--ruleset", metavar="RULESET", default=None, type=existing_file,
                   help="use this ruleset file instead of the copy in the save (it must be unchanged)")
    add_trust_argument(p)
    p.set_defaults(handler=run_report)


def run_report(args: argparse.Namespace) -> int:
    require_matplotlib()
    files = build_report(args.file, args.out, title=args.title, window=args.window, ruleset=args.ruleset,
                         trusted=args.trusted)
    print(f"wrote {files.markdown} and {files.html} with {len(files.charts)} charts in {files.markdown.parent / 'charts'}")
    return 0
