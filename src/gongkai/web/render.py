"""Templates: Jinja2 with autoescaping always on (document text is data, never markup), and the
small formatting helpers the templates share."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES = Path(__file__).resolve().parent / "templates"

env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True, default_for_string=True))


def fmt(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, Decimal):
        return format(v, "f")
    return str(v)


def pct(v) -> str:
    return "—" if v is None else f"{float(v):.1f}%"


env.globals.update(fmt=fmt, pct=pct)

NAV = (("reports.read", "/", "总览"), ("reports.read", "/search", "搜索"), ("reports.read", "/compare", "比较"),
       ("reports.upload", "/upload", "上传"), ("requests.read", "/desk", "依申请公开"),
       ("workplan.read", "/plans", "工作要点"), ("compose.use", "/compose-report", "编制报告"))


def page(request: Request, template: str, status_code: int = 200, **ctx) -> HTMLResponse:
    user = getattr(request.state, "principal", None)
    nav = [{"href": h, "label": t} for p, h, t in NAV if user is not None and user.has(p)]
    base = {"request": request, "user": user, "nav": nav, "role_zh": user.role.label if user else "",
            "csrf": (user.csrf_token if user else None) or "", "flashes": [],
            "url_for": lambda name, path: f"/static/{path}"}
    base.update(ctx)
    return HTMLResponse(env.get_template(template).render(**base), status_code=status_code)
