"""README's two commands: after its install command, `python -m pytest -q` must pass by itself on a fresh machine.

It failed with "No module named pytest" after `pip install -e .`: the install command now installs the test extra,
and every module the tests import must come from the standard library, the repository, or a distribution that
the install brings in (the runtime dependencies, the test extra, and what they require)."""
from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from conftest import REPO

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*")


def _dist(req: str) -> str:
    return metadata.Distribution.from_name(_NAME.match(req).group(0)).metadata["Name"].lower()


def _closure(reqs: list[str]) -> set[str]:
    seen: set[str] = set()
    todo = [r for r in reqs if "extra ==" not in r]
    while todo:
        req = todo.pop()
        try:
            name = _dist(req)
        except metadata.PackageNotFoundError:
            continue
        if name in seen:
            continue
        seen.add(name)
        extras = set(re.findall(r"\[([^\]]+)\]", req.split(";")[0]))
        for sub in metadata.requires(name) or []:
            marker = sub.split(";", 1)[1] if ";" in sub else ""
            wanted = not marker or "extra ==" not in marker or any(
                f'extra == "{e.strip()}"' in marker for x in extras for e in x.split(","))
            if wanted:
                todo.append(sub.split(";")[0])
    return seen


def test_readme_install_command_installs_the_test_extra():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", readme, re.S)
    install, test = blocks[0].strip(), blocks[1].strip()
    assert re.search(r"pip install -e ['\"]?\.\[test\]", install), install
    assert test == "python -m pytest -q"


def test_every_module_the_tests_import_is_installed_by_the_readme_command():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    installed = _closure(project["dependencies"] + project["optional-dependencies"]["test"])
    assert "pytest" in installed
    # the repo's own modules: tests, and the benchmarks (and their packages) some tests reuse from the tree
    local = ({p.stem for p in (REPO / "tests").glob("*.py")} | {p.stem for p in (REPO / "benchmarks").glob("*.py")}
             | {p.name for p in (REPO / "benchmarks").iterdir() if (p / "__init__.py").exists()} | {"gongkai", "conftest"})
    providers = metadata.packages_distributions()
    missing = {}
    for path in sorted((REPO / "tests").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else [])
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in local or top == "__future__":
                    continue
                dists = {d.lower() for d in providers.get(top, [])}
                if not dists & installed:
                    missing.setdefault(top, path.name)
    assert not missing, f"imported by tests but not installed by `pip install -e '.[test]'`: {missing}"
