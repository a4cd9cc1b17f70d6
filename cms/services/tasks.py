"""Background tasks (django-q2) enqueued after the surrounding transaction commits.

One broker per process: django-q2 builds a new broker, and with Redis a new connection, for
every `async_task` it is not given one for; a campaign's burst of enrolments paid a connection
per message. The broker's client reconnects by itself after a fork or a lost connection.
"""

import functools

from django.db import transaction
from django_q.brokers import Broker, get_broker
from django_q.tasks import async_task


@functools.cache
def _broker() -> Broker:
    return get_broker()


def task_enqueue(func: str, *args) -> str:
    """Queue `func` (a dotted path to a task in a `tasks` module) with its arguments now."""
    return async_task(func, *args, broker=_broker())


def task_on_commit(func: str, *args) -> None:
    """Queue `func` once the surrounding transaction commits, never if it rolls back.

    Robust: if the broker is unreachable right after the commit, the request that did the
    work still succeeds; every task queued this way has a scheduled sweep that catches up
    (offers: `offers_expire_due`, mail: `outbox_send_due`).

    A function, not a `functools.partial`: Django logs a robust hook's failure by its
    `__qualname__`, which a partial lacks, so the failure became a 500 after the commit."""

    def enqueue() -> None:
        task_enqueue(func, *args)

    transaction.on_commit(enqueue, robust=True)
