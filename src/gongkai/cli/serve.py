"""`gongkai serve`: the web app and the JSON API under uvicorn, on 127.0.0.1 unless told otherwise."""
from __future__ import annotations

from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(host: str = typer.Option("127.0.0.1", "--host", help="监听地址（默认只在本机；对外服务请置于 TLS 反向代理之后）"),
              port: int = typer.Option(8000, "--port", help="端口"),
              db: Optional[str] = typer.Option(None, "--db", help="数据库（默认 GONGKAI_DB 或 sqlite:///gongkai.db）"),
              demo: bool = typer.Option(False, "--demo", help="演示：在临时数据库中载入示例报告，为每个角色建一个账户并打印口令"),
              proxy_headers: bool = typer.Option(False, "--proxy-headers",
                                                 help="信任反向代理的 X-Forwarded-Proto/For（TLS 由代理终结时开启，Cookie 将带 Secure）"),
              forwarded_allow_ips: str = typer.Option("127.0.0.1", "--forwarded-allow-ips",
                                                      help="可信的反向代理地址")) -> None:
        """启动网页和 JSON 接口服务（须登录；账户用 gongkai users 管理）。"""
        import tempfile

        import uvicorn
        from rich.console import Console
        from rich.markup import escape

        from gongkai.web import create_web_app

        console = Console()
        if demo and db is None:
            db = f"sqlite:///{tempfile.mkdtemp(prefix='gongkai-demo-')}/demo.db"
        web = create_web_app(db)
        if demo:
            from gongkai.web.demo import prepare

            accounts = prepare(web.state.store)
            console.print(f"演示数据库：{escape(str(db))}")
            console.print("演示账户（口令每次启动重新生成）：")
            for a in accounts:
                console.print(f"  {a.username:<11} {escape(a.password)}  {a.role}（{escape(a.agency)}）")
        console.print(f"打开 http://{host}:{port}/ 登录")
        uvicorn.run(web, host=host, port=port, proxy_headers=proxy_headers, forwarded_allow_ips=forwarded_allow_ips,
                    server_header=False)
