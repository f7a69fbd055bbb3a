"""The JSON API: ``create_app()`` assembles the routers of each area on one store."""
from __future__ import annotations

from fastapi import FastAPI

from gongkai.store.db import connect


def create_app(url: str | None = None, *, migrate: bool = True) -> FastAPI:
    from .compose import router as compose_router
    from .requests import calendar_router, router as requests_router

    app = FastAPI(title="gongkai", version="0.1.0")
    app.state.engine = connect(url, migrate=migrate)
    app.include_router(requests_router)
    app.include_router(calendar_router)
    app.include_router(compose_router)
    return app
