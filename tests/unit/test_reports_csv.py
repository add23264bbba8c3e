from datetime import UTC, date, datetime

import pytest

from core.reports import neutralise, to_csv


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1 protest", "'+1 protest"),
        ("-2 dead", "'-2 dead"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Plain title", "Plain title"),
        ("a=b", "a=b"),
    ],
)
def test_formula_cells_are_neutralised(cell: str, expected: str) -> None:
    assert neutralise(cell) == expected


def test_csv_exact_text_keeps_numbers_as_numbers() -> None:
    rows = [
        (1, "=cmd()", -0.4, date(2024, 1, 2), datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), None),
        (2, "Ünïcode, with comma", 0.12345, date(2024, 1, 3), None, float("nan")),
    ]
    assert to_csv(["id", "title", "tone", "day", "at", "x"], rows).decode() == (
        "id,title,tone,day,at,x\n"
        "1,'=cmd(),-0.4,2024-01-02,2024-01-02T03:04:05Z,\n"
        '2,"Ünïcode, with comma",0.1235,2024-01-03,,\n'
    )
