"""`gongkai serve`: the JSON API under uvicorn, on 127.0.0.1 unless told otherwise."""
from __future__ import annotations

from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(host: str = typer.Option("127.0.0.1", "--host", help="监听地址（默认只在本机；对外服务请置于 TLS 反向代理之后）"),
              port: int = typer.Option(8000, "--port", help="端口"),
              db: Optional[str] = typer.Option(None, "--db", help="数据库（默认 GONGKAI_DB 或 sqlite:///gongkai.db）"),
              proxy_headers: bool = typer.Option(False, "--proxy-headers",
                                                 help="信任反向代理的 X-Forwarded-Proto/For（TLS 由代理终结时开启，Cookie 将带 Secure）"),
              forwarded_allow_ips: str = typer.Option("127.0.0.1", "--forwarded-allow-ips",
                                                      help="可信的反向代理地址")) -> None:
        """启动 JSON 接口服务（须登录；账户用 gongkai users 管理）。"""
        import uvicorn

        from gongkai.api import create_app

        uvicorn.run(create_app(db), host=host, port=port, proxy_headers=proxy_headers,
                    forwarded_allow_ips=forwarded_allow_ips, server_header=False)
