"""Shared pieces of the most-used procedures (issue 25, item 10): where each fact comes from,
and the one-stop shape most of them share.

Facts carry their source in the format of docs/library.md ("Facts and their sources"): the
national portal's published record of the procedure (its address and the decision that
published it) or a legal text and article, with the date it was checked; a figure no source
confirms says ``"estimate": true`` and what it is based on.
"""

from __future__ import annotations

from typing import Any

from bpmn_builder import Flow, Node
from common import cited, estimated, intake, overdue, script, seq
from common import portal as _portal

__all__ = [
    "cited",
    "estimated",
    "fee",
    "pay_data",
    "portal",
    "standard",
    "time_limit",
    "volume",
]


def portal(
    code: str, decision: str, record: str, what: str = "mã và tên thủ tục"
) -> dict[str, Any]:
    """A fact as the national portal's record of procedure ``code`` publishes it
    (``common.portal`` with a default for the code fact itself)."""
    return _portal(code, decision, record, what)


def time_limit(days: int, working_days: bool, source: dict[str, Any]) -> dict[str, Any]:
    return {"days": days, "working_days": working_days, **source}


def fee(amount: int, online_amount: int, source: dict[str, Any]) -> dict[str, Any]:
    return {"amount": amount, "online_amount": online_amount, "currency": "VND", **source}


def volume(dossiers: int, source: dict[str, Any]) -> dict[str, Any]:
    out = {"dossiers": dossiers, **source}
    out.setdefault("estimate", False)
    return out


def standard(
    *,
    c: str = "citizen",
    d: str = "one_stop_desk",
    s: str = "specialist",
    start_name: str,
    head: list[Node],
    receive_name: str,
    receive_step: dict[str, str],
    middle: list[Node],
    appraise: Node,
    approve_question: str,
    refused_name: str,
    tail: list[Node],
    result_value: str,
    done_name: str,
    deadline: str | None,
) -> tuple[list[Node], list[Flow], list]:
    """start → head… (prefill, declare, pay, registry checks) → receive ⟲ supplement →
    middle… → appraise → approved? → tail… (sign, print, deliver) → result → end, with a
    refusal branch and, when ``deadline`` is set, the statutory-deadline timer on the
    appraisal (apology letter and new date, Decree 118/2025)."""
    after = (middle or [appraise])[0].id
    intake_nodes, intake_flows = intake(
        desk=d,
        citizen=c,
        after=head[-1].id,
        next_=after,
        receive_name=receive_name,
        receive_step=receive_step,
    )
    nodes = [
        Node("Start_Request", "start", start_name, c),
        *head,
        *intake_nodes,
        *middle,
        appraise,
        Node("Gateway_Approved", "xor", approve_question, s),
        script(
            "Task_Refused", "Thông báo bằng văn bản lý do không giải quyết", s, 'result = "refused"'
        ),
        Node("End_Refused", "end", refused_name, s),
        *tail,
        script("Task_Result", "Cập nhật kết quả giải quyết", d, f'result = "{result_value}"'),
        Node("End_Done", "end", done_name, d),
    ]
    flows = [
        *seq("Start_Request", *[n.id for n in head]),
        *intake_flows,
        *seq(*[n.id for n in middle], appraise.id, "Gateway_Approved"),
        Flow("Gateway_Approved", tail[0].id, "Đủ điều kiện", "approved == True"),
        Flow("Gateway_Approved", "Task_Refused", "Không đủ điều kiện", "approved == False"),
        Flow("Task_Refused", "End_Refused"),
        *seq(*[n.id for n in tail], "Task_Result", "End_Done"),
    ]
    boundaries = []
    if deadline:
        t_nodes, t_flows, timer = overdue(appraise.id, d, deadline)
        nodes += t_nodes
        flows += t_flows
        boundaries.append(timer)
    return nodes, flows, boundaries


def pay_data(reference: str, amount: int) -> dict[str, Any]:
    return {
        "payment_reference": reference,
        "amount": amount,
        "payment_method": "Nền tảng thanh toán Cổng Dịch vụ công quốc gia",
    }
