"""``python -m indicators``."""

import sys

from indicators.cli.app import main

sys.exit(main())
