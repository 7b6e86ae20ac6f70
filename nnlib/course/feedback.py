"""Feedback for the lessons' exercises: every answer becomes ✅, ❌ with a hint, or ⏳.

Each check returns a Feedback: shown in a notebook it reads as a short verdict
with a hint, and it counts as True or False, so the tests run the published
solutions through the very same checks.
"""

import warnings

import numpy as np

NOT_ANSWERED = "⏳ Not answered yet: replace the ... with your answer and run the cell again."


class Feedback:
    """The verdict of a check: true when the answer is right; shows as its message."""

    def __init__(self, ok, message):
        self.ok, self.message = bool(ok), message

    def __bool__(self):
        return self.ok

    def __repr__(self):
        return self.message


def _call(function, *args):
    """Return (result, None), or (None, a Feedback) when the learner's function is blank or fails."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            result = function(*args)
        return (None, Feedback(False, NOT_ANSWERED)) if _unanswered(result) else (result, None)
    except NotImplementedError:
        return None, Feedback(False, NOT_ANSWERED)
    except Exception as err:  # noqa: BLE001 - a learner's bug becomes feedback, not a traceback
        return None, Feedback(False, f"❌ Not yet. Your function raised {type(err).__name__}: {err}")


def _unanswered(*answers):
    return any(a is Ellipsis or a is None for a in answers)


def _verdict(ok, success, hint):
    return Feedback(ok, f"✅ Correct! {success}" if ok else f"❌ Not yet. {hint}")
