"""SHACL validation of wpsgraph data against shapes/.

Concepts and actors that data points to live in the schemes and the register: they are added to the
data graph, since pySHACL's ont_graph only contributes class and property axioms (the ontology)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from wpsgraph.resources import ontology_graph, referenced_graph, shapes_graph
from wpsgraph.vocab import bind_prefixes


@dataclass(frozen=True)
class ValidationResult:
    severity: str  # "Violation" | "Warning" | "Info"
    focus: str
    path: str | None
    value: str | None
    constraint: str
    message: str


@dataclass
class ValidationReport:
    results: list[ValidationResult]
    graph: Graph

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity != "Violation"]

    @property
    def conforms(self) -> bool:
        """Warnings are publishable; only violations make data non-conforming."""
        return not self.violations

    def as_text(self) -> str:
        if not self.results:
            return "Conforms: no violations, no warnings."
        lines = [
            f"{r.severity}: {r.focus}"
            + (f" {r.path}" if r.path else "")
            + (f" = {r.value}" if r.value else "")
            + f": {r.message}"
            for r in self.results
        ]
        lines.append(f"{len(self.violations)} violation(s), {len(self.warnings)} warning(s).")
        return "\n".join(lines)

    def as_json(self) -> str:
        return json.dumps(
            {
                "conforms": self.conforms,
                "violations": len(self.violations),
                "warnings": len(self.warnings),
                "results": [asdict(r) for r in self.results],
            },
            indent=2,
        )

    def as_turtle(self) -> str:
        return bind_prefixes(self.graph).serialize(format="turtle")


def validate_graph(data: Graph) -> ValidationReport:
    _conforms, report_graph, _text = shacl_validate(
        data + referenced_graph(),
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    return ValidationReport(_results(report_graph), report_graph)


def _results(report: Graph) -> list[ValidationResult]:
    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(node, SH.resultSeverity)
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        results.append(
            ValidationResult(
                severity=str(severity).rsplit("#", 1)[-1],
                focus=str(report.value(node, SH.focusNode)),
                path=str(path) if isinstance(path, URIRef) else None,
                value=None if value is None else str(value),
                constraint=str(report.value(node, SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
                message="; ".join(sorted(str(m) for m in report.objects(node, SH.resultMessage))),
            )
        )
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    return sorted(
        results, key=lambda r: (order.get(r.severity, 3), r.focus, r.path or "", r.message)
    )
