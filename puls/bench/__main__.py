"""Benchmarks: `python -m puls.bench [SCENARIO|all]`.

Each scenario measures our code against a baseline in the same run and prints one line
`bench <name> ratio=<ours/baseline> ...`. Benchmarks are never part of `make test`.
"""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main(argv: list[str]) -> int:
    import django

    django.setup()
    from puls.bench.scenarios import SCENARIOS

    wanted = argv[1] if len(argv) > 1 else "all"
    names = list(SCENARIOS) if wanted == "all" else [wanted]
    unknown = [name for name in names if name not in SCENARIOS]
    if unknown:
        print(f"Unknown scenario {unknown[0]!r}; choose from: all, {', '.join(SCENARIOS)}", file=sys.stderr)
        return 2
    for name in names:
        print(SCENARIOS[name](), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
