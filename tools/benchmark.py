"""Speed budget: time every notebook's execution and a site build from stored outputs.

    python -m tools.benchmark            # prints one line per notebook and the totals

Budgets (issue "the whole course as a learner meets it"): every notebook under 60 s, the
whole suite under 180 s, the site build under 60 s, on the 2-core reference machine.
Nothing is written back: notebooks are executed in memory.
"""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import notebooks

NOTEBOOK_BUDGET, SUITE_BUDGET, SITE_BUDGET = 60.0, 180.0, 60.0


def time_notebooks():
    timings = []
    for folder in (notebooks.CHAPTERS, notebooks.SOLUTIONS):
        for path in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
            nb = notebooks.read(path)
            start = time.perf_counter()
            notebooks.execute(nb, path.parent)
            timings.append(
                (path.relative_to(notebooks.ROOT), time.perf_counter() - start)
            )
            print(
                f"{str(timings[-1][0]):50s} {timings[-1][1]:6.1f} s"
                + ("  OVER BUDGET" if timings[-1][1] > NOTEBOOK_BUDGET else ""),
                flush=True,
            )
    return timings


def time_site_build():
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run(
            [
                str(Path(sys.executable).with_name("jupyter-book")),
                "build",
                str(notebooks.ROOT),
                "--path-output",
                out,
                "-W",
                "-n",
                "--keep-going",
            ],
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - start


def main():
    timings = time_notebooks()
    total = sum(t for _, t in timings)
    slowest = max(timings, key=lambda item: item[1])
    site = time_site_build()
    print(
        f"\nnotebooks: {len(timings)}, total {total:.1f} s (budget {SUITE_BUDGET:.0f} "
        f"s), slowest {slowest[0]} {slowest[1]:.1f} s (budget {NOTEBOOK_BUDGET:.0f} s)"
    )
    print(f"site build from stored outputs: {site:.1f} s (budget {SITE_BUDGET:.0f} s)")
    within = (
        total <= SUITE_BUDGET and slowest[1] <= NOTEBOOK_BUDGET and site <= SITE_BUDGET
    )
    print("within budget" if within else "OVER BUDGET")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
