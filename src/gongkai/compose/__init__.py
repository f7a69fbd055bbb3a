"""Compose an agency's own annual report from its figures, correct by construction.

figures (Excel template, YAML/JSON, request register, store) → validated Report → prose sections
generated from the same figures → DOCX / HTML / Markdown / PDF → read back by gongkai's own readers.
"""
