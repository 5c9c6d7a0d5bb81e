"""read_html: a government web page → Document (the ``[html]`` extra: selectolax).

Charset: a BOM, else the ``<meta charset>`` / ``<meta http-equiv="Content-Type">`` declaration
(GB2312 and GBK read as their superset GB18030), else strict UTF-8 then GB18030. A declaration
that the bytes contradict is ignored: mislabelled pages are common.

Content: scripts, styles, forms and the page's navigation (``nav``/``header``/``footer``/
``aside`` and elements whose class or id names a menu, breadcrumb, header, footer …) are
dropped; the article is the element holding the most paragraph text directly, so the site's
link lists and side columns fall away. Tables become grids with rowspan/colspan resolved
(``html_tables`` is the reusable grid builder); ``&nbsp;``-only cells are blank.
"""

from __future__ import annotations

import codecs
from datetime import date
from typing import Any

import regex

from .errors import CorruptFileError, EncodingError, MissingExtraError
from .read import Document, cell_text, compose, decode

MAX_SPAN = 500  # a rowspan/colspan past this is a typo or an attack, not a report table

_META_CHARSET = regex.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]{2,40})""", regex.I)
_GB = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"}
# Python codecs that are no web page's charset and can decode bytes into lone surrogates or fail.
_NOT_PAGE_CHARSETS = {"utf-7", "unicode-escape", "raw-unicode-escape", "punycode", "idna", "undefined"}

_DROP = frozenset(
    "script style noscript template iframe object embed svg canvas nav header footer aside form "
    "select button input textarea head title link meta".split()
)
_BLOCK = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd section article blockquote pre center address "
    "caption tr main figure figcaption hr".split()
)
# class/id words of site chrome, not of the article.
_NAV = regex.compile(
    r"(?:^|[\s_\-])(?:nav|navbar|menu|breadcrumbs?|crumbs?|header|footer|foot|sidebar|side|share|"
    r"qrcode|toolbar|topbar|banner|skip|location|position|pager|pagination|search|login|"
    r"friendlinks?|links?|copyright)(?:$|[\s_\-\d])",
    regex.I,
)
_WHITESPACE = regex.compile(r"[ \t\r\n\f]+")


def read(data: bytes, source: str) -> Document:
    """Decode a page and keep its article: paragraphs one per line, tables as grids."""
    html = decode_html(data, source)
    tree = _parse(html)
    root = _article(tree)
    if root is None:
        raise CorruptFileError(f"{source}: no readable content in the HTML page")
    blocks = _blocks(root)
    title = _page_title(tree)
    if title and _squeeze(title) not in _squeeze("".join(b for b in blocks if isinstance(b, str))):
        blocks.insert(0, title)
    text = compose(blocks)
    if not text.strip():
        raise CorruptFileError(f"{source}: the HTML page has no text (a script-only page? save the report text)")
    return Document(text=text, source=source, format="html", published=_page_date(tree))


def decode_html(data: bytes, source: str | None = None) -> str:
    """Bytes → str: a BOM, then the declared charset if the bytes agree, then the strict guesses
    of ``read.decode``; bytes no guess reads are kept as U+FFFD."""
    try:
        return decode(data, source, declared=_declared_charset(data))
    except EncodingError as exc:
        raise EncodingError(f"{exc} (an HTML page whose charset could not be found)") from exc


def _declared_charset(data: bytes) -> str | None:
    """The page's ``<meta charset>`` as a Python codec, if it names a text encoding a page uses."""
    declared = _META_CHARSET.search(data[:8192])
    if not declared:
        return None
    name = declared.group(1).decode("ascii").lower()
    if name in _GB:
        return "gb18030"
    try:
        codec = codecs.lookup(name)
    except LookupError:
        return None
    return name if codec._is_text_encoding and codec.name not in _NOT_PAGE_CHARSETS else None


def html_tables(html: str) -> list[list[list[str]]]:
    """Every outermost table of an HTML string as a grid of cell texts, spans resolved."""
    tree = _parse(html)
    return [_grid(t) for t in tree.css("table") if not _inside_table(t)]


def _parse(html: str) -> Any:
    try:
        from selectolax.lexbor import LexborHTMLParser
    except ImportError as exc:
        raise MissingExtraError("reading HTML needs selectolax: install gongkai[html]") from exc
    return LexborHTMLParser(html)


def _inside_table(node: Any) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag == "table":
            return True
        parent = parent.parent
    return False


def _is_chrome(node: Any) -> bool:
    """Site furniture: dropped tags, hidden elements, and class/id names of navigation."""
    if node.tag in _DROP:
        return True
    attrs = node.attributes
    names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    style = (attrs.get("style") or "").replace(" ", "").lower()
    return bool(_NAV.search(names)) or "display:none" in style or "hidden" in attrs


