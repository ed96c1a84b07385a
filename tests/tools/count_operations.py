#!/usr/bin/env python3
"""Counts operations (paths x HTTP methods) in spec files independently of contractor.

Used to get the expected counts in tests/contractor.rs by other means than contractor's own
output: `python3 tests/tools/count_operations.py ../shared/corpus/**/*.{yaml,yml,json,md}`.
Front matter (between the first two `---` lines) is read as the document.
"""
import json
import sys

import yaml

METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def load(path):
    text = open(path, encoding="utf-8").read()
    if text.startswith("---"):
        parts = text.split("\n---", 1)
        text = parts[0][3:]
    if text.lstrip().startswith("{"):
        return json.loads(text)
    return yaml.safe_load(text)


for path in sys.argv[1:]:
    try:
        doc = load(path)
    except Exception as e:  # noqa: BLE001
        print(f"{path}\tunparseable: {type(e).__name__}")
        continue
    if not isinstance(doc, dict) or "paths" not in doc and "apis" not in doc:
        print(f"{path}\tnot a spec")
        continue
    paths = doc.get("paths") or {}
    count = sum(1 for item in paths.values() if isinstance(item, dict) for m in item if m in METHODS)
    print(f"{path}\t{count}")
