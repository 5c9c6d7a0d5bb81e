"""spacy: gongkai as a spaCy pipeline component, and its facts as training data (``[spacy]`` extra).

Installing gongkai registers the factory ``"gongkai"`` through spaCy's ``spacy_factories`` entry
point, so no import is needed::

    nlp = spacy.blank("zh")
    nlp.add_pipe("gongkai")
    doc = nlp(text)
    doc._.gongkai                      # the Report
    doc.spans["gongkai"]               # facts and table cells, labelled by key
    displacy.render(doc, style="span", options={"spans_key": "gongkai"})

``spacy.blank("zh")`` splits Chinese into single characters (its default segmenter, no jieba,
no pkuseg, no model download), so every character span of the report is a token span. With a
word segmenter a span is widened to the tokens around it.
"""

from __future__ import annotations

from collections.abc import Iterable

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.tokens import Span as SpacySpan
from spacy.util import filter_spans

from .models import Report, Span

SPANS_KEY = "gongkai"  # doc.spans key the component fills
TRAINING_KEY = "sc"  # spaCy's span categorizer reads this key by default

if not Doc.has_extension("gongkai"):
    Doc.set_extension("gongkai", default=None)


class Component:
    """The pipeline component: parses ``doc.text`` and annotates the Doc with the Report.

    >>> import spacy
    >>> nlp = spacy.blank("zh")
    >>> component = nlp.add_pipe("gongkai", config={"spans_key": "facts"})
    >>> component.spans_key, nlp.pipe_names
    ('facts', ['gongkai'])
    """

    def __init__(self, spans_key: str = SPANS_KEY):
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        from . import parse_text

        return annotate(doc, parse_text(doc.text), self.spans_key)


@Language.factory("gongkai", default_config={"spans_key": SPANS_KEY})
def make_component(nlp: Language, name: str, spans_key: str) -> Component:
    """The factory behind ``nlp.add_pipe("gongkai")``; ``spans_key`` names the span group.

    >>> import spacy
    >>> nlp = spacy.blank("zh")
    >>> _ = nlp.add_pipe("gongkai")
    >>> doc = nlp(open("corpus/000_fe1734465fe07058.txt", encoding="utf-8").read())
    >>> doc._.gongkai.meta.agency
    '济宁市投资促进局'
    """
    return Component(spans_key)


def _span(doc: Doc, span: Span, label: str) -> SpacySpan | None:
    return doc.char_span(span.start, span.end, label=label, alignment_mode="expand")


def annotate(doc: Doc, report: Report, spans_key: str = SPANS_KEY) -> Doc:
    """Set ``doc._.gongkai`` to the report and ``doc.spans[spans_key]`` to its facts and keyed table
    cells, each labelled by its key. The Doc's text must be the report's text.

    >>> import spacy
    >>> r = gongkai.parse("corpus/000_fe1734465fe07058.txt")
    >>> doc = annotate(spacy.blank("zh")(r.text), r)
    >>> [s.text for s in doc.spans["gongkai"] if s.label_ == "narrative.proactive.total"]
    ['主动公开政府信息数206条']
    """
    spans = [_span(doc, f.span, f.key) for f in report.facts]
    spans += [_span(doc, c.span, c.key) for t in report.tables for c in t.cells if c.key and c.span and c.span.end > c.span.start]
    doc.spans[spans_key] = [s for s in spans if s is not None]
    doc._.gongkai = report
    return doc


def to_doc(report: Report, nlp: Language | None = None) -> Doc:
    """``Report.to_spacy``: the report's text made into a Doc by ``nlp`` (default
    ``spacy.blank("zh")``, tokenizer only) and annotated, without parsing it again.

    >>> doc = to_doc(gongkai.parse("corpus/000_fe1734465fe07058.txt"))
    >>> doc._.gongkai.meta.year
    2023
    """
    nlp = nlp if nlp is not None else spacy.blank("zh")
    return annotate(nlp.make_doc(report.text), report)


def docbin(reports: Iterable[Report], nlp: Language | None = None) -> DocBin:
    """Training data for a statistical model: one Doc per report with its narrative facts as
    labelled spans under ``doc.spans["sc"]`` (what spaCy's span categorizer reads) and, where
    they do not overlap, as ``doc.ents`` (for an entity recognizer). Write it with
    ``.to_disk("train.spacy")`` and train with ``spacy train``.

    >>> data = docbin([gongkai.parse("corpus/000_fe1734465fe07058.txt")])
    >>> import spacy
    >>> doc = next(data.get_docs(spacy.blank("zh").vocab))
    >>> sorted({s.label_ for s in doc.spans["sc"]})[:2]
    ['narrative.applications.received', 'narrative.cppcc_proposals']
    """
    nlp = nlp if nlp is not None else spacy.blank("zh")
    out = DocBin(store_user_data=False)
    for report in reports:
        doc = nlp.make_doc(report.text)
        facts = [s for s in (_span(doc, f.span, f.key) for f in report.facts) if s is not None]
        doc.spans[TRAINING_KEY] = facts
        doc.ents = filter_spans(facts)
        out.add(doc)
    return out
