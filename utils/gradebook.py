"""Grade a whole class: ``python -m utils.grade SUBMISSIONS... --csv gradebook.csv
--jobs N``.

Each notebook is graded by its own ``python -m utils.grade NOTEBOOK --format json``
process (with its own kernel), ``N`` at a time. A submission that is not a notebook,
crashes its kernel, hangs or breaks the grader costs only its own row, whose ``problem``
column says why.

The gradebook has one row per submission: the learner (the file name, or the folder name
when every file has the same name, as in
``submissions/<learner>/01_linear_score_function.ipynb``), the path, the chapter, the
score and the maximum, then one column per exercise holding the points earned, then
``not passed`` (each exercise that did not pass and why: failed, not attempted, not
checked, not reached) and ``problem``. A folder given as a submission stands for every
notebook inside it.
"""

import csv
import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from .i18n import _

PACKAGE_PARENT = Path(__file__).resolve().parent.parent  # the folder that holds `utils`
#: Seconds a grading process may run beyond the notebook's time limit (imports, kernel
#: start).
SLACK = 120


def expand(paths):
    """The submissions: files as given, folders replaced by the notebooks inside them
    (sorted)."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
            )
        else:
            found.append(path)
    return found


def learner_names(paths):
    """A name per submission: file names if they differ, else folder names, else the
    paths."""
    for names in ([p.stem for p in paths], [p.parent.name for p in paths]):
        if len(set(names)) == len(names):
            return names
    return [str(p) for p in paths]


#: With several notebooks at once, each kernel's BLAS uses one thread (unless the caller
#: chose): N kernels each starting one thread per CPU would fight over the CPUs.
_ONE_THREAD = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def grade_submission(
    path, cell_timeout=120, time_limit=1800, chapter=None, one_thread=False
):
    """Grade one notebook in its own process; return the course's JSON document for it.

    Never raises: whatever goes wrong becomes a document whose ``error`` says what.
    """
    from .grade_formats import error_document

    command = [
        sys.executable,
        "-m",
        "utils.grade",
        str(path),
        "--format",
        "json",
        "--cell-timeout",
        str(cell_timeout),
        "--time-limit",
        str(time_limit),
    ]
    if chapter is not None:
        command += ["--chapter", str(chapter)]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(PACKAGE_PARENT), env.get("PYTHONPATH")])
    )
    if one_thread:
        for name in _ONE_THREAD:
            env.setdefault(name, "1")
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    overdue = _(
        "grading did not finish within {seconds} s and was stopped",
        seconds=time_limit + SLACK,
    )
    timed_out = False
    try:
        out, err = process.communicate(timeout=time_limit + SLACK)
    except subprocess.TimeoutExpired:
        timed_out = True
        process.send_signal(
            signal.SIGTERM
        )  # the grader stops its kernel and reports what it has
        try:
            out, err = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            return error_document(path, overdue)
    try:
        document = json.loads(out)
    except ValueError:
        if timed_out:
            return error_document(path, overdue)
        lines = [line for line in err.splitlines() if line.strip()]
        why = (
            lines[-1].strip()
            if lines
            else _("exit code {code}", code=process.returncode)
        )
        return error_document(path, _("the grader failed: {why}", why=why))
    if (
        document.get("error") is None
        and document.get("stopped_early") is None
        and process.returncode not in (0, 1)
    ):
        document["stopped_early"] = _(
            "the grader exited with code {code}", code=process.returncode
        )
    return document


def gradebook_rows(learners, documents):
    """``(header, rows)`` of the gradebook; exercise columns in chapter and exercise
    order."""
    columns = {}
    for document in documents:
        for ex in document["exercises"]:
            key = (document["chapter"] or 0, _number_key(ex["number"]), len(columns))
            columns.setdefault(ex["name"], key)
    exercises = sorted(columns, key=columns.get)
    header = (
        ["learner", "submission", "chapter", "score", "max_score"]
        + exercises
        + ["not passed", "problem"]
    )
    rows = []
    for learner, document in zip(learners, documents):
        by_name = {ex["name"]: ex for ex in document["exercises"]}
        graded = document["error"] is None
        row = [
            learner,
            document["notebook"],
            document["chapter"] or "",
            document["score"],
            document["max_score"] if by_name else "",
        ]
        row += [
            by_name[n]["score"] if graded and n in by_name else "" for n in exercises
        ]
        row.append(
            "; ".join(
                f"{ex['name']}: {ex['status']}"
                for ex in document["exercises"]
                if graded and ex["status"] != "passed"
            )
        )
        row.append(
            document["error"]
            or (
                _("stopped early: {reason}", reason=document["stopped_early"])
                if document["stopped_early"]
                else ""
            )
        )
        rows.append(row)
    return header, rows


def _number_key(number):
    return tuple(int(part) for part in number.split(".")) if number else (1_000,)


def grade_many(
    paths, jobs=1, cell_timeout=120, time_limit=1800, chapter=None, stream=sys.stderr
):
    """Grade every notebook, ``jobs`` at a time; return their documents in the order
    given."""
    learners = learner_names(paths)
    documents = [None] * len(paths)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {
            pool.submit(
                grade_submission, path, cell_timeout, time_limit, chapter, jobs > 1
            ): i
            for i, path in enumerate(paths)
        }
        for done, future in enumerate(as_completed(futures), start=1):
            i = futures[future]
            document = documents[i] = future.result()
            outcome = (
                _("not graded ({error})", error=document["error"])
                if document["error"]
                else _(
                    "{score}/{max_score} points",
                    score=f"{document['score']:g}",
                    max_score=f"{document['max_score']:g}",
                )
            )
            print(
                _(
                    "[{done}/{total}] {learner}: {outcome} ({seconds} s so far)",
                    done=done,
                    total=len(paths),
                    learner=learners[i],
                    outcome=outcome,
                    seconds=f"{time.monotonic() - started:.0f}",
                ),
                file=stream,
                flush=True,
            )
    return learners, documents


def write_gradebook(csv_path, learners, documents):
    header, rows = gradebook_rows(learners, documents)
    csv_path = Path(csv_path)
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    with open(csv_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def grade_to_csv(args):
    """``python -m utils.grade ... --csv FILE``: grade, write the gradebook, print a
    summary."""
    paths = expand(args.notebooks)
    if not paths:
        print(
            _("error: no notebooks to grade (the folders given hold no .ipynb file)"),
            file=sys.stderr,
        )
        return 2
    print(
        _(
            "Grading {count} notebook{s_}, {jobs} at a time",
            count=len(paths),
            s_="s" * (len(paths) != 1),
            jobs=args.jobs,
        ),
        file=sys.stderr,
    )
    started = time.monotonic()
    learners, documents = grade_many(
        paths, args.jobs, args.cell_timeout, args.time_limit, args.chapter
    )
    write_gradebook(args.csv, learners, documents)
    problems = sum(bool(d["error"] or d["stopped_early"]) for d in documents)
    note = (
        _("; {count} with a problem (see its `problem` column)", count=problems)
        if problems
        else ""
    )
    print(
        _(
            "Wrote {path}: {count} rows in {seconds} s",
            path=args.csv,
            count=len(paths),
            seconds=f"{time.monotonic() - started:.1f}",
        )
        + note
    )
    return 0
