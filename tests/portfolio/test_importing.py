"""Bulk import of projects from CSV and XLSX: templates, values and every kind of error."""

import csv
import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from facetscope.portfolio.importing import (
    COLUMNS,
    FORMATS,
    MAX_ERRORS,
    RowError,
    parse_number,
    parse_projects,
    template_csv,
    template_xlsx,
)

UNITS = {"Innovation lab", "Digital Services"}


def csv_bytes(rows, delimiter=",", encoding="utf-8"):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, title="projects", before=()):
    workbook = Workbook()
    first = workbook.active
    for name in before:
        workbook.create_sheet(name, 0).append(["not", "this", "sheet"])
    first.title = title
    for row in rows:
        first.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def parse_csv(rows, **kwargs):
    kwargs.setdefault("known_units", UNITS)
    return parse_projects(csv_bytes(rows), "projects.csv", **kwargs)


def parse_xlsx(rows, **kwargs):
    kwargs.setdefault("known_units", UNITS)
    return parse_projects(xlsx_bytes(rows), "projects.xlsx", **kwargs)


def one_value(column, value, parse=parse_csv):
    """Parse a single project whose ``column`` holds ``value``; the row or the errors."""
    header = ["title"] if column == "title" else ["title", column]
    row = [value] if column == "title" else ["A project", value]
    result = parse([header, row])
    return result.rows[0][column] if result.ok else result.errors


def messages(result):
    return [(e.row, e.column, e.message) for e in result.errors]


# --------------------------------------------------------------------------- templates


def test_columns_are_in_template_order_with_a_description_each():
    assert list(COLUMNS) == [
        "key",
        "title",
        "description",
        "unit",
        "owner_email",
        "team",
        "partners",
        "stage",
        "start_date",
        "end_date",
        "budget",
        "fte",
        "funding_source",
        "policy_goals",
        "sdgs",
        "tags",
        "links",
        "priority",
        "purpose",
        "driver",
    ]
    assert all(text and "\n" not in text for text in COLUMNS.values())
    assert set(FORMATS) == set(COLUMNS)


def test_csv_template_has_the_header_and_one_example_row():
    rows = list(csv.reader(io.StringIO(template_csv())))
    assert rows[0] == list(COLUMNS)
    assert len(rows) == 2


def test_csv_template_round_trips_through_the_parser():
    result = parse_projects(template_csv().encode(), "template.csv", known_units=UNITS)
    assert result.ok, result.errors
    (row,) = result.rows
    assert result.row_numbers == [2]
    assert set(row) == set(COLUMNS)
    assert row["unit"] == "Innovation lab"
    assert row["start_date"] == dt.date(2025, 1, 15)
    assert row["budget"] == Decimal("120000.00")
    assert row["sdgs"] == [9, 16]
    assert row["partners"] == ["City IT department", "Residents' association"]


def test_xlsx_template_round_trips_through_the_parser_with_the_same_row():
    from_xlsx = parse_projects(template_xlsx(), "template.xlsx", known_units=UNITS)
    from_csv = parse_projects(template_csv().encode(), "template.csv", known_units=UNITS)
    assert from_xlsx.ok, from_xlsx.errors
    assert from_xlsx.rows == from_csv.rows


def test_templates_use_the_given_example_unit():
    result = parse_projects(
        template_xlsx(example_unit="Tax office"), "t.xlsx", known_units={"Tax office"}
    )
    assert result.rows[0]["unit"] == "Tax office"
    assert "Tax office" in template_csv(example_unit="Tax office")


def test_xlsx_template_has_an_instructions_sheet_describing_every_column():
    workbook = load_workbook(io.BytesIO(template_xlsx()))
    assert workbook.sheetnames == ["projects", "instructions"]
    rows = list(workbook["instructions"].iter_rows(values_only=True))
    assert rows[0] == ("column", "required", "what it holds", "allowed values or format")
    described = {r[0]: r for r in rows[1 : len(COLUMNS) + 1]}
    assert list(described) == list(COLUMNS)
    assert described["title"][1] == "yes"
    assert "scaling" in described["stage"][3]
    assert "DD/MM/YYYY" in described["start_date"][3]


# --------------------------------------------------------------------------- file level


