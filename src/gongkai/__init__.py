"""gongkai — 政府信息公开工作年度报告: read, match, validate, store and compose."""

__version__ = "0.1.0"
