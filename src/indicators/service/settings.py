"""The settings of the HTTP service: its limits, time budget and optional API key."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field, fields

from indicators.limits import DEFAULT_LIMITS, Limits

#: the extra to install for the service
EXTRA = "service"
#: the modules the service needs, each with the PyPI package that provides it
REQUIRED = (("fastapi", "fastapi"), ("uvicorn", "uvicorn"), ("multipart", "python-multipart"),
            ("jinja2", "jinja2"))


@dataclass(frozen=True, slots=True)
class ServiceSettings:
    """How the service answers. The engine's own limits (text length, nesting, rows, file size …) are
    ``limits``; the service adds the size of a whole request and a time budget per request."""

    #: the engine's limits: formula and target length and nesting, rows and cells of a form, file size
    limits: Limits = DEFAULT_LIMITS
    #: the largest request body, in bytes (a form upload with its multipart envelope)
    max_request_bytes: int = 21_000_000
    #: seconds one request may compute before it is answered with IND901
    time_budget: float = 30.0
    #: engine computations that run at the same time (more requests wait their turn)
    workers: int = 4
    #: the key every ``/v1`` request (but health and version) and the web page must present; None: open
    api_key: str | None = field(default=None, repr=False)
    #: write one JSON line per request to the ``indicators.access`` logger
    access_log: bool = True

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name in {"max_request_bytes", "workers"} and (not isinstance(value, int) or value < 1):
                raise ValueError(f"ServiceSettings.{item.name} must be a positive integer, not {value!r}")
        if not self.time_budget > 0:
            raise ValueError(f"ServiceSettings.time_budget must be positive, not {self.time_budget!r}")
        if self.api_key is not None and not self.api_key.strip():
            raise ValueError("ServiceSettings.api_key must not be empty")


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and the loopback addresses (127.0.0.0/8, ::1)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def missing_packages() -> list[str]:
    """The PyPI packages of the ``service`` extra that cannot be imported."""
    import importlib.util

    return [package for module, package in REQUIRED if importlib.util.find_spec(module) is None]
