"""The one-stop pattern of Decree 118/2025/NĐ-CP laid over a record's steps.

The applicant submits, the one-stop desk receives and checks the dossier, the agency
appraises, the leader decides and signs, the desk returns the result. The record's own
steps become the tasks, in order; the pattern only adds what the record leaves out
(submission, reception, payment when there is a fee, return of the result), a supplement
loop after the reception and a refusal branch after the deciding step when the text
describes them, the e-result stored at the end, and the statutory deadline as a timer on
the deciding step leading to the apology letter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from .draft_nodes import FORMS, Builder, Node, added_task, short_name, step_task
from .record import Record
from .steps import Step, channel_runs

STAFF = ("one_stop_desk", "specialist", "leader", "other_agency")
DECIDE_KINDS = ("appraise", "approve", "inspect", "verify")


class Deadline(NamedTuple):
    """The non-interrupting timer of the statutory time on the deciding step."""

    host: str  # the task it is attached to
    iso: str  # its ISO 8601 duration
    text: str  # the time as the record words it
    lane: str  # the lane of its host


@dataclass
class OneStopFlow:
    """The drafted tasks and flows, where each source step went (``Step_<i>`` of the task
    it became or joined), the tasks the pattern added (for ``review.md``) and the
    deadline timer, if the record states a time."""

    builder: Builder
    step_map: dict[int, str | None]
    added: list[str]
    deadline: Deadline | None


def one_stop_flow(record: Record) -> OneStopFlow:
    """Lay the one-stop pattern over a read record's steps."""
    return _Drafting(record).run()


def plan_steps(record: Record) -> tuple[list[Step], dict[int, str | None]]:
    """The steps that become tasks, and where each source step went. Alternatives for
    different channels (:func:`.steps.channel_runs`) all go to the task of the first: one
    task whose channel is the applicant's choice, never a sequence."""
    runs = channel_runs(record.steps)
    tasks: list[Step] = []
    mapping: dict[int, str | None] = {}
    for step in record.steps:
        first = runs.get(step.index)
        if first is not None and first != step.index:
            mapping[step.index] = f"Step_{first}"
        elif step.actionable or first is not None or not tasks:
            tasks.append(step)
            mapping[step.index] = f"Step_{step.index}"
        else:
            mapping[step.index] = f"Step_{tasks[-1].index}"
    return tasks, mapping


def _alternatives(record: Record, step_map: dict[int, str | None], step: Step) -> list[Step]:
    """The channel alternatives drafted as ``step``'s task (itself first)."""
    own = f"Step_{step.index}"
    return [s for s in record.steps if step_map[s.index] == own and s.channels]


def _pick(
    tasks: list[Step],
    kinds: tuple[str, ...],
    *,
    after: int = -1,
    actors: tuple[str, ...] | None = None,
) -> int | None:
    for i, step in enumerate(tasks):
        if i > after and step.kind in kinds and (actors is None or step.actor in actors):
            return i
    return None


def _decider(tasks: list[Step], receive: int | None, refusal: bool) -> int | None:
    """The deciding step, after the reception: the first staff step that describes the
    refusal, else the last staff appraisal or approval."""
    after = [i for i in range(len(tasks)) if receive is None or i > receive]
    if refusal:
        for i in after:
            s = tasks[i]
            if s.refusal and s.actor in STAFF and s.kind in DECIDE_KINDS:
                return i
    candidates = [i for i in after if tasks[i].kind in ("appraise", "approve")]
    candidates = [i for i in candidates if tasks[i].actor in STAFF]
    return candidates[-1] if candidates else None


