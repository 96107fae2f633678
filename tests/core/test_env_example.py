import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_env_example_lists_every_variable_the_settings_read():
    sources = (ROOT / "src/facetscope/settings.py").read_text()
    read = set(re.findall(r'env_(?:str|bool|int|list|secret|choice)\(\s*"([A-Z_]+)"', sources))
    listed = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read - listed == set()
