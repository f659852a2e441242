"""Parsing GATE (gate.unwomen.org) management response pages into the model.

Pure functions over text; no RDF here. Entry points: read_source and parse_management_response.
"""

from wpsgraph.gate.parse import parse_management_response
from wpsgraph.gate.source import read_source

__all__ = ["parse_management_response", "read_source"]
