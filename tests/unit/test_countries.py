"""The country matcher, one hard case per row (docs/COUNTRY-MENTIONS.md is the definition)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.countries import Country, all_countries, country_name, find_mentions

DAY = dt.date(2026, 2, 18)


def found(text: str, published: dt.date | None = DAY) -> list[tuple[str, str]]:
    """(iso3, surface) of every mention, in order."""
    return [(m.iso3, m.surface) for m in find_mentions(text, published)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # names, short forms, older names, demonyms
        ("China and Russia met.", [("CHN", "China"), ("RUS", "Russia")]),
        ("The People's Republic of China said", [("CHN", "People's Republic of China")]),
        ("The People’s Republic of China said", [("CHN", "People’s Republic of China")]),
        ("U.S. and UK officials", [("USA", "U.S."), ("GBR", "UK")]),
        ("the USA and America", [("USA", "USA"), ("USA", "America")]),
        ("Britain and Great Britain", [("GBR", "Britain"), ("GBR", "Great Britain")]),
        ("Russian Federation", [("RUS", "Russian Federation")]),
        ("UAE and DRC and DR Congo", [("ARE", "UAE"), ("COD", "DRC"), ("COD", "DR Congo")]),
        ("Ivory Coast, Côte d'Ivoire", [("CIV", "Ivory Coast"), ("CIV", "Côte d'Ivoire")]),
        ("Czechia, the Czech Republic", [("CZE", "Czechia"), ("CZE", "Czech Republic")]),
        ("Türkiye, once Turkey", [("TUR", "Türkiye"), ("TUR", "Turkey")]),
        ("Myanmar, formerly Burma", [("MMR", "Myanmar"), ("MMR", "Burma")]),
        ("Eswatini, formerly Swaziland", [("SWZ", "Eswatini"), ("SWZ", "Swaziland")]),
        ("Chinese and Russians", [("CHN", "Chinese"), ("RUS", "Russians")]),
        ("Emirati and Filipino workers", [("ARE", "Emirati"), ("PHL", "Filipino")]),
        ("the Kiwis won", [("NZL", "Kiwis")]),
        ("CHINA WARNS JAPAN", [("CHN", "CHINA"), ("JPN", "JAPAN")]),
        # own entries
        ("Taiwan and Palestine", [("TWN", "Taiwan"), ("PSE", "Palestine")]),
        ("Kosovo, Hong Kong, Macau", [("XKX", "Kosovo"), ("HKG", "Hong Kong"), ("MAC", "Macau")]),
        ("Trump wants Greenland", [("USA", "Trump"), ("GRL", "Greenland")]),
        # seats of government always stand for the state
        ("the Kremlin said", [("RUS", "Kremlin")]),
        ("the White House and the Pentagon", [("USA", "White House"), ("USA", "Pentagon")]),
        ("Downing Street and Whitehall", [("GBR", "Downing Street"), ("GBR", "Whitehall")]),
        ("the Élysée said", [("FRA", "Élysée")]),
        ("Zhongnanhai decided", [("CHN", "Zhongnanhai")]),
    ],
)
def test_names_demonyms_and_seats(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tensions in the South China Sea", []),
        ("the East China Sea and Sea of Japan", []),
        ("oil in the Gulf of Mexico", []),
        ("the Indian Ocean", []),
        ("crossing the English Channel", []),
        ("ships in the Taiwan Strait", []),
        ("New Mexico and Mexico", [("MEX", "Mexico")]),
        ("Papua New Guinea", [("PNG", "Papua New Guinea")]),
        (
            "Guinea-Bissau and Equatorial Guinea",
            [("GNB", "Guinea-Bissau"), ("GNQ", "Equatorial Guinea")],
        ),
        ("South Sudan and Sudan", [("SSD", "South Sudan"), ("SDN", "Sudan")]),
        ("the Dominican Republic", [("DOM", "Dominican Republic")]),
        ("Dominica", [("DMA", "Dominica")]),
        ("Niger and Nigeria", [("NER", "Niger"), ("NGA", "Nigeria")]),
        ("Republic of the Congo", [("COG", "Republic of the Congo")]),
        ("Democratic Republic of the Congo", [("COD", "Democratic Republic of the Congo")]),
        ("Latin American and South American leaders", []),
        ("North American markets", []),
        ("New South Wales", []),
        ("New Jersey and Jersey", []),
        ("England, Scotland and Wales", []),
        ("the Washington Post reported", []),
        ("USA Today reported", []),
        ("Bank of America and the Bank of England", []),
        ("Michael Jordan scored", []),
        ("George Washington", []),
        ("Washington state passed a law", []),
        ("NATO, the EU, the UN, ASEAN, AUKUS and the G7", []),
        ("it costs US$5", []),
        ("French fries, French doors and Brazil nuts", []),
        ("a Danish pastry", []),
        ("Italian food", [("ITA", "Italian")]),
        ("Antarctica", []),
        ("Northern Ireland and Ireland", [("IRL", "Ireland")]),
        ("Xinjiang, Kerala, Texas and Crimea", []),
    ],
)
def test_exclusions(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("let us go", []),
        ("US troops", [("USA", "US")]),
        ("fine china plates", []),
        ("a roast turkey", []),
        ("Turkey said", [("TUR", "Turkey")]),
        ("Chad Smith played drums", []),
        ("Chad held elections", [("TCD", "Chad")]),
        ("Jordan Bardella spoke", []),
        ("Jordan and Egypt", [("JOR", "Jordan"), ("EGY", "Egypt")]),
        ("UN rapporteur Francesca Albanese said", []),
        ("Francesca Albanese spoke. Later Albanese said more.", []),
        ("Prime Minister Albanese said", [("AUS", "Albanese")]),
        ("Israel Katz said", []),
        ("Paris Hilton", []),
        ("Xi'an is a city", []),
        ("Pope Pius XI", []),
        ("a guinea pig", []),
        ("in Georgia, Gov. Brian Kemp signed", []),
        ("Georgia's Senate race is close", []),
        ("the Georgia Bulldogs won", []),
        (
            "Georgia and Armenia signed, Tbilisi said",
            [("GEO", "Georgia"), ("ARM", "Armenia"), ("GEO", "Tbilisi")],
        ),
        ("Georgia held protests", [("GEO", "Georgia")]),
        ("Korea talks with Pyongyang", [("PRK", "Korea"), ("PRK", "Pyongyang")]),
        ("Korea talks, Seoul said", [("KOR", "Korea"), ("KOR", "Seoul")]),
        ("Korean pop music", [("KOR", "Korean")]),
        (
            "peace on the Korean Peninsula",
            [("PRK", "Korean Peninsula"), ("KOR", "Korean Peninsula")],
        ),
        ("North Korea and South Korea", [("PRK", "North Korea"), ("KOR", "South Korea")]),
        ("Congo's army", [("COD", "Congo")]),
        ("UN rights chief Volker Turk said", []),
        ("Mr. Jordan pressed the witness", []),
        ("Rep. Jim Jordan said", []),
        ("Mr. French argues", []),
        ("Jordan, Egypt and Israel", [("JOR", "Jordan"), ("EGY", "Egypt"), ("ISR", "Israel")]),
        ("former congressman Steve Israel", []),
        ("Here are the shifts, with Georgia's 6th district and Republicans", []),
        ("comedian Dawn French", []),
        ("A Turk and a Pole walked in", [("TUR", "Turk"), ("POL", "Pole")]),
        ("performing the show in Spanish.", []),
        ("a speaker of Korean and English", []),
        ("she speaks French, he speaks German", []),
        ("the port is in Chinese hands", [("CHN", "Chinese")]),
        ("Most Germans feel safe", [("DEU", "Germans")]),
        ("Chinese New Year celebrations", [("CHN", "Chinese")]),
    ],
)
def test_ambiguous_words(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tensions between Washington and Beijing", [("USA", "Washington"), ("CHN", "Beijing")]),
        ("Tehran's nuclear program", [("IRN", "Tehran")]),
        ("allies support Kyiv", [("UKR", "Kyiv")]),
        ("Moscow said on Monday", [("RUS", "Moscow")]),
        ("WASHINGTON (Reuters) - The plan", []),
        ("AMMAN/BEIRUT (Reuters) - Rebels", []),
        ("LONDON: Britain should", [("GBR", "Britain")]),
        ("in the capital Tehran", []),
        ("a London hotel", []),
        ("he will travel to Washington", []),
        ("a Paris-based group", []),
        ("the Berlin International Film Festival", []),
        ("protests in Beijing", []),
        ("the Paris Agreement", []),
        ("from Brussels to Brasilia", []),
        ("professor Jeff Kingston says", []),
        ("east Jerusalem", []),
        ("a Beijing-backed group", [("CHN", "Beijing")]),
        ("Brussels wants tariffs on steel", []),
        ("from Hong Kong to Buenos Aires", [("HKG", "Hong Kong")]),
        ("during a visit to Budapest", []),
        ("in big cities like Berlin", []),
        ("after the fall of Kabul", []),
        ("the Paris prosecutor’s office said", []),
        ("Tokyo and Beijing will benefit", [("JPN", "Tokyo"), ("CHN", "Beijing")]),
        ("the director of the London Academy of Diplomacy", []),
        ("Sean Spicer is the new Baghdad Bob.", []),
        ("Trump Warns Tehran Over Nuclear Talks", [("USA", "Trump"), ("IRN", "Tehran")]),
        ("Washington Thursday imposed sanctions", [("USA", "Washington")]),
        ("Nairobi -- Aviation workers have suspended a strike", []),
        ("[Capital FM] Nairobi -- Pilots have warned", []),
        ("KYIV, Ukraine (AP) — Drones hit", [("UKR", "Ukraine")]),
        ("after meetings in Paris, Seoul and London", []),
        (
            "talks between Paris, Seoul and Tokyo",
            [("FRA", "Paris"), ("KOR", "Seoul"), ("JPN", "Tokyo")],
        ),
        ("pledges ahead of Washington summit", []),
        ("under the 2025 Washington Accords.", []),
        ("the co-creator of ‘Tehran,’ died", []),
        ("Speaking from Ramallah, an analyst said", []),
        ("An Air India jet to London crashed", []),
    ],
)
def test_capitals_count_only_for_the_state(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("Trump said", dt.date(2026, 2, 18), [("USA", "Trump")]),
        ("Biden said", dt.date(2026, 2, 18), []),
        ("Biden said", dt.date(2023, 5, 1), [("USA", "Biden")]),
        ("Trump said", dt.date(2023, 5, 1), []),
        ("Trump said", dt.date(2019, 5, 1), [("USA", "Trump")]),
        ("Biden said", dt.date(2025, 1, 19), [("USA", "Biden")]),
        ("Biden said", dt.date(2025, 1, 20), []),
        ("Trump said", dt.date(2025, 1, 20), [("USA", "Trump")]),
        ("former President Trump said", dt.date(2026, 2, 18), []),
        ("President-elect Trump said", dt.date(2026, 2, 18), []),
        ("President Xi Jinping met Putin", DAY, [("CHN", "Xi Jinping"), ("RUS", "Putin")]),
        ("President Xi said", DAY, [("CHN", "Xi")]),
        ("Taiwan's President Lai Ching-te said", DAY, [("TWN", "Taiwan"), ("TWN", "Lai Ching-te")]),
        ("President Lai said", DAY, [("TWN", "Lai")]),
        ("Mr Lai said", DAY, []),
        ("Donald Trump's plan", DAY, [("USA", "Donald Trump")]),
        ("Eric Trump said", DAY, []),
        ("Maduro spoke", dt.date(2025, 6, 1), [("VEN", "Maduro")]),
        ("Maduro spoke", dt.date(2026, 2, 1), []),
        ("Starmer and Sunak", dt.date(2024, 1, 1), [("GBR", "Sunak")]),
        ("Starmer and Sunak", dt.date(2025, 1, 1), [("GBR", "Starmer")]),
        ("buy $TRUMP coins", DAY, []),
        ("Prime Minister May said", dt.date(2018, 3, 1), [("GBR", "May")]),
        ("In May she said", dt.date(2018, 3, 1), []),
        ("former Prime Minister May said", dt.date(2018, 3, 1), []),
        ("the vice president said", DAY, []),
    ],
)
def test_leaders_count_only_while_in_office(
    text: str, published: dt.date, expected: list[tuple[str, str]]
) -> None:
    assert found(text, published) == expected


def test_no_date_means_today() -> None:
    today = find_mentions("Trump and Biden")
    assert [m.surface for m in today] == [
        m.surface for m in find_mentions("Trump and Biden", dt.date.today())
    ]


def test_a_datetime_is_accepted_as_the_date() -> None:
    assert found("Biden said", dt.datetime(2023, 5, 1, 12, 0)) == [("USA", "Biden")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Israeli-held territory", [("ISR", "Israeli")]),
        ("U.S.-Iran talks", [("USA", "U.S."), ("IRN", "Iran")]),
        ("China's economy", [("CHN", "China")]),
        ("China’s economy", [("CHN", "China")]),
        ("the Americans' view", [("USA", "Americans")]),
        ("anti-American protests", [("USA", "American")]),
        ("US-China trade", [("USA", "US"), ("CHN", "China")]),
        ("Sino-American ties", [("CHN", "Sino"), ("USA", "American")]),
        ("the Russo-Ukrainian war", [("RUS", "Russo"), ("UKR", "Ukrainian")]),
        ("Sino is a name", []),
        ("the States and the Emirates", [("USA", "States"), ("ARE", "Emirates")]),
        ("The Philippines and the Netherlands", [("PHL", "Philippines"), ("NLD", "Netherlands")]),
        ("Iranian", [("IRN", "Iranian")]),
        ("Iranians", [("IRN", "Iranians")]),
        ("Chinatown", []),
        ("Omani", [("OMN", "Omani")]),
        ("ROMANIA", [("ROU", "ROMANIA")]),
    ],
)
def test_spans_are_the_country_part_only(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_spans_are_offsets_into_the_original_text() -> None:
    text = "Ünïcödé ‘quotes’ — then İstanbul, Türkiye’s city, and the U.S.\nBeijing said."
    mentions = find_mentions(text, DAY)
    assert [m.surface for m in mentions] == ["Türkiye", "U.S.", "Beijing"]
    assert all(text[m.start : m.end] == m.surface for m in mentions)


def test_mentions_are_sorted_by_start() -> None:
    mentions = find_mentions("Russia, then China, then Russia and India.", DAY)
    starts = [m.start for m in mentions]
    assert starts == sorted(starts)
    assert len(mentions) == 4


def test_empty_text_has_no_mentions() -> None:
    assert find_mentions("", DAY) == []


def test_every_country_and_kosovo_are_listed() -> None:
    countries = {c.iso3: c for c in all_countries()}
    assert len(countries) == 250
    assert countries["XKX"] == Country("XKX", "Kosovo", None, "XK")
    assert countries["CHN"] == Country("CHN", "China", "156", "CN")
    assert {"TWN", "PSE", "HKG", "MAC", "GRL"} <= set(countries)


@pytest.mark.parametrize(
    ("iso3", "name"),
    [("CHN", "China"), ("USA", "United States"), ("GBR", "United Kingdom"), ("KOR", "South Korea")],
)
def test_country_name(iso3: str, name: str) -> None:
    assert country_name(iso3) == name


def test_country_name_of_an_unknown_code_raises() -> None:
    with pytest.raises(KeyError):
        country_name("XXX")


def test_every_country_name_is_found_as_itself() -> None:
    missing = []
    for country in all_countries():
        if country.iso3 in {"ATA", "JEY"}:  # dropped on purpose, see aliases.tsv
            continue
        hits = find_mentions(f"News about {country.name} today.", DAY)
        if [m.iso3 for m in hits] != [country.iso3]:
            missing.append((country.iso3, country.name, [m.iso3 for m in hits]))
    assert missing == []


def _data_rows(name: str) -> list[list[str]]:
    """Data rows of a gazetteer TSV file (comments and header skipped)."""
    path = Path(__file__).resolve().parents[2] / "core" / "gazetteer" / name
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [line.split("\t") for line in lines if not line.startswith("#")]
    return rows[1:]


def _leader_cases() -> list[tuple[str, str, dt.date]]:
    cases = []
    for row in _data_rows("leaders.tsv"):
        day = dt.date.fromisoformat(row[3]) if row[3] else DAY
        cases += [(row[0], alias, day) for alias in row[1].split("|")]
    return cases


@pytest.mark.parametrize(("iso3", "alias", "day"), _leader_cases())
def test_every_leader_alias_counts_on_the_first_day_in_office(
    iso3: str, alias: str, day: dt.date
) -> None:
    hits = find_mentions(f"On Monday {alias} spoke.", day)
    assert [m.iso3 for m in hits] == [iso3]


def _alias_cases() -> list[tuple[str, str]]:
    cases = []
    for row in _data_rows("aliases.tsv"):
        iso3, kind, aliases, flags = row[0], row[1], row[2], row[3] if len(row) > 3 else ""
        if kind in ("name", "demonym", "seat") and not flags and "|" not in iso3:
            cases += [(iso3, alias.removeprefix("the ")) for alias in aliases.split("|")]
    return cases


@pytest.mark.parametrize(("iso3", "alias"), _alias_cases())
def test_every_plain_alias_is_found_as_its_country(iso3: str, alias: str) -> None:
    hits = find_mentions(f"News about the {alias} today.", DAY)
    assert [m.iso3 for m in hits] == [iso3]


@pytest.mark.parametrize("row", _data_rows("leaders.tsv"), ids=lambda row: row[1][:30])
def test_leader_terms_are_well_formed(row: list[str]) -> None:
    assert row[2] in ("head_of_state", "head_of_government")
    start = dt.date.fromisoformat(row[3])
    if row[4]:
        assert dt.date.fromisoformat(row[4]) > start


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kremlin Jewels go on show in London", []),
        ("He launched a White House run in 2015", []),
        ("The Kremlin said talks would continue", ["RUS"]),
        ("a Moscow court sentenced him", []),
    ],
)
def test_names_built_on_a_seat_of_government(text: str, expected: list[str]) -> None:
    assert [m.iso3 for m in find_mentions(text)] == expected
