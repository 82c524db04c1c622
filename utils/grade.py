"""Grade course notebooks: ``python -m utils.grade chapters/NN_name.ipynb``.

Executes a copy of the notebook, in a temporary copy of its folder (the original and its
folder are not touched), with a time limit per cell (a cell over it is interrupted and
the run goes on; a cell that ignores the interrupt gets its kernel stopped) and one for
the whole notebook. It collects what every ``check(...)`` reported and prints one line
per exercise of the notebook's chapter (the list comes from the course, not from the
notebook, so a deleted check cell cannot hide an exercise) and a total. Progress goes to
stderr, one line per exercise. The exit code is 0 only if every exercise of the chapter
passed, 1 otherwise, 2 if the file cannot be graded, 130 if grading was stopped.

``--format json`` or ``--format gradescope`` writes the report as JSON (to stdout, or to
``--output FILE`` with the text report on stdout); each exercise is worth the points the
check registry gives it. Several notebooks with ``--csv gradebook.csv [--jobs N]`` make
a gradebook (see ``utils.gradebook``).
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

from .i18n import ENV_VAR, N_, _, language, set_language, translate

REPORT_ENV = (
    "COURSE_GRADE_REPORT"  # the same as utils.checks.core.REPORT_ENV (imported lazily)
)
GRACE = 10.0  # seconds a kernel gets to obey an interrupt before it is stopped

_CHECK_CALL = re.compile(
    r"\bcheck\(\s*([A-Za-z_]\w*)(?:\s*,\s*exercise\s*=\s*['\"](\w+)['\"])?"
)
_DEFINITION = re.compile(r"^(?:def|class)\s+([A-Za-z_]\w*)", re.MULTILINE)


class GradingError(Exception):
    """The file cannot be graded; the message is one line for the learner."""


def check_path(path):
    """Fail with a one-line message before anything heavy is imported."""
    path = Path(path)
    if path.is_dir():
        raise GradingError(
            _(
                "{path}: a directory, not a file (give the path of a .ipynb notebook)",
                path=path,
            )
        )
    if not path.is_file():
        raise GradingError(_("{path}: no such file", path=path))
    return path


def checked_in(nb):
    """Exercise names that the notebook's code cells pass to ``check(...)``, in
    order."""
    names = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            for fn, explicit in _CHECK_CALL.findall(cell.source):
                name = explicit or fn
                if name not in names:
                    names.append(name)
    return names


def notebook_chapter(nb):
    """The chapter number the notebook's metadata names, or None."""
    return nb.metadata.get("course", {}).get("chapter")


def chapter_exercises(nb, chapter=None):
    """The exercises of ``chapter`` (by default the notebook's), from the course's
    check registry."""
    from .checks.core import REGISTRY  # importing utils.checks registers every chapter

    chapter = notebook_chapter(nb) if chapter is None else chapter
    return [name for name, ex in REGISTRY.items() if ex.chapter == chapter]


_NUMBERED = re.compile(r"Exercise (\d+\.\d+):?\s*`([A-Za-z_]\w*)`")


def exercise_numbers(nb):
    """``{name: "1.2"}`` from the notebook's headings ("### Exercise 1.2:
    `predict_labels`")."""
    numbers = {}
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for number, name in _NUMBERED.findall(cell.source):
                numbers.setdefault(name, number)
    return numbers


