"""Compile the project's SHACL shapes to SPARQL SELECT queries that report what pySHACL reports.

One query per constraint (shape x constraint component). Each returns ?this (the focus node),
?value when the component reports one, and for SPARQL-based constraints the other variables their
sh:message names. Run on the union of data, schemes, register and ontology, the rows are pySHACL's
validation results (tests/test_validate_equivalence.py proves it on our shapes and data).

Speed (Oxigraph, whole store): given the rdfs:subClassOf edges of the data (SUBCLASS_EDGES_QUERY),
each class test is one rdf:type lookup against the precomputed closure instead of the path
rdf:type/rdfs:subClassOf*; the selective part of a query runs first and the target last; and most
constraints carry a precheck, an ASK without the target that is false on conforming data, so the
full query runs only for constraints that some node may fail.

Only the SHACL features our shapes use are compiled (targets by sh:targetClass and
sh:targetSubjectsOf, the parameters in SUPPORTED_PARAMETERS, the datatypes in _datatype_check).
Anything else raises ShapeCompileError naming the shape and the construct, so a new shape is never
silently unchecked. Matching pySHACL (0.40, on rdflib 7), not the letter of the
SHACL spec, where the two differ:
- sh:datatype xsd:integer / xsd:date / xsd:boolean also require a lexical form rdflib can parse
  (not `ill_typed`); xsd:gYear / xsd:gYearMonth accept any lexical form (rdflib does not parse
  them), hence our shapes' sh:pattern; xsd:string and rdf:langString need only the datatype /
  a language tag.
  Known gap: rdflib marks "TRUE"^^xsd:boolean ill-typed yet rewrites its lexical form to "true",
  which is all the engine then sees; our emitter writes booleans from Python values.
- sh:pattern, and REGEX in sh:select (run by rdflib), use Python's `re.search`, whose `$` also
  matches before a final newline: an unescaped `$` is rewritten `\\n?$` for Oxigraph.
- sh:minInclusive: a value passes only if it is a numeric literal rdflib can compare (not a string).
- Results of a shape shared by several node shapes are reported once per (focus, value), where
  pySHACL may repeat them; compare results as sets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from wpsgraph.errors import WpsGraphError

Node = URIRef | BNode
# (subclass, superclass) pairs: every rdfs:subClassOf triple of the data to validate.
SubclassEdges = frozenset[tuple[Node, Node]]
SUBCLASS_EDGES_QUERY = f"SELECT DISTINCT ?sub ?super WHERE {{ ?sub <{RDFS.subClassOf}> ?super }}"


class ShapeCompileError(WpsGraphError):
    """A shape uses a SHACL construct the SPARQL compiler does not support."""

    def __init__(self, shape: Node, construct: str) -> None:
        self.shape = shape
        self.construct = construct
        super().__init__(f"shape {shape}: cannot compile {construct}")


# Constraint parameters checked one value node at a time; sh:or combines them.
VALUE_PARAMETERS = (
    SH["class"],
    SH.datatype,
    SH.pattern,
    SH.minLength,
    SH.minInclusive,
    SH.nodeKind,
    SH["in"],
)
COUNT_PARAMETERS = (SH.minCount, SH.maxCount)
SUPPORTED_PARAMETERS = (*VALUE_PARAMETERS, *COUNT_PARAMETERS, SH["or"], SH.uniqueLang, SH.sparql)
# What a shape may say besides constraints.
# Targets: the instances of a class, or the subjects of a predicate.
_TARGETS = (SH.targetClass, SH.targetSubjectsOf)
_STRUCTURE = {*_TARGETS, SH.property, SH.path, SH.message, SH.severity, SH.deactivated}
_ANNOTATIONS = {RDF.type, RDFS.label, RDFS.comment, SH.name, SH.description, SH.order, SH.group}
_SPARQL_CONSTRAINT_KEYS = {RDF.type, SH.select, SH.message, SH.prefixes, SH.deactivated}

_COMPONENT = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH.uniqueLang: SH.UniqueLangConstraintComponent,
    SH.sparql: SH.SPARQLConstraintComponent,
}

# Python int(), which rdflib uses for xsd:integer: blanks around, a sign, digits (any script's),
# single underscores between digits.
_PY_INT = r"^[\s\x1c-\x1f]*[+-]?\d+(_\d+)*[\s\x1c-\x1f]*$"
# rdflib's parse_xsd_date: YYYY-MM-DD, optionally a time zone (dropped); year 0001..9999.
_PY_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$"


def _datatype_check(datatype: URIRef, v: str) -> str:
    same = f"sameTerm(DATATYPE({v}), <{datatype}>)"
    if datatype == XSD.string:
        return f"(isLITERAL({v}) && {same})"
    if datatype == RDF.langString:
        return f'(isLITERAL({v}) && LANG({v}) != "")'
    if datatype in (XSD.gYear, XSD.gYearMonth):
        return f"(isLITERAL({v}) && {same})"
    if datatype == XSD.boolean:
        return f'(isLITERAL({v}) && {same} && REGEX(STR({v}), "^(true|false|1|0)$"))'
    if datatype == XSD.integer:
        return f"(isLITERAL({v}) && {same} && REGEX(STR({v}), {_sparql_string(_PY_INT)}))"
    if datatype == XSD.date:
        # The calendar (month lengths, leap years) is Oxigraph's cast of the date part.
        return (
            f"(isLITERAL({v}) && {same} && REGEX(STR({v}), {_sparql_string(_PY_DATE)})"
            f' && !STRSTARTS(STR({v}), "0000")'
            f" && sameTerm(DATATYPE(<{XSD.date}>(SUBSTR(STR({v}), 1, 10))), <{XSD.date}>))"
        )
    raise KeyError(datatype)


_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.Literal: "isLITERAL({v})",
    SH.BlankNode: "isBLANK({v})",
    SH.BlankNodeOrIRI: "(isBLANK({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBLANK({v}) || isLITERAL({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLITERAL({v}))",
}


@dataclass(frozen=True)
class CompiledConstraint:
    shape: Node
    component: URIRef  # sh:...ConstraintComponent
    severity: URIRef
    path: URIRef | None
    messages: tuple[str, ...]  # shape's sh:message(s), then a SPARQL constraint's own
    query: str  # SELECT ?this [?value] [message variables]
    fills_templates: bool  # SPARQL-based: {?var} in messages are replaced by the bound values
    # An ASK that is false only when `query` has no rows, and much cheaper (no target, each value
    # tested once): on conforming data most constraints cost one scan of their path.
    precheck: str | None = None


def _sparql_string(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


def _term(node: object) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        body = _sparql_string(str(node))
        if node.language:
            return f"{body}@{node.language}"
        return f"{body}^^<{node.datatype or XSD.string}>"
    raise TypeError(node)


def python_regex_for_oxigraph(pattern: str, shape: Node) -> str:
    """The pattern with Python's `$` (end, or before a final newline) spelled for Oxigraph."""
    if "(?" in pattern or re.search(r"\\[AZzbBG]", pattern):
        raise ShapeCompileError(shape, f"sh:pattern {pattern!r} (lookaround, flags or anchors)")
    out = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            out.append("\\n?$")
            continue
        out.append(char)
    return "".join(out)


