"""Dependencies point one way (README "Layout", decision 0017), read from the source's imports.

ocop.core <- products <- evaluations; inside evaluations,
engine <- criteria <- intake <- councils <- certificates <- followup <- history <- reports.
The engine is pure Python: of Django it uses only translation and formatting, and of the
rest only the criteria's reference data, which is plain Python data (the regimes as the
decisions state them).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [
    "engine",
    "criteria",
    "intake",
    "councils",
    "certificates",
    "followup",
    "history",
    "reports",
]
ENGINE_MAY_IMPORT = ("django.utils.translation", "django.utils.formats", "django.utils")
PURE_DATA = "evaluations.criteria.reference_data"


def imported_modules(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node.lineno))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
    return found


def sources(*parts: str) -> list[Path]:
    return [
        path
        for path in sorted(ROOT.joinpath(*parts).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def violations(files: list[Path], refused) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in files
        for module, line in imported_modules(path)
        if refused(path, module)
    ]


def test_the_sources_are_found():
    """The checks below read real files: an empty list would make them pass by accident."""
    assert len(sources("ocop", "core")) > 20
    assert len(sources("products")) > 10
    for package in PACKAGES:
        assert sources("evaluations", package), package


def test_core_imports_neither_products_nor_evaluations():
    def refused(path, module):
        return module.split(".")[0] in {"products", "evaluations"}

    assert violations(sources("ocop", "core"), refused) == []


def test_products_does_not_import_evaluations():
    def refused(path, module):
        return module.split(".")[0] == "evaluations"

    assert violations(sources("products"), refused) == []


@pytest.mark.parametrize("package", PACKAGES)
def test_each_evaluations_package_imports_only_the_packages_before_it(package):
    position = PACKAGES.index(package)

    def refused(path, module):
        parts = module.split(".")
        if parts[0] != "evaluations" or len(parts) < 2 or parts[1] not in PACKAGES:
            return False
        if package == "engine" and module == PURE_DATA:
            return False
        return PACKAGES.index(parts[1]) > position

    assert violations(sources("evaluations", package), refused) == []


def test_the_engine_is_pure_python():
    def refused(path, module):
        top = module.split(".")[0]
        if top == "django":
            return not module.startswith(ENGINE_MAY_IMPORT)
        if top == "evaluations":
            return not (module.startswith("evaluations.engine") or module == PURE_DATA)
        return top in {"ocop", "products"}

    assert violations(sources("evaluations", "engine"), refused) == []


def test_a_refused_import_is_reported(tmp_path):
    """The check itself can fail: a module importing upwards is named with its line."""
    module = tmp_path / "upwards.py"
    module.write_text("import os\nfrom evaluations.certificates.services import revoke\n")
    found = [m for m, _line in imported_modules(module)]
    assert found == ["os", "evaluations.certificates.services"]
    relative = [(m, line) for m, line in imported_modules(module) if m.startswith("evaluations")]
    assert relative == [("evaluations.certificates.services", 2)]
