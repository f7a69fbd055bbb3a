"""`gongkai search`: full-text search over the stored reports (the web app's search box, in a terminal)."""
from __future__ import annotations

from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command("search")
    def search(query: str = typer.Argument(..., help="要找的词，如“行政复议 纠错”（每个词都须出现）"),
               db: Optional[str] = typer.Option(None, "--db", help="数据库（默认 GONGKAI_DB 或 gongkai.db）"),
               limit: int = typer.Option(20, "--limit", help="最多显示几条")) -> None:
        """在已入库报告的正文、表格和问题清单中搜索（首次搜索会为新入库的报告建立索引）。"""
        from rich.console import Console
        from rich.markup import escape

        from gongkai.corpus import search as S
        from gongkai.store.reports import ReportStore

        console = Console()
        with ReportStore(db) as store:
            n = S.ensure_indexed(store.engine, store)
            if n:
                console.print(f"已为 {n} 份新入库的报告建立索引")
            hits, total = S.search(store.engine, query, limit=limit)
            names = {v.version_id: f"{v.agency} {v.year}" for v in store.versions(latest_only=False)}
        where = {"section": "正文", "cell": "表格", "finding": "问题清单"}
        console.print(f"共 {total} 条结果" + (f"，显示前 {len(hits)} 条" if total > len(hits) else ""))
        for h in hits:
            console.print(f"[bold]{escape(names.get(h.version_id, str(h.version_id)))}[/] "
                          f"{where.get(h.kind, h.kind)} {escape(h.ref)}：{escape(h.text[:120])}")
