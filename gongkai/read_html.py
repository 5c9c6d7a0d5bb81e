"""read_html: a government web page → Document (the ``[html]`` extra: selectolax).

Charset: a BOM, else the ``<meta charset>`` / ``<meta http-equiv="Content-Type">`` declaration
(GB2312 and GBK read as their superset GB18030), else strict UTF-8 then GB18030. A declaration
that the bytes contradict is ignored: mislabelled pages are common.

Content: scripts, styles, forms and the page's navigation (``nav``/``header``/``footer``/
``aside`` and elements whose class or id names a menu, breadcrumb, header, footer …) are
dropped. The article is the whole report — every paragraph and every table, however a site
builder cuts it into blocks — and not the site around it: from the body down, the walk goes
into the child that holds nearly all the page's text outside links (``ARTICLE_SHARE``) and every
one of its data tables, and stops where no child does. Link lists, menus and side columns weigh
nothing, so they fall away; a report cut into sibling blocks with its tables between them stops
the walk at their common parent, never at the densest block. Word's "Save as HTML" is read like
any page (``<o:p>`` and ``<span lang=EN-US>`` are just inline elements).

Tables become grids with rowspan/colspan resolved (``html_tables`` is the reusable grid
builder); ``&nbsp;``-only cells are blank; a table nested in a cell gives its rows as lines of
that cell. Every walk keeps its own stack, so no depth makes Python recurse, and each element
is visited a bounded number of times. The HTML parser itself is quadratic in nesting depth (its
tree construction scans the stack of open elements), so a page nested past ``MAX_DEPTH`` is
refused before it is parsed.

Why not trafilatura (with tables): measured on the site shapes of tests/test_read_html.py and
the real pingtan page (benchmarks/html_article.py, docs/robustness.md), it lost every table
value of the layout-table page and of the real page, let site text into four pages, and took
1.6-4 times as long; this walk read all of them whole.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from datetime import date
from typing import Any

import regex

from .errors import CorruptFileError, EncodingError, InputTooLargeError, MissingExtraError
from .read import Document, cell_text, compose, decode

MAX_SPAN = 500  # a rowspan/colspan past this is a typo or an attack, not a report table
MAX_DEPTH = 512  # elements open at once (the real pingtan page: 18); parsing slows as depth²
MAX_TAGS = 1_000_000  # start and end tags (the real pingtan page: 2,207; the 16 MiB page of benchmarks/scaling.py: 530,892)
ARTICLE_SHARE = 0.9  # a child holding this share of the text outside links (and every table) is the article's way
MIN_TABLE_TEXT = 10  # characters outside links that make an innermost table a data table

_META_CHARSET = regex.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]{2,40})""", regex.I)
_GB = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"}
# Python codecs that are no web page's charset and can decode bytes into lone surrogates or fail.
_NOT_PAGE_CHARSETS = {"utf-7", "unicode-escape", "raw-unicode-escape", "punycode", "idna", "undefined"}

