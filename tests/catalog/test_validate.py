from __future__ import annotations

from pathlib import Path

import pytest

from indicators.catalog import Catalog, load_catalog
from indicators.diagnostics import Diagnostic, Severity

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def bundled() -> Catalog:
    return load_catalog(use_env=False)


@pytest.fixture(scope="module")
def broken() -> list[Diagnostic]:
    return load_catalog(FIXTURES / "broken", use_env=False).validate()


def test_bundled_catalog_validates(bundled: Catalog) -> None:
    found = bundled.validate()
    assert [d.render() for d in found if d.severity is not Severity.INFO] == []
    # notes only: 社工站服务评估结果 is graded, while its formula's value is the state 保持/提升
    assert {d.code for d in found} <= {"IND413"}
    assert {d.indicator for d in found} <= {"社工站服务评估结果"}


def test_every_bundled_entry_has_a_source(bundled: Catalog) -> None:
    assert all(e.source.strip() for e in bundled.entries)


# (code, severity, entry code in the message or None, file, line) for each problem of fixtures/broken
BROKEN = [
    ("IND402", Severity.ERROR, "BRK-001", "b-duplicate.yaml", 5),
    ("IND408", Severity.ERROR, None, "a-broken.yaml", 12),
    ("IND406", Severity.ERROR, None, "a-broken.yaml", 18),
    ("IND415", Severity.ERROR, None, "a-broken.yaml", 23),
    ("IND403", Severity.ERROR, "BRK-005", "a-broken.yaml", 30),
    ("IND404", Severity.ERROR, "BRK-006", "a-broken.yaml", 39),
    ("IND405", Severity.ERROR, "BRK-007", "a-broken.yaml", 45),
    ("IND405", Severity.ERROR, "BRK-008", "a-broken.yaml", 54),
    ("IND412", Severity.ERROR, "BRK-009", "a-broken.yaml", 61),
    ("IND407", Severity.ERROR, "BRK-010", "a-broken.yaml", 68),
    ("IND407", Severity.ERROR, "BRK-011", "a-broken.yaml", 78),
    ("IND411", Severity.ERROR, "BRK-012", "a-broken.yaml", 88),
    ("IND413", Severity.INFO, "BRK-013", "a-broken.yaml", 97),
    ("IND411", Severity.ERROR, "BRK-014", "a-broken.yaml", 105),
    ("IND105", Severity.WARNING, None, "a-broken.yaml", 112),
    ("IND411", Severity.ERROR, "BRK-016", "a-broken.yaml", 120),
]


@pytest.mark.parametrize(
    ("code", "severity", "entry", "file", "line"), BROKEN, ids=[f"{c}-{f}:{n}" for c, _, _, f, n in BROKEN]
)
def test_broken_catalog_yields_each_diagnostic(
    broken: list[Diagnostic], code: str, severity: Severity, entry: str | None, file: str, line: int
) -> None:
    found = [
        d
        for d in broken
        if d.code == code
        and d.location
        and d.location.source
        and d.location.source.endswith(file)
        and d.location.row == line
    ]
    assert len(found) == 1, [d.render() for d in broken]
    d = found[0]
    assert d.severity is severity
    assert d.message
    assert d.indicator
    if entry is not None:
        assert entry in d.message


def test_broken_catalog_has_nothing_else(broken: list[Diagnostic]) -> None:
    from_fixture = [d for d in broken if d.location and "fixtures" in (d.location.source or "")]
    assert len(from_fixture) == len(BROKEN)


def test_broken_diagnostics_carry_excerpts(broken: list[Diagnostic]) -> None:
    formula = next(d for d in broken if d.code == "IND403")
    assert formula.text == "指标值=甲/*100%"
    assert formula.span is not None
    assert "^" in formula.render()
    assert formula.data["cause"].startswith("IND1")
    target = next(d for d in broken if d.code == "IND404")
    assert target.data["cause"].startswith("IND2")


def test_override_in_a_later_directory_is_not_a_duplicate() -> None:
    found = load_catalog(FIXTURES / "user", use_env=False).validate()
    assert [d.code for d in found if d.severity is Severity.ERROR] == []


def test_unknown_level1_skips_the_level2_check(broken: list[Diagnostic]) -> None:
    about = [d.code for d in broken if d.indicator == "未知一级指标"]
    assert about == ["IND408"]


def test_invalid_grades_file_is_reported(monkeypatch: pytest.MonkeyPatch, bundled: Catalog) -> None:
    from indicators.catalog import validation
    from indicators.codes import diagnostic
    from indicators.errors import CatalogError

    def bad() -> dict[str, tuple[str, ...]]:
        raise CatalogError(diagnostic("IND401", detail="grades.yaml: 测试"))

    monkeypatch.setattr(validation, "_grade_scale_names", bad)
    found = bundled.validate()
    assert found[0].code == "IND401"
    assert "grades.yaml" in found[0].message


SEED_FORM = Path(__file__).resolve().parents[2] / "examples" / "xiaoguwei-declared.txt"
# entries whose catalog text deliberately differs from the printed form (each has a note saying why)
CORRECTED_FORMULA = {"JD-CC-SL-006", "JD-XY-SH-003"}
NO_TARGET = {"JD-CC-SL-001": "4个以上", "JD-XY-ST-001": None}


def test_street_office_copies_the_seed_form(bundled: Catalog) -> None:
    lines = SEED_FORM.read_text(encoding="utf-8").splitlines()
    entries = bundled.list(set="street-office")
    assert len(entries) == 25
    for entry in entries:
        rows = [line for line in lines if entry.name in line.split("\t")]
        assert len(rows) == 1, entry.name
        cells = [cell for cell in rows[0].split("\t") if cell]
        assert (entry.formula in cells) is (entry.code not in CORRECTED_FORMULA), entry.name
        if entry.code in NO_TARGET:
            assert entry.target is None
            assert entry.notes, entry.name
            printed = NO_TARGET[entry.code]
            assert printed is None or printed in cells
        else:
            assert entry.target in cells, entry.name
        if entry.code in CORRECTED_FORMULA:
            assert entry.notes, entry.name


def test_validate_one_layer() -> None:
    catalog = load_catalog(FIXTURES / "broken", use_env=False)
    everything = catalog.validate()
    mine = catalog.validate(layer=1)
    bundled = catalog.validate(layer=0)
    assert mine
    assert all(d.location and "fixtures/broken" in (d.location.source or "") for d in mine)
    assert [d.code for d in bundled] == ["IND413"]  # the bundled catalog's note only
    assert sorted(d.render() for d in everything) == sorted(d.render() for d in mine + bundled)
