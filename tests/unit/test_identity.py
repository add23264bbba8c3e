from core.identity import normalise_title, title_key, url_key


def test_same_url_with_tracking_params_is_one_article() -> None:
    a = url_key("https://Example.org/news/1?utm_source=rss#top", None, "S", "T", "")
    b = url_key("https://example.org/news/1", None, "S", "Other title", "")
    assert a == b


def test_without_url_the_guid_decides_within_a_source() -> None:
    assert url_key(None, "g1", "S", "T", "") == url_key(None, "g1", "S", "X", "")
    assert url_key(None, "g1", "S", "T", "") != url_key(None, "g1", "Other", "T", "")


def test_titles_fold_case_accents_and_punctuation() -> None:
    assert normalise_title("Côte d’Ivoire: Élection!") == normalise_title("cote d ivoire election")
    assert title_key("A title", "S1") != title_key("A title", "S2")
