"""Errors for input gongkai cannot read. Anything merely odd becomes a Finding instead."""


class GongkaiError(Exception):
    """Base class: the input could not be read as a report. The message says what to do.

    >>> try:
    ...     gongkai.parse("absent.txt")
    ... except gongkai.GongkaiError as exc:
    ...     print(exc)
    absent.txt: no such file
    """


class FileNotReadableError(GongkaiError):
    """Missing file, a directory, a pipe or device, no permission, or an I/O error."""


class EmptyInputError(GongkaiError):
    """A 0-byte file or one with no text at all."""


class EncodingError(GongkaiError):
    """Bytes that are mostly not text (a binary file); text with a few bad bytes is read instead."""


class UnsupportedFormatError(GongkaiError):
    """.doc, .wps, .ofd, images …: the message says how to convert the file."""


class NoTextLayerError(GongkaiError):
    """A scanned PDF without a text layer: run OCR first."""


class EncryptedFileError(GongkaiError):
    """A password-protected PDF or DOCX."""


class CorruptFileError(GongkaiError):
    """A broken PDF, DOCX zip or HTML page."""


class InputTooLargeError(GongkaiError):
    """A file, its text, an archive's inflated content or a page's nesting past gongkai's limits
    (docs/robustness.md)."""


class MissingExtraError(GongkaiError):
    """The optional dependency for this format is not installed."""


class RuleError(GongkaiError):
    """A rule file is invalid: the message names file, rule id and reason."""


class NotAReportError(GongkaiError):
    """Readable text that is not an annual report: no section, statistics table or template header
    of one (a README, a news article, a poem).

    >>> gongkai.parse_text("床前明月光，疑是地上霜。")
    Traceback (most recent call last):
    ...
    gongkai.errors.NotAReportError: ...
    """


class UnknownKeyError(GongkaiError, KeyError):
    """A key or table kind that no template, table or narrative rule defines: a typo.

    >>> gongkai.parse("corpus/000_fe1734465fe07058.txt").value("applications.new.totl")
    Traceback (most recent call last):
    ...
    gongkai.errors.UnknownKeyError: ...
    """

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""
