"""Self-grading: ``check(fn)`` tells a learner whether an exercise is right and, if not,
why.

Every module ``chNN_*`` in this package registers the checks of one chapter; they are
all imported here, so ``from utils.checks import check`` knows every exercise.
"""

import importlib
import pkgutil

from .core import (
    CheckResult,
    UnknownExerciseError,
    check,
    known_exercises,
    run_check,
    use_or_reference,
)

for _module in sorted(
    m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("ch")
):
    importlib.import_module(f"{__name__}.{_module}")

__all__ = [
    "CheckResult",
    "UnknownExerciseError",
    "check",
    "known_exercises",
    "run_check",
    "use_or_reference",
]
