"""Widgets of the turn screen. Each one shows part of a PlayerView and updates when the view changes."""