class _Compiler:
    def __init__(self, shapes: Graph, subclass_edges: SubclassEdges | None) -> None:
        self.g = shapes
        self.fresh = 0
        self.visited: set[Node] = set()
        self.subclasses: dict[Node, set[Node]] | None = None
        # While a constraint's check on ?value is built: OPTIONAL patterns binding ?_cN when
        # ?value is an instance of a class (see value_check).
        self.optionals: list[str] | None = None
        if subclass_edges is not None:
            self.subclasses = {}
            for sub, sup in subclass_edges:
                self.subclasses.setdefault(sup, set()).add(sub)

    def var(self) -> str:
        self.fresh += 1
        return f"?_v{self.fresh}"

    # -- shapes and their focus nodes ------------------------------------------------------------

    def shapes(self) -> list[Node]:
        or_members = {m for lst in self.g.objects(None, SH["or"]) for m in Collection(self.g, lst)}
        found = set(self.g.subjects(RDF.type, SH.NodeShape))
        found |= set(self.g.subjects(RDF.type, SH.PropertyShape))
        found |= {s for t in _TARGETS for s in self.g.subjects(t, None)}
        found |= set(self.g.subjects(SH.path, None))
        found |= set(self.g.objects(None, SH.property))
        return sorted(found - or_members, key=str)

    def deactivated(self, node: Node) -> bool:
        return any(
            isinstance(d, Literal) and d.value is True for d in self.g.objects(node, SH.deactivated)
        )

    def targets(self, shape: Node, kind: URIRef) -> set[URIRef]:
        """The shape's targets of one kind (sh:targetClass or sh:targetSubjectsOf), with those of
        the node shapes that hold it as a property shape."""
        found = set(self.g.objects(shape, kind))
        for parent in self.g.subjects(SH.property, shape):
            if not self.deactivated(parent):
                found |= set(self.g.objects(parent, kind))
        for target in found:
            if not isinstance(target, URIRef):
                raise ShapeCompileError(shape, f"{kind} {target} (not an IRI)")
        return found

    def focus_nodes(self, shape: Node) -> str | None:
        """A group pattern binding ?this to each focus node of the shape; None: no target."""
        classes = self.targets(shape, SH.targetClass)
        predicates = self.targets(shape, SH.targetSubjectsOf)
        patterns = [self.instance_of("?this", classes)] if classes else []
        patterns += [
            f"{{ SELECT DISTINCT ?this WHERE {{ ?this <{p}> {self.var()} }} }}"
            for p in sorted(predicates)
        ]
        if len(patterns) < 2:
            return patterns[0] if patterns else None
        return " UNION ".join(f"{{ {p} }}" for p in patterns)

    def path(self, shape: Node) -> URIRef | None:
        paths = list(self.g.objects(shape, SH.path))
        if len(paths) > 1:
            raise ShapeCompileError(shape, "several sh:path values")
        if paths and not isinstance(paths[0], URIRef):
            raise ShapeCompileError(shape, "a complex sh:path (only a single IRI is supported)")
        return paths[0] if paths else None

    def closure(self, cls: URIRef) -> list[URIRef] | None:
        """cls and every class below it by rdfs:subClassOf, when the edges are known and all are
        IRIs (VALUES cannot hold a blank node); None otherwise."""
        if self.subclasses is None:
            return None
        found: set[Node] = {cls}
        todo = [cls]
        while todo:
            for sub in self.subclasses.get(todo.pop(), ()):
                if sub not in found:
                    found.add(sub)
                    todo.append(sub)
        if not all(isinstance(c, URIRef) for c in found):
            return None
        return sorted(found, key=str)  # type: ignore[arg-type]

    def instance_of(self, x: str, classes: set[URIRef]) -> str:
        """A group pattern matching node `x` when it is an instance of one of `classes` (through
        rdfs:subClassOf*): one rdf:type lookup against the precomputed closure when the edges are
        known, else the property path."""
        closures = [self.closure(c) for c in sorted(classes)]
        if any(c is None for c in closures):
            return " UNION ".join(
                f"{{ {x} <{RDF.type}>/<{RDFS.subClassOf}>* <{c}> }}" for c in sorted(classes)
            )
        members = sorted({m for c in closures for m in c or ()}, key=str)
        if len(members) == 1:
            return f"{x} <{RDF.type}> <{members[0]}> ."
        t = self.var()
        return f"{x} <{RDF.type}> {t} . VALUES {t} {{ {' '.join(f'<{m}>' for m in members)} }}"

    def check_keys(self, node: Node, allowed: set[URIRef], what: str) -> None:
        for predicate in set(self.g.predicates(node, None)):
            if predicate not in allowed:
                raise ShapeCompileError(node, f"{predicate} in {what}")

    # -- value checks ----------------------------------------------------------------------------

    def value_check(self, shape: Node, parameter: URIRef, argument: object, v: str) -> str:
        """A SPARQL expression true when value node `v` satisfies this one constraint."""
        if parameter == SH["class"]:
            if not isinstance(argument, URIRef):
                raise ShapeCompileError(shape, "sh:class with a non-IRI class")
            if self.optionals is not None and v == "?value":
                # EXISTS is evaluated once per row, and Oxigraph pushes the filter below
                # DISTINCT; a left join with the class's instances is one hash join.
                flag = self.var()
                self.optionals.append(
                    f"OPTIONAL {{ SELECT DISTINCT ?value (true AS {flag}) WHERE {{ "
                    f"{self.instance_of(v, {argument})} }} }}"
                )
                return f"BOUND({flag})"
            return f"EXISTS {{ {self.instance_of(v, {argument})} }}"
        if parameter == SH.datatype:
            try:
                return _datatype_check(argument, v)  # type: ignore[arg-type]
            except KeyError:
                raise ShapeCompileError(shape, f"sh:datatype {argument}") from None
        if parameter == SH.pattern:
            if self.g.value(shape, SH.flags) is not None:
                raise ShapeCompileError(shape, "sh:flags")
            regex = python_regex_for_oxigraph(str(argument), shape)
            return f"(!isBLANK({v}) && REGEX(STR({v}), {_sparql_string(regex)}))"
        if parameter == SH.minLength:
            length = _non_negative_int(shape, parameter, argument)
            if length == 0:
                return "true"
            return f"(!isBLANK({v}) && STRLEN(STR({v})) >= {length})"
        if parameter == SH.minInclusive:
            if not (isinstance(argument, Literal) and isinstance(argument.value, int | float)):
                raise ShapeCompileError(shape, "sh:minInclusive with a non-numeric bound")
            if isinstance(argument.value, bool):
                raise ShapeCompileError(shape, "sh:minInclusive with a boolean bound")
            return f"(isNUMERIC({v}) && {v} >= {_term(argument)})"
        if parameter == SH.nodeKind:
            if argument not in _NODE_KINDS:
                raise ShapeCompileError(shape, f"sh:nodeKind {argument}")
            return _NODE_KINDS[argument].format(v=v)
        if parameter == SH["in"]:
            members = list(Collection(self.g, argument))  # type: ignore[arg-type]
            if not members:
                return "false"
            return "(" + " || ".join(f"sameTerm({v}, {_term(m)})" for m in members) + ")"
        raise ShapeCompileError(shape, str(parameter))

    def member_conforms(self, member: Node, x: str) -> str:
        """A SPARQL expression true when node `x` conforms to an sh:or member shape."""
        self.visited.add(member)
        allowed = {RDF.type, SH.path, *VALUE_PARAMETERS, *COUNT_PARAMETERS}
        self.check_keys(member, allowed, "an sh:or member (only simple constraints)")
        path = self.path(member)
        parts = []
        for parameter in VALUE_PARAMETERS:
            for argument in self.g.objects(member, parameter):
                if path is None:
                    parts.append(
                        f"COALESCE({self.value_check(member, parameter, argument, x)}, false)"
                    )
                    continue
                y = self.var()
                check = self.value_check(member, parameter, argument, y)
                parts.append(f"NOT EXISTS {{ {x} <{path}> {y} FILTER(!COALESCE({check}, false)) }}")
        for parameter in COUNT_PARAMETERS:
            for argument in self.g.objects(member, parameter):
                count = _non_negative_int(member, parameter, argument)
                if path is None:
                    raise ShapeCompileError(member, f"{parameter} without sh:path")
                y = self.var()
                if parameter == SH.minCount and count <= 1:
                    parts.append(f"EXISTS {{ {x} <{path}> {y} }}" if count else "true")
                elif parameter == SH.maxCount and count == 0:
                    parts.append(f"NOT EXISTS {{ {x} <{path}> {y} }}")
                else:
                    raise ShapeCompileError(member, f"{parameter} {count} inside sh:or")
        return "(" + " && ".join(parts or ["true"]) + ")"

    # -- one query per constraint ----------------------------------------------------------------

    def compile_shape(self, shape: Node) -> list[CompiledConstraint]:
        self.visited.add(shape)
        self.check_keys(shape, _STRUCTURE | _ANNOTATIONS | set(SUPPORTED_PARAMETERS), "a shape")
        path = self.path(shape)
        if path is not None and (shape, SH.property, None) in self.g:
            raise ShapeCompileError(shape, "sh:property on a property shape")
        if self.deactivated(shape):
            return []
        constraints = [
            (p, a) for p in SUPPORTED_PARAMETERS for a in sorted(self.g.objects(shape, p), key=str)
        ]
        if not constraints:
            return []
        target = self.focus_nodes(shape)
        if target is None:
            raise ShapeCompileError(shape, "constraints on a shape with no target (none reach it)")
        messages = tuple(sorted(str(m) for m in self.g.objects(shape, SH.message)))
        severity = self.g.value(shape, SH.severity) or SH.Violation
        compiled = []
        for parameter, argument in constraints:
            if parameter == SH.sparql:
                built = self.sparql_constraint(shape, argument, target, path, messages, severity)
                if built is not None:
                    compiled.append(built)
                continue
            if not messages:
                raise ShapeCompileError(shape, "a constraint without sh:message")
            queries = self.constraint_query(shape, parameter, argument, target, path)
            if queries is None:
                continue
            query, precheck = queries
            compiled.append(
                CompiledConstraint(
                    shape, _COMPONENT[parameter], severity, path, messages, query, False, precheck
                )
            )
        return compiled

    def constraint_query(
        self, shape: Node, parameter: URIRef, argument: object, target: str, path: URIRef | None
    ) -> tuple[str, str | None] | None:
        """The constraint's query and precheck (None: no query, the constraint is inert)."""
        # The shapes of these queries are chosen for Oxigraph's evaluation: the selective part
        # first, in a subquery (which the optimiser does not reorder into the join), and the
        # target tested last, on the few nodes that fail. Same solutions as target-first.
        target = f"{{ {target} }}"
        if parameter in VALUE_PARAMETERS or parameter == SH["or"]:
            self.optionals = [] if path is not None else None
            try:
                check = self.checked_value(shape, parameter, argument)
                optionals = " ".join(self.optionals or ())
            finally:
                self.optionals = None
            fails = f"FILTER(!COALESCE({check}, false))"
            if path is None:
                node = f"{target} BIND(?this AS ?value)"
                return f"SELECT DISTINCT ?this ?value WHERE {{ {node} {fails} }}", None
            if not optionals and "EXISTS" not in check:
                # A test of the value alone: filter the path's triples, then the target.
                failing = f"?this <{path}> ?value {fails}"
                return (
                    f"SELECT DISTINCT ?this ?value WHERE {{ {{ SELECT ?this ?value WHERE "
                    f"{{ {failing} }} }} {target} }}",
                    f"ASK {{ {failing} }}",
                )
            # A test that reads the store (sh:class ...): once per distinct value, then back to
            # the nodes that have a failing value.
            other = self.var()
            failing = (
                f"{{ SELECT DISTINCT ?value WHERE {{ {other} <{path}> ?value }} }} "
                f"{optionals} {fails}"
            )
            return (
                f"SELECT DISTINCT ?this ?value WHERE {{ {{ SELECT ?value WHERE {{ {failing} }} }} "
                f"?this <{path}> ?value . {target} }}",
                f"ASK {{ {failing} }}",
            )
        if path is None:
            raise ShapeCompileError(shape, f"{parameter} without sh:path")
        if parameter in COUNT_PARAMETERS:
            count = _non_negative_int(shape, parameter, argument)
            if parameter == SH.minCount:
                if count == 0:
                    return None
                if count == 1:
                    # MINUS (?this is bound on both sides) is NOT EXISTS as one hash anti-join.
                    return (
                        f"SELECT DISTINCT ?this WHERE {{ {target} "
                        f"MINUS {{ ?this <{path}> ?value }} }}",
                        None,
                    )
                return (
                    f"SELECT DISTINCT ?this WHERE {{ {target} OPTIONAL {{ "
                    f"SELECT ?this (COUNT(DISTINCT ?value) AS ?n) "
                    f"WHERE {{ ?this <{path}> ?value }} GROUP BY ?this }} "
                    f"FILTER(COALESCE(?n, 0) < {count}) }}",
                    None,
                )
            if count == 0:
                return (
                    f"SELECT DISTINCT ?this WHERE {{ {{ SELECT DISTINCT ?this WHERE "
                    f"{{ ?this <{path}> ?value }} }} {target} }}",
                    f"ASK {{ ?this <{path}> ?value }}",
                )
            # The precheck is the same for every shape with this path and count (wps:text ...):
            # validate runs it once.
            too_many = (
                f"{{ SELECT ?this WHERE {{ ?this <{path}> ?value }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {count}) }}"
            )
            return (
                f"SELECT DISTINCT ?this WHERE {{ {too_many} {target} }}",
                f"ASK {{ {too_many} }}",
            )
        if parameter == SH.uniqueLang:
            if not isinstance(argument, Literal) or not isinstance(argument.value, bool):
                raise ShapeCompileError(shape, "sh:uniqueLang that is not a boolean")
            if not argument.value:
                return None
            return (
                f"SELECT DISTINCT ?this WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ "
                f"?this <{path}> ?_a . ?this <{path}> ?_b . FILTER(!sameTerm(?_a, ?_b) "
                f'&& LANG(?_a) != "" && LCASE(LANG(?_a)) = LCASE(LANG(?_b))) }} }} {target} }}',
                None,
            )
        raise ShapeCompileError(shape, str(parameter))

    def checked_value(self, shape: Node, parameter: URIRef, argument: object) -> str:
        """An expression true when ?value satisfies a value constraint or an sh:or."""
        if parameter != SH["or"]:
            return self.value_check(shape, parameter, argument, "?value")
        members = list(Collection(self.g, argument))  # type: ignore[arg-type]
        try:
            check = " || ".join(self.member_conforms(m, "?value") for m in members)
        except ShapeCompileError as inner:
            raise ShapeCompileError(shape, f"{inner.construct} (in sh:or)") from None
        return check or "false"

    def sparql_constraint(
        self,
        shape: Node,
        node: object,
        target: str,
        path: URIRef | None,
        shape_messages: tuple[str, ...],
        severity: URIRef,
    ) -> CompiledConstraint | None:
        if not isinstance(node, BNode | URIRef):
            raise ShapeCompileError(shape, "sh:sparql that is not a node")
        self.visited.add(node)
        self.check_keys(node, _SPARQL_CONSTRAINT_KEYS, "an sh:sparql constraint")
        if self.deactivated(node):
            return None
        select = self.g.value(node, SH.select)
        if not isinstance(select, Literal):
            raise ShapeCompileError(shape, "sh:sparql without one sh:select string")
        text = _without_comments(str(select))
        for keyword in ("MINUS", "SERVICE", "VALUES", "OPTIONAL", "EXISTS", "PREFIX", "BASE"):
            if re.search(rf"\b{keyword}\b", text, re.IGNORECASE):
                raise ShapeCompileError(shape, f"{keyword} in sh:select (pre-binding of $this)")
        if len(re.findall(r"\bSELECT\b", text, re.IGNORECASE)) != 1:
            raise ShapeCompileError(shape, "a nested SELECT in sh:select")
        if re.search(r"\b(GROUP|HAVING|LIMIT|OFFSET|ORDER)\b", text, re.IGNORECASE):
            raise ShapeCompileError(shape, "solution modifiers in sh:select")
        others = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", text)) - {"this", "PATH"}
        if others:
            raise ShapeCompileError(shape, f"pre-bound ${sorted(others)[0]} in sh:select")
        if "$PATH" in text:
            if path is None:
                raise ShapeCompileError(shape, "$PATH in the sh:select of a node shape")
            text = text.replace("$PATH", f"<{path}>")
        text = re.sub(r"\$this\b", "?this", text)
        # pySHACL runs sh:select in rdflib, whose REGEX is Python's re.search.
        text = re.sub(
            r'(\bREGEX\s*\([^,]*,\s*")((?:[^"\\]|\\.)*)"',
            lambda m: f'{m.group(1)}{python_regex_for_oxigraph(m.group(2), shape)}"',
            text,
            flags=re.IGNORECASE,
        )
        head = re.match(r"\s*SELECT\s+(DISTINCT\s+)?((?:\?\w+\s+)+)WHERE\b", text, re.IGNORECASE)
        if head is None:
            raise ShapeCompileError(shape, "sh:select must project plain variables")
        projected = head.group(2).split()
        if "?this" not in projected:
            raise ShapeCompileError(shape, "sh:select does not project $this")
        own = tuple(sorted(str(m) for m in self.g.objects(node, SH.message)))
        messages = shape_messages + tuple(m for m in own if m not in shape_messages)
        if not messages:
            raise ShapeCompileError(shape, "an sh:sparql constraint without sh:message")
        prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in self.prefixes(shape, node).items())
        if any(v.startswith("?_") for v in projected):
            raise ShapeCompileError(shape, "a projected ?_ variable in sh:select (reserved)")
        # The constraint's own pattern first, the target last (see constraint_query).
        head = f"{prefixes}SELECT DISTINCT {' '.join(projected)}"
        query = f"{head} WHERE {{ {{ {text} }} {{ {target} }} }}"
        return CompiledConstraint(
            shape,
            SH.SPARQLConstraintComponent,
            severity,
            path,
            messages,
            query,
            True,
            f"{prefixes}ASK {{ {{ {text} }} }}",
        )

    def prefixes(self, shape: Node, node: Node) -> dict[str, str]:
        found: dict[str, str] = {}
        for holder in self.g.objects(node, SH.prefixes):
            for declaration in self.g.objects(holder, SH.declare):
                prefix = self.g.value(declaration, SH.prefix)
                namespace = self.g.value(declaration, SH.namespace)
                if prefix is None or namespace is None:
                    raise ShapeCompileError(shape, "an sh:declare without prefix and namespace")
                found[str(prefix)] = str(namespace)
        return found

    def unvisited_shapes(self) -> list[Node]:
        """Nodes that say something in SHACL's vocabulary and were not compiled."""
        ignorable = {SH.declare, SH.prefix, SH.namespace}
        declarers = set(self.g.subjects(SH.declare, None)) | set(self.g.objects(None, SH.declare))
        lists = set(self.g.objects(None, SH["or"])) | set(self.g.objects(None, SH["in"]))
        out = []
        for subject in set(self.g.subjects()):
            if subject in self.visited or subject in declarers:
                continue
            if _is_list_node(self.g, subject, lists):
                continue
            said = {p for p in self.g.predicates(subject, None) if str(p).startswith(str(SH))}
            said |= {t for t in self.g.objects(subject, RDF.type) if str(t).startswith(str(SH))}
            if said - ignorable:
                out.append(subject)
        return sorted(out, key=str)


