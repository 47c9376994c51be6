"""formula package."""
