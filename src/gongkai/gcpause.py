"""The cyclic garbage collector held off while one file is checked.

Matching a report allocates tens of thousands of small objects (segments, value atoms, cells, sources) that
live until the report is done, and the collector's young-generation passes walk them over and over: about
8 % of the CPU time of a text report (measured with ``gc.callbacks``). Almost none of it is garbage a
reference count cannot free (a few thousand objects of closures per report, measured on the corpus), so
the collector is paused while one file is checked and runs again when it is done, its first pass freeing
that little. A file's work is bounded in CPU time and address space (``gongkai.limits``), which bounds
what can pile up meanwhile.
"""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause automatic collection inside the block. Nested or concurrent pauses are safe: only the block that
    turned the collector off turns it back on, so it is never left off."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
