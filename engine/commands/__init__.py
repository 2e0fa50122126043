"""Commands: what changes dossiers — one module per family (dossiers, tasks, documents, the
scheduler's events, migration) and the helpers they share (timers, correlation, retries,
inbox rows, receipt codes). Each family is a base class of :class:`toantrinh.engine.service.Engine`;
docs/architecture.md is the map."""
