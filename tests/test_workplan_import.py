"""Importing 工作要点 notices: the real seed notice, own fixtures in other styles, DOCX and PDF sources."""
from __future__ import annotations

from pathlib import Path

import docx
import pypdfium2 as pdfium
import pytest

from conftest import FIXTURES, shared_path
from gongkai.workplan import NotAWorkPlanError, UnsupportedFileError, import_workplan, parse_paragraphs
from gongkai.workplan.departments import extract_departments
from gongkai.workplan.source import join_fragments

SEED_NOTICE = ("seeds", "003_7d0f2a5cbc92dc5a.txt")
WORKPLAN_FIXTURES = FIXTURES / "workplan"

# Read off the notice by hand: heading path, title, departments leading, departments assisting
# (after "；" in the notice's 责任部门 clause).
SEED_TASKS: list[tuple[str, str, list[str], list[str]]] = [
    ("二（一）", "严格执行政府信息公开审查机制", ["办公室"], ["相关处室", "局属单位"]),
    ("二（二）", "着力提升依申请办理质效", ["办公室", "法规处", "市社保中心", "市就促中心", "局宣教中心"], []),
    (
        "二（三）",
        "重点加强门户网站和相关政务新媒体建设",
        [
            "办公室", "信息化处", "市社保中心", "市就促中心", "市人才中心", "局咨询中心", "市干培中心",
            "市职业能力考试院", "局宣教中心", "市仲裁院", "市职鉴中心",
        ],
        [],
    ),
    (
        "三（一）",
        "重点做好就业培训、社会保障以及优化营商环境等方面的信息发布工作",
        [
            "办公室", "法规处", "综计处", "就业处", "职建处", "养保处", "居保处", "福保处", "市社保中心",
            "市就促中心", "市职鉴中心",
        ],
        [],
    ),
    ("三（二）", "深入开展政策解读", ["办公室", "法规处", "局宣教中心"], ["相关处室", "局属单位"]),
    ("三（三）", "进一步扩大政策精准推送覆盖面", ["办公室", "法规处", "局咨询中心"], ["相关处室", "局属单位"]),
    ("四（一）", "持续推进决策公开", ["办公室", "法规处"], ["相关处室", "局属单位"]),
    (
        "四（二）",
        "持续扩大政府开放活动影响力",
        ["办公室", "福保处", "职建处", "市就促中心", "市职鉴中心"],
        ["相关局属单位"],
    ),
    ("四（三）", "持续畅通政民互动渠道", ["局宣教中心", "局咨询中心"], []),
    ("五", "加强政务公开工作保障", ["办公室"], []),
]


@pytest.fixture(scope="module")
def seed_plan():
    return import_workplan(shared_path(*SEED_NOTICE))


def test_seed_notice_yields_exactly_its_ten_tasks(seed_plan):
    assert [t.path for t in seed_plan.tasks] == [path for path, *_ in SEED_TASKS]
    assert [t.title for t in seed_plan.tasks] == [title for _, title, *_ in SEED_TASKS]


@pytest.mark.parametrize("path, title, leads, supporting", SEED_TASKS, ids=[t[0] for t in SEED_TASKS])
def test_seed_task_has_exactly_its_departments(seed_plan, path, title, leads, supporting):
    task = next(t for t in seed_plan.tasks if t.path == path)
    assert task.departments == leads + supporting
    assert task.lead_departments == leads
    assert task.supporting_departments == supporting


def test_seed_plan_title_year_and_document_number(seed_plan):
    assert seed_plan.title == "2023年上海市人力资源和社会保障政务公开工作要点"
    assert seed_plan.year == 2023
    assert seed_plan.doc_number == "沪人社办〔2023〕81号"


def test_seed_framing_section_is_not_a_task(seed_plan):
    assert all(t.group_label != "一" for t in seed_plan.tasks)


def test_seed_page_break_inside_a_word_is_rejoined(seed_plan):
    first = seed_plan.tasks[0]
    assert first.body.endswith("按要求完成公文备案及历史公文公开属性重新认定工作。")
    fourth = seed_plan.tasks[3]
    assert "方面的信息发布工作" in fourth.title
    opening = next(t for t in seed_plan.tasks if t.path == "四（二）")
    assert "“工伤保险集中宣传月”等品牌项目。" in opening.body


def test_seed_bodies_carry_no_department_clause_and_no_closing(seed_plan):
    for task in seed_plan.tasks:
        assert "责任部门" not in task.body
        assert "抄送" not in task.body and "印发" not in task.body
    assert seed_plan.tasks[-1].body.endswith("确保政务公开工作与业务工作同推进、同落实。")


def test_seed_tasks_remember_their_section_titles(seed_plan):
    assert seed_plan.tasks[0].section_titles == ["夯实政务公开工作基础"]
    assert seed_plan.tasks[-1].section_titles == []
    assert [(label, title, len(tasks)) for label, title, tasks in seed_plan.groups()] == [
        ("二", "夯实政务公开工作基础", 3),
        ("三", "加大重点领域信息公开力度", 3),
        ("四", "丰富公众参与形式", 3),
        ("五", "加强政务公开工作保障", 1),
    ]