def _article(tree: Any) -> Any:
    """The element with the most paragraph text as direct content (the body if none stands out)."""
    body = tree.body
    if body is None:
        return None
    best, best_score = body, 0
    stack = [body]
    while stack:
        node = stack.pop()
        score = 0
        for child in node.iter(include_text=True):
            if child.tag == "-text":
                score += len(child.text(deep=False).strip())
            elif child.tag in ("-comment",) or _is_chrome(child):
                continue
            elif _holds_blocks(child):
                stack.append(child)
            else:
                score += len(child.text().strip())
        if score > best_score:
            best, best_score = node, score
    return best


def _holds_blocks(node: Any) -> bool:
    """A container of other blocks (a layout div), as opposed to a paragraph or a table."""
    if node.tag in ("table", "p", "pre") or node.tag.startswith("h") and node.tag[1:].isdigit():
        return False
    return node.css_first("div, section, article, ul, ol, main") is not None or node.tag in (
        "div", "section", "article", "main", "ul", "ol", "body")


def _blocks(root: Any) -> list[str | list[list[str]]]:
    """Paragraph lines and table grids under ``root`` in document order."""
    out: list[str | list[list[str]]] = []
    line: list[str] = []

    def flush() -> None:
        text = _WHITESPACE.sub(" ", "".join(line)).strip()
        line.clear()
        if text:
            out.append(text)

    # An explicit stack instead of recursion: a page nested thousands deep must not crash us.
    stack: list[Any] = [list(root.iter(include_text=True))[::-1]]
    while stack:
        if not stack[-1]:
            stack.pop()
            continue
        node = stack[-1].pop()
        if node is None:  # the end of a block element
            flush()
        elif node.tag == "-text":
            line.append(node.text(deep=False))
        elif node.tag == "-comment" or _is_chrome(node):
            continue
        elif node.tag == "br":
            flush()
        elif node.tag == "table":
            flush()
            out.append(_grid(node))
        elif node.tag in _BLOCK:
            flush()
            stack[-1].append(None)
            stack.append(list(node.iter(include_text=True))[::-1])
        else:
            stack.append(list(node.iter(include_text=True))[::-1])
    flush()
    return out


def _grid(table: Any) -> list[list[str]]:
    """One table as rows of cells; a cell covered by a rowspan/colspan continuation is ''."""
    grid: dict[tuple[int, int], str] = {}
    rows = _rows(table)
    for r, tr in enumerate(rows):
        c = 0
        for td in (n for n in tr.iter() if n.tag in ("td", "th")):
            while (r, c) in grid:
                c += 1
            rowspan = min(_span(td, "rowspan"), len(rows) - r)
            colspan = _span(td, "colspan")
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = ""
            grid[(r, c)] = cell_text(_cell_lines(td))
            c += colspan
    width = max((col for _, col in grid), default=-1) + 1
    return [[grid.get((r, col), "") for col in range(width)] for r in range(len(rows))]


def _rows(table: Any) -> list[Any]:
    """The table's own rows (thead/tbody/tfoot included, nested tables' rows not)."""
    rows = []
    for child in table.iter():
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(n for n in child.iter() if n.tag == "tr")
    return rows


def _span(td: Any, name: str) -> int:
    try:
        return max(1, min(MAX_SPAN, int((td.attributes.get(name) or "1").strip())))
    except ValueError:
        return 1


def _cell_lines(td: Any) -> str:
    """The cell's paragraphs as lines (read.cell_text later joins them to one)."""
    lines: list[str] = []
    for block in _blocks(td):
        if isinstance(block, str):
            lines.append(block)
        else:  # a table nested in a cell: its rows as lines
            lines.extend(" ".join(c for c in row if c) for row in block)
    return "\n".join(lines)


def _page_title(tree: Any) -> str | None:
    """The article title a CMS puts outside the article (meta ArticleTitle, else the h1)."""
    meta = tree.css_first('meta[name="ArticleTitle"]')
    if meta is not None and (meta.attributes.get("content") or "").strip():
        return meta.attributes["content"].strip()
    h1 = tree.css_first("h1")
    return h1.text().strip() if h1 is not None and h1.text().strip() else None


_PUB_DATE = regex.compile(r"(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})")


def _page_date(tree: Any) -> date | None:
    """The publication date government CMSs put in <meta name="PubDate" content="2016-01-12 16:08">."""
    for node in tree.css("meta[name]"):
        if (node.attributes.get("name") or "").lower() in ("pubdate", "publishdate", "firstpublishedtime"):
            m = _PUB_DATE.search(node.attributes.get("content") or "")
            if m:
                try:
                    return date(int(m["y"]), int(m["m"]), int(m["d"]))
                except ValueError:
                    return None
    return None


def _squeeze(text: str) -> str:
    return regex.sub(r"\s+", "", text)
