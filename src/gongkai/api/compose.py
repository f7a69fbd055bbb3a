"""JSON API of the composer: a thin adapter over ``gongkai.compose`` (the same functions as the CLI).

``POST /compose`` validates figures (compact form or ``gongkai.report/1``) and returns the composition:
refusal with the rule's findings, or the generated sections, prompts and any disagreement.
``POST /compose/document?format=docx|html|md|pdf`` returns the composed document itself, after reading it
back and comparing its cells (a document that does not read back is an error, not a download).
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Body, HTTPException, Query, Response
from fastapi.responses import JSONResponse

from gongkai.compose.build import Composition, compose, verify_outputs, write_outputs
from gongkai.compose.figures import FiguresError, report_from_compact
from gongkai.model import SCHEMA, Report

router = APIRouter(prefix="/compose", tags=["compose"])

MEDIA = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8", "pdf": "application/pdf"}


def _figures(body: dict[str, Any]) -> Report:
    try:
        if body.get("schema") == SCHEMA:
            return Report.from_dict(body)
        return report_from_compact(body, origin="request body")
    except (FiguresError, ValueError, KeyError, TypeError) as e:
        raise HTTPException(422, detail=str(e)) from e


def _composition(body: dict[str, Any]) -> Composition:
    return compose(_figures(body))


@router.post("")
def compose_figures(body: dict[str, Any] = Body(...)) -> JSONResponse:
    comp = _composition(body)
    d = comp.to_dict()
    return JSONResponse(d, status_code=422 if comp.refused else 200)


@router.post("/document")
def compose_document(body: dict[str, Any] = Body(...),
                     format: str = Query("docx", pattern="^(docx|html|md|pdf)$")) -> Response:
    comp = _composition(body)
    if comp.refused:
        return JSONResponse(comp.to_dict(), status_code=422)
    with tempfile.TemporaryDirectory(prefix="gongkai-compose-") as tmp:
        write_outputs(comp, tmp, (format,))
        if format in comp.output_errors:
            raise HTTPException(503, detail=comp.output_errors[format])
        [rt] = verify_outputs(comp)
        if not rt.ok:
            raise HTTPException(500, detail={"read_back": rt.to_dict()})
        path = Path(comp.outputs[format])
        content = path.read_bytes()
    name = path.name.encode("utf-8")
    from urllib.parse import quote

    return Response(content, media_type=MEDIA[format],
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})
