"""The w3id.org redirect rules: well-formed, and each kind of IRI lands where it should.
The rules are read as Apache's mod_rewrite reads them (in a folder's .htaccess the pattern
sees the path below the folder), and applied to sample IRIs with Python's re."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest

from wpsgraph import emit
from wpsgraph.cli import main
from wpsgraph.paths import PROJECT_ROOT
from wpsgraph.w3id import DEFAULT_TARGET, htaccess

COMMITTED = PROJECT_ROOT / "publish" / "w3id" / ".htaccess"
TARGET = "https://data.example.net/wpsgraph"
PREFIX = "https://w3id.org/wpsgraph/"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
TURTLE = "text/turtle"
KNOWN_FLAGS = re.compile(r"^(R=30[1237]|L|NC|NE|QSA|OR)$")
DIRECTIVES = {"Options", "Header", "RewriteEngine", "RewriteCond", "RewriteRule"}


@dataclass
class Rule:
    conditions: list[tuple[str, re.Pattern[str]]]  # (the server variable, its pattern)
    pattern: re.Pattern[str]
    substitution: str
    flags: list[str]


def parse(text: str) -> list[Rule]:
    rules: list[Rule] = []
    conditions: list[tuple[str, re.Pattern[str]]] = []
    engine_on = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        words = shlex.split(line, posix=False)
        directive = words[0]
        assert directive in DIRECTIVES, f"line {number}: unknown directive {directive}"
        flags = _flags(words, number)
        if directive == "RewriteEngine":
            engine_on = words[1].lower() == "on"
        elif directive == "RewriteCond":
            assert engine_on, f"line {number}: RewriteCond before RewriteEngine on"
            assert len(words) in (3, 4), f"line {number}: RewriteCond TestString Pattern [flags]"
            variable = re.fullmatch(r"%\{(\w+)\}", words[1])
            assert variable, f"line {number}: expected %{{VARIABLE}}, got {words[1]}"
            ignore_case = re.IGNORECASE if "NC" in flags else 0
            conditions.append((variable.group(1), re.compile(words[2], ignore_case)))
        elif directive == "RewriteRule":
            assert engine_on, f"line {number}: RewriteRule before RewriteEngine on"
            assert len(words) == 4, f"line {number}: RewriteRule Pattern Substitution [flags]"
            assert words[1].startswith("^"), f"line {number}: a .htaccess pattern sees no '/'"
            rules.append(Rule(conditions, re.compile(words[1]), words[2], flags))
            conditions = []
    assert not conditions, "a RewriteCond applies to no RewriteRule"
    return rules


def _flags(words: list[str], number: int) -> list[str]:
    if not words[-1].startswith("["):
        return []
    assert words[-1].endswith("]"), f"line {number}: unclosed flags"
    flags = words[-1][1:-1].split(",")
    for flag in flags:
        assert KNOWN_FLAGS.match(flag), f"line {number}: unknown flag {flag}"
    return flags


def resolve(rules: list[Rule], iri: str, accept: str) -> tuple[int, str] | None:
    """(status, Location) for a GET of iri with this Accept header, or None (w3id: 404)."""
    assert iri.startswith(PREFIX)
    path = iri[len(PREFIX) :].split("#", 1)[0]
    for rule in rules:
        if not all(p.search({"HTTP_ACCEPT": accept}[v]) for v, p in rule.conditions):
            continue
        match = rule.pattern.search(path)
        if not match:
            continue
        location = _substituted(rule.substitution, match)
        status = next((int(f[2:]) for f in rule.flags if f.startswith("R=")), 0)
        assert status, "an external redirect needs R=..."
        if "L" in rule.flags:
            return status, location
    return None


def _substituted(substitution: str, match: re.Match[str]) -> str:
    """$N back-references replaced by the pattern's groups (an unmatched group is empty)."""
    return re.sub(r"\$(\d)", lambda ref: match.group(int(ref.group(1))) or "", substitution)


@pytest.fixture(scope="module")
def rules() -> list[Rule]:
    return parse(htaccess(TARGET))


