"""JSON API of the composer: a thin adapter over ``gongkai.compose`` (the same functions as the CLI).

``POST /compose`` validates figures (compact form or ``gongkai.report/1``) and returns the composition:
refusal with the rule's findings, or the generated sections, prompts and any disagreement.
``POST /compose/document?format=docx|html|md|pdf`` returns the composed document itself, after reading it
back and comparing its cells (a document that does not read back is an error, not a download).

No name from the request becomes a path: the document is written under a fresh temporary directory with a fixed
name (``report.<suffix>``), read into memory and the directory removed; the agency's name only appears in the
download's suggested file name, made safe. Errors name no server file.
"""
from __future__ import annotations

import logging
import tempfile
from typing import Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Response
from fastapi.responses import JSONResponse

from gongkai.auth import Principal, require
from gongkai.compose.build import Composition, compose, default_stem, verify_outputs, write_outputs
from gongkai.compose.figures import FiguresError, report_from_compact
from gongkai.model import SCHEMA, Report

from .errors import attachment

router = APIRouter(prefix="/compose", tags=["compose"])
log = logging.getLogger("gongkai.api")

MEDIA = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8", "pdf": "application/pdf"}
COMPOSE = require("compose.use")
STEM = "report"   # the only file name the server ever writes


def _figures(body: dict[str, Any]) -> Report:
    try:
        if body.get("schema") == SCHEMA:
            return Report.from_dict(body)
        return report_from_compact(body, origin="request body")
    except (FiguresError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise HTTPException(422, detail=str(e)) from e


def _composition(body: dict[str, Any]) -> Composition:
    return compose(_figures(body))


@router.post("")
def compose_figures(body: dict[str, Any] = Body(...), _: Principal = Depends(COMPOSE)) -> JSONResponse:
    comp = _composition(body)
    d = comp.to_dict()
    return JSONResponse(d, status_code=422 if comp.refused else 200)


def _read_back_problem(comp: Composition, fmt: str) -> dict[str, Any] | None:
    [rt] = verify_outputs(comp)
    if rt.ok:
        return None
    d = rt.to_dict()
    d.pop("path", None)                       # the temporary file: no server path leaves the server
    return d


@router.post("/document")
def compose_document(body: dict[str, Any] = Body(...),
                     format: str = Query("docx", pattern="^(docx|html|md|pdf)$"),
                     _: Principal = Depends(COMPOSE)) -> Response:
    comp = _composition(body)
    if comp.refused:
        return JSONResponse(comp.to_dict(), status_code=422)
    with tempfile.TemporaryDirectory(prefix="gongkai-compose-") as tmp:
        write_outputs(comp, tmp, (format,), stem=STEM)
        if format in comp.output_errors:
            log.error("compose/document: %s could not be written: %s", format, comp.output_errors[format])
            raise HTTPException(503, detail=f"无法生成 {format} 文件（服务器转换失败），请改用其他格式或联系管理员")
        problem = _read_back_problem(comp, format)
        if problem is not None:
            raise HTTPException(500, detail={"message": "生成的文件读回后与数据不一致", "read_back": problem})
        content = comp.outputs[format].read_bytes()
    suffix = {"docx": ".docx", "html": ".html", "md": ".md", "pdf": ".pdf"}[format]
    return Response(content, media_type=MEDIA[format],
                    headers={"Content-Disposition": attachment(default_stem(comp.report) + suffix,
                                                               f"report{suffix}")})
