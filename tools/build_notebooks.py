"""Regenerate chapters/ from solutions/ and execute both, so stored outputs are fresh.

python -m tools.build_notebooks                 # every notebook
python -m tools.build_notebooks 01 03    # only the notebooks whose names start so
python -m tools.build_notebooks --no-execute    # regenerate sources only
python -m tools.build_notebooks --config other.yml   # another book configuration (its
                                                      # repository_url sets the Colab
                                                      cell)
"""

import argparse
import os
import time

from . import notebooks


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="notebook name prefixes, e.g. 01")
    parser.add_argument("--no-execute", action="store_true")
    parser.add_argument(
        "--config", help="the book's configuration (default _config.yml)"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("PYTHONHASHSEED", "0")  # inherited by the kernels
    solutions = sorted(notebooks.SOLUTIONS.glob("[0-9][0-9]_*.ipynb"))
    if args.prefixes:
        solutions = [p for p in solutions if p.name.startswith(tuple(args.prefixes))]
    for path in solutions:
        solution = notebooks.with_navigation(
            notebooks.read(path), "solutions", path.name, args.config
        )
        chapter = notebooks.exercise_notebook(solution, path.name, args.config)
        target = notebooks.chapter_path(path)
        for nb, where in ((solution, path), (chapter, target)):
            if not args.no_execute:
                start = time.perf_counter()
                notebooks.execute(nb, where.parent)
                print(
                    f"executed {where.relative_to(notebooks.ROOT)} "
                    f"in {time.perf_counter() - start:.1f} s"
                )
            notebooks.write(nb, where)


if __name__ == "__main__":
    main()
