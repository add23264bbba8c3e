"""Every setting has a line in the README's configuration table (Datasette's test_docs habit)."""

from pathlib import Path

import pytest

from core.config import describe, load_settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("variable", [name for name, _ in describe(load_settings({}))])
def test_setting_is_documented(variable: str) -> None:
    assert f"`{variable}`" in README
