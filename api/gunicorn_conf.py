"""gunicorn settings for the API, one place for ``toantrinh serve``, the load bench and a
province's own command line::

    gunicorn -c python:toantrinh.api.gunicorn_conf -w N --threads T -b 127.0.0.1:8000 'toantrinh.api.app:create_app()'

Options given on the command line override these (gunicorn reads this module first).
"""

from __future__ import annotations

from toantrinh.engine import logs
from toantrinh.engine.heap import freeze_startup_heap
from toantrinh.engine.lifeline import die_with_parent
from toantrinh.engine.settings import current as current_settings

worker_class = "gthread"
threads = 4
timeout = 60
# gunicorn closes an idle connection after 2 s by default; a request that nginx (or any
# client) sends on it at that moment gets no answer at all (nginx: 502, a POST is not
# retried). 75 s is above nginx's upstream keepalive_timeout (60 s): nginx closes first.
keepalive = 75


def post_worker_init(worker) -> None:
    """The app is loaded: move what start-up made (modules, the app, parsers) out of the
    garbage collector's sight, so that its full passes only walk what requests create."""
    worker.log.info("start-up heap frozen: %d objects", freeze_startup_heap())


def post_fork(server, worker) -> None:
    """A worker dies with its master, even one killed outright (``kill -9``): it would
    otherwise keep the listening socket, and the next start could not bind the port."""
    die_with_parent(parent=server.pid)
    # the app's own lines as structured JSON (engine/logs.py); gunicorn's access and error
    # logs keep their handlers
    settings = current_settings()
    logs.configure(settings.log_format, settings.log_level)
