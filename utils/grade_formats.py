"""The grader's report as data: the course's JSON document and Gradescope's
``results.json``.

Both are built from what ``utils.grade.grade`` returns. Each exercise is worth the
points the check registry gives it (``@exercise(..., points=...)``, 1 by default); it
earns them all when its check passes and none otherwise. The learner reads the course's
own hint, which names the misconception: no test code, no traceback. "Not attempted" is
reported as such, never as a wrong answer.
"""

from .grade import NOT_REACHED, exercise_outcome
from .i18n import N_, _, translate

#: What a learner reads in Gradescope for each status (the hint follows it).
_GRADESCOPE_LEAD = {
    "passed": N_("Passed: the check found nothing wrong."),
    "failed": N_("Not right yet."),
    "not attempted": N_(
        "Not attempted: the function still raises `NotImplementedError`, so "
        "there is nothing to grade yet (this does not count as a wrong answer). "
        "Write it, try its check cell in the notebook, and submit again."
    ),
    "not checked": N_("Not checked, so no points yet:"),
    "not reached": N_("Not reached, so no points yet:"),
}


def exercise_points(name):
    """The points exercise ``name`` is worth, from the check registry."""
    from .checks.core import REGISTRY

    return REGISTRY[name].points


def course_document(notebook, names, results, run):
    """The report of one graded notebook as a JSON-ready dict.

    ``{"notebook", "chapter", "score", "max_score", "exercises": [{"name", "number",
    "status", "score", "max_score", "message"}], "stopped_early", "error"}``; exercises
    in the notebook's order (by their numbers), status one of ``utils.grade.STATUSES``.
    """
    numbers = getattr(run, "numbers", {}) or {}
    exercises = []
    for name in _in_exercise_order(names, numbers):
        status, message = exercise_outcome(name, results, run)
        worth = exercise_points(name)
        exercises.append(
            {
                "name": name,
                "number": numbers.get(name),
                "status": status,
                "score": worth if status == "passed" else 0,
                "max_score": worth,
                "message": message,
            }
        )
    return {
        "notebook": str(notebook),
        "chapter": getattr(run, "chapter", None),
        "score": sum(e["score"] for e in exercises),
        "max_score": sum(e["max_score"] for e in exercises),
        "exercises": exercises,
        "stopped_early": run.stopped_why,
        "error": None,
    }


def error_document(notebook, error, names=(), chapter=None):
    """The report of a notebook that could not be graded: every exercise scores 0,
    ``error`` says why."""
    exercises = [
        {
            "name": n,
            "number": None,
            "status": "not checked",
            "score": 0,
            "max_score": exercise_points(n),
            "message": _("not graded: {error}", error=error),
        }
        for n in names
    ]
    return {
        "notebook": str(notebook),
        "chapter": chapter,
        "score": 0,
        "max_score": sum(e["max_score"] for e in exercises),
        "exercises": exercises,
        "stopped_early": None,
        "error": str(error),
    }


def _in_exercise_order(names, numbers):
    if not all(n in numbers for n in names):
        return list(names)
    return sorted(
        names, key=lambda n: tuple(int(part) for part in numbers[n].split("."))
    )


def summary(document):
    """One paragraph for the whole submission: the score and how many exercises are
    in which state."""
    if document["error"] is not None:
        return _("This notebook could not be graded: {error}", error=document["error"])
    counts = {}
    for ex in document["exercises"]:
        counts[ex["status"]] = counts.get(ex["status"], 0) + 1
    states = _(", ").join(
        _("{count} {status}", count=counts[s], status=translate(s))
        for s in ("passed", "failed", "not attempted", "not checked", "not reached")
        if s in counts
    )
    text = _(
        "Chapter {chapter}: {score} of {max_score} points ({states}).",
        chapter=document["chapter"],
        score=_number(document["score"]),
        max_score=_number(document["max_score"]),
        states=states,
    )
    if document["stopped_early"]:
        text += _(
            " The notebook stopped early ({reason}); the exercises after that point "
            "count as not reached.",
            reason=document["stopped_early"],
        )
    return text


def _number(value):
    return f"{value:g}" if isinstance(value, float) else str(value)


def gradescope_document(document):
    """Gradescope's ``results.json`` for a course document: one test per exercise.

    A test's output is the course's hint, led by what its status means; a test passes
    only when the exercise's check passed (Gradescope knows no third state, so "not
    attempted" says so in words and scores 0).
    """
    tests = []
    for ex in document["exercises"]:
        lead = translate(_GRADESCOPE_LEAD[ex["status"]])
        message = ex["message"]
        if ex["status"] == "not attempted":
            message = ""  # the lead already says what to do
        elif ex["status"] == "passed":
            for done in ("All tests passed.", translate("All tests passed.")):
                message = message.replace(done, "").strip()  # a note on prints stays
        elif ex["status"] == "not reached" and message in (
            NOT_REACHED,
            translate(NOT_REACHED),
        ):
            message = _(
                "an earlier cell failed or timed out, or the notebook stopped before "
                "this exercise's check cell ran."
            )
        name = (
            _("Exercise {number}: {name}", number=ex["number"], name=ex["name"])
            if ex["number"]
            else ex["name"]
        )
        if ex["status"] != "passed":  # seen in the list of tests without opening one
            name += _(" ({status})", status=translate(ex["status"]))
        test = {
            "name": name,
            "score": ex["score"],
            "max_score": ex["max_score"],
            "status": "passed" if ex["status"] == "passed" else "failed",
            "output": f"{lead} {message}".strip(),
            "output_format": "md",
            "visibility": "visible",
        }
        if ex["number"]:
            test["number"] = ex["number"]
        tests.append(test)
    return {
        "score": document["score"],
        "output": summary(document),
        "output_format": "md",
        "tests": tests,
        "extra_data": {
            "statuses": {ex["name"]: ex["status"] for ex in document["exercises"]}
        },
    }
