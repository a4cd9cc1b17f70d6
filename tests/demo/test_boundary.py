"""Production code never depends on the demo data: only `demo/` itself and the tests import it."""

import ast
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
ALLOWED = {"demo", "tests"}
SKIPPED = {".venv", ".git", "node_modules", "static", "static_collected"}


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


def imports_demo(path: Path) -> bool:
    return any(name == "demo" or name.startswith("demo.") for name in imported_modules(path))


def test_no_module_outside_demo_and_tests_imports_demo():
    outside = [
        path
        for path in BASE_DIR.rglob("*.py")
        if not SKIPPED & set(path.relative_to(BASE_DIR).parts)
        and path.relative_to(BASE_DIR).parts[0] not in ALLOWED
    ]
    assert any(path.parts[-2:] == ("groups", "models.py") for path in outside)

    offenders = [str(path.relative_to(BASE_DIR)) for path in outside if imports_demo(path)]

    assert offenders == []


def test_the_check_sees_an_import_of_demo(tmp_path):
    module = tmp_path / "views.py"
    module.write_text("from demo.people import DEMO_LOGINS\nimport demo.groups\n")
    assert imports_demo(module)
    module.write_text("from groups.models import Group\nimport democracy\n")
    assert not imports_demo(module)
