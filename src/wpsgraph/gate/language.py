"""The language of one text (en, es or fr), by counting function words.

GATE prints its labels in English, but the content a unit types may be English, Spanish or
French, and one page can mix them; so the language is decided per text, not per page.

The rule: count the words of the text that are function words of only one of the three
languages (articles, prepositions, pronouns; plus a few words every management response uses,
such as "aceptada" or "recommandation"). The language with the most wins if it has at least two,
or at least one in a text of three words or fewer; otherwise, and on a tie, the text is English,
the language GATE itself is written in.
"""

from __future__ import annotations

import re
from collections import Counter

ENGLISH = "en"
SPANISH = "es"
FRENCH = "fr"

_WORDS = {
    ENGLISH: (
        "the and of to in will with for is are on this be by its that as at from has have an "
        "which was were their it not or all accepted agreed recommendation office women"
    ),
    SPANISH: (
        "el los las del y en que con por para una se su sus es al lo como más este esta "
        "aceptada aceptado acepta recomendación oficina mujeres género país apoyo según también"
    ),
    FRENCH: (
        "le les des du et dans pour avec une est sont au aux sur par qui ce cette ses leur "
        "l d qu acceptée accepté accepte recommandation bureau femmes pays appui selon aussi"
    ),
}
# A word several languages share ("la", "de", "en", "un") tells nothing.
_OWNERS = Counter(word for words in _WORDS.values() for word in set(words.split()))
_DISTINCTIVE = {
    word: language
    for language, words in _WORDS.items()
    for word in words.split()
    if _OWNERS[word] == 1
}
_TOKEN = re.compile(r"[^\W\d_]+")


def detect_language(text: str) -> str:
    """ "en", "es" or "fr" for a content text (see the module docstring for the rule)."""
    tokens = [t.lower() for t in _TOKEN.findall(text)]
    counts = Counter(_DISTINCTIVE[t] for t in tokens if t in _DISTINCTIVE)
    ranked = counts.most_common()
    if not ranked:
        return ENGLISH
    best, score = ranked[0]
    if len(ranked) > 1 and ranked[1][1] == score:
        return ENGLISH
    if score >= 2 or (score >= 1 and len(tokens) <= 3):
        return best
    return ENGLISH
