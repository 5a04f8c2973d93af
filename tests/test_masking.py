"""ID numbers and phones show masked in lists, search results and a person's history; whole only on the
case page (to roles that may see them)."""

from __future__ import annotations

import datetime as dt

from fulian_desktop.domain.idcard import make_id_number
from fulian_desktop.domain.masking import mask_text
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.gui.cases.case_model import COL_NAMES, COL_SUMMARY, CaseTableModel
from fulian_desktop.gui.petitions.petition_view import _person_rows
from fulian_desktop.services import cases, people, petitions
from fulian_desktop.services.context import Context

ID_NUMBER = make_id_number("439021", dt.date(1990, 5, 6), 7, True)


def test_mask_text() -> None:
    text = f"身份证{ID_NUMBER}，电话13907341234，座机0734-8234567，补偿款2.4万元，共15人"
    masked = mask_text(text)
    assert ID_NUMBER not in masked and "13907341234" not in masked and "0734-8234567" not in masked
    assert f"{ID_NUMBER[:4]}**********{ID_NUMBER[-4:]}" in masked and "139****1234" in masked
    assert "2.4万元" in masked and "15人" in masked
    assert mask_text("张三") == "张三"


def test_lists_mask_what_the_case_page_shows_whole(ctx: Context, qtbot) -> None:  # type: ignore[no-untyped-def]
    form = Petition(
        channel="来电", received_on=dt.date(2026, 3, 2), headcount=1, township="东山镇", village="",
        petitioner=Person(name="柳如烟", id_number=ID_NUMBER, phone="13907341234"), concerned=None,
        category="其他", subcategory="", facts="咨询", request=f"请回电13907341234，身份证号{ID_NUMBER}",
        dv=False, safety_risk=False, receiving_staff="接待员",
    )
    case_id, _ = petitions.register(ctx, form)
    [row] = cases.find(ctx, ID_NUMBER)  # found by the whole number ...
    assert "13907341234" not in row.summary and ID_NUMBER not in row.summary  # ... shown masked
    model = CaseTableModel(ctx)
    shown = " ".join(str(model.data(model.index(0, c))) for c in (COL_NAMES, COL_SUMMARY))
    assert "139****1234" in shown and ID_NUMBER not in shown
    p = petitions.get(ctx, case_id)
    assert p.petitioner.id_number == ID_NUMBER and "13907341234" in p.request  # the case itself is whole
    assert ID_NUMBER in _person_rows(p.petitioner, full=True)
    assert ID_NUMBER not in _person_rows(p.petitioner, full=False)
    assert "13907341234" not in _person_rows(p.petitioner, full=False)
    assert p.petitioner.id is not None
    assert all("13907341234" not in c["summary"] for c in people.history(ctx, p.petitioner.id))
