"""Grade a course notebook: ``python -m utils.grade chapters/01_linear_score_function.ipynb``.

Executes a copy of the notebook (the original is not touched) with a time limit per cell (a cell
over it is interrupted and the run goes on), collects what every ``check(...)`` cell reported, and
prints one line per exercise and a total. An exercise whose check cell never reported (for example
because the check cell itself was interrupted) counts as not reached.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from .checks.core import REPORT_ENV

_CHECK_CALL = re.compile(r"^\s*check\(\s*([A-Za-z_]\w*)(?:\s*,\s*exercise\s*=\s*['\"](\w+)['\"])?",
                         re.MULTILINE)


class GradingError(Exception):
    """The file cannot be graded; the message is one line for the learner."""


def exercises_in(nb):
    """Exercise names in the order their ``check(...)`` cells appear."""
    names = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            for fn, explicit in _CHECK_CALL.findall(cell.source):
                name = explicit or fn
                if name not in names:
                    names.append(name)
    return names


def load_course_notebook(path):
    import nbformat

    path = Path(path)
    if not path.is_file():
        raise GradingError(f"{path}: no such file")
    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception:  # nbformat raises several types for a file that is not a notebook
        raise GradingError(f"{path}: not a Jupyter notebook (the file is not valid notebook JSON)")
    if "course" not in nb.metadata or not exercises_in(nb):
        raise GradingError(f"{path}: not a notebook of this course (it has no exercises to grade)")
    return nb


def grade(path, cell_timeout=120):
    """Execute a copy of the notebook; return ``(names, results)``, results keyed by exercise."""
    from nbclient import NotebookClient

    nb = load_course_notebook(path)
    names = exercises_in(nb)
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.jsonl"
        report.touch()
        previous = os.environ.get(REPORT_ENV)
        os.environ[REPORT_ENV] = str(report)  # the kernel inherits it
        try:
            client = NotebookClient(nb, timeout=cell_timeout, kernel_name="python3",
                                    allow_errors=True, interrupt_on_timeout=True,
                                    record_timing=False,
                                    resources={"metadata": {"path": str(Path(path).parent)}})
            try:
                # The kernel's own log (e.g. ipykernel's note on unencrypted local TCP) is noise
                # to a learner; cell output reaches us through the kernel's messages anyway.
                client.execute(stderr=subprocess.DEVNULL)
            except Exception as exc:  # e.g. the kernel died
                why = ("the Python kernel stopped: a cell exited Python or ran out of memory"
                       if type(exc).__name__ == "DeadKernelError" else type(exc).__name__)
                print(f"note: the notebook stopped early ({why}); checks after that point count "
                      "as not reached", file=sys.stderr)
        finally:
            if previous is None:
                os.environ.pop(REPORT_ENV, None)
            else:
                os.environ[REPORT_ENV] = previous
        results = {}
        for line in report.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            results[entry["exercise"]] = entry  # the last check of an exercise counts
    return names, results


def format_report(names, results):
    lines, passed = [], 0
    width = max(len(n) for n in names)
    for name in names:
        entry = results.get(name)
        if entry is None:
            lines.append(f"  {name:<{width}}  not reached (an earlier cell failed or timed out)")
        elif entry["passed"]:
            passed += 1
            lines.append(f"  {name:<{width}}  passed")
        elif not entry["attempted"]:
            lines.append(f"  {name:<{width}}  not attempted")
        else:
            lines.append(f"  {name:<{width}}  failed: {' '.join(entry['messages'])}")
    lines.append(f"Total: {passed}/{len(names)} exercises passed")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m utils.grade", description=__doc__.splitlines()[0])
    parser.add_argument("notebook")
    parser.add_argument("--cell-timeout", type=int, default=120, help="seconds per cell")
    args = parser.parse_args(argv)
    try:
        names, results = grade(args.notebook, args.cell_timeout)
    except GradingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"Grading {args.notebook}")
    print(format_report(names, results))
    return 0 if all(results.get(n, {}).get("passed") for n in names) else 1


if __name__ == "__main__":
    sys.exit(main())
