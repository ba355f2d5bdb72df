"""A report laid out: one Jinja template makes the HTML, and WeasyPrint makes the PDF from it.

The HTML is one self-contained file: its stylesheet inline, the chart as inline SVG, no script
but its proof (``<script type="application/json" id="proof">``, the canonical JSON with ``<``,
``>`` and ``&`` escaped so it cannot end the element). The PDF is that HTML laid out on A4 pages,
with the proof attached as the file ``proof.json`` (the canonical JSON, byte for byte). WeasyPrint
fetches nothing: the report names no outside resource, and its URL fetcher refuses any.

WeasyPrint needs Pango and a font on the machine; without them, a PDF is refused with an error
saying what to install (``PdfUnavailable``), and HTML reports still work.
"""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from gatewatch.reports.chart import chart_svg
from gatewatch.reports.content import Report
from gatewatch.reports.proof import canonical, fingerprint
from gatewatch.reports.read import PROOF_NAME

TEMPLATES = Path(__file__).parent / "templates"
INSTALL = (
    "PDF reports need WeasyPrint with Pango and a font (Debian: apt-get install libpango-1.0-0 "
    "libpangoft2-1.0-0 fonts-dejavu-core; scripts/services.sh installs them); HTML reports work without them"
)
FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html"}

_templates = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot run here (Pango or a font is missing): the error says what to install."""


def format_of(path: Path) -> str:
    """``pdf`` or ``html``, by the file's suffix (anything else is refused, naming the choices)."""
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise ValueError(
            f"{path}: a report is written as .pdf or .html, not {path.suffix or 'a file without a suffix'}"
        )
    return found


def proof_script(raw: bytes) -> Markup:
    """The proof's JSON, safe inside a ``<script>`` element (the escapes are JSON's own: it reads back the same)."""
    text = raw.decode("utf-8").replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(text)  # every character that could end the element is escaped


def render_html(report: Report) -> str:
    """The report as one self-contained HTML document."""
    chart = chart_svg(report.chart) if report.chart is not None else ""
    return _templates.get_template("report.html").render(
        report=report,
        chart=Markup(chart),  # drawn by chart_svg, every word in it escaped
        stylesheet=Markup(_stylesheet()),  # the package's own file
        fingerprint=fingerprint(report.proof),
        proof_json=proof_script(canonical(report.proof)),
    )


def render_pdf(report: Report) -> bytes:
    """The report as PDF, its proof attached as ``proof.json``."""
    weasyprint = _weasyprint()
    document = weasyprint.HTML(string=render_html(report), url_fetcher=fetching_nothing(), base_url=str(TEMPLATES))
    proof = weasyprint.Attachment(string=canonical(report.proof), name=PROOF_NAME, description="the report's proof")
    written: bytes = document.write_pdf(attachments=[proof])
    return written


def render(report: Report, kind: str) -> bytes:
    """The report in ``kind`` (``pdf`` or ``html``), as the bytes of its file."""
    return render_pdf(report) if kind == "pdf" else render_html(report).encode("utf-8")


def write_report(report: Report, path: Path) -> int:
    """Write the report to ``path`` in the format its suffix names; how many bytes."""
    content = render(report, format_of(path))
    path.write_bytes(content)
    return len(content)


def pdf_available() -> str:
    """Empty when PDFs can be made here, else what to install."""
    try:
        _weasyprint()
    except PdfUnavailable as error:
        return str(error)
    return ""


@cache
def _stylesheet() -> str:
    return (TEMPLATES / "report.css").read_text(encoding="utf-8")


def _weasyprint() -> Any:
    try:
        return importlib.import_module("weasyprint")  # loads Pango: an OSError when it is missing
    except (ImportError, OSError) as error:
        raise PdfUnavailable(f"{INSTALL} ({error})") from None


def fetching_nothing() -> Any:
    """WeasyPrint's URL fetcher for a report: it refuses every address (a file, a web address, data), and
    the page is laid out without what it named.

    WeasyPrint 66 and later take a ``URLFetcher`` whose ``fetch`` is called (a plain function there fails
    the whole layout the first time it is called); earlier versions take a function.
    """
    base = getattr(_weasyprint(), "URLFetcher", None)
    if base is None:
        return _refuse

    class _Refusing(base):  # type: ignore[misc, valid-type]
        def fetch(self, url: str, headers: Any = None) -> Any:
            return _refuse(url)

    return _Refusing()


def _refuse(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"a report fetches nothing: {url[:200]}")
