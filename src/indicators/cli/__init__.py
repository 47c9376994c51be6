"""Command-line interface; only this package knows about terminals."""
