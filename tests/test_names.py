"""Folding names for lookup: spellings that a researcher would call the same give the same key."""

from __future__ import annotations

import pytest

from graph.names import fold


@pytest.mark.parametrize(
    ("variant", "key"),
    [
        ("Testa Personova", "testa personova"),
        ("  TESTA\tPersonova\n", "testa personova"),
        ("Tésta Pérsonová", "testa personova"),
        ("Testa-Personova", "testa personova"),
        ("Testa_Personova", "testa personova"),
        ("Testa \u2013 Personova", "testa personova"),  # en dash between spaces
        ("Testa\u00a0Personova", "testa personova"),  # no-break space
        ("Straße", "strasse"),
        ("O'Brien", "obrien"),
        ("O\u2019Brien", "obrien"),  # right single quotation mark
        ("\u201cExampleton\u201d", "exampleton"),
        ("«Exampleton»", "exampleton"),
        ("Sa\u02bfid", "said"),  # modifier letter left half ring (transliterated ayn)
        ("\u0639\u0644\u064a", "\u0639\u0644\u06cc"),  # Arabic yeh -> Persian yeh
        ("\u0645\u0648\u0633\u0649", "\u0645\u0648\u0633\u06cc"),  # alef maksura -> Persian yeh
        ("\u0643\u0631\u064a\u0645", "\u06a9\u0631\u06cc\u0645"),  # Arabic kaf -> keheh
        ("\u0641\u0627\u0637\u0645\u0629", "\u0641\u0627\u0637\u0645\u0647"),  # teh marbuta -> heh
        ("\u0645\u064f\u062d\u064e\u0645\u0651\u064e\u062f", "\u0645\u062d\u0645\u062f"),  # harakat
        ("\u0645\u0640\u0640\u062d\u0645\u062f", "\u0645\u062d\u0645\u062f"),  # tatweel
        ("\u0645\u06cc\u200c\u0631\u0648\u0645", "\u0645\u06cc\u0631\u0648\u0645"),  # ZWNJ
        ("\u0645\u06cc\u200d\u0631\u0648\u0645", "\u0645\u06cc\u0631\u0648\u0645"),  # ZWJ
        ("Testa\u200bPersonova", "testapersonova"),  # zero-width space
        ("\ufeffTesta", "testa"),  # byte-order mark
        ("\u200fTesta Personova\u200e", "testa personova"),  # right-to-left and left-to-right marks
        ("\u0634\u0639\u0628\u0647 \u06f2\u06f6", "\u0634\u0639\u0628\u0647 26"),  # Persian digits
        ("", ""),
        ("  -_- ", ""),
    ],
)
def test_fold(variant: str, key: str) -> None:
    """Each variant folds to exactly the expected key."""
    assert fold(variant) == key


def test_persian_and_arabic_spellings_meet() -> None:
    """A name typed with an Arabic keyboard finds the Persian spelling, and the reverse."""
    persian = "\u06a9\u0631\u06cc\u0645 \u0639\u0644\u06cc\u200c\u0632\u0627\u062f\u0647"
    arabic = "\u0643\u0631\u064a\u0645 \u0639\u0644\u064a\u0632\u0627\u062f\u0647"
    assert fold(persian) == fold(arabic)


def test_fold_is_idempotent() -> None:
    """Folding a key again changes nothing, so stored keys and folded queries always agree."""
    for text in ("Tésta-Pérsonová", "\u0643\u0631\u064a\u0645", "O\u2019Brien  Jr."):
        assert fold(fold(text)) == fold(text)


def test_different_names_stay_different() -> None:
    """Folding does not merge names that differ in letters."""
    assert fold("Testa Personova") != fold("Testa Personov")
    assert fold("\u0639\u0644\u06cc") != fold("\u0639\u0627\u0644\u06cc")
