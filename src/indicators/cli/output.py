"""The one helper of every command: exit codes, usage errors, and the choice of output format.

Exit codes: :data:`EXIT_OK` (0) success; :data:`EXIT_INVALID` (1) invalid input, errors found, a target
not met or not comparable; :data:`EXIT_USAGE` (2) a usage error. A command raises :class:`UsageError`
with a Chinese message naming the option; :func:`indicators.cli.app.main` prints it as
``indicators COMMAND: 用法错误 (usage error): …`` and exits 2.
"""

from __future__ import annotations

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A command used wrongly (exit 2); the message is Chinese and names the option."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(message)
