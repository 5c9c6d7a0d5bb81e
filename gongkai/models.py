"""The values every stage passes on: spans, sections, cells, tables, facts, findings, meta.

All of them are immutable pydantic models, so a Report can be hashed into caches, compared in
tests and round-tripped through JSON without losing a field.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_serializer, model_validator

if TYPE_CHECKING:  # display-only types; their libraries load when a picture is asked for
    from PIL.Image import Image
    from spacy.language import Language
    from spacy.tokens import Doc

Number = int | float
Severity = Literal["error", "warning", "info"]

SECTION_KINDS = (
    "general",  # 一、总体情况
    "proactive",  # 二、主动公开政府信息情况
    "applications",  # 三、收到和处理政府信息公开申请情况
    "review",  # 四、政府信息公开行政复议、行政诉讼情况
    "problems",  # 五、存在的主要问题及改进情况
    "other",  # 六、其他需要报告的事项
)


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(_Value):
    """Half-open character range into the decoded original text: ``text[start:end]``.

    >>> r = gongkai.parse("corpus/000_fe1734465fe07058.txt")
    >>> fact = r.facts[0]
    >>> fact.span.of(r.text) == fact.surface
    True
    """

    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} before start {self.start}")
        return self

    def of(self, text: str) -> str:
        """The surface this span covers in ``text``.

        >>> Span(start=2, end=4).of("2023年度")
        '23'
        """
        return text[self.start : self.end]


class Box(_Value):
    """A rectangle on a PDF page, in points from the page's top-left corner (pdfplumber's frame).

    >>> Box(page=4, x0=72.0, top=300.5, x1=96.0, bottom=318.0).page
    4
    """

    page: int = Field(ge=1, description="1-based PDF page")
    x0: float
    top: float
    x1: float
    bottom: float


class _Link:
    """A table's, fact's or finding's link to its Report, for display (see ``Report._bind``).
    Any two links are equal, so comparing two parts never walks into their reports."""

    __slots__ = ("report",)

    def __init__(self, report: Report):
        self.report = report

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Link)

    def __hash__(self) -> int:
        return 0


_OWNER = "_gongkai_report"


def _owner(value: BaseModel) -> Report | None:
    """The Report a fact, finding or table belongs to, or None for one made on its own."""
    link = vars(value).get(_OWNER)
    return link.report if link is not None else None


class Section(_Value):
    """One section of the report: a standard one (kind in SECTION_KINDS) or a pre-2019 one.

    >>> s = gongkai.parse("corpus/000_fe1734465fe07058.txt").sections[0]
    >>> s.kind, s.number, s.title, s.recovered
    ('general', '一、', '总体情况', False)
    """

    kind: str = Field(description="general/proactive/applications/review/problems/other, or legacy.N")
    title: str = Field(description="标题, as printed (without the numbering)")
    number: str = Field(default="", description="the printed numbering, e.g. 一、 or 2、")
    span: Span = Field(description="from the heading to the start of the next section")
    heading: Span | None = Field(default=None, description="the heading line; None when recovered")
    recovered: bool = Field(default=False, description="found from its content, the heading missing")


class Cell(_Value):
    """One table cell. ``value`` is None for blank, '/', '—', '无': the raw surface says which.

    From a PDF a cell also has its page and its box on the page.

    >>> r = gongkai.parse("../shared/corpus/pdf/huaian-hongze-2023.pdf")
    >>> c = r.table("applications").cell("applications.new.total")
    >>> c.value, c.row, c.column, c.page, c.box.page
    (21, '一、本年新收政府信息公开申请数量', '总计', 3, 3)
    """

    key: str | None = Field(description="canonical key, e.g. applications.new.total; None if unmapped")
    value: Number | None
    raw: str = Field(description="the cell's text as printed")
    span: Span | None = Field(default=None, description="span of the raw surface; None for an empty cell")
    row: str = Field(default="", description="行标签, as printed")
    column: str = Field(default="", description="列标签, as printed")
    page: int | None = Field(default=None, description="1-based PDF page, where known")
    box: Box | None = Field(default=None, description="the cell on its PDF page (the ruled cell, else the glyphs)")


class Table(_Value):
    """A statistical table: a standard one (kind) or one kept as printed (kind 'unmapped').

    In a notebook a table shows as a grid with its printed row and column labels.

    >>> r = gongkai.parse("corpus/000_fe1734465fe07058.txt")
    >>> r.table("applications")
    Table(kind='applications', template='2021', cells=...)
    """

    kind: str = Field(description="proactive (表二), applications (表三), review (表四), legacy, unmapped")
    template: str | None = Field(default=None, description="2021, 2019 or pre2019")
    title: str = ""
    span: Span | None = None
    cells: tuple[Cell, ...] = ()

    def cell(self, key: str) -> Cell | None:
        """The cell of a canonical key, or None when the table does not print it.

        >>> r = gongkai.parse("corpus/000_fe1734465fe07058.txt")
        >>> r.table("applications").cell("applications.new.total").row
        '一、本年新收政府信息公开申请数量'
        """
        return next((c for c in self.cells if c.key == key), None)

    def __repr__(self) -> str:
        return f"Table(kind={self.kind!r}, template={self.template!r}, cells={len(self.cells)})"

    __str__ = __repr__

    def _repr_html_(self) -> str:
        from .display import table_html

        return table_html(self, _owner(self))


class Fact(_Value):
    """A count stated in the narrative, e.g. 主动公开政府信息63条. In a notebook it shows with the
    sentence it was read from, the match marked.

    >>> f = gongkai.parse("corpus/000_fe1734465fe07058.txt").facts[0]
    >>> f.key, f.value, f.unit, f.surface
    ('narrative.proactive.total', 206, '条', '主动公开政府信息数206条')
    """

    key: str = Field(description="narrative.* key")
    value: Number
    unit: str = Field(default="", description="条/件/次/篇/个/场/期/人/元/万元/%")
    approximate: bool = Field(default=False, description="余/多/约/近/超过")
    span: Span
    surface: str
    rule_id: str
    section: str | None = Field(default=None, description="kind of the section it was found in")
    subject: str = Field(default="", description="what is counted, for narrative.other facts")
    parent: int | None = Field(default=None, description="index in Report.facts of the 其中 parent")
    percent: float | None = Field(default=None, description="占比: the share printed beside a category count")
    page: int | None = Field(default=None, description="1-based PDF page of its first character, where known")

    def _repr_html_(self) -> str:
        from .display import fact_html

        return fact_html(self, _owner(self))


class Finding(_Value):
    """Something that does not add up, or could not be read. Codes are listed in docs/checks.md.
    In a notebook it shows with the cells (by their printed labels) or sentences it points at.

    >>> f = gongkai.parse("../shared/corpus/pdf/huaian-hongze-2023.pdf").findings[0]
    >>> f.code, f.severity, f.page
    ('table4_review_total', 'error', 4)
    >>> f.message
    '行政复议：维持10+纠正1+其他0+尚未审结0=11 ≠ 总计0'
    """

    code: str
    severity: Severity
    message: str
    keys: tuple[str, ...] = ()
    spans: tuple[Span, ...] = ()
    page: int | None = Field(default=None, description="1-based PDF page of its first span, where known")

    def _repr_html_(self) -> str:
        from .display import finding_html

        return finding_html(self, _owner(self))


class Meta(_Value):
    """Who wrote the report, for which year, in which template generation, and how to reach them.

    >>> m = gongkai.parse("corpus/000_fe1734465fe07058.txt").meta
    >>> m.agency, m.year, m.template, str(m.period_start)
    ('济宁市投资促进局', 2023, '2021', '2023-01-01')
    """

    agency: str | None = Field(default=None, description="机关名称, as written in the title")
    year: int | None = Field(default=None, description="报告年度")
    template: str | None = Field(default=None, description="年报格式: a generation of rules/table_*.toml (2021 / 2019 / pre2019)")
    period_start: date | None = Field(default=None, description="统计期限 起")
    period_end: date | None = Field(default=None, description="统计期限 止")
    published: date | None = Field(default=None, description="发布日期: a web page's 发布时间, else the date the report is signed with")
    title: str | None = Field(default=None, description="标题, lines joined")
    phone: str | None = Field(default=None, description="联系电话")
    address: str | None = Field(default=None, description="地址")
    website: str | None = Field(default=None, description="网址")


SCHEMA_VERSION = 1  # of a Report's JSON (parse/check --json, corpus --jsonl); docs/data.md


def _report_schema_extras(schema: dict[str, Any]) -> None:
    """The two members the JSON adds to the fields: its version and the derived values."""
    number = {"anyOf": [{"type": "integer"}, {"type": "number"}, {"type": "null"}]}
    schema["properties"] = {
        "schema_version": {"const": SCHEMA_VERSION, "description": "version of this JSON shape"},
        **schema["properties"],
        "values": {"type": "object", "additionalProperties": number,
                   "description": "Report.values(): every canonical key → its number, null where printed blank"},
    }


class Report(_Value):
    """Everything gongkai read from one report. ``text`` is what every span points into.

    Its repr is one line; in a notebook it shows who, which year, the sections, the key measures
    and the findings.

    >>> gongkai.parse("corpus/001_c4fa03421b1ee046.txt")
    Report(agency='周村区投资促进中心', year=2023, template='2019', source='corpus/001_c4fa03421b1ee046.txt', sections=6, ...)
    """

    model_config = ConfigDict(frozen=True, extra="forbid", json_schema_extra=_report_schema_extras)

    source: str | None = Field(default=None, description="path or name of the input")
    format: str = Field(default="txt", description="txt, pdf, docx or html")
    text: str
    meta: Meta
    sections: tuple[Section, ...] = ()
    tables: tuple[Table, ...] = ()
    facts: tuple[Fact, ...] = ()
    findings: tuple[Finding, ...] = ()
    page_starts: tuple[int, ...] = Field(default=(), description="offset in text where each PDF page begins")

    @model_validator(mode="after")
    def _bind(self) -> Report:
        """Let each table, fact and finding find this report when it is displayed on its own
        (a notebook cell showing ``r.findings[0]`` quotes the source line). The link lives in the
        instance ``__dict__`` beside the fields, as a cached_property would: equality, hashing
        and JSON see only the fields."""
        for item in (*self.tables, *self.facts, *self.findings):
            object.__setattr__(item, _OWNER, _Link(self))
        return self

    def values(self) -> dict[str, Number | None]:
        """Every canonical key the report gives → its number (None where printed blank).

        >>> values = gongkai.parse("corpus/000_fe1734465fe07058.txt").values()
        >>> values["narrative.proactive.total"], values["applications.new.total"]
        (206, 0)
        """
        out: dict[str, Number | None] = {}
        for table in self.tables:
            for cell in table.cells:
                if cell.key is not None and cell.key not in out:
                    out[cell.key] = cell.value
        for fact in self.facts:
            if fact.key not in out and fact.key != "narrative.other":
                out[fact.key] = fact.value
        return out

    def value(self, key: str) -> Number | None:
        """One canonical key's number; None when the report does not give it (or prints it blank).
        A key no rule defines (a typo) raises ``UnknownKeyError``.

        >>> gongkai.parse("corpus/000_fe1734465fe07058.txt").value("narrative.cppcc_proposals")
        11
        """
        values = self.values()
        if key not in values:
            from .fields import require_key  # the catalogue loads the rule files: not at import

            require_key(key)
        return values.get(key)

    def section(self, kind: str) -> Section | None:
        """The section of a kind (general, proactive, applications, review, problems, other).

        >>> r = gongkai.parse("corpus/000_fe1734465fe07058.txt")
        >>> r.section("review").title
        '政府信息公开行政复议、行政诉讼情况'
        """
        return next((s for s in self.sections if s.kind == kind), None)

    def table(self, kind: str) -> Table | None:
        """The table of that kind; None when the report lacks it. An unknown kind raises.

        >>> r = gongkai.parse("corpus/000_fe1734465fe07058.txt")
        >>> r.table("review").cell("review.total").value
        0
        """
        found = next((t for t in self.tables if t.kind == kind), None)
        if found is None:
            from .fields import require_table_kind

            require_table_kind(kind)
        return found

    def to_frame(self, shape: Literal["wide", "long"] = "wide") -> Any:
        """This report as a pandas DataFrame of the fixed schema (docs/data.md; the [frame] extra).

        >>> gongkai.parse("corpus/000_fe1734465fe07058.txt").to_frame()["year"].tolist()
        [2023]
        """
        from .frames import frame

        return frame([self], shape=shape)

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """One schema both ways: the JSON a Report writes is the JSON it reads back."""
        return super().model_json_schema(*args, **{**kwargs, "mode": "validation"})

    @model_serializer(mode="wrap")
    def _with_version_and_values(self, handler: Any) -> Any:
        return {"schema_version": SCHEMA_VERSION, **handler(self), "values": self.values()}

    @model_validator(mode="before")
    @classmethod
    def _from_json(cls, data: Any) -> Any:
        """Load the JSON back: the version must be this one; ``values`` is derived, so dropped."""
        if isinstance(data, dict) and ("schema_version" in data or "values" in data):
            if data.get("schema_version", SCHEMA_VERSION) != SCHEMA_VERSION:
                raise ValueError(f"schema_version {data['schema_version']} is not {SCHEMA_VERSION}: "
                                 "read it with the gongkai version that wrote it")
            data = {k: v for k, v in data.items() if k not in ("schema_version", "values")}
        return data

    def codes(self) -> list[str]:
        """The finding codes, in the order found.

        >>> gongkai.parse("corpus/001_c4fa03421b1ee046.txt").codes()
        ['template_outdated']
        """
        return [f.code for f in self.findings]

    def cell_at(self, span: Span) -> Cell | None:
        """The table cell printed at ``span`` (a finding's span, say), or None for narrative text.

        >>> r = gongkai.parse("../shared/corpus/pdf/huaian-hongze-2023.pdf")
        >>> cell = r.cell_at(r.findings[0].spans[-1])
        >>> cell.key, cell.column, cell.raw, cell.page
        ('review.total', '行政复议·总计', '0', 4)
        """
        return next((c for t in self.tables for c in t.cells if c.span == span), None)

    def page_of(self, offset: int) -> int | None:
        """The 1-based PDF page an offset of ``text`` lies on; None for other formats.

        >>> r = gongkai.parse("../shared/corpus/pdf/huaian-hongze-2023.pdf")
        >>> r.page_of(r.findings[0].spans[0].start)
        4
        """
        if not self.page_starts:
            return None
        return bisect_right(self.page_starts, offset)

    def to_html(self) -> str:
        """One self-contained HTML page to check the report by eye: the findings, each linked
        to its place; the tables as grids, the cells of a failed identity marked with the
        arithmetic; the text with every fact highlighted and labelled. No script, no network.

        >>> page = gongkai.parse("corpus/003_2e38a9d647a6e6ff.txt").to_html()
        >>> page.startswith("<!DOCTYPE html>"), "<script" in page
        (True, False)
        """
        from .display import report_page

        return report_page(self)

    def page_image(self, page: int, scale: float = 2.0) -> Image:
        """PDF page ``page`` (1-based) as a PIL image, with every table cell, every fact and the
        cells a finding names outlined (blue, green, red) — for looking at what was read where.
        Needs the ``[pdf]`` extra and the PDF at ``source``.

        >>> r = gongkai.parse("../shared/corpus/pdf/huaian-hongze-2023.pdf")
        >>> r.page_image(4).size
        (1190, 1684)
        """
        from .pages import render

        return render(self, page, scale)

    def to_spacy(self, nlp: Language | None = None) -> Doc:
        """The report as a spaCy Doc (the ``[spacy]`` extra): ``doc._.gongkai`` is this report and
        ``doc.spans["gongkai"]`` its facts and table cells, labelled by key. ``nlp`` defaults to
        ``spacy.blank("zh")``, which tokenizes by character and so never cuts a span.

        >>> doc = gongkai.parse("corpus/000_fe1734465fe07058.txt").to_spacy()
        >>> sorted({s.label_ for s in doc.spans["gongkai"]})[:2]
        ['applications.carried_forward.commercial', 'applications.carried_forward.legal']
        """
        from .spacy import to_doc

        return to_doc(self, nlp)

    def __repr__(self) -> str:
        m = self.meta
        errors = sum(f.severity == "error" for f in self.findings)
        return (f"Report(agency={m.agency!r}, year={m.year}, template={m.template!r}, source={self.source!r}, "
                f"sections={len(self.sections)}, tables={len(self.tables)}, facts={len(self.facts)}, "
                f"findings={len(self.findings)}, errors={errors})")

    __str__ = __repr__

    def _repr_html_(self) -> str:
        from .display import report_html

        return report_html(self)
