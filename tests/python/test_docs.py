"""Discoverability: the docstring examples run, help(qi.spc) explains the choice of chart, the
type stubs match the compiled core and ship with the package, errors suggest the fix."""

from __future__ import annotations

import ast
import doctest
import importlib
import io
import pydoc
from importlib import resources
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

import qiscope as qi

DOCUMENTED = ["qiscope.spc", "qiscope.funnel", "qiscope.culture._score", "qiscope.report.html", "qiscope.report.icons",
              "qiscope.report.board"]


@pytest.mark.parametrize("module", DOCUMENTED)
def test_docstring_examples_run(module: str) -> None:
    mod = importlib.import_module(module)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    tests = [t for t in finder.find(mod, module) if t.examples]
    out = io.StringIO()
    for t in tests:
        runner.run(t, out=out.write)
    plt.close("all")
    assert runner.failures == 0, out.getvalue()
    assert runner.tries > 0, f"{module} has no examples"


def test_public_functions_have_examples() -> None:
    for obj in (qi.spc, qi.SPCResult.plot, qi.report.board_report):
        assert ">>> " in (obj.__doc__ or ""), obj.__qualname__


def test_help_explains_chart_choice() -> None:
    text = pydoc.render_doc(qi.spc, renderer=pydoc.plaintext)
    assert "Choosing a chart" in text
    for phrase in ("Start with a run chart", "(XmR", "y cases of n", "y events per n", "cases between",
                   "use a u chart", "ISO 8601 date"):
        assert phrase in text, phrase


def _declared_arguments(doc: str) -> list[str]:
    """Argument names of a pybind11 signature line "f(a: T, b: list[tuple[U, V]]) -> R"."""
    names, depth, part = [], 0, ""
    for ch in doc.split("(", 1)[1]:
        if ch in "[(":
            depth += 1
        elif ch in "])":
            if depth == 0:
                break
            depth -= 1
        if ch == "," and depth == 0:
            names.append(part.split(":")[0].strip())
            part = ""
        else:
            part += ch
    return names + [part.split(":")[0].strip()]


def test_stub_matches_the_compiled_core() -> None:
    stub = Path(qi.__file__).with_name("_core.pyi")
    tree = ast.parse(stub.read_text(encoding="utf-8"))
    top = {n.target.id for n in tree.body if isinstance(n, ast.AnnAssign)}
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    assert top == {"__version__"} and set(classes) == {"spc", "culture"}  # the core's submodules
    for name, stub_class in classes.items():
        stubbed = {n.name if isinstance(n, (ast.FunctionDef, ast.ClassDef)) else n.target.id for n in stub_class.body
                   if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AnnAssign))}
        runtime = {n for n in dir(getattr(qi._core, name)) if not n.startswith("_")}
        assert stubbed == runtime, name
        # Argument names and order of every function as the binding declares them (those bound
        # without py::arg names, shown as arg0, arg1..., only by their number).
        for fn in (n for n in stub_class.body if isinstance(n, ast.FunctionDef)):
            names = _declared_arguments(getattr(getattr(qi._core, name), fn.name).__doc__)
            stubbed_args = [a.arg for a in fn.args.args]
            if names == [f"arg{i}" for i in range(len(names))]:
                assert len(stubbed_args) == len(names), f"{name}.{fn.name}"
            else:
                assert stubbed_args == names, f"{name}.{fn.name}"


def test_typing_files_ship_with_the_package() -> None:
    files = resources.files("qiscope")
    assert files.joinpath("py.typed").is_file()
    assert files.joinpath("_core.pyi").is_file()


def test_p_chart_error_suggests_a_u_chart() -> None:
    data = {"infections": [3.0, 12.0, 4.0], "admissions": [10.0, 9.0, 11.0]}
    with pytest.raises(qi.InputError) as err:
        qi.spc(data, y="infections", n="admissions", chart="p")
    assert "use a u chart for rates" in str(err.value)
    assert (err.value.column, err.value.row, err.value.rule) == ("infections", 1, "numerator_le_denominator")
    assert str(err.value).startswith("column 'infections', row 1:")  # the caller's name, not 'y'


def test_unknown_chart_lists_the_choices() -> None:
    with pytest.raises(qi.InputError, match="expected one of 'run', 'i', 'mr'"):
        qi.spc(y=[1.0, 2.0], chart="xmr-bar")