def _is_list_node(g: Graph, node: Node, heads: set) -> bool:
    return node in heads or (node, RDF.rest, None) in g


def _without_comments(text: str) -> str:
    return re.sub(r"(^|\s)#[^\n]*", r"\1", text)


def _non_negative_int(shape: Node, parameter: URIRef, argument: object) -> int:
    if not isinstance(argument, Literal) or not isinstance(argument.value, int):
        raise ShapeCompileError(shape, f"{parameter} that is not an integer")
    if argument.value < 0:
        raise ShapeCompileError(shape, f"negative {parameter}")
    return int(argument.value)


def compile_shapes(
    shapes: Graph, subclass_edges: SubclassEdges | None = None
) -> list[CompiledConstraint]:
    """Every active constraint of the shapes graph as one query; raises ShapeCompileError on any
    construct this compiler does not support.

    Without subclass_edges the queries test class membership with rdf:type/rdfs:subClassOf*, right
    on any data. With them (SUBCLASS_EDGES_QUERY's rows on the data to validate) each class is
    replaced by its precomputed closure, several times faster; the queries are then right only on
    data whose rdfs:subClassOf triples are exactly those edges."""
    compiler = _Compiler(shapes, subclass_edges)
    compiled: list[CompiledConstraint] = []
    for shape in compiler.shapes():
        compiled.extend(compiler.compile_shape(shape))
    left = compiler.unvisited_shapes()
    if left:
        raise ShapeCompileError(left[0], "a shape that no target reaches or an unknown construct")
    return compiled


def fill_template(message: str, bindings: dict[str, object]) -> str:
    """pySHACL's substitution of {?var} / {$var} in a SPARQL constraint's message."""
    for name, value in bindings.items():
        if value is not None:
            message = re.sub(rf"\{{[?$]{re.escape(name)}\}}", lambda _m, v=value: str(v), message)
    return message


@lru_cache(maxsize=8)
def project_constraints(
    subclass_edges: SubclassEdges | None = None,
) -> tuple[CompiledConstraint, ...]:
    from wpsgraph.resources import shapes_graph

    return tuple(compile_shapes(shapes_graph(), subclass_edges))