def test_a_file_over_the_size_limit_is_refused_before_parsing():
    data = b"\xff" * 2000  # not even UTF-8: only the size is reported
    result = parse_projects(data, "big.csv", known_units=UNITS, max_bytes=1000)
    assert messages(result) == [
        (None, "", "the file is 2,000 bytes; files up to 1,000 bytes are accepted")
    ]
    big = parse_projects(b"x" * 25_000_001, "big.xlsx", known_units=UNITS)
    assert big.errors[0].message == "the file is 25.0 MB; files up to 20.0 MB are accepted"


@pytest.mark.parametrize("data", [b"", b"   \r\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(data):
    result = parse_projects(data, "empty.csv", known_units=UNITS)
    assert messages(result) == [(None, "", "the file is empty")]


def test_a_file_with_only_a_header_is_refused():
    result = parse_csv([["title", "unit"]])
    assert messages(result) == [(None, "", "the file has no project rows")]


def test_non_utf8_csv_is_refused_with_a_clear_message():
    data = csv_bytes([["title"], ["Café"], ["Crèche numérique"]], encoding="latin-1")
    result = parse_projects(data, "p.csv", known_units=UNITS)
    assert messages(result) == [
        (
            None,
            "",
            "the file is not UTF-8 text (first unreadable byte on line 2); "
            "save it as CSV UTF-8 and try again",
        )
    ]


def test_utf16_csv_is_refused_with_a_clear_message():
    data = "title\r\nA\r\n".encode("utf-16")
    result = parse_projects(data, "p.csv", known_units=UNITS)
    assert "UTF-16" in result.errors[0].message
    assert not result.rows


def test_csv_with_a_utf8_byte_order_mark_is_read():
    data = csv_bytes(
        [["Title", "Unit"], ["Crèche numérique", "innovation lab"]], encoding="utf-8-sig"
    )
    result = parse_projects(data, "p.csv", known_units=UNITS)
    assert result.rows == [{"title": "Crèche numérique", "unit": "Innovation lab"}]


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_delimiter_is_detected(delimiter):
    data = csv_bytes(
        [["title", "budget", "partners"], ["A", "1 200,50", "X; Y"]], delimiter=delimiter
    )
    result = parse_projects(data, "p.csv", known_units=UNITS)
    assert result.rows == [{"title": "A", "budget": Decimal("1200.50"), "partners": ["X", "Y"]}]


def test_unsupported_file_types_are_refused():
    result = parse_projects(b"title\nA\n", "projects.xls", known_units=UNITS)
    assert messages(result) == [(None, "", "unsupported file type: upload a .csv or .xlsx file")]


def test_an_xlsx_that_is_not_a_workbook_is_refused():
    assert parse_projects(b"title\nA\n", "p.xlsx", known_units=UNITS).errors[0].message == (
        "the file is not a valid XLSX workbook"
    )
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    result = parse_projects(archive.getvalue(), "p.xlsx", known_units=UNITS)
    assert messages(result) == [(None, "", "the file is not a valid XLSX workbook")]


def test_a_workbook_named_csv_is_refused():
    result = parse_projects(xlsx_bytes([["title"], ["A"]]), "p.csv", known_units=UNITS)
    assert "name it .xlsx" in result.errors[0].message


def test_a_workbook_that_unzips_to_far_more_than_the_limit_is_refused():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"0" * 5_000_000)
    data = archive.getvalue()
    result = parse_projects(data, "bomb.xlsx", known_units=UNITS, max_bytes=100_000)
    assert len(data) < 100_000
    assert re.fullmatch(
        r"the workbook expands to 5\.0 MB, more than the 2\.0 MB allowed",
        result.errors[0].message,
    )


def test_unknown_and_missing_required_columns_are_file_errors_on_row_1():
    result = parse_csv([["name", "Unit", "colour"], ["A", "Innovation lab", "red"]])
    assert messages(result) == [
        (1, "name", "unknown column 'name'"),
        (1, "colour", "unknown column 'colour'"),
        (1, "title", "missing required column 'title'"),
    ]
    assert result.rows == []


def test_a_repeated_column_is_a_file_error():
    result = parse_csv([["title", "Title"], ["A", "B"]])
    assert messages(result) == [(1, "title", "column 'title' appears more than once")]


def test_header_names_match_ignoring_case_spaces_and_hyphens():
    result = parse_csv(
        [
            [" TITLE ", "Owner Email", "start-date", "Policy_Goals"],
            ["A", "a@b.org", "2024-01-02", "x"],
        ]
    )
    assert result.rows == [
        {
            "title": "A",
            "owner_email": "a@b.org",
            "start_date": dt.date(2024, 1, 2),
            "policy_goals": ["x"],
        }
    ]


def test_too_many_rows_is_a_file_error():
    rows = [["title"]] + [[f"P{i}"] for i in range(5)]
    result = parse_csv(rows, max_rows=3)
    assert messages(result) == [(5, "", "the file has more than 3 project rows")]
    assert result.rows == []
    assert parse_csv(rows, max_rows=5).ok


def test_empty_rows_are_skipped_and_row_numbers_are_the_spreadsheet_rows():
    result = parse_csv([["title"], ["A"], [""], [], ["B"], ["  "], ["C"]])
    assert [r["title"] for r in result.rows] == ["A", "B", "C"]
    assert result.row_numbers == [2, 5, 7]


def test_row_numbers_count_records_not_lines_in_csv():
    result = parse_csv(
        [["title", "description"], ["A", "line one\nline two"], ["B", ""], ["", "x"]]
    )
    assert result.row_numbers == [2, 3]
    assert messages(result) == [(4, "title", "a title is required")]


def test_a_value_in_a_column_without_a_header_is_an_error():
    result = parse_csv([["title", ""], ["A", ""], ["B", "stray"], ["C", "", "more"]])
    assert messages(result) == [
        (3, "B", "a value in column B, which has no header"),
        (4, "C", "a value in column C, which has no header"),
    ]
    assert [r["title"] for r in result.rows] == ["A"]


# --------------------------------------------------------------------------- rows


def test_only_the_columns_of_the_file_are_in_the_rows():
    result = parse_csv([["title", "tags", "budget"], ["A", "", ""]])
    assert result.rows == [{"title": "A", "tags": [], "budget": None}]


def test_a_short_csv_row_gives_empty_values():
    result = parse_csv([["title", "tags", "end_date"], ["A"]])
    assert result.rows == [{"title": "A", "tags": [], "end_date": None}]


def test_an_empty_stage_is_left_out_of_the_row():
    result = parse_csv([["title", "stage"], ["A", ""], ["B", "Scaling"]])
    assert result.rows == [{"title": "A"}, {"title": "B", "stage": "scaling"}]


def test_rows_with_errors_are_left_out_and_every_error_is_reported():
    result = parse_csv(
        [
            ["title", "stage", "budget", "owner_email"],
            ["A", "idea", "10", "a@example.org"],
            ["B", "someday", "-5", "not-an-address"],
            ["C", "stopped", "", ""],
        ]
    )
    assert [r["title"] for r in result.rows] == ["A", "C"]
    assert result.row_numbers == [2, 4]
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "stage"),
        (3, "budget"),
        (3, "owner_email"),
    ]
    assert all(isinstance(e, RowError) for e in result.errors)


