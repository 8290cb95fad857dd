"""Every ```python block in README.md runs, and prints what its ``# ...`` comments promise.

A block's lines of the form ``# <printed line>`` right after a ``print(...)`` are the
expected output of that print; the block's whole output must contain them in order. So
an example cannot rot: change the API or the extraction, and this test says which block.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def python_blocks() -> list[tuple[int, str]]:
    text = README.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 1, m.group(1)) for m in _BLOCK.finditer(text)]


def promised_output(code: str) -> list[str]:
    """The ``# ...`` lines that follow a print and stand alone on their line."""
    promised: list[str] = []
    after_print = False
    for line in code.splitlines():
        stripped = line.strip()
        if stripped.startswith("print(") or (after_print and stripped.startswith("# ")):
            if stripped.startswith("# "):
                promised.append(stripped[2:])
            after_print = True
        else:
            after_print = False
    return promised


BLOCKS = python_blocks()


def test_the_readme_has_examples() -> None:
    # the library section must keep runnable examples, or this file tests nothing
    assert len(BLOCKS) >= 4


@pytest.mark.parametrize(("line", "code"), BLOCKS, ids=[f"README.md:{n}" for n, _ in BLOCKS])
def test_readme_example_runs(line: int, code: str) -> None:
    out = io.StringIO()
    namespace: dict[str, object] = {"__name__": f"readme_line_{line}"}
    with contextlib.redirect_stdout(out):
        exec(compile(code, f"README.md:{line}", "exec"), namespace)  # noqa: S102
    printed = out.getvalue().splitlines()
    rest = iter(printed)
    for want in promised_output(code):
        assert any(got == want for got in rest), f"README.md:{line} should print {want!r}; it printed {printed}"


def test_promised_output_is_parsed() -> None:
    code = 'x = 1\nprint(x)\n# 1\n# two\ny = 2  # not output\n'
    assert promised_output(code) == ["1", "two"]