def load_course_notebook(path, chapter=None):
    """Read a notebook of the course; with ``chapter``, insist that it is that
    chapter's."""
    import nbformat

    path = check_path(path)
    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception:  # nbformat raises several types for a file that is not a notebook
        raise GradingError(
            _(
                "{path}: not a Jupyter notebook (the file is not valid notebook JSON)",
                path=path,
            )
        )
    if chapter is None:
        if "course" not in nb.metadata or not chapter_exercises(nb):
            raise GradingError(
                _(
                    "{path}: not a notebook of this course (it has no exercises "
                    "to grade)",
                    path=path,
                )
            )
        return nb
    if not chapter_exercises(nb, chapter):
        raise GradingError(
            _("chapter {chapter} has no exercises in this course", chapter=chapter)
        )
    found = notebook_chapter(nb)
    if found is not None and found != chapter:
        raise GradingError(
            _(
                "{path}: this is the notebook of chapter {found}, but chapter "
                "{chapter} is being graded: submit chapter {chapter}'s notebook",
                path=path,
                found=found,
                chapter=chapter,
            )
        )
    if found is None and not set(checked_in(nb)) & set(chapter_exercises(nb, chapter)):
        raise GradingError(
            _(
                "{path}: not the notebook of chapter {chapter} (it checks none of "
                "that chapter's exercises)",
                path=path,
                chapter=chapter,
            )
        )
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

    # nbclient hooks
    # ----------------------------------------------------------------------------
    def on_cell_start(self, cell, cell_index):
        self.cell_started = time.monotonic()
        if not getattr(self, "signals_taken", False):
            # nbclient's own SIGINT/SIGTERM handlers shut the kernel down but then fail
            # with an unrelated error; take the signals over so that the report can say
            # what happened.
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
        for name in (
            self.names
        ):  # e.g. check('name') or a renamed function: the cell mentions it
            if re.search(rf"\b{name}\b", source) and "check" in source:
                return name, "check"
        return None

    def collect(self):
        """Read new check results; print a progress line for each on stderr."""
        try:
            lines = self.report.read_text(encoding="utf-8").splitlines()
        except OSError:
            return
        for line in lines[self.read :]:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            self.results[entry["exercise"]] = (
                entry  # the last check of an exercise counts
            )
            status = (
                "passed"
                if entry["passed"]
                else "failed"
                if entry["attempted"]
                else "not attempted"
            )
            _say(
                _(
                    "  checked {name}: {status}",
                    name=entry["exercise"],
                    status=translate(status),
                ),
                sys.stderr,
            )
        self.read = len(lines)

    # the watchdog
    # ------------------------------------------------------------------------------
    def watch(self, client, done):
        while not done.wait(0.5):
            now = time.monotonic()
            if (
                self.cell_started is not None
                and now - self.cell_started > self.cell_timeout + self.grace
            ):
                self.stopped_why = _(
                    "a cell ran over {seconds} s and ignored the interrupt "
                    "(a bare `except:` in a loop, or a loop inside C code), so "
                    "its kernel was stopped",
                    seconds=self.cell_timeout,
                )
                _stop_kernel(client)
                return
            if now - self.started > self.time_limit:
                self.stopped_why = _(
                    "the notebook ran over its time limit of {seconds} s, so "
                    "its kernel was stopped",
                    seconds=self.time_limit,
                )
                _stop_kernel(client)
                return


def _say(text, stream):
    print(text, file=stream, flush=True)


def _copy_folder(folder, target):
    shutil.copytree(
        folder,
        target,
        symlinks=True,
        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", ".git"),
    )


def grade(
    path, cell_timeout=120, time_limit=1800, grace=GRACE, chapter=None, copy_folder=True
):
    """Execute a copy of the notebook; return ``(names, results, run)``.

    ``chapter``: grade against that chapter's exercises (the notebook must be that
    chapter's). ``copy_folder``: run in a copy of the notebook's folder (its data files
    are there); False runs in an empty folder, so files submitted next to the notebook
    cannot stand in for the course's.
    """
    nb = load_course_notebook(path, chapter)
    from .notebook_client import NotebookClient

    names = chapter_exercises(nb, chapter)
    present = checked_in(nb)
    _say(
        _(
            "Grading {path}: {count} exercises (progress below, the report follows)",
            path=path,
            count=len(names),
        ),
        sys.stderr,
    )
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.jsonl"
        report.touch()
        workdir = Path(tmp) / "work"
        if copy_folder:
            _copy_folder(
                Path(path).resolve().parent, workdir
            )  # cells cannot write into the original
        else:
            workdir.mkdir()
        run = _Run(names, report, cell_timeout, time_limit)
        run.chapter = notebook_chapter(nb) if chapter is None else chapter
        run.numbers = exercise_numbers(nb)
        run.grace = grace
        run.present = present
        previous = os.environ.get(REPORT_ENV)
        os.environ[REPORT_ENV] = str(report)  # the kernel inherits it
        client = NotebookClient(
            nb,
            timeout=cell_timeout,
            kernel_name="python3",
            allow_errors=True,
            interrupt_on_timeout=True,
            record_timing=False,
            on_cell_start=run.on_cell_start,
            on_cell_executed=run.on_cell_executed,
            resources={"metadata": {"path": str(workdir)}},
        )
        run.client = client
        done = threading.Event()
        watchdog = threading.Thread(target=run.watch, args=(client, done), daemon=True)
        watchdog.start()
        try:
            # The kernel's own log (e.g. ipykernel's note on unencrypted local TCP) is
            # noise to a learner; cell output reaches us through the kernel's messages
            # anyway.
            client.execute(stderr=subprocess.DEVNULL)
        except KeyboardInterrupt:
            run.stopped_why = _("grading was stopped (Ctrl-C or a termination signal)")
            run.interrupted = True
        except Exception as exc:  # e.g. the kernel died
            if (
                _STOP_REQUESTED
            ):  # the signal surfaced inside nbclient as another exception
                run.stopped_why = _("grading was stopped (a termination signal)")
                run.interrupted = True
            elif type(exc).__name__ == "NoSuchKernel":
                raise GradingError(
                    _(
                        "no Python kernel to run the notebook: the package "
                        "`ipykernel` is missing from this environment (activate "
                        "the course's environment, or `pip install -r "
                        "requirements.txt`)"
                    )
                )
            elif run.stopped_why is None:
                run.stopped_why = (
                    _(
                        "the Python kernel stopped: a cell exited Python or ran "
                        "out of memory"
                    )
                    if type(exc).__name__ == "DeadKernelError"
                    else type(exc).__name__
                )
        finally:
            if _STOP_REQUESTED:  # however nbclient surfaced (or swallowed) the signal
                run.stopped_why = _(
                    "grading was stopped (Ctrl-C or a termination signal)"
                )
                run.interrupted = True
            done.set()
            _stop_kernel(client)  # on every exit path; harmless if it already shut down
            if previous is None:
                os.environ.pop(REPORT_ENV, None)
            else:
                os.environ[REPORT_ENV] = previous
            run.collect()
    return names, run.results, run


