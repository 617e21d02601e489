"""A label evaluated when its module is imported would keep the language of the first request (the process's
default) for every user: at module and class level only ``gettext_lazy`` (or ``gettext_noop``) is used."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ["cpas_portal", "conventions", "measures", "reimbursements"]
EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}


def eager_calls(path):
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    names = {alias.asname or alias.name for node in ast.walk(tree)
             if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
             for alias in node.names if alias.name in EAGER}
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if (not inside and isinstance(child, ast.Call) and isinstance(child.func, ast.Name)
                    and child.func.id in names):
                found.append(f"{path.relative_to(ROOT)}:{child.lineno}: {ast.get_source_segment(source, child)}")
            visit(child, inside)

    if names:
        visit(tree, False)
    return found


def test_no_translation_is_evaluated_at_import_time():
    found = [call for app in APPS for path in sorted((ROOT / app).rglob("*.py"))
             if "migrations" not in path.parts for call in eager_calls(path)]
    assert not found, "gettext at import time (use gettext_lazy):\n  " + "\n  ".join(found)


def test_the_check_finds_an_eager_label(tmp_path):
    module = tmp_path / "forms.py"
    module.write_text("from django.utils.translation import gettext as _\n\nclass F:\n    label = _('Name')\n\n"
                      "def ok():\n    return _('Fine')\n")
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        assert eager_calls(module) == ["forms.py:4: _('Name')"]
    finally:
        ROOT = saved
