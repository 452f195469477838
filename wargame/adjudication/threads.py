"""Thread policy of the core: numba's parallel kernels use the cores, BLAS calls stay serial.

The core's matrix products are small (12 x 60 x 30,000 at most), where a threaded BLAS only
adds threads that spin against the kernels' OpenMP threads (a move measured 2.7 s instead of
2.2 s on two cores). Parallel kernels may be launched from several Python threads at once, so
numba must use a thread-safe layer (OpenMP or TBB); the workqueue layer is not one.
"""

from __future__ import annotations

import importlib
import types
from collections.abc import Callable
from typing import Any

import numba
from threadpoolctl import threadpool_limits

numba.config.THREADING_LAYER = "threadsafe"  # type: ignore[attr-defined]
threadpool_limits(limits=1, user_api="blas")


def _threadsafe_layer_available() -> bool:
    for module in ("numba.np.ufunc.tbbpool", "numba.np.ufunc.omppool"):
        try:
            importlib.import_module(module)
        except ImportError:
            continue
        return True
    return False


THREADSAFE = _threadsafe_layer_available()
"""A thread-safe threading layer loads; without one the kernels run serially."""


def serial_copy(func: Callable[..., Any]) -> Callable[..., Any]:
    """The same Python function under the name `<name>_serial`, for a serial numba build.

    numba's on-disk cache keys a function by its name and bytecode, not by `parallel=`: two
    builds of one function would load each other's machine code."""
    assert isinstance(func, types.FunctionType)
    copy = types.FunctionType(func.__code__, func.__globals__, f"{func.__name__}_serial",
                              func.__defaults__, func.__closure__)
    copy.__qualname__ = f"{func.__qualname__}_serial"
    copy.__doc__ = func.__doc__
    return copy

