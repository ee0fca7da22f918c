"""The app's screens: start, load, turn, hand-over, turn report, save, confirm, help and game over."""
