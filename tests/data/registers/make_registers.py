"""How the registers in this folder were made (run by hand when they need changing, not by the tests):

    python3 tests/data/registers/make_registers.py      # needs LibreOffice: apt-get install libreoffice-calc

Each is laid out the way county offices keep their registers, with made-up people, and saved by a real
spreadsheet program (LibreOffice, headless), not by a library writing what it thinks a program writes:

- 2025年信访登记台账.xls   Excel 97–2003 format; a sheet a month (1月, 2月, 3月) plus a 汇总 sheet and a hidden
                          下拉选项 sheet; a merged title and a 填报单位 line above the header; 反映内容 and 主要诉求
                          for 事情经过 and 诉求; dates as serials, 2025-1-5, 2025.1.8, 1月12日 (year from the
                          title), 20250115, 2025年1月20日; a phone stored as a number; an ID number stored as a
                          number by Excel (its last digits lost); a line break in a cell; 合计 and 填表人 rows.
- 法律援助转介台账.ods      OpenDocument; no 乡镇 and no 案情 column.
- 婚姻家庭纠纷调解台账.xlsx saved by LibreOffice; a two-row header (申请人 and 被申请人 over 姓名/联系电话), no
                          纠纷简要情况 column, 调处结果 for 调解结果, a hidden column.
- 帮扶户花名册.et           an Excel 97–2003 (BIFF8) file written by LibreOffice and named .et, as a WPS table
                          saved in the Excel 97–2003 format often arrives; no 纳入日期 column; two heads of household
                          named 刘桂兰 (东山村, 石桥村), one of them without an ID number. Not a file saved by WPS
                          itself: WPS does not run here, so WPS's own .et format (and any .xlsx or .xls that WPS
                          writes differently from LibreOffice) is untested.
- 走访慰问记录.csv          GBK, as Excel and WPS save CSV on a Chinese Windows; no ID numbers, so visits find
                          their household by name, township and village; one 刘桂兰 row gives no village.
- 信访登记（Unicode文本）.txt  Excel's "Unicode 文本": UTF-16, tab-separated.

The numbers the tests expect are written in each register's 合计 row.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

HERE = Path(__file__).resolve().parent


def convert(xlsx: Path, fmt: str, target: Path) -> None:
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(["soffice", "--headless", "--convert-to", fmt, "--outdir", out, str(xlsx)], check=True,
                       capture_output=True)
        produced = next(Path(out).iterdir())
        target.write_bytes(produced.read_bytes())


def title(ws: Worksheet, text: str, width: int) -> None:
    ws.append([text])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)


PETITION_HEADERS = ["序号", "来访日期", "来访方式", "姓名", "性别", "身份证号", "联系电话", "乡镇", "村", "问题类别",
                    "反映内容", "主要诉求", "接待人"]
PETITIONS = {
    "1月": [
        (45662, "来访", "周玉梅", "女", "", "13807310001", "东山镇", "石桥村", "婚姻家庭", "丈夫酒后打人。\n已有两次。", "希望调解", "李敏"),
        ("2025-1-7", "来电", "吴春兰", "女", "", 13807310002, "西河乡", "柳塘村", "婚姻家庭", "婆媳矛盾，被赶出家门。", "回家居住", "李敏"),
        ("2025.1.8", "来访", "郑小燕", "女", "", "", "城关镇", "东街社区", "财产权益", "土地承包款被丈夫家扣下。", "分得份额", "王芳"),
        ("1月12日", "来信", "冯桂芝", "女", 4.30124198503125E+17, "", "南岭镇", "竹园村", "婚姻家庭", "离婚后孩子抚养费未付。", "追讨抚养费", "王芳"),
        ("20250115", "来访", "陈淑珍", "女", "", "13807310005", "东山镇", "枫林村", "人身权益", "被邻居打伤。", "赔偿医药费", "李敏"),
    ],
    "2月": [
        ("2025年2月3日", "来访", "褚秀英", "女", "", "13807310006", "西河乡", "西河村", "婚姻家庭", "丈夫长期不归家。", "调解", "李敏"),
        (dt.date(2025, 2, 10), "网上", "卫红霞", "女", "", "", "城关镇", "西街社区", "劳动和社会保障权益", "怀孕被辞退。", "恢复工作", "王芳"),
        ("2月18日", "来电", "蒋丽华", "女", "", "13807310008", "南岭镇", "茶亭村", "婚姻家庭", "家暴，想离婚。", "帮助离婚", "王芳"),
    ],
    "3月": [
        ("2025-03-02", "来访", "沈玉兰", "女", "", "13807310009", "东山镇", "东山村", "财产权益", "继承房屋被兄弟占用。", "分得遗产", "李敏"),
        ("2025/03/15", "来访", "韩翠萍", "女", "", "13807310010", "城关镇", "南门村", "婚姻家庭", "丈夫赌博欠债。", "调解", "李敏"),
    ],
}


def petitions(path: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for month, rows in PETITIONS.items():
        ws = wb.create_sheet(month)
        title(ws, "某县妇联2025年信访登记台账", len(PETITION_HEADERS))
        ws.append(["填报单位：某县妇联（盖章）", None, None, None, None, None, None, None, None, None, "单位：件"])
        ws.append(PETITION_HEADERS)
        for i, r in enumerate(rows, 1):
            ws.append([i, *r])
            if isinstance(r[0], int):
                ws.cell(row=ws.max_row, column=2).number_format = "yyyy/m/d"
        ws.append([f"合计：{len(rows)}件"])
        ws.append(["填表人：李敏", None, None, None, None, None, None, None, None, "审核人：张主任"])
    summary = wb.create_sheet("汇总")
    summary.append(["月份", "件数"])
    for month, rows in PETITIONS.items():
        summary.append([month, len(rows)])
    summary.append(["合计", sum(len(r) for r in PETITIONS.values())])
    hidden = wb.create_sheet("下拉选项")
    hidden.append(["来访方式", "问题类别", "乡镇"])
    hidden.append(["来访", "婚姻家庭", "东山镇"])
    hidden.sheet_state = "hidden"
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = Path(tmp) / "信访.xlsx"
        wb.save(xlsx)
        convert(xlsx, "xls", path)


def referrals(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "转介台账"
    title(ws, "某县妇联2025年法律援助转介台账", 8)
    ws.append(["序号", "转介日期", "申请人", "性别", "联系电话", "事项", "接收机构", "经办人"])
    rows = [
        (dt.date(2025, 1, 9), "周玉梅", "女", "13807310001", "家庭暴力", "县法律援助中心", "李敏"),
        (dt.date(2025, 2, 20), "蒋丽华", "女", "13807310008", "离婚", "县法律援助中心", "王芳"),
        (dt.date(2025, 4, 2), "杨美玲", "女", "13807310011", "抚养", "东山镇司法所", "李敏"),
        (dt.date(2025, 5, 16), "朱海燕", "女", "", "赡养", "县明理律师事务所", "王芳"),
    ]
    for i, r in enumerate(rows, 1):
        ws.append([i, *r])
    ws.append(["合计", f"{len(rows)}件"])
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = Path(tmp) / "转介.xlsx"
        wb.save(xlsx)
        convert(xlsx, "ods", path)


def mediations(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "调解台账"
    title(ws, "某县妇联婚姻家庭纠纷调解台账（2025年上半年）", 10)
    ws.append(["序号", "受理日期", "申请人", None, "被申请人", None, "纠纷类型", "调解员", "调处结果", "结案日期"])
    ws.append([None, None, "姓名", "联系电话", "姓名", "联系电话"])
    for a, b in (("A2", "A3"), ("B2", "B3"), ("G2", "G3"), ("H2", "H3"), ("I2", "I3"), ("J2", "J3")):
        ws.merge_cells(f"{a}:{b}")
    ws.merge_cells("C2:D2")
    ws.merge_cells("E2:F2")
    rows = [
        (dt.date(2025, 1, 10), "周玉梅", "13807310001", "孙志强", "", "家庭暴力", "刘芳、李敏", "和好", dt.date(2025, 1, 24)),
        (dt.date(2025, 2, 5), "褚秀英", "13807310006", "钱永福", "", "婚姻", "刘芳", "和好", dt.date(2025, 2, 21)),
        (dt.date(2025, 3, 18), "韩翠萍", "13807310010", "许建国", "", "财产分割", "李敏", "达成调解协议",
         dt.date(2025, 4, 3)),
        (dt.date(2025, 5, 6), "何秋菊", "", "吕大勇", "", "赡养", "刘芳", "调解不成", dt.date(2025, 5, 30)),
    ]
    for i, r in enumerate(rows, 1):
        ws.append([i, *r])
    ws.append(["合计", "受理4起，和好2起，达成调解协议1起，调解不成1起"])
    ws.column_dimensions["D"].hidden = True
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = Path(tmp) / "调解.xlsx"
        wb.save(xlsx)
        convert(xlsx, "xlsx", path)


def households(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    title(ws, "某县妇联帮扶户花名册（2025年）", 9)
    ws.append(["序号", "户主", "身份证号", "联系电话", "乡镇", "村", "户类型", "致贫原因", "帮扶责任人"])
    rows = [
        ("刘桂兰", "439021196002031108", "13807310021", "东山镇", "东山村", "低保户", "因病", "李敏"),
        ("刘桂兰", "", "", "东山镇", "石桥村", "一般户", "缺劳力", "王芳"),
        ("陈秀英", "", "13807310023", "西河乡", "柳塘村", "一般户", "因学", "王芳"),
        ("杨小兰", "", "", "南岭镇", "竹园村", "特困供养户", "因残、缺劳力", "李敏"),
    ]
    for i, r in enumerate(rows, 1):
        ws.append([i, *r])
    ws.append(["合计", "4户"])
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = Path(tmp) / "花名册.xlsx"
        wb.save(xlsx)
        convert(xlsx, "xls", path)  # WPS writes its .et in the same compound format


VISIT_LINES = [
    "某县妇联2025年上半年走访慰问记录,,,,,,,,,",
    "序号,慰问对象,乡镇,村,走访时间,走访人员,方式,慰问金,慰问物资,物资折合",
    "1,刘桂兰,东山镇,东山村,2025-01-20,李敏、刘芳,慰问,500,大米一袋,80",
    "2,刘桂兰,东山镇,石桥村,2025-01-21,王芳,走访,,,",
    "3,陈秀英,西河乡,柳塘村,2025年2月3日,王芳,慰问,300,,",
    "4,杨小兰,南岭镇,竹园村,2025-03-08,李敏,帮扶,200,食用油两桶,120",
    "5,刘桂兰,东山镇,,2025-04-15,李敏,走访,,,",
    "合计,5户次,,,,,,1000,,200",
]


def visits(path: Path) -> None:
    path.write_bytes("\r\n".join(VISIT_LINES).encode("gbk"))


UNICODE_LINES = [
    "来访日期\t来访方式\t姓名\t乡镇\t问题类别\t反映内容",
    "2025-06-03\t来访\t许月娥\t城关镇\t婚姻家庭\t丈夫酗酒打骂。",
    "2025-06-10\t来电\t施春花\t西河乡\t婚姻家庭\t要求离婚。",
]


def unicode_text(path: Path) -> None:
    path.write_bytes("\r\n".join(UNICODE_LINES).encode("utf-16"))


if __name__ == "__main__":
    petitions(HERE / "2025年信访登记台账.xls")
    referrals(HERE / "法律援助转介台账.ods")
    mediations(HERE / "婚姻家庭纠纷调解台账.xlsx")
    households(HERE / "帮扶户花名册.et")
    visits(HERE / "走访慰问记录.csv")
    unicode_text(HERE / "信访登记（Unicode文本）.txt")
