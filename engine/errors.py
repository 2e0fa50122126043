"""The engine's domain errors. They carry no HTTP status: :mod:`api.errors` maps each
kind to one (issue 23).
"""

from __future__ import annotations


class EngineError(Exception):
    """Base of the engine's errors; ``status`` is the HTTP status an API should use."""

    status = 400


class NotFoundError(EngineError):
    status = 404


class ConflictError(EngineError):
    """Another step on the same dossier committed first; reload and try again."""

    status = 409


class _StaleSnapshot(ConflictError):
    """SQLite refused a write because this transaction read an older snapshot.

    In WAL mode a transaction that has read cannot write after any other connection has
    committed, whatever it wrote: the whole operation is simply run again.
    """


class JournalError(EngineError):
    """A dossier's stored state and journal do not rebuild it (engine/journal.py)."""

    status = 500


class MigrationRefused(EngineError):
    """Moving a running dossier to another model version would lose or corrupt state."""

    status = 409


class DossierStateError(EngineError):
    """The operation does not fit the dossier's current state (task not ready, closed…)."""

    status = 409
