"""A pytest plugin (``-p tests.i18n_sweep``) that runs every failing check a second time
in Chinese and records what a Chinese-reading learner would still read in English.

Loaded by tests/test_i18n_checks.py around the chapters' check tests (which feed the
checks hundreds of wrong implementations); it writes its findings as JSON to the file
named by ``COURSE_I18N_SWEEP``. A finding is a message looked up without a translation,
or a hint with no Chinese in it (a message that was never marked with ``_``).
"""

import json
import os
import re

import utils.checks as checks
import utils.checks.core as core
from utils import i18n

_CJK = re.compile(r"[\u3400-\u9fff]")
_english_run = re.compile(r"[A-Za-z]{2,}(?:[ ,;:'-]+[A-Za-z]{2,}){5,}")
_original = core.run_check
findings = {"missing": set(), "english": {}, "checked": 0}


_PROSE = re.compile(r"[A-Za-z]{2,} [A-Za-z]{2,}")
# what the learner's own code raised is quoted as Python wrote it: "抛出了
# ValueError：<text>（..."
_QUOTED_ERROR = re.compile(r"抛出了 [\w.]+：[^（）。]*")


def _without_code(text):
    return _QUOTED_ERROR.sub("", re.sub(r"`[^`]*`", "", text))


def _is_prose(message):
    """Whether a message missing from the catalogue reads as English words (not a code
    label such as ``grads['W1']`` or a fragment that is already Chinese)."""
    return (
        not _CJK.search(message) and _PROSE.search(_without_code(message)) is not None
    )


def run_check_twice(fn, exercise=None):
    result = _original(fn, exercise)
    if result.passed or not result.attempted:
        return result
    i18n.set_language("zh_CN")
    i18n.missing = set()
    try:
        chinese = _original(fn, exercise)
    finally:
        findings["missing"].update(m for m in i18n.missing if _is_prose(m))
        i18n.missing = None
        i18n.set_language(None)
    findings["checked"] += 1
    for message in chinese.messages:
        # a learner's own error text stays as Python wrote it (see _QUOTED_ERROR)
        text = _without_code(message)
        english = _english_run.search(text)
        if not _CJK.search(message) or english:
            findings["english"].setdefault(message, chinese.exercise)
    return result


core.run_check = checks.run_check = run_check_twice


def pytest_sessionfinish(session, exitstatus):
    target = os.environ.get("COURSE_I18N_SWEEP")
    if target:
        with open(target, "w", encoding="utf-8") as file:
            json.dump(
                {
                    "missing": sorted(findings["missing"]),
                    "english": findings["english"],
                    "checked": findings["checked"],
                },
                file,
                ensure_ascii=False,
                indent=1,
            )
