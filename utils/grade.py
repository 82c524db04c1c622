"""Grade a course notebook: ``python -m utils.grade chapters/01_linear_score_function.ipynb``.

Executes a copy of the notebook, in a temporary copy of its folder (the original and its folder are
not touched), with a time limit per cell (a cell over it is interrupted and the run goes on; a cell
that ignores the interrupt gets its kernel stopped) and one for the whole notebook. It collects what
every ``check(...)`` reported and prints one line per exercise of the notebook's chapter (the list
comes from the course, not from the notebook, so a deleted check cell cannot hide an exercise) and
a total. Progress goes to stderr, one line per exercise. The exit code is 0 only if every exercise
of the chapter passed, 1 otherwise, 2 if the file cannot be graded, 130 if grading was stopped.
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPORT_ENV = "COURSE_GRADE_REPORT"  # the same as utils.checks.core.REPORT_ENV (imported lazily)
GRACE = 10.0  # seconds a kernel gets to obey an interrupt before it is stopped

_CHECK_CALL = re.compile(r"\bcheck\(\s*([A-Za-z_]\w*)(?:\s*,\s*exercise\s*=\s*['\"](\w+)['\"])?")
_DEFINITION = re.compile(r"^(?:def|class)\s+([A-Za-z_]\w*)", re.MULTILINE)


class GradingError(Exception):
    """The file cannot be graded; the message is one line for the learner."""


def check_path(path):
    """Fail with a one-line message before anything heavy is imported."""
    path = Path(path)
    if path.is_dir():
        raise GradingError(f"{path}: a directory, not a file (give the path of a .ipynb notebook)")
    if not path.is_file():
        raise GradingError(f"{path}: no such file")
    return path


def checked_in(nb):
    """Exercise names that the notebook's code cells pass to ``check(...)``, in order."""
    names = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            for fn, explicit in _CHECK_CALL.findall(cell.source):
                name = explicit or fn
                if name not in names:
                    names.append(name)
    return names


def chapter_exercises(nb):
    """The exercises of the notebook's chapter, from the course's check registry."""
    from .checks.core import REGISTRY

    chapter = nb.metadata.get("course", {}).get("chapter")
    return [name for name, ex in REGISTRY.items() if ex.chapter == chapter]


def load_course_notebook(path):
    import nbformat

    path = check_path(path)
    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception:  # nbformat raises several types for a file that is not a notebook
        raise GradingError(f"{path}: not a Jupyter notebook (the file is not valid notebook JSON)")
    if "course" not in nb.metadata or not chapter_exercises(nb):
        raise GradingError(f"{path}: not a notebook of this course (it has no exercises to grade)")
    return nb


def _kernel_pid(client):
    km = getattr(client, "km", None)
    for owner, attr in ((getattr(km, "provisioner", None), "process"), (km, "kernel")):
        pid = getattr(getattr(owner, attr, None), "pid", None)
        if pid:
            return pid
    return None


def _stop_kernel(client):
    pid = _kernel_pid(client)
    if pid:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:  # already gone
            pass


def _first_line(text, limit=200):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit] + "..."


