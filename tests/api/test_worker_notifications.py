"""A scheduler pass outside Flask notifies the applicant too (deferred service task →
the citizen's next step opens → an email)."""

from __future__ import annotations

from tests.api.conftest import LLTP
from tests.api.test_notifications import smtp  # noqa: F401  (the local SMTP server fixture)
from tests.helpers.people import CITIZEN_ID, POPULATION, local_connectors
from toantrinh.api.notifications import worker_hook
from toantrinh.engine.scheduler import tick
from toantrinh.engine.service import Engine


def test_a_scheduler_pass_emails_the_applicant_whose_step_opened(
    session_factory,
    smtp,  # noqa: F811
    monkeypatch,
):
    controller, inbox = smtp
    monkeypatch.setenv("TOANTRINH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("TOANTRINH_SMTP_PORT", str(controller.port))
    with session_factory() as session:
        engine = Engine(session, connectors=local_connectors(), defer_services=True)
        engine.deploy_folder(LLTP)
        dossier = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID)
        assert dossier.needs_advance and engine.ready_tasks(dossier.id) == []
    events = []
    with session_factory() as session:
        assert tick(session, local_connectors(), on_event=events.append).advanced == 1
    assert "service_called" in [e.kind for e in events]
    worker_hook(session_factory, local_connectors())(events)
    ((recipients, message),) = inbox.messages
    assert recipients == [POPULATION[CITIZEN_ID]["email"]]
    assert dossier.receipt_code in message["Subject"]
    assert "Kê khai" in message.get_content()