@pytest.mark.parametrize(
    "name", ["000_6cdf66a710b6816f.txt", "001_054de3fe172792eb.txt", "002_061bfda461fe7231.txt", "004_33e1af150a1899fb.txt"]
)
def test_annual_report_is_refused_as_not_a_work_plan(name):
    with pytest.raises(NotAWorkPlanError) as caught:
        import_workplan(shared_path("seeds", name))
    message = str(caught.value)
    assert "政府信息公开工作年度报告" in message and "不是工作要点" in message


def test_district_notice_with_arabic_task_numbers():
    plan = import_workplan(WORKPLAN_FIXTURES / "district_notice.txt")
    assert plan.title == "东湖区2024年政务公开工作要点"
    assert plan.doc_number == "东府办发〔2024〕12号"
    summary = [(t.path, t.title, t.departments, t.lead_departments) for t in plan.tasks]
    assert summary == [
        ("二1.", "推进涉企政策集中公开", ["区发展改革委", "区市场监管局", "区财政局"], ["区发展改革委"]),
        ("二2.", "做好政策解读", ["区政府办公室", "各街道", "区政府各部门"], ["区政府办公室"]),
        ("三1.", "规范依申请公开办理", ["区司法局（区政务公开办）"], ["区司法局（区政务公开办）"]),
        ("三2.", "加强政府网站管理", [], []),
        ("四", "强化组织保障", [], []),
    ]
    # A dated remark in brackets is part of the task, not a department.
    assert plan.tasks[2].body.endswith("统一答复文书格式（2024年6月底前完成）。")
    assert plan.tasks[0].body == "在区政府门户网站设置惠企政策专栏，集中发布涉企政策及申报指南。"


def test_document_of_another_kind_gets_a_plain_refusal():
    with pytest.raises(NotAWorkPlanError, match="不是工作要点通知"):
        import_workplan(WORKPLAN_FIXTURES / "meeting_minutes.txt")


def test_work_plan_title_without_numbered_tasks_is_refused():
    with pytest.raises(NotAWorkPlanError, match="没有找到带编号的任务条目"):
        import_workplan(WORKPLAN_FIXTURES / "plan_without_tasks.txt")


def test_docx_work_plan_built_with_python_docx(tmp_path: Path):
    document = docx.Document()
    document.add_heading("北江市2025年政务公开工作要点", level=1)
    for text in [
        "一、总体要求",
        "坚持以公开为常态、不公开为例外。",
        "二、深化重点领域公开",
        "（一）公开财政预决算信息。按规定时限公开部门预决算。（牵头部门：市财政局；配合部门：市审计局）",
        "（二）做好招投标信息公开",
        "依法公开招标公告和中标结果。",
        "责任单位：市发展改革委、市公共资源交易中心",
        "三、加强队伍建设",
        "（一）开展业务培训。每半年组织一次全市政务公开培训。（市政务公开办负责）",
        "北江市政务公开办公室",
        "2025年1月20日",
    ]:
        document.add_paragraph(text)
    path = tmp_path / "北江市工作要点.docx"
    document.save(str(path))

    plan = import_workplan(path)
    assert plan.title == "北江市2025年政务公开工作要点"
    assert [(t.path, t.title, t.departments, t.lead_departments) for t in plan.tasks] == [
        ("二（一）", "公开财政预决算信息", ["市财政局", "市审计局"], ["市财政局"]),
        ("二（二）", "做好招投标信息公开", ["市发展改革委", "市公共资源交易中心"], ["市发展改革委", "市公共资源交易中心"]),
        ("三（一）", "开展业务培训", ["市政务公开办"], ["市政务公开办"]),
    ]
    assert plan.tasks[1].body == "依法公开招标公告和中标结果。"
    # The issuer's signature above the closing date does not belong to the last task.
    assert plan.tasks[2].body == "每半年组织一次全市政务公开培训。"


