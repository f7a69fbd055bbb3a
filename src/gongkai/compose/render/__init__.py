"""Renderers of a composed Report: DOCX in the official layout, HTML, Markdown, PDF."""
