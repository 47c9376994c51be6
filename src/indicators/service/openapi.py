"""The OpenAPI document of the service, committed as ``docs/openapi.json`` (a test fails when it drifts).

    python -m indicators.service.openapi > docs/openapi.json

The running service serves the same document at ``/v1/openapi.json``.
"""

from __future__ import annotations

import json

from indicators.service import ServiceSettings, create_app


def openapi_json() -> str:
    document = create_app(ServiceSettings(access_log=False)).openapi()
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    print(openapi_json(), end="")