# Not a <form>: ASP.NET sites wrap the whole page in one.
_DROP = frozenset(
    "script style noscript template iframe object embed svg canvas nav header footer aside "
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
# Paragraph-level elements: the article never narrows to one of them, whose siblings are the
# report's other paragraphs.
_PARAGRAPH = frozenset("p h1 h2 h3 h4 h5 h6 pre li dt dd address caption blockquote".split())

# For the depth check before parsing: tags, comments, and the elements whose content is text.
_TAG = regex.compile(r"<(/?)([A-Za-z][^\s/<>]*)[^<>]*>|<!--")
_RAW_TEXT = frozenset("script style textarea title xmp iframe noembed noframes plaintext".split())
# Elements that never hold others, and those whose end tag the parser supplies (an unclosed <p>
# or <td> is closed by the next one): neither deepens the tree.
_FLAT = frozenset(
    "area base br col embed hr img input link meta param source track wbr basefont bgsound frame keygen "
    "html head body p li dt dd tr td th thead tbody tfoot colgroup caption option optgroup rb rt rtc rp".split()
)


def read(data: bytes, source: str) -> Document:
    """Decode a page and keep its article: paragraphs one per line, tables as grids."""
    html = decode_html(data, source)
    tree = _parse(html, source)
    if tree.body is None:
        raise CorruptFileError(f"{source}: no readable content in the HTML page")
    blocks = _blocks(_article(tree.body))
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
    tree = _parse(html, "html")
    grids: list[list[list[str]]] = []
    stack = [tree.root] if tree.root is not None else []
    while stack:
        node = stack.pop()
        if node.tag == "table":
            grids.append(_grid(node))
        else:
            stack.extend(reversed(_elements(node)))
    return grids


def _parse(html: str, source: str) -> Any:
    try:
        from selectolax.lexbor import LexborHTMLParser
    except ImportError as exc:
        raise MissingExtraError("reading HTML needs selectolax: install gongkai[html]") from exc
    _refuse_oversized_tree(html, source)
    return LexborHTMLParser(html)


def _refuse_oversized_tree(html: str, source: str) -> None:
    """InputTooLargeError past MAX_TAGS tags or elements nested past MAX_DEPTH, found by a
    linear scan of the tags that follows what the parser does closely enough: a closing tag
    closes every element opened after its own (so an unclosed <span> in a closed <div> is
    gone), a stray one is ignored, and void elements and those the parser closes itself
    (_FLAT) do not nest."""
    stack: list[str] = []
    open_count: dict[str, int] = {}
    skip_to = tags = 0  # the end of a comment or of a script's text, whose tags are not tags
    for match in _TAG.finditer(html):
        if match.start() < skip_to:
            continue
        tags += 1
        if tags > MAX_TAGS:
            raise InputTooLargeError(
                f"{source}: more than {MAX_TAGS} tags, past what gongkai reads (a report's page has "
                "some thousands); save the report's text or a PDF of it"
            )
        if match.group() == "<!--":
            skip_to = _end_of(html.find("-->", match.end()), 3)
        elif match.group(1):
            name = match.group(2).lower()
            if open_count.get(name):
                while (top := stack.pop()) != name:
                    open_count[top] -= 1
                open_count[name] -= 1
        elif (name := match.group(2).lower()) in _RAW_TEXT:
            skip_to = _end_of(_find_closing(html, name, match.end()), 0)
        elif name not in _FLAT and not match.group().endswith("/>"):
            stack.append(name)
            open_count[name] = open_count.get(name, 0) + 1
            if len(stack) > MAX_DEPTH:
                raise InputTooLargeError(
                    f"{source}: elements nested more than {MAX_DEPTH} deep, past what gongkai reads "
                    "(no page of a report nests so deep); save the report's text or a PDF of it"
                )
        if skip_to < 0:
            return  # an unclosed comment or script runs to the end of the page


def _end_of(found: int, length: int) -> int:
    """The offset after a closing mark found at ``found`` (-1 stays -1: not found)."""
    return found + length if found >= 0 else -1


def _find_closing(html: str, name: str, at: int) -> int:
    """Where the raw-text element ``name`` (script, style …) opened before ``at`` ends, or -1."""
    match = regex.compile(rf"</{name}\b", regex.I).search(html, at)
    return match.start() if match else -1


def _elements(node: Any) -> list[Any]:
    """The element children of ``node`` (no text, no comments), in order."""
    return [child for child in node.iter() if child.tag not in ("-text", "-comment")]


def _is_chrome(node: Any) -> bool:
    """Site furniture: dropped tags, hidden elements, and class/id names of navigation."""
    if node.tag in _DROP:
        return True
    attrs = node.attributes
    names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    style = (attrs.get("style") or "").replace(" ", "").lower()
    return bool(_NAV.search(names)) or "display:none" in style or "hidden" in attrs


@dataclass
class _Weight:
    """What an element holds: characters of text outside links, and data tables."""

    text: int = 0
    tables: int = 0
    leaf: bool = False  # a paragraph, or an innermost table with text: the article never narrows to one


def _weights(body: Any) -> dict[int, _Weight]:
    """Every element's weight (by ``mem_id``), in one pass with its own stack; chrome weighs
    nothing and is left out."""
    weights: dict[int, _Weight] = {}
    # Frames: (element, its children not yet seen, its weight, inside a link).
    stack: list[tuple[Any, list[Any], _Weight, bool]] = [(body, _children(body), _Weight(), False)]
    while stack:
        node, children, weight, in_link = stack[-1]
        if not children:
            stack.pop()
            if node.tag == "table" and not weight.tables and weight.text >= MIN_TABLE_TEXT:
                weight.tables, weight.leaf = 1, True
            weight.leaf = weight.leaf or node.tag in _PARAGRAPH
            weights[node.mem_id] = weight
            if stack:
                stack[-1][2].text += weight.text
                stack[-1][2].tables += weight.tables
            continue
        child = children.pop()
        if child.tag == "-text":
            if not in_link:
                weight.text += len(child.text(deep=False).strip())
        elif child.tag != "-comment" and not _is_chrome(child):
            stack.append((child, _children(child), _Weight(), in_link or child.tag == "a"))
    return weights


def _children(node: Any) -> list[Any]:
    """Children (text included) in reverse, to be popped in document order."""
    return list(node.iter(include_text=True))[::-1]


def _article(body: Any) -> Any:
    """The smallest element that holds the whole report: see the module docstring."""
    weights = _weights(body)
    node = body
    while True:
        total = weights[node.mem_id]
        weighed = [(weights[c.mem_id], c) for c in _elements(node) if c.mem_id in weights]
        heaviest = max(weighed, key=lambda item: item[0].text, default=None)
        if heaviest is None or not _holds_the_report(heaviest[0], total):
            return node
        node = heaviest[1]


def _holds_the_report(inner: _Weight, total: _Weight) -> bool:
    """A child that is the report's way down: nearly all the text, all the tables, not a
    paragraph or a data table."""
    return (total.text > 0 and inner.text >= ARTICLE_SHARE * total.text and inner.tables == total.tables
            and not inner.leaf)


def _blocks(root: Any, grids: bool = True) -> list[str | list[list[str]]]:
    """Paragraph lines and table grids under ``root`` in document order.

    With ``grids=False`` (inside a table cell) a nested table is not a grid: each of its rows
    is a line, its cells separated by a space.
    """
    out: list[str | list[list[str]]] = []
    line: list[str] = []

    def flush() -> None:
        text = _WHITESPACE.sub(" ", "".join(line)).strip()
        line.clear()
        if text:
            out.append(text)

    if grids and root.tag == "table":
        return [_grid(root)]
    stack: list[list[Any]] = [_children(root)]  # None marks the end of a block element
    while stack:
        if not stack[-1]:
            stack.pop()
            continue
        node = stack[-1].pop()
        if node is None:
            flush()
        elif node.tag == "-text":
            line.append(node.text(deep=False))
        elif node.tag == "-comment" or _is_chrome(node):
            continue
        elif node.tag == "br":
            flush()
        elif node.tag == "table" and grids:
            flush()
            out.append(_grid(node))
        elif node.tag in _BLOCK or node.tag == "table":
            flush()
            stack[-1].append(None)
            stack.append(_children(node))
        else:
            if node.tag in ("td", "th"):
                line.append(" ")
            stack.append(_children(node))
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
    """The cell's paragraphs as lines (read.cell_text later joins them to one); a table nested
    in the cell gives a line per row."""
    return "\n".join(block for block in _blocks(td, grids=False) if isinstance(block, str))


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
