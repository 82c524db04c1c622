"""Gradescope's side of grading: ``python -m utils.gradescope --chapter 1``.

Run by the ``run_autograder`` script of the archive ``python -m
tools.gradescope_archive`` builds. Gradescope puts the learner's files in
``ROOT/submission`` and reads ``ROOT/results/results.json``; ``ROOT`` is ``/autograder``
there (``--root`` or ``$AUTOGRADER_ROOT`` elsewhere, e.g. in a test).

It grades the submitted notebook of the chapter in an empty working folder (files
submitted next to the notebook, e.g. a folder called ``utils``, cannot stand in for the
course's code) and always writes ``results.json``: a submission with no notebook, or
another chapter's notebook, scores 0 with an explanation. The text report goes to
stdout, which Gradescope shows to the instructor.
"""

import argparse
import os
import sys
from pathlib import Path

from .grade import GradingError, format_report, grade, write_json

DEFAULT_ROOT = "/autograder"


def find_notebook(submission, chapter):
    """The notebook to grade in the folder ``submission``; raises ``GradingError`` if
    there is none.

    One notebook: that one. Several: those whose metadata names ``chapter``, else all of
    them; then the first by path.
    """
    import nbformat

    found = sorted(
        p
        for p in Path(submission).rglob("*.ipynb")
        if ".ipynb_checkpoints" not in p.parts
    )
    if not found:
        raise GradingError(
            f"the submission holds no notebook (.ipynb file): upload your "
            f"notebook of chapter {chapter}"
        )
    if len(found) == 1:
        return found[0]

    def chapter_of(path):
        try:
            return (
                nbformat.read(str(path), as_version=4)
                .metadata.get("course", {})
                .get("chapter")
            )
        except Exception:  # an unreadable file is simply not a candidate
            return None

    return next((p for p in found if chapter_of(p) == chapter), found[0])


def run(root, chapter, cell_timeout=120, time_limit=1800):
    """Grade the submission under ``root`` and write ``root/results/results.json``;
    return it."""
    from .checks.core import REGISTRY
    from .grade_formats import course_document, error_document, gradescope_document

    root = Path(root)
    results = root / "results" / "results.json"
    names = [n for n, ex in REGISTRY.items() if ex.chapter == chapter]
    notebook = None
    try:
        notebook = find_notebook(root / "submission", chapter)
        names, graded, state = grade(
            notebook, cell_timeout, time_limit, chapter=chapter, copy_folder=False
        )
        document = course_document(
            notebook.relative_to(root / "submission"), names, graded, state
        )
        print(f"Grading {notebook}\n{format_report(names, graded, state)}")
    except GradingError as exc:
        document = error_document(
            notebook.name if notebook else "", exc, names, chapter
        )
        print(f"Not graded: {exc}")
    except Exception as exc:  # never leave Gradescope without a results.json
        document = error_document(
            notebook.name if notebook else "",
            f"the autograder itself failed ({type(exc).__name__}: {exc}); "
            "please tell your instructor",
            names,
            chapter,
        )
        print(f"Autograder error: {type(exc).__name__}: {exc}")
    document = gradescope_document(document)
    write_json(document, results)
    return document


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m utils.gradescope", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--chapter", type=int, required=True, help="the chapter this assignment grades"
    )
    parser.add_argument(
        "--root",
        default=os.environ.get("AUTOGRADER_ROOT", DEFAULT_ROOT),
        help="Gradescope's folder (default $AUTOGRADER_ROOT, else /autograder)",
    )
    parser.add_argument(
        "--cell-timeout", type=int, default=120, help="seconds per cell"
    )
    parser.add_argument(
        "--time-limit", type=int, default=1800, help="seconds for the notebook"
    )
    args = parser.parse_args(argv)
    run(args.root, args.chapter, args.cell_timeout, args.time_limit)
    # the grade is in results.json; a non-zero exit would read as a broken autograder
    return 0


if __name__ == "__main__":
    from .startup import skip_iri_format_checker

    skip_iri_format_checker()  # over 2 s of each grading process's start
    sys.exit(main())
