"""`check_*` validates and never writes; writing is a `do_*`'s job (docs/architecture.md).

A `check_*` refuses with ActionError, then hands the write to one `do_*` (the Zulip pairing:
`check_add_reaction` calls `do_add_reaction`). What it may not do is write itself: call an
ORM write (`.save()`, `.create()`, `.update()`, `.delete()`, `bulk_*`, `get_or_create`...),
queue a task, publish an event, or call a helper of its own module that does one of those
without being named `do_*`. Scanned from the source with `ast`, every module of the product.
"""

import ast
from pathlib import Path

import pytest

PRODUCT = Path(__file__).resolve().parents[1]

# Methods that write rows (the ORM's, and a related manager's), queue or publish.
WRITING_METHODS = {
    "save",
    "create",
    "update",
    "delete",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "create_user",
    "set",
    "add",
    "remove",
    "clear",
    "enqueue",
    "on_commit",
}
WRITING_FUNCTIONS = {"publish", "enqueue_on_commit", "emit", "send_mail", "send_mass_mail"}


def _called_name(call: ast.Call) -> tuple[str, bool]:
    """The called name, and whether it was called as a method (`x.name(...)`)."""
    if isinstance(call.func, ast.Attribute):
        return call.func.attr, True
    if isinstance(call.func, ast.Name):
        return call.func.id, False
    return "", False


def _direct_writes(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    found = []
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            name, is_method = _called_name(node)
            if (is_method and name in WRITING_METHODS) or (
                not is_method and name in WRITING_FUNCTIONS
            ):
                found.append(f"{name}() on line {node.lineno}")
    return found


def _local_calls(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    return {
        name
        for node in ast.walk(function)
        if isinstance(node, ast.Call)
        for name, is_method in [_called_name(node)]
        if not is_method
    }


def writing_checks(source: str) -> dict[str, list[str]]:
    """Each `check_*` of a module that writes, with what it does that writes."""
    tree = ast.parse(source)
    functions = {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    # Module functions that write, directly or through another one; `do_*` are the writers
    # a check may hand over to, so they do not count against it.
    writers = {name for name, fn in functions.items() if _direct_writes(fn)}
    changed = True
    while changed:
        changed = False
        for name, fn in functions.items():
            if name not in writers and _local_calls(fn) & (writers - _do_names(functions)):
                writers.add(name)
                changed = True
    offences: dict[str, list[str]] = {}
    for name, fn in functions.items():
        if not name.startswith("check_"):
            continue
        found = _direct_writes(fn)
        found += [
            f"{callee}(), which writes"
            for callee in sorted(_local_calls(fn) & writers)
            if not callee.startswith("do_") and not callee.startswith("check_")
        ]
        if found:
            offences[name] = found
    return offences


def _do_names(functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef]) -> set[str]:
    return {name for name in functions if name.startswith("do_")}


def _product_modules() -> list[Path]:
    return sorted(
        path
        for path in PRODUCT.rglob("*.py")
        if "tests" not in path.relative_to(PRODUCT).parts
        and "migrations" not in path.relative_to(PRODUCT).parts
    )


def test_the_scan_finds_a_check_that_writes() -> None:
    source = """
def check_rename(member, thing, name):
    if not name:
        raise ActionError("Name it.")
    thing.name = name
    thing.save()


def check_close(member, thing):
    _close(thing)


def _close(thing):
    Thing.objects.filter(pk=thing.pk).update(closed=True)


def check_open(member, thing):
    if thing.open:
        raise ActionError("Already open.")
    return do_open(thing)


def do_open(thing):
    Thing.objects.filter(pk=thing.pk).update(open=True)
    publish(Opened(thing.pk))
"""
    offences = writing_checks(source)
    assert offences == {
        "check_rename": ["save() on line 6"],
        "check_close": ["_close(), which writes"],
    }


@pytest.mark.parametrize(
    "module", _product_modules(), ids=lambda path: str(path.relative_to(PRODUCT))
)
def test_no_check_function_writes(module: Path) -> None:
    offences = writing_checks(module.read_text())
    assert offences == {}, f"check_* functions that write in {module.name}: {offences}"
