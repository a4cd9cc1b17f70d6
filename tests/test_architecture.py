"""The import structure of the project, read from the source (DESIGN.md section 2).

Every module of the apps is parsed with `ast`, never imported, so the check has no side effects
and sees every import statement: at module level, inside functions (an import moved into a
function to dodge a cycle is still an edge of that cycle), in `try` blocks and in migrations.
Names given as strings (INSTALLED_APPS, `include("groups.urls")`, `apps.get_model`) are
configuration, not imports, and are not edges.

The rules:
- no import cycle between modules of the project;
- apps depend one way, `network -> groups -> courses -> cms`; the one exception is the root
  URLconf `cms.urls`, the project's composition root (like INSTALLED_APPS), which mounts each
  app's `urls` module and nothing else of it;
- `demo` may import every app, and only `demo/` and `tests/` import `demo`;
- the selectors of `groups` (reads) import nothing from `groups.services` (writes).
"""

import ast
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Lower layers first: an app may import the apps before it, never those after it.
LAYERS = ("cms", "courses", "groups", "network")
APPS = (*LAYERS, "demo")


@dataclass(frozen=True)
class Edge:
    importer: str
    imported: str
    line: int

    def __str__(self) -> str:
        path = module_paths()[self.importer].relative_to(ROOT)
        return f"{self.importer} -> {self.imported} ({path}:{self.line})"


@cache
def module_paths() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the apps present in the tree."""
    modules = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def resolve(name: str) -> str | None:
    """The project module an imported dotted name lands in: the name itself when it is a
    module, else the nearest enclosing module (`from groups.models import Group` lands in
    `groups.models`). None outside the project."""
    modules = module_paths()
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def imported_names(module: str, tree: ast.AST) -> list[tuple[str, int]]:
    is_package = module_paths()[module].name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module
            # `from package import submodule` imports the submodule; `from module import name`
            # imports the module: resolve() keeps whichever exists.
            names += [(f"{base}.{alias.name}", node.lineno) for alias in node.names]
    return names


@cache
def edges() -> tuple[Edge, ...]:
    found = set()
    for module, path in module_paths().items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for name, line in imported_names(module, tree):
            target = resolve(name)
            if target is not None and target != module:
                found.add(Edge(module, target, line))
    return tuple(sorted(found, key=lambda e: (e.importer, e.imported, e.line)))


def app_of(module: str) -> str:
    return module.partition(".")[0]


def cycles() -> list[tuple[list[str], list[str]]]:
    """Each strongly connected group of modules (Tarjan), with one shortest cycle in it."""
    graph = defaultdict(set)
    for edge in edges():
        graph[edge.importer].add(edge.imported)
    index, low, on_stack, stack, components = {}, {}, set(), [], []

    def connect(node: str) -> None:
        # Iterative Tarjan: the module graph is deep enough to worry the recursion limit.
        work = [(node, iter(sorted(graph[node])))]
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        while work:
            current, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[current] = min(low[current], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[current])
                if low[current] == index[current]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == current:
                            break
                    if len(component) > 1:
                        components.append(component)

    for node in sorted(module_paths()):
        if node not in index:
            connect(node)

    found = []
    for component in components:
        start = min(component)
        # Breadth-first from start back to start, inside the component.
        previous = {start: None}
        queue = [start]
        while queue:
            current = queue.pop(0)
            if start in graph[current] and current in previous:
                path = [start]
                while current != start:
                    path.append(current)
                    current = previous[current]
                found.append((sorted(component), [start, *reversed(path[1:]), start]))
                break
            for child in sorted(graph[current] & component):
                if child not in previous:
                    previous[child] = current
                    queue.append(child)
    return sorted(found)


def describe(cycle: list[str]) -> str:
    by_pair = {(e.importer, e.imported): e for e in edges()}
    return "\n    ".join(str(by_pair[pair]) for pair in pairwise(cycle))


def test_every_app_is_read():
    """The checks below see the apps: a wrong root would make them pass vacuously."""
    modules = module_paths()
    assert {"cms.models", "courses.models", "groups.models"} <= modules.keys()
    assert any(edge.imported == "groups.models" for edge in edges())


def test_the_checker_sees_relative_and_function_level_imports():
    source = (
        "from . import outbox\n"
        "from ..models import Group\n"
        "def late():\n"
        "    from cms.models import HomePage\n"
    )
    names = {name for name, _ in imported_names("groups.services.enrolment", ast.parse(source))}
    assert names == {"groups.services.outbox", "groups.models.Group", "cms.models.HomePage"}
    assert {resolve(name) for name in names} == {
        "groups.services.outbox",
        "groups.models",
        "cms.models",
    }


def test_no_import_cycle_between_modules():
    found = cycles()
    assert not found, "import cycles between modules:\n  " + "\n  ".join(
        f"modules {', '.join(members)} import each other; one cycle:\n    " + describe(cycle)
        for members, cycle in found
    )


ROOT_URLCONF = "cms.urls"


def test_apps_depend_one_way_network_groups_courses_cms():
    wrong = [
        edge
        for edge in edges()
        if not (edge.importer == ROOT_URLCONF and edge.imported.endswith(".urls"))
        and app_of(edge.importer) in LAYERS
        and app_of(edge.imported) in LAYERS
        and LAYERS.index(app_of(edge.imported)) > LAYERS.index(app_of(edge.importer))
    ]
    assert not wrong, "imports against network -> groups -> courses -> cms:\n  " + "\n  ".join(
        map(str, wrong)
    )


def test_only_demo_and_tests_import_demo():
    wrong = [
        edge
        for edge in edges()
        if app_of(edge.imported) == "demo" and app_of(edge.importer) != "demo"
    ]
    assert not wrong, "imports of demo outside demo/ and tests/:\n  " + "\n  ".join(map(str, wrong))


def test_group_selectors_import_no_services():
    wrong = [
        edge
        for edge in edges()
        if (edge.importer == "groups.selectors" or edge.importer.startswith("groups.selectors."))
        and (edge.imported == "groups.services" or edge.imported.startswith("groups.services."))
    ]
    assert not wrong, "groups.selectors imports groups.services:\n  " + "\n  ".join(map(str, wrong))
