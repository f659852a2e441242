"""Site chrome printed after the content: a saved page's text often ends with the site's footer
("© UN Women 2024", "Privacy notice | Terms of use"). It is not part of the last key action, and
a page that ends with it was not cut short."""

from __future__ import annotations

import re

from wpsgraph.gate.lines import Line

_FOOTER_MARKER = re.compile(
    r"©|\(c\)\s*\d{4}|\bcopyright\b|\ball rights reserved\b|tous droits réservés"
    r"|derechos reservados|\bprivacy (?:policy|notice|statement)\b"
    r"|\bterms (?:of|and) (?:use|service)"
    r"|\bcontact us\b|\bfollow us\b|\bsite ?map\b|\bback to top\b|\bdisclaimer\b"
    r"|politique de confidentialité|mentions légales|conditions d'utilisation"
    r"|política de privacidad|aviso legal|términos de uso"
    r"|\bGlobal Accountability and Tracking of Evaluation Use\b",
    re.IGNORECASE,
)
_MAX_FOOTER_WORDS = 20  # a footer line is short; an action that mentions privacy is not


def without_site_footer(lines: list[Line]) -> list[Line]:
    """The lines before the site's footer: the first short line with a footer's words
    (copyright, privacy notice, terms of use, contact us ...) and everything after it."""
    for index, line in enumerate(lines):
        if len(line.stripped.split()) <= _MAX_FOOTER_WORDS and _FOOTER_MARKER.search(line.text):
            return lines[:index]
    return lines
