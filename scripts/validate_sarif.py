#!/usr/bin/env python3
"""Validate SARIF files against the SARIF 2.1.0 schema and GitHub code scanning's rules.

Usage: scripts/validate_sarif.py [--schema SCHEMA] FILE...

Each FILE is checked twice:

1. Against the official OASIS SARIF 2.1.0 JSON schema with python ``jsonschema``
   (``Draft4Validator`` with its format checker; ``date-time`` and ``uri`` formats are only
   checked when jsonschema's optional format packages are installed). The schema is the copy in
   ``Tests/SynthScanCoreTests/Fixtures/sarif-schema-2.1.0.json``, taken unchanged from
   oasis-tcs/sarif-spec (errata01), path ``sarif-2.1/schema/sarif-schema-2.1.0.json``
   (commit e0583813964ec43cea53b6b531b402866095ed1f; sha256
   c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e; ``id``
   https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json).

2. Against the GitHub code-scanning ingestion rules the schema cannot express
   (https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning):
   ``$schema``/``version``/``runs`` present; at most 20 runs; per run at most 25,000 results,
   25,000 rules (driver and extensions together) and 100 extensions; every result has
   ``message.text`` and a rule that resolves (SARIF 2.1.0 sections 3.27.6, 3.27.7, 3.52, 3.54):
   its component is the ``tool.extensions`` entry ``rule.toolComponent`` names (by ``index``
   and/or ``name``, which must agree), else ``tool.driver``; ``ruleId`` (or ``rule.id``; equal
   when both are given) names a rule of that component's ``rules``; ``ruleIndex`` and/or
   ``rule.index`` (at least one) point at it; and a first location with a
   physical location whose ``artifactLocation.uri`` is a non-empty URI reference and whose
   ``region.startLine`` is >= 1, and ``partialFingerprints.primaryLocationLineHash``; at most
   1,000 locations per result; rule ids unique per component; every rule has ``shortDescription.text``,
   ``fullDescription.text`` (each <= 1024 characters) and ``help.text``; rule ``name`` <= 255
   characters; at most 20 tags per rule; ``security-severity``, when present, is a string
   holding a number in (0, 10]; ``automationDetails.id``, when present, contains ``/``;
   ``columnKind`` is present when there are results; the gzip-compressed file is under 10 MB.

Exit status: 0 when every file is valid, 1 when any file is invalid (each problem is printed as
``FILE: JSON-PATH: message``), 2 when python ``jsonschema`` is missing or the schema cannot be read.
Run from anywhere (e.g. ``.ci/run``); the schema is found relative to this script.
"""

import argparse
import gzip
import json
import re
import sys
from pathlib import Path

DEFAULT_SCHEMA = (
    Path(__file__).resolve().parent.parent / "Tests" / "SynthScanCoreTests" / "Fixtures" / "sarif-schema-2.1.0.json"
)

MAX_RUNS = 20
MAX_RESULTS = 25_000
MAX_RULES = 25_000
MAX_EXTENSIONS = 100
MAX_LOCATIONS = 1_000
MAX_TAGS = 20
MAX_NAME = 255
MAX_DESCRIPTION = 1024
MAX_GZIP_BYTES = 10 * 1024 * 1024

# RFC 3986 URI-reference characters, with %XX escapes.
URI_REFERENCE = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})+$")


