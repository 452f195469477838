"""Thread policy of the core: numba's parallel kernels use the cores, BLAS calls stay serial.

The core's matrix products are small (12 x 60 x 30,000 at most), where a threaded BLAS only
adds threads that spin against the kernels' OpenMP threads (a move measured 2.7 s instead of
2.2 s on two cores). Parallel kernels may be launched from several Python threads at once, so
numba must use a thread-safe layer (OpenMP or TBB); the workqueue layer is not one.
"""

from __future__ import annotations

import importlib

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
