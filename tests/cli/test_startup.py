"""The command starts fast: `gongkai --help` and `gongkai deadline` load neither Django nor the document readers."""
import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from gongkai.cli import COMMANDS, app

HEAVY = ("django", "pdfplumber", "pdfminer", "pypdfium2", "rapidocr", "onnxruntime", "cv2", "docx", "openpyxl",
         "lxml", "gongkai.read", "gongkai.web", "gongkai.checks", "pyarrow", "duckdb", "matplotlib")

PROBE = """
import json, sys
from gongkai.cli import main
sys.argv = ["gongkai", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\n@@" + json.dumps(sorted(sys.modules)))
"""


def loaded(*args):
    res = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], check=False, capture_output=True, text=True, timeout=60)
    return res.stdout, json.loads(res.stderr.rsplit("@@", 1)[1])


@pytest.mark.parametrize("args", [("--help",), ("deadline", "2024-09-27"), ("fee", "--items", "45")])
def test_light_commands_load_nothing_heavy(args):
    out, modules = loaded(*args)
    assert out.strip(), "the command printed nothing"
    heavy = [m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)]
    assert heavy == []


def test_parse_of_a_text_file_loads_no_pdf_library_nor_django():
    out, modules = loaded("parse", "/work/shared/corpus/dev/pingtan-2023.txt", "--json")
    if not out.strip():
        pytest.skip("needs ../shared/corpus/dev")
    heavy = [m for m in modules if m.split(".")[0] in ("django", "pdfplumber", "pdfminer", "pypdfium2", "rapidocr",
                                                        "onnxruntime", "cv2", "matplotlib", "duckdb", "pyarrow")]
    assert heavy == [] and "gongkai.read" in modules


def test_a_heavy_command_still_loads_what_it_needs():
    _, modules = loaded("check", "--help")
    assert "gongkai.checks" in modules and "django" not in modules


def test_the_command_list_matches_each_commands_own_help():
    runner = CliRunner()
    listing = runner.invoke(app, ["--help"], terminal_width=400).output
    for name, (_module, line) in COMMANDS.items():
        assert name in listing
        res = runner.invoke(app, [name, "--help"], terminal_width=400)
        assert res.exit_code == 0, (name, res.output)
        first = " ".join(res.output.split())
        assert " ".join(line.split())[:20] in first, name  # the table's line is the command's docstring


def test_unknown_command_is_an_error():
    res = CliRunner().invoke(app, ["nosuch"])
    assert res.exit_code == 2
