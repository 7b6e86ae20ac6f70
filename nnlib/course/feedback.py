"""Feedback for the lessons' exercises: every answer becomes ✅, ❌ with a hint, or ⏳.

Each check returns a Feedback: shown in a notebook it reads as a short verdict
with a hint, and it counts as True or False, so the tests run the published
solutions through the very same checks.
"""

import functools
import warnings
from pathlib import Path

import numpy as np

from .. import checks

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


def answer_check(check):
    """Make check turn any answer, of any type, into feedback: whatever goes wrong becomes ❌ with a hint.

    The checks say what they expect (checks.py's messages: "lr must be a
    number above 0, such as 0.5; got 0"); anything else a strange answer
    breaks is caught here too, so a learner never sees a traceback.
    """
    @functools.wraps(check)
    def checked(*answers):
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                return check(*answers)
        except (KeyError, TypeError, ValueError) as err:
            if _from_nnlib(err):  # nnlib's own messages say what was expected
                return Feedback(False, f"❌ Not yet. {err}")
            return Feedback(False, f"❌ Not yet. This answer could not be checked ({type(err).__name__}: {err}); "
                                   "compare its type and shape with what the exercise asks for.")
        except Exception as err:  # noqa: BLE001 - an odd answer becomes feedback, not a traceback
            return Feedback(False, f"❌ Not yet. This answer could not be checked ({type(err).__name__}: {err}); "
                                   "compare its type and shape with what the exercise asks for.")
    return checked


def _from_nnlib(err):
    """Return True if err was raised by nnlib's core (whose messages are written for learners), not numpy."""
    tb = err.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next
    return Path(tb.tb_frame.f_code.co_filename).parent == Path(checks.__file__).parent


def _shape(value):
    """Return np.shape(value), or None for something that has none (a ragged list)."""
    try:
        return np.shape(value)
    except (TypeError, ValueError):
        return None


def _numbers(**answers):
    """Return the answers as floats, raising a clear message for one that is not a finite number."""
    return [checks.number(value, name) for name, value in answers.items()]


def _function(answer, name):
    """Return None if answer is a function, else its Feedback: ⏳ when blank, else ❌ (it was called, say)."""
    if callable(answer):
        return None
    if _unanswered(answer):
        return Feedback(False, NOT_ANSWERED)
    return Feedback(False, f"❌ Not yet. Give {name} itself, the function defined with def, without calling it: "
                           f"write {name}, not {name}(...); got {checks.describe(answer)}.")


def _close(got, want, **kwargs):
    """Return True if got is an array of numbers close to want (False, never an error, for anything else)."""
    try:
        got = np.asarray(got, dtype=float)
        return got.shape == np.shape(want) and bool(np.allclose(got, want, **kwargs))
    except (TypeError, ValueError):
        return False


def _all_finite(got):
    """Return True if got is an array of numbers with no NaN or infinity (False, never an error, otherwise)."""
    try:
        return bool(np.isfinite(np.asarray(got, dtype=float)).all())
    except (TypeError, ValueError):
        return False


def _unanswered(*answers):
    return any(a is Ellipsis or a is None for a in answers)


def _verdict(ok, success, hint):
    return Feedback(ok, f"✅ Correct! {success}" if ok else f"❌ Not yet. {hint}")
