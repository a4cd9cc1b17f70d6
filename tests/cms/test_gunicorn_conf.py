"""gunicorn's settings (`gunicorn.conf.py`, read from the directory gunicorn starts in)."""

import gc
import importlib.util
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_a_worker_freezes_what_it_loaded_out_of_the_garbage_collectors_reach():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", CONF)
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    assert gc.get_freeze_count() == 0
    try:
        conf.post_worker_init(worker=None)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