def test_errors_are_capped_with_a_count_of_the_rest():
    rows = [["title", "budget"]] + [[f"P{i}", "lots"] for i in range(MAX_ERRORS + 50)]
    result = parse_csv(rows)
    assert len(result.errors) == MAX_ERRORS
    assert result.more_errors == 50
    assert result.error_count == MAX_ERRORS + 50


def test_a_missing_or_too_long_title_is_an_error():
    result = parse_csv([["title", "team"], ["", "Permits team"]])
    assert result.errors == [RowError(2, "title", "a title is required")]
    assert one_value("title", "x" * 201) == [
        RowError(2, "title", "at most 200 characters (this has 201)")
    ]
    assert one_value("title", "  Spaced   out ") == "Spaced   out"


def test_an_unknown_unit_is_an_error_naming_it():
    assert one_value("unit", "Space Agency") == [RowError(2, "unit", "unknown unit 'Space Agency'")]


def test_units_match_ignoring_case_and_spaces_and_keep_their_own_spelling():
    assert one_value("unit", " digital   services ") == "Digital Services"
    assert one_value("unit", "") == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05", dt.date(2024, 3, 5)),
        ("05/03/2024", dt.date(2024, 3, 5)),
        ("5/3/2024", dt.date(2024, 3, 5)),
        ("", None),
    ],
)
def test_dates_accept_iso_and_day_month_year(text, expected):
    assert one_value("start_date", text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("03/05/24", "not a date: '03/05/24' (use YYYY-MM-DD or DD/MM/YYYY)"),
        ("March 5", "not a date: 'March 5' (use YYYY-MM-DD or DD/MM/YYYY)"),
        ("31/02/2024", "no such date: '31/02/2024'"),
    ],
)
def test_bad_dates_are_errors(text, message):
    assert one_value("start_date", text) == [RowError(2, "start_date", message)]


