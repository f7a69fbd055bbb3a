"""Read a 工作要点 notice's paragraphs into a `WorkPlan`: heading tree first, then one task per leaf."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .departments import Departments, extract_departments
from .errors import NotAWorkPlanError
from .model import Task, WorkPlan
from .patterns import (
    CLOSING_LINE,
    DOC_NUMBER,
    NON_TASK_HEADINGS,
    OTHER_DOCUMENT_KINDS,
    PLAN_YEAR,
    SENTENCE_END,
    WORKPLAN_TITLE_MARKERS,
)
from .source import heading_match, read_paragraphs

_BOOK_TITLE = re.compile(r"《[^》]*》")
# A closing signature (issuer's name on its own line) is short and carries no punctuation at all.
_SIGNATURE = re.compile(r"^[^，。；：、,.;:！？（）()“”]{1,30}$")


@dataclass
class _Node:
    rank: int
    labels: list[str]
    heading: str
    parent: _Node | None
    paragraphs: list[str] = field(default_factory=list)
    children: int = 0

    @property
    def title(self) -> str:
        return _split_title(extract_departments(self.heading).remaining_text)[0]

    def ancestors(self) -> list[_Node]:
        chain: list[_Node] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]


def import_workplan(path: Path) -> WorkPlan:
    """Read the notice at `path` (text, DOCX or PDF) into a work plan."""
    return parse_paragraphs(read_paragraphs(path), source=path.name)


def parse_paragraphs(paragraphs: list[str], source: str) -> WorkPlan:
    start = next((i for i, p in enumerate(paragraphs) if _is_top_heading(p)), len(paragraphs))
    preamble = paragraphs[:start]
    title = _plan_title(preamble, source, paragraphs)
    leaves = _build_tree(_body(paragraphs[start:]))
    tasks = _tasks(leaves)
    if not tasks:
        raise NotAWorkPlanError(f"“{source}”的标题像工作要点（{title}），但正文中没有找到带编号的任务条目")
    year_match = PLAN_YEAR.search(title)
    doc_number = next((m.group(0) for p in preamble if (m := DOC_NUMBER.search(p))), None)
    return WorkPlan(
        title=title,
        year=int(year_match.group(1)) if year_match else None,
        doc_number=re.sub(r"\s+", "", doc_number) if doc_number else None,
        source=source,
        tasks=tasks,
    )


def _is_top_heading(paragraph: str) -> bool:
    found = heading_match(paragraph)
    return found is not None and found[0] <= 1


def _plan_title(preamble: list[str], source: str, paragraphs: list[str]) -> str:
    candidates = [
        p for p in preamble
        if any(m in _BOOK_TITLE.sub("", p) for m in WORKPLAN_TITLE_MARKERS) and not re.search(r"[。；]", p)
    ]
    if not candidates:
        raise NotAWorkPlanError(_not_a_plan_message(source, paragraphs))
    # The notice's own title ("关于印发…的通知") precedes the plan's; the plan's names it better.
    plain = [c for c in candidates if not c.endswith("通知")]
    return (plain or candidates)[-1]


def _not_a_plan_message(source: str, paragraphs: list[str]) -> str:
    head = [_BOOK_TITLE.sub("", p) for p in paragraphs[:5]]
    kind = next((name for marker, name in OTHER_DOCUMENT_KINDS if any(marker in p for p in head)), None)
    markers = "、".join(WORKPLAN_TITLE_MARKERS)
    if kind is not None:
        return f"“{source}”是一份{kind}，不是工作要点：标题中没有“{markers}”等字样，无法导入任务"
    return f"“{source}”不是工作要点通知：标题中没有“{markers}”等字样，无法导入任务"


def _body(paragraphs: list[str]) -> list[str]:
    for i, paragraph in enumerate(paragraphs):
        if CLOSING_LINE.match(paragraph):
            body = paragraphs[:i]
            # Issuer's name just above the date is a signature, not part of the last task.
            while body and _SIGNATURE.match(body[-1]) and not heading_match(body[-1]):
                body.pop()
            return body
    return paragraphs


def _build_tree(paragraphs: list[str]) -> list[_Node]:
    nodes: list[_Node] = []
    stack: list[_Node] = []
    for paragraph in paragraphs:
        found = heading_match(paragraph)
        if found is None:
            if stack:
                stack[-1].paragraphs.append(paragraph)
            continue
        rank, label, rest = found
        while stack and stack[-1].rank >= rank:
            stack.pop()
        parent = stack[-1] if stack else None
        if parent is not None:
            parent.children += 1
        node = _Node(rank, (parent.labels if parent else []) + [label], rest, parent)
        nodes.append(node)
        stack.append(node)
    return [n for n in nodes if n.children == 0]


def _tasks(leaves: list[_Node]) -> list[Task]:
    tasks: list[Task] = []
    seen: dict[str, int] = {}
    for leaf in leaves:
        departments = Departments()
        parts = [leaf.heading, *leaf.paragraphs]
        texts = []
        for part in parts:
            found = extract_departments(part)
            for name in found.names:
                departments.add(name, name in found.leads)
            texts.append(found.remaining_text)
        ancestors = leaf.ancestors()
        framing = any(_is_framing(n.title) for n in [*ancestors, leaf])
        if framing and not departments.names:
            continue
        title, first_body = _split_title(texts[0])
        body = "\n".join(t for t in [first_body, *texts[1:]] if t)
        path = "".join(leaf.labels)
        seen[path] = seen.get(path, 0) + 1
        if seen[path] > 1:  # numbering restarted (e.g. in an annex): keep tasks distinct
            path = f"{path}#{seen[path]}"
        tasks.append(
            Task(
                path=path,
                labels=list(leaf.labels),
                section_titles=[n.title for n in ancestors],
                title=title,
                body=body,
                departments=departments.names,
                lead_departments=departments.leads,
            )
        )
    return tasks


def _is_framing(title: str) -> bool:
    return any(title.startswith(h) for h in NON_TASK_HEADINGS)


def _split_title(text: str) -> tuple[str, str]:
    """A heading sentence and what follows it: "严格执行审查机制。按照…" → ("严格执行审查机制", "按照…")."""
    m = re.search(f"[{SENTENCE_END}]", text)
    if m is None:
        return text.strip(), ""
    return text[: m.start()].strip(), text[m.end():].strip()
