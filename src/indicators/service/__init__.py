"""The HTTP service: the engine over JSON (``/v1/…``) and a web page for people, on one ASGI app.

``indicators serve`` runs it with uvicorn; :func:`create_app` builds it for embedding or tests::

    from indicators.service import ServiceSettings, create_app
    app = create_app(ServiceSettings(api_key="…"))

FastAPI, uvicorn and python-multipart are the ``service`` extra (``pip install 'indicators[service]'``);
this package imports them only when :func:`create_app` runs. The routes are documented in ``docs/http.md``
and ``docs/openapi.json``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from indicators.service.settings import ServiceSettings

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["ServiceSettings", "create_app"]


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    """The ASGI app of the service (FastAPI), with ``settings`` (default: :class:`ServiceSettings`)."""
    from indicators.service.app import build_app

    return build_app(settings or ServiceSettings())
