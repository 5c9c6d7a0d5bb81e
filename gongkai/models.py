"""The values every stage passes on: spans, sections, cells, tables, facts, findings, meta.

All of them are immutable pydantic models, so a Report can be hashed into caches, compared in
tests and round-tripped through JSON without losing a field.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_serializer, model_validator

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
    """Half-open character range into the decoded original text: ``text[start:end]``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} before start {self.start}")
        return self

    def of(self, text: str) -> str:
        """The surface this span covers in ``text``."""
        return text[self.start : self.end]


class Section(_Value):
    """One section of the report: a standard one (kind in SECTION_KINDS) or a pre-2019 one."""

    kind: str = Field(description="general/proactive/applications/review/problems/other, or legacy.N")
    title: str = Field(description="标题, as printed (without the numbering)")
    number: str = Field(default="", description="the printed numbering, e.g. 一、 or 2、")
    span: Span = Field(description="from the heading to the start of the next section")
    heading: Span | None = Field(default=None, description="the heading line; None when recovered")
    recovered: bool = Field(default=False, description="found from its content, the heading missing")


class Cell(_Value):
    """One table cell. ``value`` is None for blank, '/', '—', '无': the raw surface says which."""

    key: str | None = Field(description="canonical key, e.g. applications.new.total; None if unmapped")
    value: Number | None
    raw: str = Field(description="the cell's text as printed")
    span: Span | None = Field(default=None, description="span of the raw surface; None for an empty cell")
    row: str = Field(default="", description="行标签, as printed")
    column: str = Field(default="", description="列标签, as printed")
    page: int | None = Field(default=None, description="1-based PDF page, where known")


class Table(_Value):
    """A statistical table: a standard one (kind) or one kept as printed (kind 'unmapped')."""

    kind: str = Field(description="proactive (表二), applications (表三), review (表四), legacy, unmapped")
    template: str | None = Field(default=None, description="2021, 2019 or pre2019")
    title: str = ""
    span: Span | None = None
    cells: tuple[Cell, ...] = ()

    def cell(self, key: str) -> Cell | None:
        return next((c for c in self.cells if c.key == key), None)


class Fact(_Value):
    """A count stated in the narrative, e.g. 主动公开政府信息63条."""

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


class Finding(_Value):
    """Something that does not add up, or could not be read. Codes are listed in docs/checks.md."""

    code: str
    severity: Severity
    message: str
    keys: tuple[str, ...] = ()
    spans: tuple[Span, ...] = ()


class Meta(_Value):
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
    """Everything gongkai read from one report. ``text`` is what every span points into."""

    model_config = ConfigDict(frozen=True, extra="forbid", json_schema_extra=_report_schema_extras)

    source: str | None = Field(default=None, description="path or name of the input")
    format: str = Field(default="txt", description="txt, pdf, docx or html")
    text: str
    meta: Meta
    sections: tuple[Section, ...] = ()
    tables: tuple[Table, ...] = ()
    facts: tuple[Fact, ...] = ()
    findings: tuple[Finding, ...] = ()

    def values(self) -> dict[str, Number | None]:
        """Every canonical key the report gives → its number (None where printed blank)."""
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
        A key no rule defines (a typo) raises ``UnknownKeyError``."""
        values = self.values()
        if key not in values:
            from .fields import require_key  # the catalogue loads the rule files: not at import

            require_key(key)
        return values.get(key)

    def section(self, kind: str) -> Section | None:
        return next((s for s in self.sections if s.kind == kind), None)

    def table(self, kind: str) -> Table | None:
        """The table of that kind; None when the report lacks it. An unknown kind raises."""
        found = next((t for t in self.tables if t.kind == kind), None)
        if found is None:
            from .fields import require_table_kind

            require_table_kind(kind)
        return found

    def to_frame(self, shape: Literal["wide", "long"] = "wide") -> Any:
        """This report as a pandas DataFrame of the fixed schema (docs/data.md; the [frame] extra)."""
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
        return [f.code for f in self.findings]
