"""Folder mode names every entry it does not read, with its reason: legacy .doc files, other types,
dangling links, link loops, pipes, folders it cannot open. They were skipped in silence."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.discover import discover

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "示例市交通运输局-2024.txt"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    (root / "sub").mkdir(parents=True)
    shutil.copy(EXAMPLE, root / "a.txt")
    shutil.copy(EXAMPLE, root / "sub" / "b.md")
    (root / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100))
    (root / "clip.avi").write_bytes(b"\xff\xd8\xff")
    (root / "gone.txt").symlink_to(root / "nowhere.txt")                 # dangling
    (root / "loop1.txt").symlink_to(root / "loop2.txt")                  # a loop of links
    (root / "loop2.txt").symlink_to(root / "loop1.txt")
    (root / "sub" / "up").symlink_to(root)                               # a folder link back up: a cycle
    (root / "linked.txt").symlink_to(root / "a.txt")                     # a good link is read
    os.mkfifo(root / "pipe.txt")                                         # would block a reader forever
    return root


def test_discover_lists_files_and_every_skipped_entry_with_its_reason(folder: Path):
    found = discover([folder])
    assert [p.relative_to(folder).as_posix() for p in found.files] == ["a.txt", "linked.txt", "sub/b.md"]
    skipped = {Path(s.path).relative_to(folder).as_posix(): (s.code, s.reason) for s in found.skipped}
    assert skipped["old.doc"][0] == "read.unsupported-type" and ".docx" in skipped["old.doc"][1]
    assert skipped["clip.avi"][0] == "read.unsupported-type"
    assert skipped["gone.txt"][0] == "read.not-found" and "失效链接" in skipped["gone.txt"][1]
    assert skipped["loop1.txt"][0] == skipped["loop2.txt"][0] == "read.link-loop"
    assert skipped["sub/up"][0] == "read.link-loop"
    assert skipped["pipe.txt"][0] == "read.not-a-file"
    assert len(found.skipped) == 7


@pytest.mark.skipif(os.geteuid() == 0, reason="root opens every folder: permissions cannot be tested")
def test_a_folder_that_cannot_be_opened_is_reported(folder: Path):
    locked = folder / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        found = discover([folder])
        assert any(s.path == str(locked) and s.code == "read.unreadable" for s in found.skipped)
    finally:
        locked.chmod(0o755)


def test_check_and_ingest_print_what_they_skipped(folder: Path, tmp_path: Path):
    r = CliRunner().invoke(app, ["check", str(folder)], env={"COLUMNS": "300"})
    assert r.exit_code == 0, r.output
    for name in ("old.doc", "gone.txt", "loop1.txt", "pipe.txt", "clip.avi"):
        assert f"跳过 {folder / name}" in r.output, name
    assert "跳过 7 个不读取的文件" in r.output and "报告 3" in r.output
    r = CliRunner().invoke(app, ["ingest", str(folder), "--db", f"sqlite:///{tmp_path / 'i.db'}"],
                           env={"COLUMNS": "300"})
    assert r.exit_code == 0, r.output
    assert str(folder / "old.doc") in r.output and "跳过 7 个不读取的文件" in r.output


def test_a_given_pipe_is_an_error_not_a_hang(folder: Path):
    from gongkai.check import check_path

    r = check_path(folder / "pipe.txt")
    assert (r.status, r.error_code) == ("error", "read.not-a-file")