def path_text(parts):
    """Render a JSON path like runs[0].results[3].level."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(root)"


def schema_problems(document, validator):
    """Yield (path, message) for every schema violation, in path order."""
    errors = sorted(validator.iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        yield path_text(list(error.absolute_path)), error.message


def text_of(obj, key):
    """obj[key]['text'] when it is a string, else None."""
    value = obj.get(key) if isinstance(obj, dict) else None
    text = value.get("text") if isinstance(value, dict) else None
    return text if isinstance(text, str) else None


def github_problems(document, raw_bytes):
    """Yield (path, message) for every GitHub code-scanning rule the schema cannot check."""
    if len(gzip.compress(raw_bytes)) >= MAX_GZIP_BYTES:
        yield "(file)", "gzip-compressed size is 10 MB or more"
    if not isinstance(document, dict):
        yield "(root)", "the log is not a JSON object"
        return
    for key in ("$schema", "version", "runs"):
        if key not in document:
            yield "(root)", f"'{key}' is required by GitHub"
    runs = document.get("runs")
    if not isinstance(runs, list):
        return
    if len(runs) > MAX_RUNS:
        yield "runs", f"{len(runs)} runs exceed GitHub's limit of {MAX_RUNS}"
    for r, run in enumerate(runs):
        if isinstance(run, dict):
            yield from run_problems(run, ["runs", r])


def run_problems(run, at):
    """GitHub rules for one run."""
    driver = run.get("tool", {}).get("driver", {}) if isinstance(run.get("tool"), dict) else {}
    rules = driver.get("rules") if isinstance(driver, dict) else None
    if not isinstance(rules, list):
        yield path_text(at + ["tool", "driver"]), "tool.driver.rules is required by GitHub"
        rules = []
    extensions = run.get("tool", {}).get("extensions", []) if isinstance(run.get("tool"), dict) else []
    if not isinstance(extensions, list):
        extensions = []
    if len(extensions) > MAX_EXTENSIONS:
        yield path_text(at + ["tool", "extensions"]), f"{len(extensions)} extensions exceed GitHub's limit of {MAX_EXTENSIONS}"

    # (path, component object, rules) for the driver, then each extension.
    components = [(at + ["tool", "driver"], driver if isinstance(driver, dict) else {}, rules)]
    for e, extension in enumerate(extensions):
        extension = extension if isinstance(extension, dict) else {}
        ext_rules = extension.get("rules", [])
        components.append((at + ["tool", "extensions", e], extension, ext_rules if isinstance(ext_rules, list) else []))
    total = sum(len(c[2]) for c in components)
    if total > MAX_RULES:
        yield path_text(at + ["tool", "driver", "rules"]), f"{total} rules exceed GitHub's limit of {MAX_RULES}"

    for where, _, component_rules in components:
        seen = {}
        for i, rule in enumerate(component_rules):
            if isinstance(rule, dict):
                yield from rule_problems(rule, where + ["rules", i])
                rule_id = rule.get("id")
                if rule_id in seen:
                    yield path_text(where + ["rules", i, "id"]), f"rule id '{rule_id}' repeats rules[{seen[rule_id]}]"
                else:
                    seen[rule_id] = i

    automation = run.get("automationDetails")
    if isinstance(automation, dict) and "id" in automation and "/" not in str(automation.get("id")):
        yield path_text(at + ["automationDetails", "id"]), "must contain '/' (GitHub reads it as category/run-id)"

    results = run.get("results")
    if not isinstance(results, list):
        yield path_text(at), "results is required by GitHub"
        return
    if len(results) > MAX_RESULTS:
        yield path_text(at + ["results"]), f"{len(results)} results exceed GitHub's limit of {MAX_RESULTS}"
    if results and "columnKind" not in run:
        yield path_text(at), "columnKind must be present when there are results"
    for i, result in enumerate(results):
        if isinstance(result, dict):
            yield from result_problems(result, components, at + ["results", i])


def rule_problems(rule, at):
    """GitHub rules for one reportingDescriptor."""
    for key in ("shortDescription", "fullDescription"):
        text = text_of(rule, key)
        if text is None:
            yield path_text(at + [key]), f"{key}.text is required by GitHub"
        elif len(text) > MAX_DESCRIPTION:
            yield path_text(at + [key, "text"]), f"{len(text)} characters exceed GitHub's limit of {MAX_DESCRIPTION}"
    if text_of(rule, "help") is None:
        yield path_text(at + ["help"]), "help.text is required by GitHub"
    name = rule.get("name")
    if isinstance(name, str) and len(name) > MAX_NAME:
        yield path_text(at + ["name"]), f"{len(name)} characters exceed GitHub's limit of {MAX_NAME}"
    properties = rule.get("properties")
    if not isinstance(properties, dict):
        return
    tags = properties.get("tags")
    if isinstance(tags, list) and len(tags) > MAX_TAGS:
        yield path_text(at + ["properties", "tags"]), f"{len(tags)} tags exceed GitHub's limit of {MAX_TAGS}"
    if "security-severity" in properties:
        value = properties["security-severity"]
        where = path_text(at + ["properties", "security-severity"])
        if not isinstance(value, str):
            yield where, "security-severity must be a string (e.g. \"8.0\")"
        else:
            try:
                score = float(value)
            except ValueError:
                score = None
            if score is None or not (0.0 < score <= 10.0):
                yield where, f"security-severity '{value}' is not a number in (0, 10]"


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def rule_reference_problems(result, components, at):
    """The result's rule must resolve: component from rule.toolComponent (else the driver), id, index."""
    reference = result.get("rule")
    if reference is not None and not isinstance(reference, dict):
        yield path_text(at + ["rule"]), "rule must be a reportingDescriptorReference object"
        reference = None
    reference = reference or {}
    where, component, rules = components[0]
    if "toolComponent" in reference:
        tc = reference["toolComponent"]
        tc_at = at + ["rule", "toolComponent"]
        if not isinstance(tc, dict):
            yield path_text(tc_at), "toolComponent must be a toolComponentReference object"
            return
        extensions = components[1:]
        name, index = tc.get("name"), tc.get("index")
        if is_int(index):
            if not 0 <= index < len(extensions):
                yield path_text(tc_at + ["index"]), f"{index} is not the index of a tool.extensions component ({len(extensions)} listed)"
                return
            where, component, rules = extensions[index]
            if isinstance(name, str) and name != component.get("name"):
                yield path_text(tc_at + ["name"]), f"'{name}' is not the name of tool.extensions[{index}]"
                return
        elif isinstance(name, str):
            matches = [c for c in extensions if c[1].get("name") == name]
            if len(matches) != 1:
                yield path_text(tc_at + ["name"]), f"{len(matches)} tool.extensions components are named '{name}'"
                return
            where, component, rules = matches[0]
        else:
            yield path_text(tc_at), "toolComponent names no component"
            return
    rule_id, ref_id = result.get("ruleId"), reference.get("id")
    if isinstance(rule_id, str) and isinstance(ref_id, str) and rule_id != ref_id:
        yield path_text(at + ["rule", "id"]), f"'{ref_id}' differs from ruleId '{rule_id}'"
    rule_id = rule_id if isinstance(rule_id, str) else ref_id
    if not isinstance(rule_id, str):
        yield path_text(at), "ruleId is required"
        return
    ids = [r.get("id") if isinstance(r, dict) else None for r in rules]
    component_name = path_text(where[2:])
    if rule_id not in ids:
        yield path_text(at + ["ruleId"]), f"'{rule_id}' is not in {component_name}.rules"
        return
    indices = [(key, value) for key, value in (("ruleIndex", result.get("ruleIndex")), ("rule.index", reference.get("index")))
               if value is not None]
    if not indices:
        yield path_text(at), "ruleIndex or rule.index is required"
    for key, value in indices:
        if not is_int(value) or not (0 <= value < len(rules)) or ids[value] != rule_id:
            key_at = at + (["ruleIndex"] if key == "ruleIndex" else ["rule", "index"])
            yield path_text(key_at), f"{key} {value} does not point at rule '{rule_id}' in {component_name}.rules"