#: What can become of an exercise, in the report's words. Only "failed" means a wrong
#: answer.
STATUSES = ("passed", "failed", "not attempted", "not checked", "not reached")
NOT_REACHED = N_("an earlier cell failed or timed out")
#: The statuses the learner reads (``translate``d in reports; the JSON keeps the English
#: keys).
_STATUS_WORDS = (
    N_("passed"),
    N_("failed"),
    N_("not attempted"),
    N_("not checked"),
    N_("not reached"),
)


def _not_checked(name, run):
    """``(status, message)`` of an exercise whose check reported nothing."""
    if run is not None and name in run.errors:
        kind, ename, evalue = run.errors[name]
        if kind == "definition":
            return "failed", _(
                "the cell that defines `{name}` raised {error}: {message}. "
                "Fix that cell first.",
                name=name,
                error=ename,
                message=evalue,
            )
        if ename == "NameError" and "'check'" in evalue:
            return "not checked", _(
                "its check cell raised NameError: `check` is not defined "
                "(was it deleted or renamed? re-run the import cell, `from "
                "utils.checks import check`)"
            )
        if ename == "NameError":
            return "not checked", _(
                "its check cell raised NameError: {message}. Keep the name "
                "`{name}` for your function (a renamed function is not "
                "found).",
                message=evalue,
                name=name,
            )
        return "not checked", _(
            "its check cell raised {error}: {message}", error=ename, message=evalue
        )
    if run is not None and name not in getattr(run, "present", [name]):
        return "not checked", _(
            "the notebook has no `check({name})` cell (deleted or changed?)", name=name
        )
    return "not reached", translate(NOT_REACHED)


def exercise_outcome(name, results, run=None):
    """``(status, message)`` of one exercise: a status of ``STATUSES`` and the
    learner's hint."""
    entry = results.get(name)
    if entry is None:
        return _not_checked(name, run)
    message = " ".join(entry["messages"])
    if entry["passed"]:
        return "passed", message
    return ("failed" if entry["attempted"] else "not attempted"), message


def _report_line(status, message):
    word = translate(status)
    if status in ("passed", "not attempted"):
        return word
    if status == "not reached":
        return _("{status} ({reason})", status=word, reason=message)
    return _("{status}: {message}", status=word, message=message)


def format_report(names, results, run=None):
    lines, passed = [], 0
    width = max(len(n) for n in names)
    for name in names:
        status, message = exercise_outcome(name, results, run)
        passed += status == "passed"
        lines.append(f"  {name:<{width}}  {_report_line(status, message)}")
    lines.append(
        _("Total: {passed}/{total} exercises passed", passed=passed, total=len(names))
    )
    return "\n".join(lines)


_STOP_REQUESTED = []


def _on_sigterm(signum, frame):
    _STOP_REQUESTED.append(signum)
    raise KeyboardInterrupt


_PIP_NAMES = {"sklearn": "scikit-learn", "IPython": "ipython", "yaml": "pyyaml"}


