"""Reading the response category from the response prose when the category field is empty.

Only the opening sentence is read, and only when it says plainly whether the recommendation is
accepted ("Accepted.", "Agreed.", "Accepted partially.", "Don't agree ...", "Aceptada.",
"Acceptée partiellement."): anything less clear is left without a category. Partial acceptance
is tested first, then refusal, then acceptance, because "not accepted" contains "accepted".
"""

from __future__ import annotations

import re

ACCEPTED = "Accepted"
PARTIALLY_ACCEPTED = "Partially Accepted"
REJECTED = "Rejected"

_ACCEPT_EN = r"(?:accept(?:s|ed)?|agree(?:s|d)?)"
_ACCEPT_ES = r"(?:acepta(?:da|do|mos)?|de\s+acuerdo)"
_ACCEPT_FR = r"(?:accept(?:e|ée|é|ons)|d'accord)"
_ACCEPT = rf"(?:{_ACCEPT_EN}|{_ACCEPT_ES}|{_ACCEPT_FR})"
_PARTLY = r"(?:partially|partly|in\s+part|parcialmente|en\s+parte|partiellement|en\s+partie)"

_RULES = (
    (PARTIALLY_ACCEPTED, re.compile(rf"\b(?:{_PARTLY}\s+{_ACCEPT}|{_ACCEPT}\s+{_PARTLY})\b", re.I)),
    (
        REJECTED,
        re.compile(
            r"\b(?:not\s+(?:be\s+)?(?:accepted|agreed)|rejected|rejects|disagree[sd]?"
            r"|(?:do|does)\s+not\s+(?:agree|accept)|don't\s+(?:agree|accept)"
            r"|doesn't\s+(?:agree|accept)|no\s+(?:se\s+)?acepta(?:da|do)?|rechazad[ao]"
            r"|non\s+accept[ée]e?|n'accepte\s+pas|rejet[ée]e?)\b",
            re.I,
        ),
    ),
    (ACCEPTED, re.compile(rf"\b{_ACCEPT}\b", re.I)),
)
_FIRST_SENTENCE = re.compile(r"^.*?(?:[.!;:](?=\s|$)|$)", re.S)
_MAX_OPENING = 200  # an opening longer than this is a paragraph, not a verdict


def inferred_category(response_text: str) -> str:
    """ "Accepted", "Partially Accepted" or "Rejected" when the response opens by saying so."""
    text = response_text.replace("’", "'").replace("‘", "'").strip()
    opening = _FIRST_SENTENCE.match(text)
    sentence = opening.group(0)[:_MAX_OPENING] if opening else ""
    for category, pattern in _RULES:
        if pattern.search(sentence):
            return category
    return ""
