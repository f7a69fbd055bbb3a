"""Rules: declared checks that turn a Report into findings. See catalog.yaml for every code."""
from .catalog import CATALOG, RuleInfo, make_finding
from .engine import RULES, run_rules

__all__ = ["CATALOG", "RuleInfo", "make_finding", "RULES", "run_rules"]
