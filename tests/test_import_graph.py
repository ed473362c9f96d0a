"""docgen's import graph: no circles, and no module reaching into another's underscore names.

Read with ast over docgen/**.py (nothing is imported). An edge A -> B is any import of docgen
module B in module A, wherever it stands (a function-local import is still an edge, so hiding
one in a function does not dodge a circle). `from docgen.pkg import name` is an edge to
docgen.pkg.name when that is a module, else to docgen.pkg; importing a submodule also runs its
package's __init__, so an edge to docgen.a.b is an edge to docgen.a too. Circles are found
as strongly connected groups (Tarjan).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests import paths

PACKAGE_ROOT = paths.REPO_ROOT / "docgen"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules_of(root: Path) -> dict[str, Path]:
    return {module_name(path, root): path for path in sorted(root.rglob("*.py"))}


def imports_of(path: Path, name: str, known: set[str]) -> Iterator[tuple[str, str | None]]:
    """(imported module, imported name or None) for every docgen import in one module."""
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "docgen":
                    yield alias.name, None
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "docgen":
                continue
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                if submodule in known:
                    yield submodule, None
                else:
                    yield target, alias.name


def import_graph(root: Path) -> tuple[dict[str, set[str]], list[tuple[str, str, str]]]:
    """The graph (module -> modules it imports) and every cross-module underscore import."""
    modules = modules_of(root)
    known = set(modules)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    underscore: list[tuple[str, str, str]] = []
    for name, path in modules.items():
        for target, imported in imports_of(path, name, known):
            if imported is not None and imported.startswith("_") and target != name:
                underscore.append((name, target, imported))
            parts = target.split(".")
            for depth in range(2, len(parts) + 1):
                prefix = ".".join(parts[:depth])
                if prefix not in known or prefix == name:
                    continue
                # The packages around a module run before it: reaching them on the way to a
                # submodule is no edge back, but importing a name from one of them is.
                if prefix != target and name.startswith(prefix + "."):
                    continue
                graph[name].add(prefix)
    return graph, underscore


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iteratively: the groups of more than one module, or a self-loop."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1 or node in graph[node]:
                    groups.append(sorted(group))
    return groups


def test_the_check_finds_a_circle_and_an_underscore_import(tmp_path: Path) -> None:
    root = tmp_path / "docgen"
    (root / "pkg").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "pkg" / "__init__.py").write_text("from docgen.pkg.b import thing\n")
    (root / "pkg" / "b.py").write_text("def f():\n    from docgen.c import _private\n")
    (root / "c.py").write_text("import docgen.pkg\n")
    (root / "d.py").write_text("from docgen import c\n")
    graph, underscore = import_graph(root)
    assert strongly_connected(graph) == [["docgen.c", "docgen.pkg", "docgen.pkg.b"]]
    assert underscore == [("docgen.pkg.b", "docgen.c", "_private")]
    assert graph["docgen.d"] == {"docgen.c"}


def test_docgen_has_no_import_circle() -> None:
    graph, _ = import_graph(PACKAGE_ROOT)
    assert strongly_connected(graph) == []


def test_no_module_imports_another_modules_underscore_names() -> None:
    _, underscore = import_graph(PACKAGE_ROOT)
    assert underscore == []


# Where an import inside a function is allowed: the command line and the service, so that
# `docgen --help` and the server start without loading WeasyPrint and the rest; and libraries
# only one rarely used path needs (a Dask cluster, the docxcompose fallback of the judge's Word
# batch, reading QR codes from a scanned batch, XLSX input). Anywhere else, imports go at the
# top, where a reader looks for them.
LAZY_PACKAGES = ("cli", "service")
LAZY_LIBRARIES = {"distributed", "docxcompose", "zxingcpp", "openpyxl"}


def function_local_imports(root: Path) -> list[str]:
    """`module:line library` for each import inside a function that is not allowed there."""
    found = []
    for name, path in sorted(modules_of(root).items()):
        if name.split(".")[1:2] and name.split(".")[1] in LAZY_PACKAGES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom):
                    imported = node.module or ""
                elif isinstance(node, ast.Import):
                    imported = node.names[0].name
                else:
                    continue
                if imported.split(".")[0] not in LAZY_LIBRARIES:
                    found.append(f"{name}:{node.lineno} {imported}")
    return found


def test_the_local_import_check_finds_one(tmp_path: Path) -> None:
    package = tmp_path / "docgen"
    (package / "cli").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "cli" / "__init__.py").write_text("def main():\n    import json\n")
    (package / "a.py").write_text("def f():\n    import distributed\n    from docgen import b\n")
    assert function_local_imports(package) == ["docgen.a:3 docgen"]


def test_imports_inside_functions_only_where_start_up_time_needs_them() -> None:
    assert function_local_imports(PACKAGE_ROOT) == []
