"""Helpers for running the generated SQL in real engines: a throw-away PostgreSQL server, and the check of
an engine's value against the reference evaluator (shared by the PostgreSQL and Spark tests)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from tests.formula.strategies import evaluation_steps

from indicators.formula import compile_py, evaluate, to_callable, to_sql
from indicators.formula.model import Formula
from indicators.formula.nodes import Call, walk

_UNIT_DIGITS = {None: 0, "%": 2, "‰": 3}
_SERVER_BINARIES = ("initdb", "pg_ctl", "postgres")


def plain(value: Decimal | None, unit: str | None) -> Decimal | None:
    return None if value is None else value.scaleb(-_UNIT_DIGITS.get(unit, 0))


def _fits(value: Decimal) -> bool:
    """Exact in DECIMAL(38, 10) with room for the engine's intermediate products."""
    exponent = value.normalize().as_tuple().exponent
    return isinstance(exponent, int) and exponent >= -10 and abs(value) < Decimal("1e14")


@dataclass(frozen=True)
class Case:
    """One formula over one row, with what the engine must give."""

    formula: Formula
    values: dict[str, Decimal]
    expected: Decimal | None  # plain value by the reference evaluator (None: not computable)
    exact: bool  # every step fits DECIMAL(38, 10): the engine must give exactly ``expected``

    def sql(self, dialect: str) -> str:
        """The formula's SQL over the columns ``c0``, ``c1``, … (the values in order)."""
        return to_sql(self.formula, dialect=dialect, columns={n: f"c{i}" for i, n in enumerate(self.values)})

    def check(self, computed: Decimal | None) -> None:
        got = plain(computed, compile_py.result_unit(self.formula))
        if self.expected is None:
            assert got is None, (self.formula.text, self.values, computed)
            return
        assert got is not None, (self.formula.text, self.values)
        if self.exact:
            assert got == self.expected, (self.formula.text, self.values, computed)
        else:
            largest = max(abs(self.expected), Decimal(1))
            assert abs(got - self.expected) <= largest * Decimal("1e-6"), (self.formula.text, got)


def case(formula: Formula, values: dict[str, Decimal]) -> Case | None:
    """The case, or None where the engines' DECIMAL(38, 10) cannot be compared with the evaluator
    (values beyond its range, a ROUND or IF after a rounded step, steps below its precision)."""
    if not formula.is_arithmetic or formula.expr is None:
        return None
    if any(isinstance(n, Call) and n.function == "ROUND" and compile_py.unit_of(n.args[0]) is None
           for n in walk(formula.expr)):
        return None  # no SQL form
    result = evaluate(formula, values)
    expected = plain(result.value, result.unit) if result.ok else None
    steps = evaluation_steps(formula.expr)
    plains = [plain(to_callable(step)(values), compile_py.result_unit(step)) for step in steps]
    if not all(p is None or abs(p) < Decimal("1e14") for p in plains):
        return None
    if all(p is None or _fits(p) for p in plains):
        return Case(formula, values, expected, exact=True)
    if any(isinstance(n, Call) and n.function in ("ROUND", "IF") for n in walk(formula.expr)):
        return None
    if expected is None or any(p is not None and p != 0 and abs(p) < Decimal("1e-3") for p in plains):
        return None
    return Case(formula, values, expected, exact=False)


# --- a PostgreSQL server of its own ----------------------------------------------------------------------


def postgres_binaries() -> Path | None:
    """The folder of initdb, pg_ctl and postgres (Debian: /usr/lib/postgresql/<version>/bin), or None."""
    found = shutil.which("initdb")
    candidates = [Path(found).resolve().parent] if found else []
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
                      if Path(p).parent.name.isdigit() else 0, reverse=True)
    candidates += [Path(p) for p in versions]
    for folder in candidates:
        if all((folder / name).is_file() for name in _SERVER_BINARIES):
            return folder
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Postgres:
    """A running server: ``query`` runs SQL through psql and returns the rows as text."""

    port: int
    psql: str
    user: str

    def query(self, sql: str) -> list[list[str]]:
        done = subprocess.run(
            [self.psql, "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
             "-p", str(self.port), "-U", self.user, "-d", "postgres"],
            input=sql, capture_output=True, text=True, encoding="utf-8", check=False, timeout=120,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return [line.split("\t") for line in done.stdout.splitlines() if line]


@contextmanager
def postgres_server() -> Iterator[Postgres]:
    """initdb in a temporary folder, a server on a free loopback port, stopped and removed at the end.

    As root (initdb refuses to run as root) the server runs as the ``postgres`` user, or ``nobody``.
    """
    folder = postgres_binaries()
    psql = shutil.which("psql") or (str(folder / "psql") if folder and (folder / "psql").is_file() else None)
    if folder is None or psql is None:
        raise LookupError("PostgreSQL (initdb, pg_ctl, postgres, psql) not found; "
                          "install it with: apt-get install -y --no-install-recommends postgresql")
    runner: list[str] = []
    owner: pwd.struct_passwd | None = None
    if os.geteuid() == 0:
        for name in ("postgres", "nobody"):
            try:
                owner = pwd.getpwnam(name)
                break
            except KeyError:
                continue
        if owner is None:
            raise LookupError("running as root and no unprivileged user (postgres, nobody) to run PostgreSQL")
        runner = ["runuser", "-u", owner.pw_name, "--"] if shutil.which("runuser") else \
            ["su", owner.pw_name, "-s", "/bin/sh", "-c"]
    root = Path(tempfile.mkdtemp(prefix="indicators-pg-"))
    data = root / "data"
    if owner is not None:
        os.chown(root, owner.pw_uid, owner.pw_gid)
    port = _free_port()

    def as_owner(*argv: str) -> subprocess.CompletedProcess[str]:
        command = list(argv)
        if runner[-1:] == ["-c"]:
            command = [*runner, " ".join(f"'{a}'" for a in argv)]
        elif runner:
            command = [*runner, *argv]
        return subprocess.run(command, capture_output=True, text=True, check=False, timeout=180, cwd=root)

    user = "indicators"
    try:
        made = as_owner(str(folder / "initdb"), "-D", str(data), "-U", user, "--auth=trust", "-E", "UTF8",
                        "--no-locale")
        assert made.returncode == 0, made.stdout + made.stderr
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
        started = as_owner(str(folder / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-o", options,
                           "-w", "-t", "60", "start")
        assert started.returncode == 0, started.stdout + started.stderr + _log(root)
        try:
            yield Postgres(port, psql, user)
        finally:
            as_owner(str(folder / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _log(root: Path) -> str:
    path = root / "log"
    return path.read_text(encoding="utf-8", errors="replace")[-2000:] if path.is_file() else ""