def _cjk_pdf(pages: list[list[str]]) -> bytes:
    """A minimal PDF whose text layer is the given lines (one Type0 font with a ToUnicode map).

    No CJK font is installed here, so the font is not embedded: the page would not render, but its text
    layer is exactly what a PDF exported from an office suite gives a text extractor."""
    chars = sorted({c for page in pages for line in page for c in line})
    entries = "".join(
        f"{len(chars[i:i + 100])} beginbfchar\n"
        + "".join(f"<{ord(c):04X}> <{ord(c):04X}>\n" for c in chars[i:i + 100])
        + "endbfchar\n"
        for i in range(0, len(chars), 100)
    )
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{entries}endcmap CMapName currentdict /CMap defineresource pop end end\n"
    ).encode("ascii")
    objects: list[bytes] = []

    def add(body: str | bytes) -> int:
        objects.append(body.encode("ascii") if isinstance(body, str) else body)
        return len(objects)

    def stream(data: bytes) -> bytes:
        return f"<< /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"

    descriptor = add(
        "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 4 /FontBBox [0 -200 1000 900] "
        "/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"
    )
    cid_font = add(
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        f"/FontDescriptor {descriptor} 0 R /DW 1000 >>"
    )
    to_unicode = add(stream(cmap))
    font = add(
        "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
        f"/DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R >>"
    )
    pages_id = len(objects) + 2 * len(pages) + 1
    page_ids = []
    for lines in pages:
        ops = ["BT", "/F1 12 Tf", "16 TL", "50 800 Td"]
        ops += ["<" + "".join(f"{ord(c):04X}" for c in line) + "> Tj T*" for line in lines]
        content = add(stream("\n".join([*ops, "ET"]).encode("ascii")))
        page_ids.append(
            add(
                f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 595 842] "
                f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>"
            )
        )
    kids = " ".join(f"{p} 0 R" for p in page_ids)
    assert add(f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>") == pages_id
    catalog = add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>")
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_pdf_work_plan_with_wrapped_lines_and_page_numbers(tmp_path: Path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(
        _cjk_pdf(
            [
                [
                    "西川县2024年政务公开工作要点",
                    "一、加强政策公开",
                    "（一）规范政策文件发布。新出台的规范性文件",
                    "在印发后20个工作日内公开。（责任单位：县司法",
                    "局、县政府办公室）",
                    "— 1 —",
                ],
                [
                    "（二）做好政策解读。坚持解读与文件同步起草、",
                    "同步发布。（县政府办公室牵头，各乡镇配合）",
                    "二、组织保障",
                    "县政务公开领导小组每年至少召开一次会议。",
                    "— 2 —",
                ],
            ]
        )
    )
    plan = import_workplan(path)
    assert plan.title == "西川县2024年政务公开工作要点"
    assert [(t.path, t.title, t.departments) for t in plan.tasks] == [
        ("一（一）", "规范政策文件发布", ["县司法局", "县政府办公室"]),
        ("一（二）", "做好政策解读", ["县政府办公室", "各乡镇"]),
        ("二", "组织保障", []),
    ]
    assert plan.tasks[0].body == "新出台的规范性文件在印发后20个工作日内公开。"
    assert plan.tasks[1].supporting_departments == ["各乡镇"]


def test_pdf_without_text_layer_is_refused(tmp_path: Path):
    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    path = tmp_path / "scan.pdf"
    pdf.save(str(path))
    pdf.close()
    with pytest.raises(UnsupportedFileError, match="没有文字层"):
        import_workplan(path)


def test_unsupported_file_type_is_refused(tmp_path: Path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"not really a workbook")
    with pytest.raises(UnsupportedFileError, match="不支持的文件类型"):
        import_workplan(path)


def test_gb18030_text_is_read(tmp_path: Path):
    path = tmp_path / "plan.txt"
    path.write_bytes("某局2024年工作要点\n一、做好公开\n（一）更新目录。（责任部门：办公室）\n".encode("gb18030"))
    plan = import_workplan(path)
    assert [(t.path, t.departments) for t in plan.tasks] == [("一（一）", ["办公室"])]


def test_bare_heading_is_not_joined_with_its_body():
    paragraphs = join_fragments(["二、深化公开", "坚持以公开为常态。", "（一）完善目录", "动态更新目录。"])
    assert paragraphs == ["二、深化公开", "坚持以公开为常态。", "（一）完善目录", "动态更新目录。"]


def test_heading_cut_by_a_page_break_is_rejoined():
    paragraphs = join_fragments(["一、总体要求", "（一）重点做好就业培训、社会保障以及优化营商环境等方", "面的信息发布工作。针对重点群体。"])
    assert paragraphs[1] == "（一）重点做好就业培训、社会保障以及优化营商环境等方面的信息发布工作。针对重点群体。"


def test_role_clause_and_nested_brackets():
    found = extract_departments("做好工作。（国务院办公厅牵头，各地区、各部门按职责分工负责）")
    assert found.names == ["国务院办公厅", "各地区", "各部门"]
    assert found.leads == ["国务院办公厅"]
    assert found.remaining_text == "做好工作。"


def test_bracketed_remark_is_not_a_department_clause():
    found = extract_departments("完成目录编制（2024年底前）。")
    assert found.names == []
    assert found.remaining_text == "完成目录编制（2024年底前）。"


def test_paths_are_unique_when_numbering_restarts():
    plan = parse_paragraphs(
        ["某局2024年工作要点", "一、公开", "（一）甲任务。（责任部门：办公室）", "一、公开", "（一）乙任务。（责任部门：法规处）"],
        source="restart.txt",
    )
    assert [t.path for t in plan.tasks] == ["一（一）", "一（一）#2"]


def test_annual_report_pdf_is_refused_as_not_a_work_plan():
    with pytest.raises(NotAWorkPlanError, match="政府信息公开工作年度报告，不是工作要点"):
        import_workplan(shared_path("corpus", "raw", "002.pdf"))
