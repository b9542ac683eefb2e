"""Validate an Open311 export (a JSON array on stdin) against the GeoReport v2
schema kept in tests/open311; print "valid N" or the first problems."""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
data = json.load(sys.stdin)
validator = jsonschema.Draft7Validator(schema)
problems = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
if problems:
    for p in problems[:5]:
        print("invalid at %s: %s" % ("/".join(str(x) for x in p.path), p.message[:200]))
    sys.exit(1)
print("valid", len(data))