def test_an_end_before_the_start_is_an_error():
    result = parse_csv([["title", "start_date", "end_date"], ["A", "2024-05-01", "30/04/2024"]])
    assert messages(result) == [(2, "end_date", "the end date is before the start date")]
    same_day = parse_csv([["title", "start_date", "end_date"], ["A", "2024-05-01", "01/05/2024"]])
    assert same_day.ok


def test_excel_dates_are_read_from_date_cells_and_serial_numbers():
    result = parse_xlsx(
        [
            ["title", "start_date", "end_date"],
            ["A", dt.datetime(2024, 3, 5, 0, 0), 45382],  # 45382 = 2024-03-31
            ["B", dt.date(2023, 1, 2), "2023-12-31"],
        ]
    )
    assert result.ok, result.errors
    assert result.rows[0]["start_date"] == dt.date(2024, 3, 5)
    assert result.rows[0]["end_date"] == dt.date(2024, 3, 31)
    assert result.rows[1]["start_date"] == dt.date(2023, 1, 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 200,50", Decimal("1200.50")),
        ("1,200.50", Decimal("1200.50")),
        ("1200.5", Decimal("1200.50")),
        ("1.200,50", Decimal("1200.50")),
        ("1\u00a0200,5", Decimal("1200.50")),
        ("1'200.50", Decimal("1200.50")),
        ("1,200,000", Decimal("1200000.00")),
        ("0,250", Decimal("0.25")),
        ("1200,500", Decimal("1200.50")),
        ("12,5", Decimal("12.50")),
        ("7", Decimal("7.00")),
        ("0.125", Decimal("0.13")),
    ],
)
def test_numbers_accept_english_and_french_writing(text, expected):
    assert one_value("budget", text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1,200", "ambiguous number '1,200': write 1200 or 1.2"),
        ("1.500", "ambiguous number '1.500': write 1500 or 1.5"),
        ("12 34", "not a number: '12 34'"),
        ("1,2,3", "not a number: '1,2,3'"),
        ("€100", "not a number: '€100'"),
        ("lots", "not a number: 'lots'"),
        ("-5", "must not be negative"),
        ("1e30", "not a number: '1e30'"),
        ("9999999999999", "too large (at most 999999999999.99)"),
    ],
)
def test_bad_numbers_are_errors(text, message):
    assert one_value("budget", text) == [RowError(2, "budget", message)]


def test_fte_has_its_own_upper_limit():
    assert one_value("fte", "2,5") == Decimal("2.50")
    assert one_value("fte", "1000000") == [RowError(2, "fte", "too large (at most 999999.99)")]


def test_numeric_xlsx_cells_are_numbers():
    result = parse_xlsx([["title", "budget", "fte"], ["A", 1200.5, 3]])
    assert result.rows == [{"title": "A", "budget": Decimal("1200.50"), "fte": Decimal("3.00")}]


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_parse_number_reads_back_every_written_form(value):
    english = f"{value:,.2f}"
    french = english.replace(",", " ").replace(".", ",")
    german = english.replace(",", "_").replace(".", ",").replace("_", ".")
    for text in (english, french, german, f"{value:.2f}"):
        assert parse_number(text) == value


