"""Gunicorn settings that look inside the load run (`enrolment_http.py --probe ...`), for the
figures of the README's "Not met, and why"; never part of `make bench`'s targets.

- `lock`: each worker writes, for every enrolment, how long it held the group's lock (from the
  locked read of the group to the end of the commit) to the file `BENCH_PROBE_FILE`.
- `stub`: the enrolment service is replaced by a stub that writes nothing, so the run measures
  everything around it (gunicorn, the middleware, the group and its questions, the form, the
  redirect).

They wrap functions of the running code by name: a probe that no longer finds its function
stops the workers at start rather than measuring nothing.
"""

import os
import time


def post_fork(server, worker):
    import django

    django.setup()
    probe = os.environ["BENCH_PROBE"]
    if probe == "lock":
        _probe_lock(os.environ["BENCH_PROBE_FILE"])
    elif probe == "stub":
        _probe_stub()
    else:
        raise SystemExit(f"unknown probe {probe!r}")


def _probe_lock(path: str) -> None:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from groups.services import enrolment

    locked_at = {}
    lock = enrolment.group_lock

    def group_lock(group_id, **kwargs):
        group = lock(group_id, **kwargs)
        locked_at["t"] = time.perf_counter()
        return group

    commit = BaseDatabaseWrapper.commit

    def commit_and_record(self):
        commit(self)
        started = locked_at.pop("t", None)
        if started is not None:
            with open(path, "a") as file:
                file.write(f"{time.perf_counter() - started:.6f}\n")

    enrolment.group_lock = group_lock
    BaseDatabaseWrapper.commit = commit_and_record


def _probe_stub() -> None:
    import types

    from groups.views import enrolment

    def enrolment_create(**fields):
        return types.SimpleNamespace(manage_token="stub")

    if not hasattr(enrolment.services, "enrolment_create"):
        raise SystemExit("the enrolment view no longer calls services.enrolment_create")
    enrolment.services.enrolment_create = enrolment_create
