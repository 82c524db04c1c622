"""Measure batch-grading throughput: copies of a solved chapter graded into a gradebook.

    python -m tools.benchmark_grading       # 50 copies of solutions/04, 2 jobs
    python -m tools.benchmark_grading --copies 10 --jobs 2 --chapter 01

Copies the solved notebook into a temporary folder (``learner_001.ipynb``, ...), runs
``python -m utils.grade FOLDER --csv gradebook.csv --jobs N`` exactly as an instructor
would, checks that every row has full marks (a benchmark of a grader that fails would
measure nothing), and prints the wall time, notebooks per minute and seconds per
notebook. A measurement, not a test: the numbers depend on the machine and on what else
it runs.
"""

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m tools.benchmark_grading", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--chapter", default="04", help="solution notebook prefix (default 04)"
    )
    parser.add_argument(
        "--copies", type=int, default=50, help="how many submissions (default 50)"
    )
    parser.add_argument(
        "--jobs", type=int, default=2, help="notebooks graded at once (default 2)"
    )
    args = parser.parse_args(argv)
    (source,) = sorted((ROOT / "solutions").glob(f"{args.chapter}_*.ipynb"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "submissions"
        folder.mkdir()
        for i in range(1, args.copies + 1):
            shutil.copyfile(source, folder / f"learner_{i:03d}.ipynb")
        book = Path(tmp) / "gradebook.csv"
        command = [
            sys.executable,
            "-m",
            "utils.grade",
            str(folder),
            "--csv",
            str(book),
            "--jobs",
            str(args.jobs),
        ]
        started = time.perf_counter()
        subprocess.run(
            command,
            check=True,
            cwd=ROOT,
            stderr=subprocess.DEVNULL,
            env=dict(os.environ, PYTHONHASHSEED="0"),
        )
        seconds = time.perf_counter() - started
        rows = list(csv.DictReader(open(book, encoding="utf-8")))
    full = sum(r["score"] == r["max_score"] and not r["problem"] for r in rows)
    print(f"{source.name}: {len(rows)} copies, {args.jobs} jobs, {os.cpu_count()} CPUs")
    print(
        f"  wall time {seconds:.1f} s, {60 * len(rows) / seconds:.1f} notebooks per "
        f"minute, {seconds / len(rows):.2f} s per notebook"
    )
    print(f"  rows with full marks: {full}/{len(rows)}")
    return 0 if full == len(rows) == args.copies else 1


if __name__ == "__main__":
    sys.exit(main())