@pytest.mark.parametrize(
    ("column", "text", "expected"),
    [
        ("stage", "prototype", "prototype"),
        ("stage", "Prototype or pilot", "prototype"),
        ("stage", "SCALING OR DIFFUSION", "scaling"),
        ("stage", "Completed", "completed"),
        ("priority", "High", "high"),
        ("priority", "low", "low"),
        ("purpose", "ant", "ant"),
        ("purpose", "Mission-oriented", "mis"),
        ("purpose", "enhancement oriented", "enh"),
        ("purpose", "All of these", "all"),
        ("purpose", "Exploring uncertainties and future possibilities", "ant"),
        ("driver", "Adaptive", "ada"),
        ("driver", "Preparing for change to come", "ant"),
        ("priority", "", ""),
    ],
)
def test_choices_accept_ids_and_english_labels_in_any_case(column, text, expected):
    assert one_value(column, text) == expected


@pytest.mark.parametrize(
    ("column", "text", "message"),
    [
        (
            "stage",
            "someday",
            "unknown stage 'someday' (use one of: idea, exploration, prototype, "
            "implementation, scaling, completed, stopped)",
        ),
        ("priority", "urgent", "unknown priority 'urgent' (use one of: high, medium, low)"),
        ("driver", "all", "unknown driver 'all' (use one of: enh, mis, ada, ant)"),
        ("purpose", "radical", "unknown purpose 'radical' (use one of: enh, mis, ada, ant, all)"),
    ],
)
def test_unknown_choices_are_errors_listing_the_allowed_ids(column, text, message):
    assert one_value(column, text) == [RowError(2, column, message)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3; 11", [3, 11]),
        ("SDG 3", [3]),
        ("sdg11;SDG 3; 3", [3, 11]),
        ("Goal 4, 5", [4, 5]),
        ("", []),
    ],
)
def test_sdgs_accept_numbers_and_sdg_labels(text, expected):
    assert one_value("sdgs", text) == expected


def test_bad_sdgs_are_errors():
    assert one_value("sdgs", "18") == [
        RowError(2, "sdgs", "Sustainable Development Goals are numbered 1 to 17, not 18")
    ]
    assert one_value("sdgs", "health") == [
        RowError(2, "sdgs", "not a Sustainable Development Goal: 'health' (use 1 to 17)")
    ]
    assert parse_xlsx([["title", "sdgs"], ["A", 7]]).rows[0]["sdgs"] == [7]


def test_lists_are_split_on_semicolons_trimmed_and_deduplicated():
    assert one_value("partners", " City of Lyon ;; red cross; Red Cross ;") == [
        "City of Lyon",
        "red cross",
    ]
    assert one_value("tags", "") == []


def test_links_must_be_web_addresses():
    assert one_value("links", "https://a.org/x; http://b.org") == [
        "https://a.org/x",
        "http://b.org",
    ]
    assert one_value("links", "https://a.org; www.b.org") == [
        RowError(2, "links", "not a web address: 'www.b.org' (start it with http:// or https://)")
    ]
    assert one_value("links", "javascript:alert(1)")[0].column == "links"


def test_owner_email_must_be_an_address_or_empty():
    assert one_value("owner_email", "ana@example.org") == "ana@example.org"
    assert one_value("owner_email", "") == ""
    assert one_value("owner_email", "ana at example") == [
        RowError(2, "owner_email", "not an e-mail address: 'ana at example'")
    ]


def test_text_columns_have_the_model_lengths():
    assert one_value("key", "k" * 101) == [
        RowError(2, "key", "at most 100 characters (this has 101)")
    ]
    assert one_value("team", "t" * 501)[0].column == "team"
    assert one_value("funding_source", "f" * 201)[0].column == "funding_source"


def test_rows_with_the_same_key_are_errors_naming_both_rows():
    result = parse_csv(
        [["key", "title"], ["P-1", "A"], ["P-2", "B"], ["P-1", "C"], ["P-1", "D"], ["p-1", "E"]]
    )
    assert messages(result) == [
        (4, "key", "rows 2 and 4 have the same key 'P-1'"),
        (5, "key", "rows 2 and 5 have the same key 'P-1'"),
    ]
    assert [r["title"] for r in result.rows] == ["A", "B", "E"]


def test_duplicates_are_found_even_when_a_row_has_other_errors():
    result = parse_csv([["key", "title", "budget"], ["P-1", "A", "lots"], ["P-1", "B", "5"]])
    assert messages(result) == [
        (2, "budget", "not a number: 'lots'"),
        (3, "key", "rows 2 and 3 have the same key 'P-1'"),
    ]
    assert result.rows == []


