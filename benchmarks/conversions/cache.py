"""A content-addressed disk cache: conversions and composed documents are reused across runs.

The key is a hash of everything the output depends on (input bytes, converter name and version, recipe
revision), so a stale entry is never served; writes go through a temporary file and a rename, so several
processes (the benchmark, the tests, another helper's run) can share one cache directory.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

ENV = "GONGKAI_CONVBENCH_CACHE"


def cache_dir() -> Path:
    """``$GONGKAI_CONVBENCH_CACHE``, else ``$XDG_CACHE_HOME/gongkai/convbench`` (``~/.cache/...``)."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "gongkai" / "convbench"


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for p in parts:
        b = p.encode("utf-8") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "big"))
        h.update(b)
    return h.hexdigest()


def get(kind: str, key: str, suffix: str, root: Path | None = None) -> Path:
    """The path an entry of ``kind`` with ``key`` lives at (it may not exist yet)."""
    root = root or cache_dir()
    return root / kind / key[:2] / f"{key}{suffix}"


def put(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
