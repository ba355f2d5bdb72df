"""Read a report back: the proof it keeps and the text it prints, from a PDF or an HTML report.

A PDF keeps its proof as the attached file ``proof.json`` (read with pypdf), and its printed
text is what pypdf extracts from its pages. An HTML report keeps its proof in
``<script type="application/json" id="proof">``, and its printed text is everything outside its
scripts and styles. Bounded: a report file larger than ``MAX_REPORT_BYTES``, a PDF of more than
``MAX_PAGES`` pages, or one whose pages hold more than ``MAX_PAGE_CONTENT`` bytes of drawing
instructions (what its text is read from, a few seconds a megabyte) is refused before its text is
read. A file the PDF reader fails on in any way (damaged, encrypted, hostile) is a ``ProofError``
naming the file and the failure, never a crash.
"""

from __future__ import annotations

import io
import logging
import stat
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from gatewatch.reports.proof import Proof, ProofError, load

PROOF_NAME = "proof.json"
"""The name of the proof attached to a PDF report."""
PROOF_ID = "proof"
"""The id of the script element that keeps an HTML report's proof."""
MAX_REPORT_BYTES = 200 * 1024 * 1024
MAX_PAGES = 1_000
"""A report of 3,000 lines (the most a window prints) and their proof is some 130 pages."""
MAX_PAGE_CONTENT = 32 * 1024 * 1024
"""Bytes of the pages' drawing instructions, all pages together (130 pages: some 8 MB)."""


@dataclass(frozen=True, slots=True)
class ReadReport:
    """A report as read back: the proof it keeps and the text it prints."""

    proof: Proof
    printed: str
    kind: str
    """``pdf`` or ``html``."""


def read_report(path: Path) -> ReadReport:
    """The proof and printed text of a report file (its kind by its first bytes, not its name)."""
    try:
        found = path.stat()
        if not stat.S_ISREG(found.st_mode):
            raise ProofError(f"{path}: not a file")
        if found.st_size > MAX_REPORT_BYTES:
            raise ProofError(f"{path}: {found.st_size:,} bytes, more than a report may be ({MAX_REPORT_BYTES:,})")
        with path.open("rb") as file:
            content = file.read(MAX_REPORT_BYTES + 1)
    except OSError as error:
        raise ProofError(f"{path}: cannot be read ({error.strerror})") from None
    if len(content) > MAX_REPORT_BYTES:
        raise ProofError(f"{path}: more than {MAX_REPORT_BYTES:,} bytes, more than a report may be")
    if content.startswith(b"%PDF-"):
        return read_pdf(content, str(path))
    return read_html(content.decode("utf-8", errors="replace"), str(path))


def read_pdf(
    content: bytes, name: str = "the report", most_pages: int = MAX_PAGES, most_content: int = MAX_PAGE_CONTENT
) -> ReadReport:
    """The proof a PDF report keeps and the text it prints (``most_pages``, ``most_content``: its bounds)."""
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged file is reported below, once
    try:
        reader = PdfReader(io.BytesIO(content))
        pages = len(reader.pages)
        if pages > most_pages:
            raise ProofError(f"{name}: {pages:,} pages, more than a report may have ({most_pages:,})")
        kept = reader.attachments.get(PROOF_NAME)
        if not kept:
            raise ProofError(f"{name}: the PDF keeps no {PROOF_NAME}: not a gatewatch report, or its proof was removed")
        proof = load(kept[0])
        drawn = 0
        for page in reader.pages:
            contents = page.get_contents()
            drawn += len(contents.get_data()) if contents is not None else 0
            if drawn > most_content:
                raise ProofError(
                    f"{name}: its pages hold more than {most_content:,} bytes of drawing instructions, "
                    "more than a report's"
                )
        printed = "\n".join(page.extract_text() for page in reader.pages)
    except ProofError:
        raise
    except Exception as error:  # a damaged or hostile file can fail anywhere in the reader: refused, named
        raise ProofError(f"{name}: not a readable PDF ({error.__class__.__name__}: {error})") from None
    return ReadReport(proof, printed, "pdf")


def read_html(content: str, name: str = "the report") -> ReadReport:
    parser = _Report()
    parser.feed(content)
    parser.close()
    if parser.proof is None:
        raise ProofError(f'{name}: no <script type="application/json" id="{PROOF_ID}">: not a gatewatch report')
    return ReadReport(load(parser.proof), "".join(parser.text), "html")


class _Report(HTMLParser):
    """The proof script's text, and the text outside every script and style."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.proof: str | None = None
        self.text: list[str] = []
        self._inside: str | None = None
        self._is_proof = False
        self._script: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._inside = tag
            found = dict(attrs)
            self._is_proof = tag == "script" and found.get("id") == PROOF_ID and self.proof is None
            self._script = []

    def handle_endtag(self, tag: str) -> None:
        if tag == self._inside:
            if self._is_proof:
                self.proof = "".join(self._script)
            self._inside, self._is_proof = None, False

    def handle_data(self, data: str) -> None:
        if self._inside is None:
            self.text.append(data)
        elif self._is_proof:
            self._script.append(data)