@pytest.mark.parametrize(
    ("iri", "accept", "expected"),
    [
        ("ontology", TURTLE, "ontology/wps.ttl"),
        ("ontology", "text/turtle;q=1.0, application/rdf+xml;q=0.5", "ontology/wps.ttl"),
        ("ontology#KeyAction", BROWSER, "ontology/"),
        ("ontology/0.1.0", TURTLE, "ontology/wps.ttl"),
        ("ontology/0.1.0", BROWSER, "ontology/"),
        ("scheme/action-status", BROWSER, "scheme/action-status"),
        ("scheme/action-status/completed", TURTLE, "scheme/action-status/completed"),
        ("org/unwomen", BROWSER, "org/unwomen"),
        ("org/unwomen/unit/ppid-psru", TURTLE, "org/unwomen/unit/ppid-psru"),
        ("eval/unwomen/gate-11818", BROWSER, "eval/unwomen/gate-11818"),
        (
            "eval/unwomen/gate-11818/rec/1/action/2",
            TURTLE,
            "eval/unwomen/gate-11818/rec/1/action/2",
        ),
        ("product/women-count", BROWSER, "product/women-count"),
        ("graph/ontology", TURTLE, "graph/ontology"),
        ("dataset", TURTLE, "dataset"),
        ("linked/wikidata-un/graph", TURTLE, "linked/wikidata-un/graph"),
        ("linked/wikidata-un/linkset", BROWSER, "linked/wikidata-un/linkset"),
    ],
)
def test_iris_resolve_on_the_server(
    rules: list[Rule], iri: str, accept: str, expected: str
) -> None:
    assert resolve(rules, PREFIX + iri, accept) == (303, f"{TARGET}/{expected}")


def _minted_segments() -> set[str]:
    """The first path segment after BASE of every IRI emit.py writes (BASE + "x/..." or
    f"{BASE}x/...")."""
    source = Path(emit.__file__).read_text(encoding="utf-8")
    return set(re.findall(r'(?:BASE \+ "|\{BASE\})([\w-]+)', source))


def test_every_segment_emit_mints_is_redirected(rules: list[Rule]) -> None:
    minted = _minted_segments()
    assert {"eval", "graph", "dataset", "scheme", "linked"} <= minted  # the scan finds them
    for segment in minted:
        iri = f"{PREFIX}{segment}/x"
        assert resolve(rules, iri, BROWSER) == (303, f"{TARGET}/{segment}/x"), segment
    for iri in (emit.linked_graph_iri("a"), emit.linkset_iri("a"), emit.DATASET):
        assert resolve(rules, str(iri), TURTLE) == (303, TARGET + "/" + iri[len(PREFIX) :])


def test_the_root_is_the_landing_page(rules: list[Rule]) -> None:
    assert resolve(rules, PREFIX, BROWSER) == (302, f"{TARGET}/")


@pytest.mark.parametrize("iri", ["ontology/0.0.1", "evaluation/1", "orgs/unwomen", "ontologyx"])
def test_other_paths_are_not_redirected(rules: list[Rule], iri: str) -> None:
    assert resolve(rules, PREFIX + iri, BROWSER) is None


def test_the_committed_file_is_the_generated_one() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == htaccess(DEFAULT_TARGET)
    assert DEFAULT_TARGET in COMMITTED.read_text(encoding="utf-8")
    assert parse(COMMITTED.read_text(encoding="utf-8"))


def test_the_parser_rejects_broken_rules() -> None:
    with pytest.raises(AssertionError):
        parse("RewriteEngine on\nRewriteRule ^x$ https://a.example/ [R=303,X]\n")
    with pytest.raises(AssertionError):
        parse("RewriteRule ^x$ https://a.example/ [R=303,L]\n")
    with pytest.raises(AssertionError):
        parse("RewriteEngine on\nRewriteCond %{HTTP_ACCEPT} text/turtle\n")


def test_cli_writes_the_rules(tmp_path: Path) -> None:
    out = tmp_path / ".htaccess"
    assert main(["w3id", "--target", TARGET + "/", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == htaccess(TARGET)


@pytest.mark.parametrize(
    "target", ["data.example.net", "ftp://example.net", "https://x.example/?a=1", "https://x/$1"]
)
def test_a_bad_target_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str
) -> None:
    out = tmp_path / ".htaccess"
    assert main(["w3id", "--target", target, "-o", str(out)]) == 2
    assert "--target" in capsys.readouterr().err
    assert not out.exists()
