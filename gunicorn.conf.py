"""gunicorn's settings for this site, read from the directory gunicorn starts in (the README's
deployment, the load run of `make bench`); the command line still sets workers and address."""

import gc
import sys
from pathlib import Path

from gunicorn.glogging import Logger

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cms.logs import PrivateLinkFilter, private_paths_mask


class PrivateLinkLogger(Logger):
    """gunicorn's logger with private keys masked: in the access log's fields (the request
    line, the path, the referrer: a page opened from a manage link names it) and in the
    error log's messages."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.addFilter(PrivateLinkFilter())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: private_paths_mask(value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }


logger_class = PrivateLinkLogger


def post_worker_init(worker):
    """Once a worker has loaded Django and Wagtail, move everything loaded so far out of the
    garbage collector's reach: about 200,000 objects (modules, classes, the models' and
    Wagtail's machinery) that live as long as the worker and hold no garbage. Python's full
    collection otherwise walks all of them every few hundred requests: 120-140 ms of CPU on
    the benchmarks' 2-core machine, a pause in the middle of someone's request, taken from a
    burst of enrolments. Objects made later are collected as before."""
    gc.collect()
    gc.freeze()