def missing_dependency_hint(exc):
    """One line for a ``ModuleNotFoundError`` in the grader: which package, and how
    to get it."""
    module = (exc.name or str(exc)).split(".")[0]
    package = _PIP_NAMES.get(module, module)
    return _(
        "the grader needs the Python package `{package}`, which this Python ({python}) "
        "does not have. Activate the course's environment first (`source "
        ".venv/bin/activate`; on Windows `.venv\\Scripts\\activate`) and run `python "
        "-m utils.grade ...` again, or install the course into this Python: `pip "
        "install -r requirements.txt`.",
        package=package,
        python=sys.executable,
    )


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m utils.grade", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "notebooks",
        nargs="+",
        metavar="NOTEBOOK",
        help="a notebook to grade (several, with --csv)",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json", "gradescope"),
        default="text",
        help="text (default), the course's JSON, or Gradescope's results.json",
    )
    parser.add_argument(
        "--output",
        metavar="FILE",
        help="write the JSON report to FILE (the text report then goes to stdout)",
    )
    parser.add_argument(
        "--chapter",
        type=int,
        help="grade chapter N's exercises (the notebook must be chapter N's)",
    )
    parser.add_argument(
        "--csv",
        metavar="FILE",
        help="grade every NOTEBOOK and write a gradebook: one row per notebook, "
        "a column per exercise",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="with --csv: how many notebooks are graded at once (default 1)",
    )
    parser.add_argument(
        "--cell-timeout", type=int, default=120, help="seconds per cell"
    )
    parser.add_argument(
        "--time-limit", type=int, default=1800, help="seconds for the whole notebook"
    )
    parser.add_argument(
        "--interrupt-grace",
        type=float,
        default=GRACE,
        help="seconds a cell over its time limit gets to obey the interrupt",
    )
    parser.add_argument(
        "--lang",
        metavar="LANG",
        help="language of the hints and the report: en or zh_CN (default: the "
        f"{ENV_VAR} environment variable, else en)",
    )
    return parser


def main(argv=None):
    for stream in (
        sys.stdout,
        sys.stderr,
    ):  # a console that is not UTF-8 must not crash us
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.lang is not None:
        try:
            set_language(args.lang)
        except ValueError as exc:
            parser.error(str(exc))
        os.environ[ENV_VAR] = (
            language()
        )  # the notebook's kernel inherits it: hints in that language
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.csv is not None:
        if args.format != "text" or args.output is not None:
            parser.error(
                "--csv writes a gradebook; --format and --output are for one notebook"
            )
        from .gradebook import grade_to_csv

        return grade_to_csv(args)
    if len(args.notebooks) > 1:
        parser.error("several notebooks make a gradebook: add --csv gradebook.csv")
    if args.jobs != 1:
        parser.error("--jobs is for grading several notebooks with --csv")
    return grade_one(args)


def grade_one(args):
    """Grade ``args.notebooks[0]``, print or write the report; return the exit code."""
    path = args.notebooks[0]
    import logging

    logging.getLogger("asyncio").setLevel(
        logging.CRITICAL
    )  # nbclient's tasks after a stop
    previous = {
        sig: signal.signal(sig, _on_sigterm) for sig in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        check_path(path)
        names, results, run = grade(
            path,
            args.cell_timeout,
            args.time_limit,
            args.interrupt_grace,
            chapter=args.chapter,
        )
    except GradingError as exc:
        print(_("error: {message}", message=exc), file=sys.stderr)
        _write_error_document(args, path, exc)
        return 2
    except ModuleNotFoundError as exc:
        print(
            _("error: {message}", message=missing_dependency_hint(exc)), file=sys.stderr
        )
        return 2
    except KeyboardInterrupt:  # stopped before the notebook started running
        _STOP_REQUESTED.append(signal.SIGINT)
        print(_("Grading stopped before any exercise was graded."), file=sys.stderr)
        return 130
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if run.stopped_why is not None:
        print(
            _(
                "note: the notebook stopped early ({reason}); exercises after that "
                "point count as not reached",
                reason=run.stopped_why,
            ),
            file=sys.stderr,
        )
    text = _("Grading {path}", path=path) + "\n" + format_report(names, results, run)
    interrupted = getattr(run, "interrupted", False)
    if interrupted:
        text += "\n" + _(
            "Grading was stopped: only the exercises above marked passed, failed or "
            "not attempted were graded."
        )
    if args.format == "text":
        print(text)
    else:
        from .grade_formats import course_document, gradescope_document

        document = course_document(path, names, results, run)
        if args.format == "gradescope":
            document = gradescope_document(document)
        write_json(document, args.output)
        if args.output is not None:
            print(text)
    if interrupted:
        return 130
    return 0 if all(results.get(n, {}).get("passed") for n in names) else 1


def write_json(document, output=None):
    """Write ``document`` to the file ``output`` (its folder is created), or to
    stdout."""
    if output is None:
        print(json.dumps(document, indent=2), flush=True)
        return
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(
        json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def _write_error_document(args, path, error):
    """A notebook that cannot be graded still gets a JSON report (Gradescope needs
    one)."""
    if args.format == "text":
        return
    from .grade_formats import error_document, gradescope_document

    names = []
    if args.chapter is not None:
        from .checks.core import REGISTRY

        names = [n for n, ex in REGISTRY.items() if ex.chapter == args.chapter]
    document = error_document(path, error, names, args.chapter)
    if args.format == "gradescope":
        document = gradescope_document(document)
    write_json(document, args.output)


if __name__ == "__main__":
    from .startup import skip_iri_format_checker

    skip_iri_format_checker()  # over 2 s of each grading process's start
    sys.exit(main())
