import pytest

from toolkit.lexicons import AliasMatcher, fold, folded_tokens


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Défense", "defense"),
        ("L'Armée", "l armee"),
        ("Deir ez-Zor", "deir ez zor"),
        ("Deir ez–Zor", "deir ez zor"),
        ("cœur", "coeur"),
        ("Straße", "strasse"),
        ("ÇA", "ca"),
        ("Ménaka’s", "menaka s"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize("text", ["Le cœur de Ménaka", "Œuvre d'Ali à Deir ez-Zor", "Straße 12, Kyiv"])
def test_folded_tokens_point_back_into_the_original_text(text):
    for token in folded_tokens(text):
        assert fold(text[token.start : token.end]) == token.norm


@pytest.fixture
def matcher():
    return AliasMatcher(
        [
            ("ministère de la Défense", "MoD"),
            ("ministère russe de la Défense", "Russian MoD"),
            ("Russian defence ministry", "Russian MoD"),
            ("Etat islamique", "IS"),
            ("EI", "IS"),
            ("IS", "IS"),
            ("Deir ez-Zor", "Deir ez-Zor"),
        ]
    )


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Le ministère russe de la Défense a annoncé", [("ministère russe de la Défense", "Russian MoD")]),
        ("selon le ministere de la defense", [("ministere de la defense", "MoD")]),
        ("the Russian Defence Ministry said", [("Russian Defence Ministry", "Russian MoD")]),
        ("l'État islamique et l'EI près de Deir ez–Zor", [("État islamique", "IS"), ("EI", "IS"), ("Deir ez–Zor", "Deir ez-Zor")]),
        # acronyms only in capitals; words only whole
        ("it is the ei of the storm", []),
        ("the ISIS fighters", []),
        ("IS fighters near Deir ez Zor", [("IS", "IS"), ("Deir ez Zor", "Deir ez-Zor")]),
    ],
)
def test_alias_matcher_finds_the_longest_leftmost_whole_aliases(matcher, text, found):
    assert [(match.text, match.value) for match in matcher.iter_matches(text)] == found


def test_alias_lookup_exact_and_fuzzy(matcher):
    assert matcher.lookup("Ministère de la défense") == "MoD"
    assert matcher.lookup("Deir ez-Zour") is None
    assert matcher.lookup("Deir ez-Zour", fuzzy=True, score_cutoff=85.0) == "Deir ez-Zor"


def test_folding_in_place_keeps_offsets():
    from toolkit.lexicons import fold, fold_in_place

    text = "Nœud ferroviaire de l’Œuvre, à Deir ez‑Zor"
    assert len(fold_in_place(text)) == len(text)
    assert fold_in_place(text).split() == fold(text).replace("oe", "o").split()


@pytest.mark.parametrize(
    ("text", "country"),
    [("les forces armées ukrainiennes", "UA"), ("des militaires russes", "RU"), ("les troupes afghanes", "AF"),
     ("Afghans", "AF"), ("les soldats maliens", "ML"), ("la délégation syrienne", "SY")],
)
def test_demonyms_in_every_gender_and_number(text, country):
    from toolkit import demonyms

    assert [match.value for match in demonyms().iter_matches(text)] == [country]
