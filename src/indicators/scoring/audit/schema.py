"""The JSON Schema of the audit report, exported from the pydantic models.

    python -m indicators.scoring.audit.schema > docs/schemas/audit-report.schema.json

A test fails when the file in ``docs/schemas`` and the models drift apart.
"""

from __future__ import annotations

import json

from indicators.scoring.audit.model import AuditReport


def schema_json() -> str:
    schema = AuditReport.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "indicators audit report"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    print(schema_json(), end="")
