"""Subcommands of the `wargame` CLI. Each module defines register(subparsers) and sets a handler."""
