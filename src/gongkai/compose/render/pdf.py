"""A composed report as PDF: the DOCX of ``render.docx`` converted by LibreOffice (headless).

Why LibreOffice and not an HTML-to-PDF engine: the PDF is then the very document an office
keeps and edits (the Word file), laid out by a real word processor — table merges, repeated
header rows, rows kept whole across pages, page numbers — and the two cannot drift apart.

The office fonts (方正小标宋简体, 仿宋_GB2312, 黑体) are rarely installed on a server. The conversion
runs with a private fontconfig file that maps each of them, and its fallbacks, to the free
Noto CJK face of the same kind (song/fangsong → Noto Serif CJK SC, hei → Noto Sans CJK SC,
Debian package ``fonts-noto-cjk``), so the PDF embeds real Chinese glyphs with a text layer that
extracts as the right characters, never boxes. Each call uses its own LibreOffice profile
(``-env:UserInstallation``), so parallel conversions do not clash over one profile lock.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Iterable

from ...model import Report
from .docx import FALLBACKS, write_docx

APT_PACKAGES = "libreoffice-writer-nogui fonts-noto-cjk"
SERIF, SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"
# Which free face stands in for each office font name (and for the fallbacks named in the DOCX).
FONT_MAP = {"方正小标宋简体": SERIF, "仿宋_GB2312": SERIF, "宋体": SERIF, "SimSun": SERIF, "仿宋": SERIF,
            "FangSong": SERIF, "黑体": SANS, "SimHei": SANS}
assert set(FALLBACKS) | set(FALLBACKS.values()) <= set(FONT_MAP)


class PdfConversionError(RuntimeError):
    """LibreOffice is missing, failed, or timed out."""


def soffice() -> str:
    """Path of the LibreOffice binary, or a clear error naming the package to install."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise PdfConversionError(
        "LibreOffice (soffice) 未安装，无法生成 PDF (LibreOffice not found: PDF output needs it). "
        f"On Debian/Ubuntu: apt-get install -y {APT_PACKAGES}")


def _fontconfig(workdir: Path) -> Path:
    """A fontconfig file: the system configuration plus strong aliases for the office font names."""
    aliases = "\n".join(
        f'  <match target="pattern"><test name="family"><string>{name}</string></test>'
        f'<edit name="family" mode="assign" binding="strong"><string>{face}</string></edit></match>'
        for name, face in FONT_MAP.items())
    conf = workdir / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f'  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n{aliases}\n</fontconfig>\n',
        encoding="utf-8")
    return conf


def convert_docx(docx_paths: Iterable[str | Path], out_dir: str | Path, *, timeout: float = 300.0) -> list[Path]:
    """Convert DOCX files to PDF in ``out_dir`` with one LibreOffice process (start-up is most of the cost).

    Returns the PDF paths in the order given; raises PdfConversionError when any is not produced."""
    sources = [Path(p).resolve() for p in docx_paths]
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    if not sources:
        return []
    binary = soffice()
    pdfs = [out / (s.stem + ".pdf") for s in sources]
    for stale in pdfs:  # a PDF left from an earlier run must not pass for this run's output
        stale.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="gongkai-soffice-") as tmp:
        work = Path(tmp)
        env = dict(os.environ, FONTCONFIG_FILE=str(_fontconfig(work)))
        cmd = [binary, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
               "--nologo", "--nolockcheck", "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(out),
               *map(str, sources)]
        # Its own process group: on a timeout the whole tree (soffice → oosplash → soffice.bin) goes.
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as e:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise PdfConversionError(f"LibreOffice 转换超时 (conversion timed out after {timeout:g} s)") from e
    missing = [p.name for p in pdfs if not p.is_file() or p.stat().st_size == 0]
    if proc.returncode != 0 or missing:
        raise PdfConversionError(
            f"LibreOffice 未生成 PDF (conversion failed, exit {proc.returncode}; missing: {', '.join(missing) or '-'}): "
            f"{(stderr or stdout).strip()[-500:]}")
    return pdfs


def write_pdf(report: Report, path: str | Path, *, timeout: float = 120.0) -> Path:
    """Write ``report`` as a PDF at ``path`` (through its DOCX) and return the path."""
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="gongkai-pdf-") as tmp:
        source = write_docx(report, Path(tmp) / f"{path.stem}.docx")
        (pdf,) = convert_docx([source], tmp, timeout=timeout)
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(pdf), path)
    return path


def write_pdfs(reports: Iterable[tuple[Report, str | Path]], *, timeout: float = 600.0) -> list[Path]:
    """Several reports to PDF with one LibreOffice run: ``[(report, pdf_path), ...]`` → the paths."""
    pairs = [(r, Path(p)) for r, p in reports]
    with tempfile.TemporaryDirectory(prefix="gongkai-pdf-") as tmp:
        # Sources named by position: two reports bound for files with the same name must not collide.
        sources = [write_docx(r, Path(tmp) / f"{i:05d}.docx") for i, (r, _) in enumerate(pairs)]
        pdfs = convert_docx(sources, Path(tmp) / "out", timeout=timeout)
        for pdf, (_, target) in zip(pdfs, pairs):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(pdf), target)
    return [p for _, p in pairs]


__all__ = ["write_pdf", "write_pdfs", "convert_docx", "soffice", "PdfConversionError", "APT_PACKAGES"]
