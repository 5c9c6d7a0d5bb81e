"""Errors for input gongkai cannot read. Anything merely odd becomes a Finding instead."""


class GongkaiError(Exception):
    """Base class: the input could not be read as a report. The message says what to do."""


class FileNotReadableError(GongkaiError):
    """Missing file, a directory, or no permission."""


class EmptyInputError(GongkaiError):
    """A 0-byte file or one with no text at all."""


class EncodingError(GongkaiError):
    """The bytes are not UTF-8, UTF-16 (with BOM) or GB18030 text."""


class UnsupportedFormatError(GongkaiError):
    """.doc, .wps, .ofd, images …: the message says how to convert the file."""


class NoTextLayerError(GongkaiError):
    """A scanned PDF without a text layer: run OCR first."""


class EncryptedFileError(GongkaiError):
    """A password-protected PDF or DOCX."""


class CorruptFileError(GongkaiError):
    """A broken PDF, DOCX zip or HTML page."""


class InputTooLargeError(GongkaiError):
    """A file, or an archive's expanded content, past the size gongkai reads."""


class MissingExtraError(GongkaiError):
    """The optional dependency for this format is not installed."""


class RuleError(GongkaiError):
    """A rule file is invalid: the message names file, rule id and reason."""


class NotAReportError(GongkaiError):
    """Readable text that is not an annual report: no section, statistics table or template header
    of one (a README, a news article, a poem)."""


class UnknownKeyError(GongkaiError, KeyError):
    """A key or table kind that no template, table or narrative rule defines: a typo."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""
