"""Attachments kept with a case (issue 21): a scanned letter, a phone photo and a signed agreement attached through
the services; the photo turned upright, its GPS position removed, reduced; the same file stored once; a correction
a new version; a removal with its reason in the audit trail; nothing readable in the data folder; limits with a
clear message; permissions. Every person here is made up."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from PIL import Image

from fulian_desktop.domain import attachments as rules
from fulian_desktop.domain.errors import NotFound, RuleError, ValidationError
from fulian_desktop.domain.permissions import PermissionDenied
from fulian_desktop.services import attachments, audit, petitions
from fulian_desktop.services.attachments import Incoming
from fulian_desktop.services.context import Context
from fulian_desktop.store.audit import AuditFilter

from .attachment_files import phone_photo, scanned_letter, signed_agreement, word_document
from .test_petition_course import form


@pytest.fixture
def case_id(ctx: Context) -> int:
    cid, _ = petitions.register(ctx, form())
    return cid


def details(kind: str = "证据", note: str = "", on: dt.date | None = None) -> rules.Details:
    return rules.Details(kind=kind, note=note, received_on=on)


def test_a_scanned_letter_is_kept_byte_for_byte(ctx: Context, case_id: int) -> None:
    scan = scanned_letter()
    aid = attachments.attach(ctx, case_id, Incoming("来信原件.png", scan),
                             details("来信原件", "柳某来信第1页", dt.date(2026, 3, 2)))
    [a] = attachments.of_case(ctx, case_id)
    assert (a.id, a.kind, a.note, a.received_on, a.media, a.version) == \
        (aid, "来信原件", "柳某来信第1页", dt.date(2026, 3, 2), "image/png", 1)
    assert (a.width, a.height, a.size, a.name) == (1240, 1754, len(scan), "来信原件.png")
    assert attachments.content(ctx, aid) == scan


def test_a_phone_photo_is_upright_without_its_location_and_reduced(ctx: Context, case_id: int) -> None:
    photo = phone_photo()
    aid = attachments.attach(ctx, case_id, Incoming("IMG_0001.JPG", photo), details("照片", "伤情照片"))
    a = attachments.get(ctx, aid)
    kept = attachments.content(ctx, aid)
    img = Image.open(io.BytesIO(kept))
    assert img.size == (1800, 2400) == (a.width, a.height)  # turned upright (portrait), longer side 2400
    assert not img.getexif() and "exif" not in img.info  # no GPS, no make, no orientation left
    assert img.getpixel((900, 10))[0] < 80  # the band on the left of the lying photo is now on top
    assert a.original_sha256 is None  # the original is not kept unless asked
    line = ctx.db.execute("SELECT note FROM timeline WHERE case_id = ? AND action = '添加附件'", [case_id]).fetchone()
    assert "已按拍摄方向摆正" in line[0] and "已去除拍摄位置等信息" in line[0] and "已缩小到2400像素" in line[0]


def test_the_original_photo_can_be_kept_too(ctx: Context, case_id: int) -> None:
    photo = phone_photo()
    aid = attachments.attach(ctx, case_id, Incoming("IMG_0002.jpg", photo), details("照片"), keep_original=True)
    assert attachments.content(ctx, aid, original=True) == photo
    assert attachments.content(ctx, aid) != photo


def test_a_signed_agreement_pdf_counts_its_pages(ctx: Context, case_id: int) -> None:
    aid = attachments.attach(ctx, case_id, Incoming("调解协议书（签字）.pdf", signed_agreement(3)), details("协议原件"))
    assert attachments.get(ctx, aid).pages == 3
    assert attachments.thumbnail(ctx, aid).startswith(b"\x89PNG")


def test_the_same_file_twice_is_stored_once(ctx: Context, case_id: int) -> None:
    scan = scanned_letter()
    attachments.attach(ctx, case_id, Incoming("a.png", scan), details("来信原件"))
    other, _ = petitions.register(ctx, form())
    attachments.attach(ctx, other, Incoming("b.png", scan), details("证据"))
    assert ctx.db.execute("SELECT count(*) FROM attachment_content").fetchone()[0] == 1
    assert ctx.db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 2


def test_word_documents_are_taken_and_other_files_refused_in_words(ctx: Context, case_id: int) -> None:
    aid = attachments.attach(ctx, case_id, Incoming("起诉状.docx", word_document()), details("其他"))
    assert attachments.get(ctx, aid).media.endswith("wordprocessingml.document")
    with pytest.raises(ValidationError) as e:
        attachments.attach(ctx, case_id, Incoming("视频.mp4", b"\x00\x00\x00\x18ftypmp42"), details())
    assert "只能添加图片（JPG、PNG、HEIC" in e.value.errors["file"]
    with pytest.raises(ValidationError) as e:
        attachments.attach(ctx, case_id, Incoming("照片.jpg", b"not a picture at all"), details())
    assert e.value.errors["file"] == "“照片.jpg”不是有效的JPEG图片（文件内容与扩展名不符，可能已损坏）"
    with pytest.raises(ValidationError) as e:
        attachments.attach(ctx, case_id, Incoming("空.pdf", b""), details())
    assert "空文件" in e.value.errors["file"]
    with pytest.raises(ValidationError) as e:
        attachments.attach(ctx, case_id, Incoming("x.png", scanned_letter()), details("病历", "x" * 201,
                                                                                      dt.date(2026, 3, 11)))
    assert set(e.value.errors) == {"kind", "note", "received_on"}
    assert e.value.errors["received_on"] == "收到日期不能晚于今天"
    assert len(attachments.of_case(ctx, case_id)) == 1


def test_a_file_over_the_limit_is_refused_with_its_size(ctx: Context, case_id: int, monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    monkeypatch.setattr(rules, "MAX_BYTES", 1000)
    big = tmp_path / "扫描件.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * 2000)
    with pytest.raises(ValidationError) as e:
        attachments.read_file(big)
    assert e.value.errors["file"].startswith("“扫描件.pdf”有2 KB，超过了附件的上限1000 字节")
    with pytest.raises(ValidationError):
        attachments.attach(ctx, case_id, Incoming("扫描件.pdf", big.read_bytes()), details())


def test_a_correction_adds_a_version_and_keeps_the_first(ctx: Context, case_id: int) -> None:
    first = attachments.attach(ctx, case_id, Incoming("回执.png", scanned_letter(600, 800)), details("回执"))
    with pytest.raises(ValidationError):
        attachments.correct(ctx, first, Incoming("回执.png", scanned_letter()), details("回执"), reason=" ")
    second = attachments.correct(ctx, first, Incoming("回执（清晰）.png", scanned_letter()), details("回执"),
                                 reason="原扫描件不清楚")
    [shown] = attachments.of_case(ctx, case_id)
    assert (shown.id, shown.version, shown.replaces) == (second, 2, first)
    assert [v.id for v in attachments.versions(ctx, first)] == [first, second]
    assert attachments.content(ctx, first) == scanned_letter(600, 800)  # never altered
    with pytest.raises(RuleError):
        attachments.correct(ctx, first, Incoming("x.png", scanned_letter(20, 20)), details(), reason="再改")


def test_a_removal_needs_a_reason_and_is_in_the_audit_trail(ctx: Context, case_id: int) -> None:
    aid = attachments.attach(ctx, case_id, Incoming("错误.png", scanned_letter()), details())
    with pytest.raises(ValidationError) as e:
        attachments.remove(ctx, aid, "")
    assert e.value.errors["reason"] == "请写明删除的原因"
    attachments.remove(ctx, aid, "误传到这件案件")
    assert attachments.of_case(ctx, case_id) == []
    [gone] = attachments.of_case(ctx, case_id, with_removed=True)
    assert (gone.removed_by, gone.removed_reason) == ("测试员", "误传到这件案件")
    assert attachments.content(ctx, aid) == scanned_letter()  # still kept
    entries = audit.page(ctx, AuditFilter(case_id=case_id))
    removal = [e for e in entries if e.event == "attachment.remove"]
    assert removal and "原因：误传到这件案件" in audit.describe(removal[0])
    assert any(e.event == "attachment.open" for e in entries)
    with pytest.raises(RuleError):
        attachments.remove(ctx, aid, "再删一次")


def test_nothing_of_an_attachment_is_readable_in_the_data_folder(ctx: Context, case_id: int) -> None:
    photo = scanned_letter()
    marker = b"FULIAN-MARKER-0123456789-ABCDEFGH"
    pdf = signed_agreement().replace(b"%%EOF", b"%" + marker + b"\n%%EOF")
    attachments.attach(ctx, case_id, Incoming("原件.pdf", pdf), details("协议原件"))
    attachments.attach(ctx, case_id, Incoming("来信.png", photo), details("来信原件"))
    ctx.db.execute("PRAGMA wal_checkpoint(FULL)")
    assert ctx.path is not None
    for f in ctx.path.parent.rglob("*"):
        if f.is_file():
            raw = f.read_bytes()
            assert marker not in raw and photo[:64] not in raw and b"IHDR" not in raw, f


def test_reading_an_attachment_needs_the_case_kinds_right(ctx: Context, case_id: int) -> None:
    aid = attachments.attach(ctx, case_id, Incoming("a.png", scanned_letter()), details())
    ctx.roles = frozenset({"admin"})
    with pytest.raises(PermissionDenied):
        attachments.content(ctx, aid)
    with pytest.raises(PermissionDenied):
        attachments.attach(ctx, case_id, Incoming("b.png", scanned_letter()), details())
    ctx.roles = frozenset({"mediator"})  # reads petitions, does not write them
    assert attachments.content(ctx, aid)
    with pytest.raises(PermissionDenied):
        attachments.remove(ctx, aid, "误传")


def test_extracting_writes_the_files_and_is_recorded(ctx: Context, case_id: int, tmp_path: Path) -> None:
    scan, pdf = scanned_letter(), signed_agreement()
    attachments.attach(ctx, case_id, Incoming("来信.png", scan), details("来信原件"))
    attachments.attach(ctx, case_id, Incoming("协议:原件.pdf", pdf), details("协议原件"))
    written = attachments.extract(ctx, case_id, tmp_path / "导出")
    assert [p.name for p in written] == ["0001_来信原件_来信.png", "0002_协议原件_协议_原件.pdf"]
    assert [p.read_bytes() for p in written] == [scan, pdf]
    with pytest.raises(NotFound):
        attachments.extract(ctx, petitions.register(ctx, form())[0], tmp_path / "空")
    assert any(e.event == "attachment.extract" for e in audit.page(ctx, AuditFilter(case_id=case_id)))


# --- the command line --------------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from fulian_desktop.cli import main as cli

    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_the_command_line_attaches_lists_and_extracts(ctx: Context, case_id: int, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    case_no = ctx.db.execute("SELECT case_no FROM cases WHERE id = ?", [case_id]).fetchone()[0]
    db = str(tmp_path / "test.db")
    letter, photo = tmp_path / "来信.png", tmp_path / "IMG_0007.jpg"
    letter.write_bytes(scanned_letter())
    photo.write_bytes(phone_photo(800, 600))
    code, out, err = run(capsys, "attach", case_no, str(letter), str(photo), "--kind", "来信原件", "--note",
                         "来信和信封", "--received", "2026-03-02", "--db", db)
    assert code == 0, err
    assert out.strip() == f"已添加2个附件到{case_no}。"
    code, out, err = run(capsys, "attachments", case_no, "--json", "--db", db)
    listed = json.loads(out)
    assert [(a["kind"], a["name"], a["note"], a["received_on"]) for a in listed] == \
        [("来信原件", "来信.png", "来信和信封", "2026-03-02"), ("来信原件", "IMG_0007.jpg", "来信和信封", "2026-03-02")]
    code, out, err = run(capsys, "attachments", case_no, "--db", db)
    assert "来信.png" in out and "共2个附件" in out
    code, out, err = run(capsys, "attachments", case_no, "--extract", str(tmp_path / "出"), "--db", db)
    assert code == 0, err
    assert (tmp_path / "出" / "0001_来信原件_来信.png").read_bytes() == scanned_letter()
    events = [e.event for e in audit.page(ctx, AuditFilter(case_id=case_id))]
    assert "attachment.extract" in events and "attachment.add" in events or "case.update" in events


def test_the_command_line_refuses_in_words(ctx: Context, case_id: int, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    case_no = ctx.db.execute("SELECT case_no FROM cases WHERE id = ?", [case_id]).fetchone()[0]
    db = str(tmp_path / "test.db")
    movie = tmp_path / "录像.mp4"
    movie.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"0" * 100)
    code, out, err = run(capsys, "attach", case_no, str(movie), "--db", db)
    assert code != 0 and "只能添加图片" in err
    code, out, err = run(capsys, "attach", case_no, str(tmp_path / "没有.pdf"), "--db", db)
    assert code != 0 and "找不到文件" in err
    code, out, err = run(capsys, "attach", case_no, str(movie), "--kind", "病历", "--db", db)
    assert code != 0 and "类别" in err
    assert attachments.of_case(ctx, case_id) == []


# --- backed up and restored ------------------------------------------------------------------------------


def test_attachments_are_backed_up_counted_and_restored_byte_identical(ctx: Context, case_id: int, tmp_path: Path,
                                                                       clock: object) -> None:
    from fulian_desktop.services import accounts, backup

    from .conftest import TEST_PASSWORD, TEST_USER

    marker = b"FULIAN-MARKER-0123456789-ABCDEFGH"
    files = {"来信.png": scanned_letter(), "IMG_0001.jpg": phone_photo(1200, 900),
             "协议.pdf": signed_agreement().replace(b"%%EOF", b"%" + marker + b"\n%%EOF")}
    ids = {name: attachments.attach(ctx, case_id, Incoming(name, data), details()) for name, data in files.items()}
    kept = {name: attachments.content(ctx, aid) for name, aid in ids.items()}
    backup.set_password(ctx, "备份密码-2026", "备份密码-2026")
    stick = tmp_path / "stick"
    stick.mkdir()
    outcome = backup.make_backup(ctx, stick)
    assert outcome.header["tables"]["attachments"] == 3 and outcome.header["tables"]["attachment_content"] == 3
    raw = outcome.path.read_bytes()
    assert marker not in raw and files["来信.png"][:64] not in raw and b"IHDR" not in raw and b"JFIF" not in raw

    target = tmp_path / "new-pc" / "fulian.db"
    opened = backup.open_without_account(outcome.path, target, "备份密码-2026")
    backup.restore_without_account(opened, target, clock=clock)  # type: ignore[arg-type]
    again = accounts.sign_in(target, TEST_USER, TEST_PASSWORD, clock=clock)  # type: ignore[arg-type]
    try:
        assert {a.name: attachments.content(again, a.id) for a in attachments.of_case(again, case_id)} == kept
        assert kept["协议.pdf"] == files["协议.pdf"]  # a PDF is kept as it came
    finally:
        again.close()


# --- printed with the case ------------------------------------------------------------------------------------


def test_the_mediation_dossier_carries_the_originals_in_their_place(ctx: Context, clock: object) -> None:
    import pypdfium2 as pdfium

    from fulian_desktop.services import printing

    from .test_mediations import closed_case, pdf_text

    case_id = closed_case(ctx, clock)
    before = len(pdf_text(printing.print_case(ctx, case_id)[0]))
    attachments.attach(ctx, case_id, Incoming("身份证.png", scanned_letter(800, 500)), details("身份证明", "张丽身份证"))
    attachments.attach(ctx, case_id, Incoming("伤情.jpg", phone_photo(1200, 900)), details("照片", "伤情照片"))
    attachments.attach(ctx, case_id, Incoming("协议签字.pdf", signed_agreement(2)), details("协议原件", "签字的协议书"))
    attachments.attach(ctx, case_id, Incoming("起诉状.docx", word_document()), details("其他"))  # not printable
    pdf = printing.print_case(ctx, case_id)[0]
    pages = pdf_text(pdf)
    assert len(pages) == before + 4  # the ID card, the photo, the agreement's two signed pages
    toc = next(p for p in pages if "卷内目录" in p)
    assert "当事人身份证明1" in toc and "附件1份" in toc  # no longer 纸质材料: printed, one page
    identity_page = next(i for i, p in enumerate(pages, 1) if "身份证明：张丽身份证" in p)
    photo_page = next(i for i, p in enumerate(pages, 1) if "照片：伤情照片" in p)
    signed_page = next(i for i, p in enumerate(pages, 1) if "协议原件：签字的协议书" in p)
    agreement_page = next(i for i, p in enumerate(pages, 1) if "经调解，当事人自愿达成如下协议" in p)
    assert identity_page < photo_page < agreement_page < signed_page  # the official order
    assert f"人民调解协议书（签字原件）2{signed_page}—{signed_page + 1}附件1份" in toc
    assert f"当事人身份证明1{identity_page}附件1份" in toc  # its page number in the contents
    doc = pdfium.PdfDocument(pdf)
    try:
        kinds = [obj.type for obj in doc[identity_page - 1].get_objects()]
    finally:
        doc.close()
    assert pdfium.raw.FPDF_PAGEOBJ_IMAGE in kinds


def test_the_household_card_carries_the_household_photo(ctx: Context, tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    from fulian_desktop.services import households, printing

    from .test_households import a_household, a_visit

    def images(pdf: bytes) -> int:
        doc = pdfium.PdfDocument(pdf)
        try:
            return sum(1 for page in doc for o in page.get_objects() if o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE)
        finally:
            doc.close()

    case_id, _ = households.register(ctx, a_household(ctx))
    assert images(printing.print_case(ctx, case_id)[0]) == 0
    visit_id = households.log_visit(ctx, case_id, a_visit(dt.date(2026, 3, 10))).visit_id
    attachments.attach(ctx, case_id, Incoming("走访.jpg", phone_photo(800, 600)), details("照片", "走访时"),
                       visit_id=visit_id)  # a visit's photo is the visit's, not the card's
    assert [a.visit_id for a in attachments.of_case(ctx, case_id, visit_id=visit_id)] == [visit_id]
    assert images(printing.print_case(ctx, case_id)[0]) == 0
    attachments.attach(ctx, case_id, Incoming("户照.jpg", phone_photo(1600, 1200, orientation=1)),
                       details("照片", "户照"))
    pdf = printing.print_case(ctx, case_id)[0]
    assert images(pdf) == 1
    (tmp_path / "card.pdf").write_bytes(pdf)


def test_a_heic_phone_photo_becomes_a_jpeg_or_is_refused_in_words(ctx: Context, case_id: int,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import pillow_heif  # only writes the sample: the program reads HEIC with pi-heif (the bundle has no encoder)

    from fulian_desktop.domain import images

    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (10, 200, 30)).save(out, "HEIF")
    heic = out.getvalue()
    monkeypatch.setattr(images, "_heif", None)  # looked for afresh, as when the program starts
    aid = attachments.attach(ctx, case_id, Incoming("IMG_4031.HEIC", heic), details("照片"))
    assert Image.OPEN["HEIF"][0].__module__.startswith("pi_heif.")  # read by the decoder the program depends on
    a = attachments.get(ctx, aid)
    assert a.media == "image/jpeg" and (a.width, a.height) == (640, 480)
    assert Image.open(io.BytesIO(attachments.content(ctx, aid))).format == "JPEG"
    monkeypatch.setattr(images, "heic_available", lambda: False)  # a PC without the decoder
    with pytest.raises(ValidationError) as e:
        attachments.attach(ctx, case_id, Incoming("IMG_4032.heic", heic), details("照片"))
    assert "无法读取手机的HEIC照片" in e.value.errors["file"] and "兼容性最佳" in e.value.errors["file"]


def test_a_visit_record_signed_on_screen_prints_on_the_party_line(ctx: Context, clock: object) -> None:
    import pypdfium2 as pdfium

    from fulian_desktop.domain.mediation import ReturnVisit
    from fulian_desktop.services import mediations, printing, signatures

    from .test_mediations import closed_case

    case_id = closed_case(ctx, clock)
    m = mediations.get(ctx, case_id)
    planned = m.visits[0]
    mediations.record_visit(ctx, case_id, ReturnVisit(
        due_on=planned.due_on, visited_on=ctx.today(), visitor="王秀英", method="电话", performance="已履行",
        satisfaction="满意", findings="协议已履行，双方和好。", id=planned.id))
    [line] = signatures.signers(ctx, case_id, "mediation.visit", f"visit:{planned.id}")[:1]
    png = io.BytesIO()
    Image.new("RGBA", (120, 40), (0, 0, 80, 255)).save(png, "PNG")
    signatures.sign(ctx, case_id, "mediation.visit", line.part, line.name, png.getvalue())
    pdf = printing.print_document(ctx, case_id, "visit")[0]
    doc = pdfium.PdfDocument(pdf)
    try:
        assert sum(1 for p in doc for o in p.get_objects() if o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE) == 1
        text = "".join(p.get_textpage().get_text_range() for p in doc).replace("\r\n", "").replace(" ", "")
    finally:
        doc.close()
    assert "当事人（签名或按指印）：2026年3月" in text
