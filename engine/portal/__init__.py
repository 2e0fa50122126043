"""Exchange with the National Public Service Portal (Cổng Dịch vụ công quốc gia): the
adapter interface and the portal's adapter (:mod:`toantrinh.engine.portal.connector`), the outbox
of statuses and the reception of dossiers (:mod:`toantrinh.engine.portal.sync`), and a sandbox
portal (:mod:`toantrinh.engine.portal.sandbox`) started by ``toantrinh serve``."""
