"""How faithful the local wiki is to Atlassian's specs, per flavour, measured.

    python bench/contract_report.py [--verbose]

Runs the contract scenario (tests/contract/scenario.py) against a fresh ``LocalWiki`` of each
flavour, validates every exchange with tests/contract/openapi.py, and prints per flavour and
API tree:

* routes implemented — from core's werkzeug route tables, and how many the spec documents;
* routes exercised — distinct documented (method, template) pairs the scenario called;
* routes passing — exercised routes whose every request and response was valid.

``--verbose`` lists the implemented routes the spec does not know, those not exercised, and
the failures with their reasons. Nothing is asserted; the contract tests do that.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from contract.conftest import CONTEXT_PATH, run_flavour
from contract.openapi import SPEC_DIR, SPEC_FILES, specs_present
from contract.routes import implemented_routes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true")
    options = parser.parse_args()
    if not specs_present():
        print(f"specs not found in {SPEC_DIR}")
        return 2
    for flavour, apis in (("dc", ("dc",)), ("cloud", ("v1", "v2"))):
        run = run_flavour(flavour)
        verdicts: dict[str, dict[tuple[str, str], list[str]]] = defaultdict(dict)
        for exchange in run.recorder.exchanges:
            spec = run.spec_for_path(exchange.path)
            check = spec.check(
                exchange.method,
                exchange.path,
                exchange.status,
                request_body=exchange.request_body,
                request_type=exchange.request_type,
                response_body=exchange.response_body,
                response_type=exchange.response_type,
                query=exchange.query,
            )
            key = (check.method, check.template or f"(undocumented) {exchange.path}")
            problems = verdicts[spec.api].setdefault(key, [])
            if not check.ok:
                problems.append(check.explain())
        for api in apis:
            spec = run.specs[api]
            routes = implemented_routes(api, spec, context_path=CONTEXT_PATH)
            documented = {r.key for r in routes if r.template}
            unknown = sorted({f"{r.method} {r.rule}" for r in routes if not r.template})
            exercised = verdicts[api]
            passing = [
                key for key, problems in exercised.items() if not problems and key in documented
            ]
            print(f"{flavour} · {api} ({SPEC_FILES[api]})")
            print(
                f"  routes implemented  {len({r.key for r in routes}):4}   "
                f"({len(documented)} documented in the spec, {len(unknown)} not)"
            )
            hit = documented & set(exercised)
            print(f"  routes exercised    {len(hit):4}   of the {len(documented)} documented ones")
            print(f"  routes passing      {len(passing):4}   request and response valid")
            if options.verbose:
                for line in unknown:
                    print(f"    not in spec:    {line}")
                for method, template in sorted(documented - set(exercised)):
                    print(f"    not exercised:  {method} {template}")
                for (method, template), problems in sorted(exercised.items()):
                    for problem in problems:
                        print(
                            f"    FAILING {method} {template}\n      "
                            + problem.replace("\n", "\n      ")
                        )
        if run.recorder.skipped:
            print(f"  skipped steps: {run.recorder.skipped}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
