"""The benchmarks' data set without the benchmarks: the demo, then the scale-N data set.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vt_bench \
        .venv/bin/python tests/bench/seed.py --scale 10

On a migrated database. Only adds what is missing, so it can run again (or after an
interruption). `tests/bench/run.py` seeds the same way before it measures.
"""

import argparse
import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", "10")))
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    from tests.bench.scale_seed import scale_data_seed

    call_command("seed_demo")
    counts = scale_data_seed(scale=args.scale)
    print(f"Scale data is in place: added {counts}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
