"""What a one-stop office runs on besides the workflow (issue 29): printed documents
(receipts, notices, e-results as PDF), PAdES signatures on e-results, and the event
tail that feeds the passes run after a dossier's step has committed.

Payments are in :mod:`toantrinh.engine.payments`, the exchange with the National Public Service
Portal in :mod:`toantrinh.engine.portal`. None of them is inside the engine's transaction: each
reads what the engine committed (its events, its warehouse rows) and keeps its own
tables, so that a slow token, a payment platform or the portal never holds a step.
"""
