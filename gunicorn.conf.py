"""gunicorn's settings for this site, read from the directory gunicorn starts in (the README's
deployment, the load run of `make bench`); the command line still sets workers and address."""

import gc


def post_worker_init(worker):
    """Once a worker has loaded Django and Wagtail, move everything loaded so far out of the
    garbage collector's reach: about 200,000 objects (modules, classes, the models' and
    Wagtail's machinery) that live as long as the worker and hold no garbage. Python's full
    collection otherwise walks all of them every few hundred requests: 120-140 ms of CPU on
    the benchmarks' 2-core machine, a pause in the middle of someone's request, taken from a
    burst of enrolments. Objects made later are collected as before."""
    gc.collect()
    gc.freeze()
