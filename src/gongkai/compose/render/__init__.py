"""Renderers of a composed Report: DOCX in the official layout, HTML, Markdown, PDF.

All four print the same thing, defined once in ``layout``: the title, the six sections under their
official headings, and 表二/表三/表四 as grids with the official merged cells. PDF goes through the
DOCX and LibreOffice (``pdf``), so the printed file and the editable Word file are one layout.
"""
from .docx import write_docx
from .html import render_html, write_html
from .layout import document
from .markdown import render_markdown, write_markdown
from .pdf import PdfConversionError, write_pdf, write_pdfs

__all__ = ["write_docx", "render_html", "write_html", "render_markdown", "write_markdown", "write_pdf",
           "write_pdfs", "PdfConversionError", "document"]
