"""Reading a report back from a hostile or damaged file: a clear ``ProofError`` naming what is wrong, never a crash."""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, NullObject

from gatewatch.reports.proof import ProofError
from gatewatch.reports.read import read_pdf, read_report
from gatewatch.reports.render import fetching_nothing, render_pdf
from gatewatch.reports.verify import against_print
from gatewatch.reports.window import window_report
from gatewatch.service.permissions import Actor, UserRole
from gatewatch.store.log import EventLog, Submission, database_url

ZONE = ZoneInfo("Europe/London")
LEAD = Actor("lena", UserRole.LEAD, "lead")


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A genuine window report of three granted requests, as PDF."""
    store = EventLog.open(database_url(tmp_path_factory.mktemp("read") / "data"))
    store.append_many(
        Submission(
            f"e{n}",
            "request",
            f"2024-06-03T09:0{n}:00+00:00",
            {"type": "request", "door": "outer", "by": "g1", "for": ["vic"]},
            {"decision": "grant", "reasons": [], "alerts": []},
            "g1",
            "2024-06-03T09:00:01+00:00",
        )
        for n in range(1, 4)
    )
    made = window_report(store, ("testhouse", "Test house"), ZONE, "2024-06-03", "2024-06-03", LEAD, datetime.now(UTC))
    store.close()
    return render_pdf(made)


def without_its_embedded_file(pdf: bytes) -> bytes:
    """The report with its ``proof.json`` still named, but the file it names gone."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    names = writer.root_object["/Names"]["/EmbeddedFiles"]["/Names"]  # type: ignore[index]
    names[1].get_object()["/EF"][NameObject("/F")] = NullObject()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted(pdf: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt("a secret", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_genuine_report_reads_back(pdf: bytes) -> None:
    read = read_pdf(pdf)
    assert [c.event for c in read.proof.cited] == ["e1", "e2", "e3"] and read.proof.head.seq == 3


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        (lambda pdf: pdf.replace(b"/FlateDecode", b"/FlateDecodR"), "Unsupported filter"),
        (without_its_embedded_file, "not a readable PDF"),
        (encrypted, "not been decrypted"),
        (lambda pdf: pdf[: len(pdf) // 2], "not a readable PDF"),
        (lambda pdf: b"%PDF-1.7\n" + random.Random(7).randbytes(4_000), "not a readable PDF"),
    ],
    ids=["unknown-filter", "attachment-gone", "encrypted", "cut-in-half", "noise"],
)
def test_a_damaged_pdf_is_refused_naming_the_failure(pdf: bytes, damage: Callable[[bytes], bytes], named: str) -> None:
    with pytest.raises(ProofError, match=named):
        read_pdf(damage(pdf))


def test_a_pdf_past_the_bounds_is_refused_before_its_text_is_read(pdf: bytes) -> None:
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    with pytest.raises(ProofError, match=f"{pages} pages, more than a report may have \\({pages - 1}\\)"):
        read_pdf(pdf, most_pages=pages - 1)
    with pytest.raises(ProofError, match="more than 1,000 bytes of drawing instructions"):
        read_pdf(pdf, most_content=1_000)


def test_what_is_not_a_file_is_refused_saying_so(tmp_path: Path) -> None:
    with pytest.raises(ProofError, match="not a file"):
        read_report(tmp_path)
    with pytest.raises(ProofError, match="cannot be read"):
        read_report(tmp_path / "nothing.pdf")


def test_a_report_in_other_scripts_reads_back_and_holds_its_proof(tmp_path: Path) -> None:
    """Ids and names in Chinese, Arabic and Devanagari: the PDF's text comes back imperfectly (another font,
    right to left), yet the check of the report against its own proof finds nothing amiss."""
    store = EventLog.open(database_url(tmp_path / "data"))
    people = ["王小明", "محمد", "राम"]
    store.append_many(
        Submission(
            event_id,
            "request",
            f"2024-06-03T09:0{n}:00+00:00",
            {"type": "request", "door": "outer", "by": people[n], "for": [people[n - 1]]},
            {"decision": "grant", "reasons": [], "alerts": []},
            "g1",
            "2024-06-03T09:00:01+00:00",
        )
        for n, event_id in enumerate(["访客-1", "زيارة-2", "e3"])
    )
    made = window_report(store, ("testhouse", "Test house"), ZONE, "2024-06-03", "2024-06-03", LEAD, datetime.now(UTC))
    store.close()
    read = read_pdf(render_pdf(made))
    assert read.proof == made.proof and len(read.proof.cited) == 3
    assert against_print(read.proof, read.printed) == ()


def test_the_pdf_maker_fetches_nothing_a_page_names(tmp_path: Path) -> None:
    """Were a report ever to name an image or a stylesheet (a file, an address), it is not fetched: the page is
    laid out without it."""
    import weasyprint
    from PIL import Image

    secret = tmp_path / "secret.png"
    Image.new("RGB", (40, 40), "red").save(secret)
    page = f'<link rel="stylesheet" href="{secret.parent.as_uri()}/x.css"><img src="{secret.as_uri()}"><p>a report</p>'
    assert b"/Image" in weasyprint.HTML(string=page).write_pdf()  # the default fetcher reads it
    made = weasyprint.HTML(string=page, url_fetcher=fetching_nothing(), base_url=str(tmp_path)).write_pdf()
    assert made.startswith(b"%PDF-") and b"/Image" not in made
