"""The import rules of the source tree, read with ``ast`` (every import, also those inside functions):

- the core imports nothing from the shell;
- the API never imports the console, nor the console the API;
- nothing but the composition root (``gatewatch.server``) and the command line imports either
  face, so they alone import both;
- a site's side of many sites (``gatewatch.sync``) never imports head office (``gatewatch.hq``),
  and head office imports of the site's side only what crosses between them (``gatewatch.sync.wire``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import gatewatch

SOURCE = Path(gatewatch.__file__).parent
PACKAGE = "gatewatch"
CORE = "gatewatch.core"
API = "gatewatch.api"
WEB = "gatewatch.web"
ROOT = "gatewatch.server"
CLI = "gatewatch.cli"
SYNC = "gatewatch.sync"
WIRE = "gatewatch.sync.wire"
OFFICE = "gatewatch.hq"


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def module_name(path: Path, source: Path) -> str:
    parts = path.relative_to(source.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(tree: ast.AST, module: str, is_package: bool) -> Iterator[str]:
    """Every module an import statement names; ``from a import b`` names ``a`` and ``a.b``
    (``b`` may be a module); relative imports are resolved against ``module``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names if alias.name != "*")


def imports_of(source: Path) -> dict[str, set[str]]:
    """Each module of the package under ``source``: the modules of the package it imports."""
    found: dict[str, set[str]] = {}
    for path in sorted(source.rglob("*.py")):
        module = module_name(path, source)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        names = imported(tree, module, path.name == "__init__.py")
        found[module] = {name for name in names if within(name, source.name)}
    return found


def broken_rule(module: str, target: str) -> str | None:
    """The rule that ``module`` importing ``target`` breaks, in words (none: it keeps them all)."""
    if within(module, CORE) and not within(target, CORE):
        return "the core imports nothing from the shell"
    if within(module, API) and within(target, WEB):
        return "the API never imports the console"
    if within(module, WEB) and within(target, API):
        return "the console never imports the API"
    faces_or_builders = (API, WEB, ROOT, CLI)
    if (within(target, API) or within(target, WEB)) and not any(within(module, p) for p in faces_or_builders):
        return "only the composition root and the CLI import the API or the console"
    if within(module, SYNC) and within(target, OFFICE):
        return "a site never imports head office"
    if within(module, OFFICE) and within(target, SYNC) and target != SYNC and not within(target, WIRE):
        return "head office imports of a site's side only the wire"
    return None


def broken_rules(graph: dict[str, set[str]]) -> list[str]:
    """Each import that breaks a rule, in words."""
    return [
        f"{module} imports {target}: {rule}"
        for module, targets in sorted(graph.items())
        for target in sorted(targets)
        if (rule := broken_rule(module, target))
    ]


def test_the_source_keeps_the_import_rules() -> None:
    graph = imports_of(SOURCE)
    assert {ROOT, f"{API}.mount", f"{WEB}.console", f"{CORE}.engine"} <= graph.keys()
    assert broken_rules(graph) == []


def test_only_the_root_and_the_cli_import_both_faces() -> None:
    graph = imports_of(SOURCE)
    both = {
        m
        for m, targets in graph.items()
        if any(within(t, API) for t in targets) and any(within(t, WEB) for t in targets)
    }
    assert ROOT in both
    assert all(within(m, ROOT) or within(m, CLI) for m in both), sorted(both)


def plant(source: Path, files: dict[str, str]) -> Path:
    for name, text in {"__init__.py": "", **files}.items():
        path = source / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return source


def test_each_rule_catches_a_planted_import(tmp_path: Path) -> None:
    source = plant(
        tmp_path / PACKAGE,
        {
            "core/__init__.py": "",
            "core/engine.py": "def step():\n    from gatewatch.store import log\n",
            "api/__init__.py": "",
            "api/routes.py": "from gatewatch.web import console\n",
            "web/__init__.py": "",
            "web/console.py": "from ..api import routes\n",
            "views/__init__.py": "from gatewatch import api\n",
            "server.py": "from gatewatch.api import routes\nfrom gatewatch.web import console\n",
            "store/log.py": "import gatewatch.core.engine\n",
            "sync/__init__.py": "",
            "sync/wire.py": "",
            "sync/publisher.py": "from gatewatch.hq import store\n",
            "hq/__init__.py": "",
            "hq/store.py": "from gatewatch.sync import wire\nfrom gatewatch.sync.publisher import x\n",
        },
    )
    broken = broken_rules(imports_of(source))
    assert broken == [
        "gatewatch.api.routes imports gatewatch.web: the API never imports the console",
        "gatewatch.api.routes imports gatewatch.web.console: the API never imports the console",
        "gatewatch.core.engine imports gatewatch.store: the core imports nothing from the shell",
        "gatewatch.core.engine imports gatewatch.store.log: the core imports nothing from the shell",
        "gatewatch.hq.store imports gatewatch.sync.publisher: head office imports of a site's side only the wire",
        "gatewatch.hq.store imports gatewatch.sync.publisher.x: head office imports of a site's side only the wire",
        "gatewatch.sync.publisher imports gatewatch.hq: a site never imports head office",
        "gatewatch.sync.publisher imports gatewatch.hq.store: a site never imports head office",
        "gatewatch.views imports gatewatch.api: only the composition root and the CLI import the API or the console",
        "gatewatch.web.console imports gatewatch.api: the console never imports the API",
        "gatewatch.web.console imports gatewatch.api.routes: the console never imports the API",
    ]


def test_a_tree_that_keeps_the_rules_passes(tmp_path: Path) -> None:
    source = plant(
        tmp_path / PACKAGE,
        {
            "core/__init__.py": "from gatewatch.core import engine\n",
            "core/engine.py": "from . import rules\nimport json\n",
            "core/rules.py": "",
            "api/__init__.py": "",
            "api/routes.py": "from gatewatch.views import board\nfrom gatewatch.core import engine\n",
            "web/__init__.py": "",
            "web/console.py": "from gatewatch.views import board\n",
            "views/__init__.py": "",
            "views/board.py": "from gatewatch.core.engine import step\n",
            "cli/serve.py": "def serve():\n    from gatewatch.server import create_app\n",
            "server.py": "from gatewatch.api import routes\nfrom gatewatch.web import console\n",
        },
    )
    graph = imports_of(source)
    assert graph["gatewatch.core.engine"] == {"gatewatch.core", "gatewatch.core.rules"}
    assert broken_rules(graph) == []
