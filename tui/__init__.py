"""The terminal front end: `wargame play` opens WargameApp (tui.app).

Importing this package is cheap; the app and the engine load when they are needed, so the first screen
appears quickly.
"""
