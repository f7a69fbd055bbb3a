"""Which files a batch reads: the files given, and the report files found under given folders, with every
entry of a folder that is not read named with its reason — never skipped in silence.

A folder walk used to drop legacy ``.doc`` files, dangling links, link loops and folders it could not
open without a word, so a batch could report "all good" over reports it never saw. ``discover`` is the
one place that decides; the batch drivers (``check``, ``ingest``) print what it skipped.
"""
from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .read import SUPPORTED_SUFFIXES, TEMPLATE_SUFFIXES

# Types people keep next to their reports that gongkai does not read, with what to do about them.
_ADVICE = {
    ".doc": "旧版 Word 文件，请另存为 .docx 或 PDF (legacy Word file: save as .docx or PDF)",
    ".wps": "WPS 文字文件，请另存为 .docx 或 PDF (WPS file: save as .docx or PDF)",
    ".xls": "Excel 文件不是年度报告 (spreadsheet, not a report)",
    ".xlsx": "Excel 文件不是年度报告 (spreadsheet, not a report)",
    ".rtf": "RTF 文件，请另存为 .docx 或 PDF (RTF: save as .docx or PDF)",
    ".ofd": "OFD 版式文件，请另存为 PDF (OFD: save as PDF)",
}


@dataclass(frozen=True)
class Skipped:
    """An entry under a given folder that is not read, and why (``code`` as ReadError codes are)."""

    path: str
    code: str
    reason: str


@dataclass
class Discovery:
    files: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def discover(paths: Iterable[str | Path]) -> Discovery:
    """The files to read, in order: each given file as given (reading it says what is wrong with it), and
    the supported files under each given folder, sorted; everything else under a folder is ``skipped``.
    Links are followed; a link to a folder already walked is a loop and is not walked again."""
    out = Discovery()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found: list[Path] = []
            _walk(p, found, out.skipped, set())
            out.files += sorted(found)
        else:
            out.files.append(p)  # missing or odd: check_path reports it as this file's error
    return out


def _skip(skipped: list[Skipped], path: Path, code: str, reason: str) -> None:
    skipped.append(Skipped(str(path), code, reason))


def _walk(folder: Path, found: list[Path], skipped: list[Skipped], seen: set[tuple[int, int]]) -> None:
    # Iterative: a deep tree of folders must not exhaust the call stack.
    todo = [folder]
    while todo:
        here = todo.pop()
        try:
            st = here.stat()
        except OSError as e:
            _skip(skipped, here, "read.unreadable", f"无法访问文件夹：{e.strerror or e} (cannot access folder)")
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen:
            _skip(skipped, here, "read.link-loop", "链接指向已检查过的文件夹（循环），未重复检查 (link to a folder "
                                                   "already walked: a loop)")
            continue
        seen.add(key)
        try:
            with os.scandir(here) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            _skip(skipped, here, "read.unreadable", f"无法打开文件夹：{e.strerror or e} (cannot open folder)")
            continue
        subfolders = []
        for entry in entries:
            path = Path(entry.path)
            try:
                st = os.stat(entry.path)  # follows links
            except FileNotFoundError:
                _skip(skipped, path, "read.not-found", "链接指向的文件不存在（失效链接）(dangling link)")
                continue
            except OSError as e:
                if e.errno == errno.ELOOP:
                    _skip(skipped, path, "read.link-loop", "链接循环指向自身 (symbolic link loop)")
                else:
                    _skip(skipped, path, "read.unreadable", f"无法访问：{e.strerror or e} (cannot access)")
                continue
            if stat.S_ISDIR(st.st_mode):
                subfolders.append(path)
            elif not stat.S_ISREG(st.st_mode):
                _skip(skipped, path, "read.not-a-file", "不是普通文件（设备、管道或套接字）(not a regular file)")
            elif path.suffix.lower() in SUPPORTED_SUFFIXES + TEMPLATE_SUFFIXES:
                found.append(path)
            else:
                advice = _ADVICE.get(path.suffix.lower(),
                                     f"不支持的文件类型 '{path.suffix or '无扩展名'}' (unsupported file type)")
                _skip(skipped, path, "read.unsupported-type", advice)
        todo += reversed(subfolders)
