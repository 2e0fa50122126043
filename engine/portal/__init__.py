"""Exchange with the National Public Service Portal (Cổng Dịch vụ công quốc gia): the
adapter interface and the portal's adapter (:mod:`engine.portal.connector`), the outbox
of statuses and the reception of dossiers (:mod:`engine.portal.sync`), and a sandbox
portal (:mod:`engine.portal.sandbox`) started by ``toantrinh serve``."""
