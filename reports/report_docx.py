"""The handling report as a .docx the office edits before the meeting (python-docx): the
same ``ReportDocument`` the page renders, on A4 with the margins and fonts of an official
document (GB/T 9704: 仿宋 for the text, 黑体 for the headings)."""

import io

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .report_document import ReportDocument

TEXT_FONT = ("FangSong", "仿宋")
HEADING_FONT = ("SimHei", "黑体")
TITLE_FONT = ("SimSun", "宋体")
TEXT_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
TABLE_SIZE = Pt(12)


def _font(target, fonts: tuple[str, str], size=None, bold=None) -> None:
    """Set a style's or a run's Latin and East Asian fonts (Word picks the East Asian one
    for Chinese characters only from ``w:eastAsia``)."""
    latin, east_asian = fonts
    target.font.name = latin
    if size is not None:
        target.font.size = size
    if bold is not None:
        target.font.bold = bold
    target.font.color.rgb = RGBColor(0, 0, 0)
    fonts_element = target.element.get_or_add_rPr().get_or_add_rFonts()
    fonts_element.set(qn("w:eastAsia"), east_asian)
    # A theme font (the headings' default) would win over the named ones.
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts_element.attrib.pop(qn(theme), None)


def _setup(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _font(document.styles["Normal"], TEXT_FONT, TEXT_SIZE)
    for name in ("Heading 1", "Heading 2"):
        _font(document.styles[name], HEADING_FONT, TEXT_SIZE, bold=False)


def _centred(document, text: str, fonts, size, bold=False):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run(text), fonts, size, bold)
    return paragraph


def render_docx(report: ReportDocument) -> bytes:
    """The report's .docx file."""
    document = docx.Document()
    _setup(document)
    document.core_properties.title = report.title
    _centred(document, report.title, TITLE_FONT, TITLE_SIZE, bold=True)
    _centred(document, report.committee, TEXT_FONT, TEXT_SIZE)
    for section in report.sections:
        document.add_heading(section.heading, level=1)
        for paragraph in section.paragraphs:
            p = document.add_paragraph(paragraph.text)
            p.paragraph_format.first_line_indent = TEXT_SIZE * (3 if paragraph.item else 2)
    signature = document.add_paragraph(f"{report.committee}\n{report.dateline}")
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph(report.note)
    document.add_page_break()
    table = report.appendix
    document.add_heading(table.caption, level=2)
    if table.rows:
        grid = document.add_table(rows=1, cols=len(table.header))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
            _font(cell.paragraphs[0].add_run(text), HEADING_FONT, TABLE_SIZE)
        for row in table.rows:
            cells = grid.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                _font(cell.paragraphs[0].add_run(text), TEXT_FONT, TABLE_SIZE)
    else:
        document.add_paragraph(table.empty)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
