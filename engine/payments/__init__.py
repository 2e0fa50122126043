"""Online payment of a dossier's fees (thanh toán trực tuyến phí, lệ phí).

Circular 01/2023/TT-VPCP, Art. 13(1)(đ): a procedure is full-process online only if its
fees are paid online. The pieces:

* :mod:`toantrinh.engine.payments.fees` — what the dossier owes: the procedure's fee, reduced when
  the dossier was submitted online (``fee.online_amount`` in procedure.json, and the
  rules of ``data/fee_reductions.json``);
* :mod:`toantrinh.engine.payments.connector` — the interface every payment platform's adapter
  implements, and the adapter for the national payment platform (PayGov);
* :mod:`toantrinh.engine.payments.orders` — payment orders, verified and idempotent callbacks,
  expiry, refunds, daily reconciliation, and the completion of the dossier's payment step;
* :mod:`toantrinh.engine.payments.sandbox` — a sandbox payment platform for development and tests,
  started by ``toantrinh serve``.
"""
