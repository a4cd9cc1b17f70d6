"""Demo data for `make run`: invented people only, never real ones.

One module per kind of thing it makes (site, centres, people, courses, groups, residential,
experts), each with `seed_*` steps that add only what is missing. The command `seed_demo` runs
them in order; `serve` starts the development server and a task worker and prints the demo
logins. This app may import every other app; no other app imports it, so production code never
depends on demo data. The benchmarks' large data set is `tests/bench/scale_seed.py`.
"""
