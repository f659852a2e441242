"""Resource conditions hidden in commitment text ("subject to availability of funds", "sujeto a la
disponibilidad de fondos", "sous réserve des ressources disponibles"): a commitment that depends
on money is weaker than one that does not, so they are kept as data."""

from __future__ import annotations

import re

# --- English ------------------------------------------------------------------------------------
_MONEY = r"(?:resources|funds|funding|financing)"
_AVAILABILITY = (
    rf"(?:the\s+)?(?:availability\s+of\s+(?:the\s+)?(?:necessary\s+)?{_MONEY}|available\s+{_MONEY})"
)
_ENGLISH = (
    rf"(?:subject\s+to|depending\s+on|dependent\s+on|pending)\s+{_AVAILABILITY}"
    rf"|within\s+(?:the\s+)?(?:available\s+{_MONEY}|{_MONEY}\s+available)"
    rf"|{_MONEY}\s+permitting"
    rf"|if\s+{_MONEY}\s+(?:allow|permit|are\s+available|is\s+available)"
)

# --- Spanish: "sujeto a la disponibilidad de fondos", "según los recursos disponibles" ----------
_DINERO = r"(?:recursos|fondos|financiamiento|financiación|financiacion)"
_DISPONIBLES = (
    rf"(?:(?:la\s+)?disponibilidad\s+de\s+(?:los\s+)?(?:recursos\s+|fondos\s+)?{_DINERO}"
    rf"|(?:los\s+)?{_DINERO}\s+disponibles)"
)
_SPANISH = (
    rf"(?:sujet[oa]s?\s+a|dependiendo\s+de|en\s+funci[oó]n\s+de|seg[uú]n|conforme\s+a)"
    rf"\s+{_DISPONIBLES}"
    rf"|dentro\s+de\s+(?:los\s+)?{_DINERO}\s+disponibles"
    rf"|si\s+(?:los\s+|las\s+)?{_DINERO}\s+(?:lo\s+)?permiten"
)

# --- French: "sous réserve des ressources disponibles", "selon la disponibilité des fonds" -------
_ARGENT = r"(?:ressources|fonds|financements?)"
_DISPONIBILITE = (
    rf"(?:(?:de\s+)?la\s+disponibilit[ée]\s+(?:des|de)\s+{_ARGENT}(?:\s+disponibles)?"
    rf"|(?:des|de)\s+{_ARGENT}(?:\s+disponibles)?)"
)
_FRENCH = (
    rf"(?:sous\s+r[ée]serve|en\s+fonction|selon|suivant)\s+{_DISPONIBILITE}"
    rf"|dans\s+la\s+limite\s+des\s+{_ARGENT}(?:\s+disponibles)?"
    rf"|si\s+les\s+{_ARGENT}\s+le\s+permettent"
)

_RESOURCE_CONDITION = re.compile(
    rf"(?<!\w)(?:{_ENGLISH}|{_SPANISH}|{_FRENCH})(?!\w)",
    re.IGNORECASE,
)


def resource_conditions(text: str) -> list[str]:
    """Each resource condition in text, as printed (surrounding parentheses are not part of it)."""
    return [match.group(0) for match in _RESOURCE_CONDITION.finditer(text)]