def result_problems(result, components, at):
    """GitHub rules for one result."""
    if text_of(result, "message") is None:
        yield path_text(at + ["message"]), "message.text is required by GitHub"

    yield from rule_reference_problems(result, components, at)

    locations = result.get("locations")
    if not isinstance(locations, list) or not locations:
        yield path_text(at), "at least one location is required by GitHub"
    else:
        if len(locations) > MAX_LOCATIONS:
            yield path_text(at + ["locations"]), f"{len(locations)} locations exceed GitHub's limit of {MAX_LOCATIONS}"
        first = locations[0] if isinstance(locations[0], dict) else {}
        physical = first.get("physicalLocation")
        where = at + ["locations", 0, "physicalLocation"]
        if not isinstance(physical, dict):
            yield path_text(at + ["locations", 0]), "a physical location is required by GitHub"
        else:
            artifact = physical.get("artifactLocation")
            uri = artifact.get("uri") if isinstance(artifact, dict) else None
            if not isinstance(uri, str) or not uri:
                yield path_text(where + ["artifactLocation"]), "artifactLocation.uri is required by GitHub"
            elif not URI_REFERENCE.match(uri):
                yield path_text(where + ["artifactLocation", "uri"]), f"'{uri}' is not a valid URI reference"
            region = physical.get("region")
            start = region.get("startLine") if isinstance(region, dict) else None
            if not isinstance(start, int) or isinstance(start, bool) or start < 1:
                yield path_text(where + ["region", "startLine"]), "region.startLine must be an integer >= 1"

    fingerprints = result.get("partialFingerprints")
    hash_value = fingerprints.get("primaryLocationLineHash") if isinstance(fingerprints, dict) else None
    if not isinstance(hash_value, str) or not hash_value:
        yield path_text(at + ["partialFingerprints"]), "partialFingerprints.primaryLocationLineHash is required"


def validate_file(path, validator):
    """Return the list of problem lines for one file (empty when valid)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        return [f"{path}: cannot read: {error.strerror}"]
    try:
        document = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        return [f"{path}: not JSON: {error}"]
    problems = [f"{path}: {where}: schema: {message}" for where, message in schema_problems(document, validator)]
    problems += [f"{path}: {where}: github: {message}" for where, message in github_problems(document, raw)]
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description="Validate SARIF 2.1.0 files for GitHub code scanning.")
    parser.add_argument("--schema", default=str(DEFAULT_SCHEMA), help="SARIF 2.1.0 JSON schema (default: the test fixture)")
    parser.add_argument("files", nargs="+", metavar="FILE")
    args = parser.parse_args(argv)

    try:
        import jsonschema
    except ImportError:
        print("validate_sarif: python package 'jsonschema' is not installed", file=sys.stderr)
        return 2
    try:
        schema = json.loads(Path(args.schema).read_text(encoding="utf-8"))
        jsonschema.Draft4Validator.check_schema(schema)
    except (OSError, ValueError, jsonschema.SchemaError) as error:
        print(f"validate_sarif: cannot load schema {args.schema}: {error}", file=sys.stderr)
        return 2
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)

    failed = False
    for path in args.files:
        problems = validate_file(path, validator)
        if problems:
            failed = True
            for line in problems:
                print(line)
        else:
            print(f"{path}: OK")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
