from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import yaml

from indicators.catalog import SetFile, TaxonomyFile, json_schema

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "docs" / "catalog.schema.json"


def render() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


def test_schema_golden_is_current() -> None:
    """docs/catalog.schema.json is generated from the models; `make golden` rewrites it."""
    if os.environ.get("UPDATE_GOLDEN"):
        SCHEMA.write_text(render(), encoding="utf-8")
    assert SCHEMA.read_text(encoding="utf-8") == render(), "run `make golden` to regenerate the schema"


def test_schema_describes_both_files() -> None:
    schema: dict[str, Any] = json.loads(SCHEMA.read_text(encoding="utf-8"))
    defs = schema["$defs"]
    assert {"SetFile", "TaxonomyFile", "Entry", "KeepOrImproveRule", "Level1", "Level2"} <= set(defs)
    assert defs["Entry"]["additionalProperties"] is False
    assert set(defs["Entry"]["required"]) == {"code", "level1", "level2", "name", "kind", "source"}


def test_bundled_files_validate_against_the_models() -> None:
    tax = yaml.safe_load((ROOT / "catalog" / "taxonomy.yaml").read_text(encoding="utf-8"))
    TaxonomyFile.model_validate(tax)
    for path in sorted((ROOT / "catalog" / "sets").glob("*.yaml")):
        SetFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
