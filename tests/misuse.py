"""What the misuse tests share: strategies for wrong input, and the contract every error must meet.

The contract (issue 11): a wrong input raises ValueError, TypeError or KeyError
from nnlib's own checks -- never from deep inside numpy or ipywidgets -- and
the message names the argument.
"""

import traceback
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

NNLIB = Path(__file__).resolve().parents[1] / "nnlib"

# Bounded, so the whole misuse suite stays fast: a few dozen cases per property.
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Values of the wrong type for a number: what a learner might type instead.
not_a_number = st.one_of(
    st.none(), st.booleans(), st.text(max_size=6),
    st.floats(allow_nan=False, allow_infinity=False, width=32).map(str),  # "0.9": a number in quotes
    st.lists(st.integers(-3, 3), max_size=3), st.tuples(st.floats(0, 1)),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.complex_numbers(max_magnitude=10, allow_nan=False, allow_infinity=False).filter(lambda z: z.imag != 0),
    st.just(np.ones(2)), st.just(print),
)
not_finite = st.sampled_from([float("nan"), float("inf"), -float("inf"), np.float32("nan")])
numbers_ = st.one_of(st.integers(-10**6, 10**6), st.floats(-1e6, 1e6, allow_nan=False))


def below(limit, inclusive=True):
    """Numbers at or below limit (or strictly below it), integers and floats."""
    return st.one_of(st.floats(-1e6, limit, exclude_max=not inclusive, allow_nan=False),
                     st.integers(-10**6, int(np.floor(limit)) - (0 if inclusive and float(limit).is_integer() else 1)))


def above(limit, inclusive=True):
    return st.floats(limit, 1e6, exclude_min=not inclusive, allow_nan=False)


def assert_clear(call, *names, errors=(ValueError, TypeError, KeyError)):
    """Call call() and check it fails by the contract: the right error type, raised by nnlib, naming names."""
    with pytest.raises(errors) as info:
        call()
    message = str(info.value)
    assert any(str(name) in message or repr(name) in message for name in names), f"{message!r} names none of {names}"
    origin = Path(traceback.extract_tb(info.tb)[-1].filename).resolve()
    assert NNLIB in origin.parents, f"raised in {origin}, not by nnlib's checks: {message}"
    return message