class _Drafting:
    """One record being drafted: the builder and what the stages share."""

    def __init__(self, record: Record) -> None:
        self.record = record
        self.tasks, self.step_map = plan_steps(record)
        self.supplement = any(s.supplement for s in record.steps)
        self.refusal = any(s.refusal for s in record.steps)
        self.fee = record.fee()[0]
        self.has_pay = any(s.kind == "pay" for s in self.tasks)
        self.b = Builder()
        self.added: list[str] = []
        self.decision_node: str | None = None

    def run(self) -> OneStopFlow:
        self.b.add(Node("Start_Submit", "startEvent", "Có yêu cầu giải quyết thủ tục", "citizen"))
        first_staff = next(
            (i for i, s in enumerate(self.tasks) if s.actor != "citizen"), len(self.tasks)
        )
        if not any(s.kind in ("submit", "pay") for s in self.tasks[:first_staff]):
            name = "Nộp hồ sơ" + _channels_note(self.record)
            self.b.add(added_task("Task_Submit", name, "citizen", "submit"))
            self.added.append("Nộp hồ sơ (người nộp)")
        receive = _pick(self.tasks, ("receive", "verify"), actors=("one_stop_desk", "specialist"))
        self._steps(first_staff, receive, _decider(self.tasks, receive, self.refusal))
        if self.decision_node is None and self.refusal:
            self._added_decision()
        if not any(s.kind == "deliver_result" for s in self.tasks):
            deliver = added_task(
                "Task_Deliver",
                "Trả kết quả giải quyết",
                "one_stop_desk",
                "deliver_result",
                FORMS["deliver"],
            )
            self.b.add(deliver)
            self.added.append("Trả kết quả (Bộ phận Một cửa)")
        self._result()
        return OneStopFlow(self.b, self.step_map, self.added, self._deadline())

    def _steps(self, first_staff: int, receive: int | None, decide: int | None) -> None:
        """The record's tasks in order, the reception (the record's or the desk's) with its
        supplement loop and payment, the deciding step with its refusal branch."""
        desk = None
        if receive is None:
            desk = added_task(
                "Task_Receive", "Tiếp nhận, kiểm tra hồ sơ", "one_stop_desk", "receive"
            )
            self.added.append("Tiếp nhận, kiểm tra hồ sơ (Bộ phận Một cửa)")
        for i, step in enumerate(self.tasks):
            if desk is not None and i == first_staff:
                self._reception(desk)
            node = step_task(step, _alternatives(self.record, self.step_map, step))
            if i == receive:
                self._reception(node)
            elif i == decide:
                node.form = FORMS["decide"] if self.refusal else None
                self.b.add(node)
                self.decision_node = node.id
                if self.refusal:
                    _refusal_branch(self.b, node)
            else:
                self.b.add(node)
        if desk is not None and first_staff == len(self.tasks):
            self._reception(desk)

    def _reception(self, node: Node) -> None:
        """The receiving task, reading the components, with the supplement loop when the
        text describes one and the payment when there is a fee and no paying step."""
        b = self.b
        if self.supplement:
            b.add(Node("Gateway_Resubmit", "exclusiveGateway", "", node.lane))
            node.form = FORMS["receive"]
            b.add(node)
            b.add(Node("Gateway_Valid", "exclusiveGateway", "Hồ sơ đầy đủ, hợp lệ?", node.lane))
            sup = added_task(
                "Task_Supplement",
                "Bổ sung, hoàn thiện hồ sơ theo hướng dẫn",
                "citizen",
                "submit",
                FORMS["supplement"],
            )
            sup.row = 1
            b.nodes.append(sup)
            b.flow(
                "Gateway_Valid", "Task_Supplement", "Chưa hợp lệ", 'intake_decision == "supplement"'
            )
            b.flow("Task_Supplement", "Gateway_Resubmit")
            b.cursor, b.pending = "Gateway_Valid", ("Hợp lệ", 'intake_decision == "accept"')
        else:
            b.add(node)
        record = self.record
        node.inputs = [f"Component_{c.index}" for c in record.components if c.role == "document"]
        if self.fee and not self.has_pay:
            pay = added_task(
                "Task_Pay",
                f"Nộp phí, lệ phí ({_vnd(self.fee)})",
                "citizen",
                "pay",
                FORMS["pay"],
                basis=_fee_source(record),
            )
            b.add(pay)
            self.added.append("Nộp phí, lệ phí trực tuyến (có phí trong bản ghi)")

    def _added_decision(self) -> None:
        """A deciding task when the text describes a refusal but names no deciding step."""
        appraise = added_task(
            "Task_Appraise",
            "Thẩm định, quyết định giải quyết hồ sơ",
            "specialist",
            "appraise",
            FORMS["decide"],
        )
        self.b.add(appraise)
        _refusal_branch(self.b, appraise)
        self.decision_node = appraise.id
        self.added.append("Thẩm định, quyết định (để có nhánh từ chối mà văn bản nêu)")

    def _result(self) -> None:
        """The e-result stored in the applicant's e-data warehouse, and the end."""
        results = self.record.results
        result_name = results[0].name if results else "Kết quả giải quyết thủ tục"
        result_code = results[0].code if results else ""
        b = self.b
        last_lane = b.nodes[-1].lane if b.nodes[-1].type != "exclusiveGateway" else "one_stop_desk"
        store = Node(
            "Task_Result",
            "scriptTask",
            "Lưu kết quả điện tử vào Kho dữ liệu",
            last_lane,
            {"kind": "other", "actor": "system", "duration": "PT1M", "presence": "none"},
            script='result = "issued"',
            documentation=f"Kết quả: {result_name}"
            + (f" (mã {result_code})" if result_code else ""),
        )
        b.add(store)
        b.add(Node("End_Done", "endEvent", short_name(result_name, 60), last_lane))

    def _deadline(self) -> Deadline | None:
        """The statutory time as a timer on the deciding step (else the first staff task),
        leading to the apology letter of Decree 118/2025/NĐ-CP."""
        b = self.b
        time, _source = self.record.statutory_time()
        timer_host = self.decision_node or next(
            (n.id for n in b.nodes if n.type == "userTask" and n.lane in ("specialist", "leader")),
            None,
        )
        if not (time and timer_host):
            return None
        host = next(n for n in b.nodes if n.id == timer_host)
        apology = added_task(
            "Task_Apology",
            "Gửi văn bản xin lỗi, hẹn lại ngày trả kết quả",
            "one_stop_desk",
            "other",
            FORMS["apology"],
        )
        apology.row = 1
        end = Node("End_Apology", "endEvent", "Đã hẹn lại ngày trả", "one_stop_desk", row=1)
        b.nodes.extend([apology, end])
        b.flow("Timer_Deadline", "Task_Apology")
        b.flow("Task_Apology", "End_Apology")
        return Deadline(timer_host, time.iso(), time.text, host.lane)


def _refusal_branch(b: Builder, node: Node) -> None:
    b.add(Node("Gateway_Approved", "exclusiveGateway", "Đủ điều kiện giải quyết?", node.lane))
    refused = Node(
        "Task_Refused",
        "scriptTask",
        "Ghi nhận từ chối, trả lời bằng văn bản nêu rõ lý do",
        node.lane,
        {"kind": "other", "actor": "system", "duration": "PT1M", "presence": "none"},
        script='result = "refused"',
        row=1,
    )
    end = Node("End_Refused", "endEvent", "Từ chối giải quyết", node.lane, row=1)
    b.nodes.extend([refused, end])
    b.flow("Gateway_Approved", "Task_Refused", "Không đủ điều kiện", 'decision == "refuse"')
    b.flow("Task_Refused", "End_Refused")
    b.cursor, b.pending = "Gateway_Approved", ("Đủ điều kiện", 'decision == "approve"')


def _channels_note(record: Record) -> str:
    labels = [c.label.lower() for c in record.channels]
    return f" ({', '.join(labels)})" if labels else ""


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def _fee_source(record: Record) -> str:
    return record.fee()[2] or "Cách thức thực hiện"
