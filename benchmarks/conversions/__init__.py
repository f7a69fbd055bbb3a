"""The converter benchmark's machinery, importable by benchmarks/converted.py and the tests.

documents  — the inputs: real PDF/HTML reports of the corpus and every truth file composed as PDF, DOCX, HTML
converters — the tools people convert with (pypdfium2, pdfminer, pdfplumber, pdftotext, markitdown, mammoth,
             pandoc, lxml), each a named recipe with its version, skipped when not installed
cache      — conversions on disk, keyed by input hash + converter + version
scoring    — gongkai's check of a converted text against the truth: right, unknown, wrong flagged / silent
layouts    — arrangement mutations of a report's tables (labels after values, column-major numbers, …)
"""
