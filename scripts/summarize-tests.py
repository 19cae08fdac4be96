#!/usr/bin/env python3
"""Reads meson's testlog.json and prints one line `N passed, N failed`.

Counts test cases, not executables: a Catch2 executable contributes the
numbers from its own summary line; any other test contributes what it prints
as `N passed, N failed`, or else 1 by its meson result. An executable that
failed without printing a summary (a crash) counts as one failure on top.
"""
import json
import re
import sys

CATCH_ALL = re.compile(r"All tests passed \(\d+ assertions? in (\d+) test cases?\)")
CATCH_SOME = re.compile(r"test cases:\s*(\d+)\s*\|\s*(\d+) passed\s*\|\s*(\d+) failed")
CATCH_FAILED_ALL = re.compile(r"test cases:\s*(\d+)\s*\|\s*(\d+) failed")
PLAIN = re.compile(r"^(?:\w+: )?(\d+) passed, (\d+) failed", re.M)


def count(entry):
    out = entry.get("stdout") or ""
    ok = entry.get("result") in ("OK", "EXPECTEDFAIL", "SKIP")
    if m := CATCH_ALL.search(out):
        p, f = int(m.group(1)), 0
    elif m := CATCH_SOME.search(out):
        p, f = int(m.group(2)), int(m.group(3))
    elif m := CATCH_FAILED_ALL.search(out):
        p, f = 0, int(m.group(2))
    elif ms := PLAIN.findall(out):
        p, f = int(ms[-1][0]), int(ms[-1][1])
    else:
        return (1, 0) if ok else (0, 1)
    if not ok and f == 0:
        f = 1  # crashed, timed out or exited non-zero after its summary
    return p, f


def main(path):
    passed = failed = 0
    with open(path) as log:
        for line in log:
            if not line.strip():
                continue
            entry = json.loads(line)
            p, f = count(entry)
            passed += p
            failed += f
            if f:
                print(f"FAILED: {entry.get('name')} ({entry.get('result')})")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "build/meson-logs/testlog.json"))
