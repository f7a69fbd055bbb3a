"""Prose vs tables: the numbers a report's text states, and their check against its tables.

``extract_statements(sections, agency)`` reads the statements (statements.py, numbers.py,
scope.py; vocabulary in vocab.py); ``prose_findings(report)`` compares them (checks.py).
"""
from .checks import COMPARISONS, prose_findings
from .statements import Statement, extract_statements

__all__ = ["COMPARISONS", "Statement", "extract_statements", "prose_findings"]
