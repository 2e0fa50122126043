"""The engine service: deploy models, run dossiers, fire timers, route messages.

:class:`Engine` is a small service object around one SQLAlchemy session: a facade over the
engine's rooms (docs/architecture.md) — deployment (:mod:`toantrinh.engine.deployment`), the commands
(:mod:`toantrinh.engine.commands`), the queries (:mod:`toantrinh.engine.queries`) and the unit of work that
loads, replays and commits (:mod:`toantrinh.engine.store.unit_of_work`). Every public
method that changes a dossier is one transaction: load the dossier's state, step the
workflow, save state + events + timer/message/inbox indexes, commit. The dossier row's
``lock_version`` makes the save conditional, so of two concurrent steps on one dossier
exactly one commits; the other gets :class:`ConflictError` and nothing of it is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from sqlalchemy.orm import Session

from toantrinh.engine.commands.documents import DocumentCommands
from toantrinh.engine.commands.dossiers import DossierCommands
from toantrinh.engine.commands.events import (
    EventCommands,
    iter_pending_advances,
    iter_pending_retries,
)
from toantrinh.engine.commands.migration import MigrationCommands, MigrationReport
from toantrinh.engine.commands.tasks import BatchOutcome, TaskCommands
from toantrinh.engine.connectors import ConnectorRegistry
from toantrinh.engine.deployment import (
    _SPEC_CACHE,
    FORMS_DIR,
    LIBRARY_DIR,
    Deployment,
    DeployResult,
    deploy_library,
)
from toantrinh.engine.errors import (
    ConflictError,
    DossierStateError,
    EngineError,
    JournalError,
    MigrationRefused,
    NotFoundError,
)
from toantrinh.engine.filestore import FileStore
from toantrinh.engine.persistence import (
    Dossier,
    DossierEvent,
)
from toantrinh.engine.queries import Queries
from toantrinh.engine.scripting import SafeScriptEngine
from toantrinh.engine.spiff_compat import current_data, document_type_of
from toantrinh.engine.store.records import TERMINAL, _Indexes, _Stored
from toantrinh.engine.store.statements import (
    _COPY_FROM,
    _INSERT_EVENT,
    _INSERT_INDEX,
    _WRITE_KINDS,
    _insert_rows,
)
from toantrinh.engine.store.unit_of_work import UnitOfWork

# what callers import from here (the rooms' modules are the homes of these names)
__all__ = [
    "LIBRARY_DIR",
    "TERMINAL",
    "_COPY_FROM",
    "_INSERT_EVENT",
    "_INSERT_INDEX",
    "_SPEC_CACHE",
    "BatchOutcome",
    "ConflictError",
    "DeployResult",
    "DossierStateError",
    "Engine",
    "EngineError",
    "JournalError",
    "MigrationRefused",
    "MigrationReport",
    "NotFoundError",
    "_insert_rows",
    "current_data",
    "deploy_library",
    "document_type_of",
    "iter_pending_advances",
    "iter_pending_retries",
]


class Engine(
    Deployment,
    DossierCommands,
    TaskCommands,
    DocumentCommands,
    EventCommands,
    MigrationCommands,
    Queries,
    UnitOfWork,
):
    """Deploys models and runs dossiers within one session.

    The facade of the engine's rooms: each base class holds one family of methods (the
    commands on dossiers, on tasks, on documents, the scheduler's events, migration,
    the queries, deployment); :class:`~toantrinh.engine.store.unit_of_work.UnitOfWork` loads,
    replays and commits for all of them. This class only holds the per-transaction state.
    """

    def __init__(
        self,
        session: Session,
        connectors: ConnectorRegistry | None = None,
        forms_dir: Path | None = None,
        on_event: Callable[[DossierEvent], None] | None = None,
        defer_services: bool = False,
        on_deferred: Callable[[int], None] | None = None,
        files: FileStore | None = None,
    ):
        """``defer_services``: stop before service tasks and leave them to a worker
        (:meth:`advance`), so that a slow registry never holds an HTTP request;
        ``on_deferred(dossier_id)`` is called after commit (e.g. to enqueue a Celery task).
        ``files``: where new dossier files go (``engine/filestore.py``); without one they
        are kept in their rows.
        """
        self.session = session
        self.files = files
        self.defer_services = defer_services
        self.on_deferred = on_deferred
        self._deferred: list[int] = []
        bind = session.get_bind()
        self._dialect = bind.dialect.name
        self._ids_as_array = self._dialect == "postgresql"
        # which database the process-wide workflow cache entries of this engine belong to
        self._db_key = bind.url.render_as_string(hide_password=True)
        # dossiers saved in this transaction, not yet committed: id -> (dossier, workflow)
        self._saved: dict[int, tuple[Dossier, BpmnWorkflow]] = {}
        # index rows as this transaction knows them (read once, or known empty for a new
        # dossier), and the state each saved dossier's rows must have at commit
        self._indexes: dict[int, _Indexes] = {}
        self._index_writes: dict[int, tuple[Dossier, _Indexes]] = {}
        # the inbox rows of the dossiers this engine wrote: as its transaction will leave
        # them, then as its last commit left them (committed_inbox)
        self._inbox_writing: dict[int, list[dict[str, Any]]] = {}
        self._inbox_committed: dict[int, list[dict[str, Any]]] = {}
        self.connectors = connectors or ConnectorRegistry()
        self.forms_dir = forms_dir or FORMS_DIR
        self.script_engine = SafeScriptEngine(self.connectors)
        self.on_event = on_event
        # the rows of the events to insert at commit (DossierEvent objects are made only
        # for an on_event listener, after the commit)
        self._pending_events: list[dict[str, Any]] = []
        # the rows of the e-data warehouse documents its dossiers' results make (likewise)
        self._pending_results: list[dict[str, Any]] = []
        # states and journals read (Engine._load_states), by dossier id
        self._stored: dict[int, _Stored] = {}
        # the journal entries of the steps saved in this transaction, by dossier id; the
        # dossiers this transaction dumps (their journal rows to delete at commit)
        self._journal: dict[int, list[str]] = {}
        self._dumped: set[int] = set()
        self._truncate: set[int] = set()
        # on PostgreSQL, the rows of each kind this commit writes in one statement
        self._writes: dict[str, list[dict[str, Any]]] = {kind: [] for kind in _WRITE_KINDS}
