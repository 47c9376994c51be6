"""Suite-wide settings.

Under CI (``CI`` set in the environment) hypothesis runs derandomised: every run explores the same
examples, so a red build always reproduces. Locally each run draws new examples, which is how new
failures are found; a failure prints the seed that reproduces it.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
