"""One-off generator: seed core/gazetteer/countries.tsv (codes and names) from pycountry.

Run by hand (`.venv/bin/python bench/seed_gazetteer.py`) only when ISO 3166-1 changes; the product
reads the committed TSV and never imports pycountry. Aliases, demonyms, capitals, leaders and
blockers are ours and live in the other files of core/gazetteer/.
"""

from __future__ import annotations

from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parent.parent / "core" / "gazetteer" / "countries.tsv"

# Display names: the short name a newsroom would print, where ISO's differs.
DISPLAY_NAMES = {
    "BES": "Caribbean Netherlands",
    "BOL": "Bolivia",
    "BRN": "Brunei",
    "CIV": "Ivory Coast",
    "COD": "DR Congo",
    "COG": "Republic of the Congo",
    "CPV": "Cape Verde",
    "CZE": "Czechia",
    "FSM": "Micronesia",
    "GBR": "United Kingdom",
    "IRN": "Iran",
    "KOR": "South Korea",
    "LAO": "Laos",
    "MAC": "Macau",
    "MDA": "Moldova",
    "PRK": "North Korea",
    "PSE": "Palestine",
    "RUS": "Russia",
    "SHN": "Saint Helena",
    "SYR": "Syria",
    "TUR": "Turkey",
    "TWN": "Taiwan",
    "TZA": "Tanzania",
    "USA": "United States",
    "VAT": "Vatican City",
    "VEN": "Venezuela",
    "VGB": "British Virgin Islands",
    "VIR": "U.S. Virgin Islands",
    "VNM": "Vietnam",
}


def _rows() -> list[tuple[str, str, str, str, str]]:
    rows = []
    for country in pycountry.countries:
        iso3 = country.alpha_3
        name = DISPLAY_NAMES.get(iso3) or getattr(country, "common_name", None) or country.name
        official = getattr(country, "official_name", "") or ""
        if ", " in official or official == name:
            official = ""
        rows.append((iso3, country.alpha_2, country.numeric, name, official.removeprefix("the ")))
    rows.append(("XKX", "XK", "", "Kosovo", "Republic of Kosovo"))
    return sorted(rows)


def main() -> None:
    """Write countries.tsv: iso3, iso2, numeric, name, official_name."""
    lines = ["iso3\tiso2\tnumeric\tname\tofficial_name"]
    lines += ["\t".join(row) for row in _rows()]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines) - 1} countries to {OUT}")


if __name__ == "__main__":
    main()
