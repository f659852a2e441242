"""wpsgraph: a knowledge graph of Women, Peace and Security commitments."""

__version__ = "0.1.0"