class _Run:
    """What happened while the notebook ran: results, cell errors, notes, progress."""

    def __init__(self, names, report, cell_timeout, time_limit):
        self.names, self.report = names, report
        self.cell_timeout, self.time_limit = cell_timeout, time_limit
        self.results, self.errors, self.notes = {}, {}, []
        self.cell_started = None
        self.started = time.monotonic()
        self.read = 0
        self.stopped_why = None
        self.grace = GRACE

    # nbclient hooks ----------------------------------------------------------------------------
    def on_cell_start(self, cell, cell_index):
        self.cell_started = time.monotonic()
        if not getattr(self, "signals_taken", False):
            # nbclient's own SIGINT/SIGTERM handlers shut the kernel down but then fail with an
            # unrelated error; take the signals over so that the report can say what happened.
            import asyncio
            loop = asyncio.get_event_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                try:
                    loop.add_signal_handler(sig, self.on_stop_signal, sig)
                except (RuntimeError, NotImplementedError, ValueError):
                    pass
            self.signals_taken = True

    def on_stop_signal(self, sig):
        _STOP_REQUESTED.append(sig)
        _stop_kernel(self.client)

    def on_cell_executed(self, cell, cell_index, execute_reply):
        self.cell_started = None
        content = (execute_reply or {}).get("content", {})
        if content.get("status") == "error":
            ename, evalue = content.get("ename", "Error"), content.get("evalue", "")
            where = self._exercise_of(cell.source)
            if where is not None:
                name, kind = where
                self.errors.setdefault(name, (kind, ename, _first_line(evalue)))
        self.collect()

    def _exercise_of(self, source):
        for fn, explicit in _CHECK_CALL.findall(source):
            if (explicit or fn) in self.names:
                return explicit or fn, "check"
        for name in _DEFINITION.findall(source):
            if name in self.names:
                return name, "definition"
        for name in self.names:  # e.g. check('name') or a renamed function: the cell mentions it
            if re.search(rf"\b{name}\b", source) and "check" in source:
                return name, "check"
        return None

    def collect(self):
        """Read new check results; print a progress line for each on stderr."""
        try:
            lines = self.report.read_text(encoding="utf-8").splitlines()
        except OSError:
            return
        for line in lines[self.read:]:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            self.results[entry["exercise"]] = entry  # the last check of an exercise counts
            status = ("passed" if entry["passed"] else
                      "failed" if entry["attempted"] else "not attempted")
            _say(f"  checked {entry['exercise']}: {status}", sys.stderr)
        self.read = len(lines)

    # the watchdog ------------------------------------------------------------------------------
    def watch(self, client, done):
        while not done.wait(0.5):
            now = time.monotonic()
            if self.cell_started is not None and now - self.cell_started > self.cell_timeout + self.grace:
                self.stopped_why = (f"a cell ran over {self.cell_timeout} s and ignored the "
                                    "interrupt (a bare `except:` in a loop, or a loop inside C "
                                    "code), so its kernel was stopped")
                _stop_kernel(client)
                return
            if now - self.started > self.time_limit:
                self.stopped_why = (f"the notebook ran over its time limit of {self.time_limit} s, "
                                    "so its kernel was stopped")
                _stop_kernel(client)
                return


def _say(text, stream):
    print(text, file=stream, flush=True)


