"""The store: the unit of work that loads a dossier (stored state and journal, or the
process cache), holds what its steps leave and commits it all in few statements, with the
statements, the journal, the workflow cache, conflict detection and row ids it uses.
docs/architecture.md is the map."""
