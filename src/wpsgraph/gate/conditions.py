"""Resource conditions hidden in commitment text ("subject to availability of funds"): a
commitment that depends on money is weaker than one that does not, so they are kept as data."""

from __future__ import annotations

import re

_MONEY = r"(?:resources|funds|funding|financing)"
_AVAILABILITY = (
    rf"(?:the\s+)?(?:availability\s+of\s+(?:the\s+)?(?:necessary\s+)?{_MONEY}|available\s+{_MONEY})"
)
_RESOURCE_CONDITION = re.compile(
    rf"\b(?:"
    rf"(?:subject\s+to|depending\s+on|dependent\s+on|pending)\s+{_AVAILABILITY}"
    rf"|within\s+(?:the\s+)?(?:available\s+{_MONEY}|{_MONEY}\s+available)"
    rf"|{_MONEY}\s+permitting"
    rf"|if\s+{_MONEY}\s+(?:allow|permit|are\s+available|is\s+available)"
    rf")\b",
    re.IGNORECASE,
)


def resource_conditions(text: str) -> list[str]:
    """Each resource condition in text, as printed (surrounding parentheses are not part of it)."""
    return [match.group(0) for match in _RESOURCE_CONDITION.finditer(text)]