def _copy_folder(folder, target):
    shutil.copytree(folder, target, symlinks=True,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", ".git"))


def grade(path, cell_timeout=120, time_limit=1800, grace=GRACE):
    """Execute a copy of the notebook; return ``(names, results, run)``."""
    nb = load_course_notebook(path)
    from nbclient import NotebookClient

    names = chapter_exercises(nb)
    present = checked_in(nb)
    _say(f"Grading {path}: {len(names)} exercises (progress below, the report follows)",
         sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.jsonl"
        report.touch()
        workdir = Path(tmp) / "work"
        _copy_folder(Path(path).resolve().parent, workdir)  # cells cannot write into the original
        run = _Run(names, report, cell_timeout, time_limit)
        run.grace = grace
        run.present = present
        previous = os.environ.get(REPORT_ENV)
        os.environ[REPORT_ENV] = str(report)  # the kernel inherits it
        client = NotebookClient(nb, timeout=cell_timeout, kernel_name="python3",
                                allow_errors=True, interrupt_on_timeout=True,
                                record_timing=False, on_cell_start=run.on_cell_start,
                                on_cell_executed=run.on_cell_executed,
                                resources={"metadata": {"path": str(workdir)}})
        run.client = client
        done = threading.Event()
        watchdog = threading.Thread(target=run.watch, args=(client, done), daemon=True)
        watchdog.start()
        try:
            # The kernel's own log (e.g. ipykernel's note on unencrypted local TCP) is noise
            # to a learner; cell output reaches us through the kernel's messages anyway.
            client.execute(stderr=subprocess.DEVNULL)
        except KeyboardInterrupt:
            run.stopped_why = "grading was stopped (Ctrl-C or a termination signal)"
            run.interrupted = True
        except Exception as exc:  # e.g. the kernel died
            if _STOP_REQUESTED:  # the signal surfaced inside nbclient as another exception
                run.stopped_why = "grading was stopped (a termination signal)"
                run.interrupted = True
            elif run.stopped_why is None:
                run.stopped_why = ("the Python kernel stopped: a cell exited Python or ran out "
                                   "of memory" if type(exc).__name__ == "DeadKernelError"
                                   else type(exc).__name__)
        finally:
            if _STOP_REQUESTED:  # however nbclient surfaced (or swallowed) the signal
                run.stopped_why = "grading was stopped (Ctrl-C or a termination signal)"
                run.interrupted = True
            done.set()
            _stop_kernel(client)  # on every exit path; harmless if it already shut down
            if previous is None:
                os.environ.pop(REPORT_ENV, None)
            else:
                os.environ[REPORT_ENV] = previous
            run.collect()
    return names, run.results, run


def _not_checked(name, run):
    if run is not None and name in run.errors:
        kind, ename, evalue = run.errors[name]
        if kind == "definition":
            return (f"failed: the cell that defines `{name}` raised {ename}: {evalue}. Fix that "
                    "cell first.")
        if ename == "NameError" and "'check'" in evalue:
            return ("not checked: its check cell raised NameError: `check` is not defined (was "
                    "it deleted or renamed? re-run the import cell, `from utils.checks import "
                    "check`)")
        if ename == "NameError":
            return (f"not checked: its check cell raised NameError: {evalue}. Keep the name "
                    f"`{name}` for your function (a renamed function is not found).")
        return f"not checked: its check cell raised {ename}: {evalue}"
    if run is not None and name not in getattr(run, "present", [name]):
        return f"not checked: the notebook has no `check({name})` cell (deleted or changed?)"
    return "not reached (an earlier cell failed or timed out)"


def format_report(names, results, run=None):
    lines, passed = [], 0
    width = max(len(n) for n in names)
    for name in names:
        entry = results.get(name)
        if entry is None:
            lines.append(f"  {name:<{width}}  {_not_checked(name, run)}")
        elif entry["passed"]:
            passed += 1
            lines.append(f"  {name:<{width}}  passed")
        elif not entry["attempted"]:
            lines.append(f"  {name:<{width}}  not attempted")
        else:
            lines.append(f"  {name:<{width}}  failed: {' '.join(entry['messages'])}")
    lines.append(f"Total: {passed}/{len(names)} exercises passed")
    return "\n".join(lines)


_STOP_REQUESTED = []


def _on_sigterm(signum, frame):
    _STOP_REQUESTED.append(signum)
    raise KeyboardInterrupt


def main(argv=None):
    for stream in (sys.stdout, sys.stderr):  # a console that is not UTF-8 must not crash us
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    parser = argparse.ArgumentParser(prog="python -m utils.grade", description=__doc__.splitlines()[0])
    parser.add_argument("notebook")
    parser.add_argument("--cell-timeout", type=int, default=120, help="seconds per cell")
    parser.add_argument("--time-limit", type=int, default=1800,
                        help="seconds for the whole notebook")
    parser.add_argument("--interrupt-grace", type=float, default=GRACE,
                        help="seconds a cell over its time limit gets to obey the interrupt")
    args = parser.parse_args(argv)
    import logging
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)  # nbclient's tasks after a stop
    previous = {sig: signal.signal(sig, _on_sigterm) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        check_path(args.notebook)
        names, results, run = grade(args.notebook, args.cell_timeout, args.time_limit,
                                    args.interrupt_grace)
    except GradingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # stopped before the notebook started running
        _STOP_REQUESTED.append(signal.SIGINT)
        print("Grading stopped before any exercise was graded.", file=sys.stderr)
        return 130
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if run.stopped_why is not None:
        print(f"note: the notebook stopped early ({run.stopped_why}); exercises after that "
              "point count as not reached", file=sys.stderr)
    print(f"Grading {args.notebook}")
    print(format_report(names, results, run))
    if getattr(run, "interrupted", False):
        print("Grading was stopped: only the exercises above marked passed, failed or not "
              "attempted were graded.")
        return 130
    return 0 if all(results.get(n, {}).get("passed") for n in names) else 1


if __name__ == "__main__":
    sys.exit(main())