def test_rows_without_key_with_the_same_title_and_unit_are_errors_naming_both_rows():
    result = parse_csv(
        [
            ["key", "title", "unit"],
            ["", "Open data", "Innovation lab"],
            ["", "Open data", "Digital Services"],
            ["", "open  DATA", "innovation lab"],
            ["K-9", "Open data", "Innovation lab"],
        ]
    )
    assert messages(result) == [
        (4, "title", "rows 2 and 4 have the same title and unit and no key")
    ]
    assert result.row_numbers == [2, 3, 5]


def test_a_csv_cell_starting_with_equals_is_refused_as_a_formula():
    result = parse_csv([["title", "description"], ["A", '=HYPERLINK("http://evil")'], ["=1+1", ""]])
    assert messages(result) == [
        (2, "description", "formulas are not accepted"),
        (3, "title", "formulas are not accepted"),
    ]
    assert result.rows == []


def test_xlsx_formula_cells_are_refused():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["title", "budget", "fte"])
    sheet.append(["A", "=SUM(1,2)", 1])
    sheet.append(["B", 5, 1])
    sheet["C3"] = ArrayFormula("C3:C3", "=SUM(B2:B3)")
    sheet.append(['="C"', 1, 1])
    out = io.BytesIO()
    workbook.save(out)
    result = parse_projects(out.getvalue(), "p.xlsx", known_units=UNITS)
    assert messages(result) == [
        (2, "budget", "formulas are not accepted"),
        (3, "fte", "formulas are not accepted"),
        (4, "title", "formulas are not accepted"),
    ]


def test_xlsx_error_cells_are_errors():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["title", "budget"])
    sheet.append(["A", None])
    sheet["B2"] = "#DIV/0!"
    sheet["B2"].data_type = "e"
    out = io.BytesIO()
    workbook.save(out)
    result = parse_projects(out.getvalue(), "p.xlsx", known_units=UNITS)
    assert messages(result) == [(2, "budget", "the cell holds a spreadsheet error (#DIV/0!)")]


def test_xlsx_reads_the_projects_sheet_even_when_it_is_not_first():
    data = xlsx_bytes([["Title"], ["A"]], title="Projects", before=["readme"])
    result = parse_projects(data, "p.xlsx", known_units=UNITS)
    assert result.rows == [{"title": "A"}]


def test_xlsx_reads_the_first_sheet_when_none_is_called_projects():
    data = xlsx_bytes([["title"], ["A"]], title="Sheet1")
    assert parse_projects(data, "p.XLSX", known_units=UNITS).rows == [{"title": "A"}]


def test_xlsx_with_wrong_stored_dimensions_is_read_in_full():
    data = xlsx_bytes([["title", "unit"], ["A", "Innovation lab"], ["B", "Digital Services"]])
    source = zipfile.ZipFile(io.BytesIO(data))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:A1"', content)
            target.writestr(info, content)
    result = parse_projects(patched.getvalue(), "p.xlsx", known_units=UNITS)
    assert result.rows == [
        {"title": "A", "unit": "Innovation lab"},
        {"title": "B", "unit": "Digital Services"},
    ]


def test_xlsx_and_csv_give_the_same_rows_for_the_same_table():
    table = [
        ["Key", "Title", "Unit", "Stage", "Budget", "SDGs", "Start_date", "Links"],
        ["1", "A", "innovation lab", "Idea", "1 000", "3; 5", "01/02/2024", "https://a.org"],
        ["2", "B", "", "pilot", "2.5", "SDG 1", "2024-02-01", ""],
    ]
    from_csv, from_xlsx = parse_csv(table), parse_xlsx(table)
    assert from_csv.ok and from_xlsx.ok
    assert from_csv.rows == from_xlsx.rows
    assert from_csv.rows[1]["key"] == "2"


def test_numbers_in_text_columns_of_xlsx_lose_the_spurious_decimal():
    result = parse_xlsx([["key", "title"], [1001, 2024.0]])
    assert result.rows == [{"key": "1001", "title": "2024"}]
