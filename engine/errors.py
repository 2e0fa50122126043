"""The engine's domain errors, in one place.

Each error names what went wrong in the domain's words (``kind``): a dossier or model not
found, a lost race (conflict), an operation that does not fit the dossier's state, a
refused migration, a journal that does not rebuild, a principal refused, an attachment or a
file store refused. :data:`HTTP_STATUS` is the one table from those kinds to the status
the REST API answers with (:mod:`toantrinh.api.errors` renders them as problem+json); it stays beside
the kinds because batch outcomes (:class:`toantrinh.engine.commands.tasks.BatchOutcome`) report it
per item and the engine's tests read it as ``err.status``.
"""

from __future__ import annotations

HTTP_STATUS = {
    "invalid": 400,
    "forbidden": 403,
    "not-found": 404,
    "conflict": 409,
    "dossier-state": 409,
    "migration-refused": 409,
    "too-large": 413,
    "start-refused": 422,
    "unacceptable": 422,
    "journal": 500,
    "damaged": 500,
    "unavailable": 503,
}


class DomainError(Exception):
    """What every engine error has: a ``kind`` (a key of :data:`HTTP_STATUS`)."""

    kind = "invalid"

    @property
    def status(self) -> int:
        """The HTTP status the API answers for this kind."""
        return HTTP_STATUS[self.kind]


class EngineError(DomainError):
    """Base of the engine's errors about models and dossiers."""


class NotFoundError(EngineError):
    kind = "not-found"


class ConflictError(EngineError):
    """Another step on the same dossier committed first; reload and try again."""

    kind = "conflict"


class _StaleSnapshot(ConflictError):
    """SQLite refused a write because this transaction read an older snapshot.

    In WAL mode a transaction that has read cannot write after any other connection has
    committed, whatever it wrote: the whole operation is simply run again.
    """


class JournalError(EngineError):
    """A dossier's stored state and journal do not rebuild it (engine/store/journal.py)."""

    kind = "journal"


class MigrationRefused(EngineError):
    """Moving a running dossier to another model version would lose or corrupt state."""

    kind = "migration-refused"


class DossierStateError(EngineError):
    """The operation does not fit the dossier's current state (task not ready, closed…)."""

    kind = "dossier-state"


class AccessDenied(EngineError):
    """The principal may not do this."""

    kind = "forbidden"


class StartRefused(EngineError):
    """A start request this principal may make, but not as given."""

    kind = "start-refused"

    def __init__(self, detail: str, field_name: str, message: str):
        super().__init__(detail)
        self.field = field_name
        self.message = message


class AttachmentError(DomainError, ValueError):
    """A file that cannot be attached; ``field`` names the part of the request at fault.
    ``kind``: ``unacceptable`` (empty, infected, wrong type…), ``too-large``, ``conflict``
    (the dossier holds as many files as it may), ``unavailable`` (the scanner is down)."""

    def __init__(self, field: str, message: str, kind: str = "unacceptable"):
        self.field, self.kind = field, kind
        super().__init__(message)


class FileStoreError(DomainError):
    """A file the database names is missing from the store or damaged there
    (``damaged``), or the store cannot be reached (``unavailable``: try again later)."""

    def __init__(self, message: str, kind: str = "damaged"):
        super().__init__(message)
        self.kind = kind
