#!/usr/bin/python3
"""Validates a SARIF file against the SARIF 2.1.0 schema (tests/schemas), with Debian's
python3-jsonschema. Prints each error; exit 0 when valid, 1 when not, 2 when it cannot check."""
import json, os, sys

try:
    import jsonschema
except ImportError:
    print("validate_sarif: python3-jsonschema is not installed (tools/setup installs it)")
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "..", "schemas", "sarif-schema-2.1.0.json")) as f:
    schema = json.load(f)
with open(sys.argv[1]) as f:
    doc = json.load(f)
errors = list(jsonschema.Draft7Validator(schema).iter_errors(doc))
for e in errors[:20]:
    print("/".join(str(p) for p in e.path) + ": " + e.message[:300])
sys.exit(1 if errors else 0)
