"""Simplification rules: one small pure function per thing to find.

Each rule takes a :class:`Context` (the model graph, inferred steps and components,
the registry catalogue with its connection settings, the forms) and returns a list of
:class:`Finding` objects carrying the evidence, the legal basis and the saving, so a
report can explain every recommendation. A finding is

* ``actionable`` — the rewrite applies it;
* ``blocked`` — it would apply, but a precondition does not hold yet (a registry is
  connected but its owner has not published the data scope, Resolution 66.7/2025);
* ``potential`` — it would apply if one more registry were connected (what-if);
* ``advisory`` — worth doing by hand; the rewrite keeps the model as it is (for
  example a step that decides a gateway condition, or presence required by law).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from .graph import condition_variables, topological_order
from .infer import ACTOR_VI, ComponentInfo, StepInfo
from .load import ParsedModel, identifiers

# Legal bases cited by findings (Vietnamese, as they appear in reports).
R66_7 = (
    "Nghị quyết 66.7/2025/NQ-CP: không yêu cầu thành phần hồ sơ khi thông tin đã có trong cơ sở "
    "dữ liệu mà cơ quan quản lý đã công bố phạm vi dữ liệu"
)
R66 = (
    "Nghị quyết 66/NQ-CP (2025): cắt giảm ít nhất 30% thời gian giải quyết và 30% chi phí tuân thủ"
)
L3109 = (
    "Công văn 3109/BTTTT-CĐSQG ngày 01/8/2023, mục 11: cắt bỏ bước trung gian không cần thiết, "
    "bỏ thành phần hồ sơ đã có dữ liệu trong CSDL"
)
D104 = "Nghị định 104/2022/NĐ-CP: không yêu cầu xuất trình sổ hộ khẩu, sổ tạm trú giấy"
D45 = (
    "Nghị định 45/2020/NĐ-CP: kho dữ liệu điện tử của tổ chức, cá nhân; không yêu cầu cung cấp lại "
    "giấy tờ, kết quả đã được số hóa"
)
D42_11 = (
    "Nghị định 42/2022/NĐ-CP, Điều 11: dịch vụ công trực tuyến toàn trình; chỉ yêu cầu có mặt khi "
    "pháp luật quy định"
)
D42_11_2 = (
    "Nghị định 42/2022/NĐ-CP, Điều 11 khoản 2: biểu mẫu điện tử tương tác, tự động điền dữ liệu từ "
    "CSDL quốc gia, chuyên ngành"
)
CD201 = "Công điện 201/CĐ-TTg (10/2025): cắt giảm ngay TTHC có giấy tờ mà dữ liệu đã có trong CSDL"
LDT2025 = "Luật Chuyển đổi số 2025: không yêu cầu cung cấp lại dữ liệu số hợp lệ đã có"
D69 = "Nghị định 69/2024/NĐ-CP: định danh, xác thực điện tử bằng tài khoản VNeID"
LGDDT = "Luật Giao dịch điện tử 2023: kết quả điện tử có giá trị pháp lý như bản giấy"
D118 = "Nghị định 118/2025/NĐ-CP: luân chuyển hồ sơ điện tử trên Hệ thống thông tin giải quyết TTHC"
C01 = "Thông tư 01/2023/TT-VPCP, Điều 13: tiêu chí dịch vụ công trực tuyến toàn trình"

# Documents that are the result of another procedure, reusable from the e-data
# warehouse ("*results" in data/registries.json; Decree 45/2020).
RESULT_DOCUMENT_TYPES = frozenset(
    {
        "birth_certificate",
        "marriage_certificate",
        "marital_status_confirmation",
        "death_certificate",
        "criminal_record_certificate",
        "business_registration_certificate",
        "land_use_certificate",
        "cadastral_extract",
        "driving_licence",
        "diploma",
        "health_certificate",
        "passport",
        "vehicle_registration",
        "vehicle_inspection_certificate",
        "residence_confirmation",
        "tax_registration",
        "insurance_book",
        "health_insurance_card",
    }
)
# Documents that carry the applicant's own statement, signature or design: never
# replaced by registry data (their fields are pre-filled instead).
NOT_REPLACEABLE = frozenset(
    {
        "declaration_form",
        "photo",
        "power_of_attorney",
        "construction_drawings",
        "company_charter",
        "member_list",
    }
)
_RESIDENCE_DOCS = frozenset(
    {"household_book", "temporary_residence_book", "residence_confirmation"}
)
# The parameter a registry lookup needs, and the dossier variable that holds it.
REGISTRY_KEYS = {
    "business_registration": ("enterprise_code", "enterprise_code"),
    "tax": ("tax_code", "tax_code"),
    "land": ("land_certificate_number", "land_certificate_number"),
    "vehicles": ("vehicle_plate", "vehicle_plate"),
    "education": ("diploma_number", "diploma_number"),
}
DEFAULT_REGISTRY_KEY = ("identity_number", "applicant_id")


@dataclass(frozen=True)
class Saving:
    """What a finding saves per dossier."""

    minutes: float = 0.0  # processing time of the removed/shortened work
    citizen_minutes: float = 0.0  # the applicant's own time
    steps: int = 0
    components: int = 0
    fields: int = 0
    visits: int = 0
    cost: float = 0.0  # VND per dossier, filled in by the cost model

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Finding:
    """One recommendation, with what it is based on."""

    rule: str
    targets: tuple[str, ...]
    title_vi: str
    explanation: str
    evidence: dict
    legal_basis: tuple[str, ...]
    saving: Saving = field(default_factory=Saving)
    status: str = "actionable"
    confidence: float = 1.0

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "targets": list(self.targets),
            "title_vi": self.title_vi,
            "explanation": self.explanation,
            "evidence": self.evidence,
            "legal_basis": list(self.legal_basis),
            "saving": self.saving.as_dict(),
            "status": self.status,
            "confidence": self.confidence,
        }


@dataclass(frozen=True)
class Registry:
    """A national database or the e-data warehouse, with its settings for this analysis."""

    id: str
    name_vi: str
    connected: bool
    scope_published: bool
    scope_source: str
    fields: frozenset[str]
    document_types: frozenset[str]

    def holds_document(self, doc: str | None) -> bool:
        if not doc:
            return False
        return doc in self.document_types or (
            "*results" in self.document_types and doc in RESULT_DOCUMENT_TYPES
        )


def registries(catalogue: dict, connected: set[str] | list[str] | None = None) -> list[Registry]:
    """Registry settings from a ``data/registries.json`` catalogue.

    ``connected`` (what-if) replaces the catalogue's ``connected`` flags: exactly the
    registries named are connected.
    """
    chosen = set(connected) if connected is not None else None
    out = []
    for r in catalogue.get("registries", []):
        rid = r.get("id", "")
        out.append(
            Registry(
                id=rid,
                name_vi=r.get("name_vi", rid),
                connected=(rid in chosen) if chosen is not None else bool(r.get("connected")),
                scope_published=bool(r.get("scope_published")),
                scope_source=r.get("scope_source", ""),
                fields=frozenset(r.get("fields", ())),
                document_types=frozenset(r.get("document_types", ())),
            )
        )
    return out


@dataclass
class Context:
    """Everything the rules read about one model."""

    pm: ParsedModel
    g: nx.DiGraph
    dag: nx.DiGraph
    steps: dict[str, StepInfo]
    components: dict[str, ComponentInfo]
    registries: list[Registry]
    forms: dict[str, dict]
    cond_vars: dict[str, set[str]] = field(default_factory=dict)  # node -> names it reads
    flows_in: dict[str, list] = field(default_factory=dict)
    flows_out: dict[str, list] = field(default_factory=dict)
    hosts: set[str] = field(default_factory=set)  # hosts of boundary events, message ends
    _decides: dict[str, bool] = field(default_factory=dict)
    _known_writes: dict[str, set[str] | None] = field(default_factory=dict)
    # what the engine puts in every new dossier (engine/service.py, Engine.start)
    start_data: frozenset[str] = frozenset({"applicant_id", "channel", "receipt_code", "link_id"})
    _down: dict[str, frozenset[str]] | None = None
    _known_all: set[str] | None = None

    @classmethod
    def build(cls, pm, g, dag, steps, components, regs, forms) -> Context:
        ctx = cls(pm, g, dag, steps, components, regs, forms or {}, condition_variables(pm))
        for f in pm.flows.values():
            ctx.flows_out.setdefault(f.source, []).append(f)
            ctx.flows_in.setdefault(f.target, []).append(f)
        ctx.hosts = {n.attached_to for n in pm.nodes.values() if n.attached_to}
        # steps that exchange messages with another pool are never rewired away
        ctx.hosts |= {end for _id, src, tgt in pm.message_flows for end in (src, tgt)}
        return ctx

    def task_writes(self, tid: str) -> set[str] | None:
        """Variables a task writes, or None when unknown (a form we cannot see)."""
        if tid not in self._known_writes:
            self._known_writes[tid] = self._task_writes(tid)
        return self._known_writes[tid]

    def _task_writes(self, tid: str) -> set[str] | None:
        node = self.pm.nodes[tid]
        out: set[str] = set()
        known = False
        if node.form:
            form = self.forms.get(node.form)
            if form is None:
                return None
            out |= set((form.get("properties") or {}).keys())
            known = True
        if node.form_fields:
            out |= set(node.form_fields)
            known = True
        if node.script:
            out |= {
                line.split("=", 1)[0].strip()
                for line in node.script.splitlines()
                if "=" in line and line.split("=", 1)[0].strip().isidentifier()
            }
            known = True
        if node.result_variable:
            out.add(node.result_variable)
            known = True
        if node.type in ("userTask", "manualTask", "task") and not known:
            return None
        return out

    def decides(self, tid: str) -> bool:
        """Whether a task writes a variable that something after it reads.

        "After" follows the flow, loops included; readers are gateway conditions, scripts,
        service-task parameters and timer expressions.

        When the task's output is unknown (no visible form) it is assumed to decide if a
        downstream gateway reads a variable that no known task writes.
        """
        if tid not in self._decides:
            needed = self._downstream_vars().get(tid, frozenset())
            writes = self.task_writes(tid)
            if not needed:
                result = False
            elif writes is not None:
                result = bool(writes & needed)
            else:
                result = bool(needed - self._all_known_writes() - _NOT_VARIABLES)
            self._decides[tid] = result
        return self._decides[tid]

    def _downstream_vars(self) -> dict[str, frozenset[str]]:
        """Node -> variables read by gateway conditions reachable from it.

        Loops count: a step that writes what a gateway before it reads on the next round
        decides too. One pass over the condensation (strongly connected components) of
        the graph, O(N + E).
        """
        if self._down is None:
            down: dict[str, frozenset[str]] = {}
            if self.cond_vars:
                succ = self.g._succ
                sccs = list(nx.strongly_connected_components(self.g))
                comp = {n: i for i, members in enumerate(sccs) for n in members}
                csucc: list[set[int]] = [set() for _ in sccs]
                indeg = [0] * len(sccs)
                for u, nbrs in succ.items():
                    cu = comp[u]
                    for v in nbrs:
                        cv = comp[v]
                        if cu != cv and cv not in csucc[cu]:
                            csucc[cu].add(cv)
                            indeg[cv] += 1
                order, ready = [], [c for c in range(len(sccs)) if indeg[c] == 0]
                while ready:
                    c = ready.pop()
                    order.append(c)
                    for d in csucc[c]:
                        indeg[d] -= 1
                        if indeg[d] == 0:
                            ready.append(d)
                own: list[frozenset[str]] = [frozenset()] * len(sccs)
                reach: list[frozenset[str]] = [frozenset()] * len(sccs)
                for c in reversed(order):
                    members = sccs[c]
                    own[c] = frozenset().union(*(self.cond_vars.get(m, ()) for m in members))
                    acc: set[str] = set()
                    for d in csucc[c]:
                        acc |= own[d]
                        acc |= reach[d]
                    if len(members) > 1 or any(m in succ[m] for m in members):
                        acc |= own[c]  # a loop: the component reaches itself
                    reach[c] = frozenset(acc)
                    for m in members:
                        down[m] = reach[c]
            self._down = down
        return self._down

    def _all_known_writes(self) -> set[str]:
        if self._known_all is None:
            known: set[str] = {f.split(".")[0] for f in self.start_data}
            for other in self.steps:
                known |= self.task_writes(other) or set()
            self._known_all = known
        return self._known_all

    def single_in_out(self, tid: str) -> bool:
        node = self.pm.nodes[tid]
        if tid in self.hosts:
            return False
        ins = self.flows_in.get(tid, [])
        outs = self.flows_out.get(tid, [])
        return (
            len(ins) == 1
            and len(outs) == 1
            and not outs[0].condition
            and ins[0].source != outs[0].target
            and node.type not in ("callActivity",)
        )


_NOT_VARIABLES = frozenset(
    {
        "True",
        "False",
        "None",
        "and",
        "or",
        "not",
        "in",
        "is",
        "if",
        "else",
        "len",
        "str",
        "int",
        "float",
        "bool",
        "min",
        "max",
        "sum",
        "round",
        "abs",
        "sorted",
        "any",
        "all",
        "range",
        "list",
        "dict",
        "set",
        "tuple",
    }
)


def _registry_for_component(ctx: Context, comp: ComponentInfo):
    """(status, registries) for a component: which registries could replace it."""
    if not comp.document_type or comp.document_type in NOT_REPLACEABLE:
        return None, []
    holders = [r for r in ctx.registries if r.holds_document(comp.document_type)]
    if not holders and comp.fields:
        holders = [r for r in ctx.registries if set(comp.fields) <= r.fields and r.fields]
    if not holders:
        return None, []
    # Prefer the national database that owns the document over the e-data warehouse.
    holders.sort(key=lambda r: (r.id == "edata_warehouse", r.id))
    ready = [r for r in holders if r.connected and r.scope_published]
    if ready:
        return "actionable", ready
    connected = [r for r in holders if r.connected]
    if connected:
        return "blocked", connected
    return "potential", holders


def components_available_in_registries(ctx: Context) -> list[Finding]:
    """Dossier components whose data a registry or the e-data warehouse already holds.

    Actionable when the registry is connected and its owner has published the data
    scope (Resolution 66.7/2025/NQ-CP); blocked when connected without a published scope;
    potential when the registry exists in the catalogue but is not connected.
    """
    out = []
    for comp in ctx.components.values():
        status, regs = _registry_for_component(ctx, comp)
        if status is None:
            continue
        reg = regs[0]
        basis = [R66_7, L3109, CD201, LDT2025]
        if comp.document_type in _RESIDENCE_DOCS:
            basis.insert(0, D104)
        if reg.id == "edata_warehouse":
            basis.insert(0, D45)
        names = ", ".join(r.name_vi for r in regs)
        if status == "actionable":
            explanation = (
                f"Dữ liệu của “{comp.name}” đã có trong {names}; cơ quan quản lý đã công bố phạm vi "
                f"dữ liệu ({reg.scope_source}). Bỏ thành phần này, khai thác dữ liệu qua kết nối. "
                "Nếu không khai thác được hoặc dữ liệu sai, yêu cầu người nộp bổ sung và đề nghị "
                "cơ quan quản lý CSDL điều chỉnh."
            )
            title = f"Bỏ thành phần hồ sơ “{comp.name}”"
        elif status == "blocked":
            explanation = (
                f"Dữ liệu của “{comp.name}” có trong {names} (đã kết nối) nhưng chủ quản CSDL chưa "
                "công bố phạm vi dữ liệu, nên chưa đủ điều kiện bỏ thành phần theo Nghị quyết 66.7/2025/NQ-CP."
            )
            title = f"Chờ công bố phạm vi dữ liệu: “{comp.name}”"
        else:
            explanation = (
                f"Nếu kết nối {names}, có thể bỏ thành phần “{comp.name}”"
                + (
                    ""
                    if all(r.scope_published for r in regs)
                    else " (sau khi công bố phạm vi dữ liệu)"
                )
                + "."
            )
            title = f"Có thể bỏ “{comp.name}” khi kết nối CSDL"
        readers = [t for t, n in ctx.pm.nodes.items() if comp.key in n.inputs]
        out.append(
            Finding(
                rule="components_available_in_registries",
                targets=(comp.key,),
                title_vi=title,
                explanation=explanation,
                evidence={
                    "component": comp.code,
                    "document_type": comp.document_type,
                    "copy": comp.copy,
                    "registries": [r.id for r in regs],
                    "scope_published": [r.id for r in regs if r.scope_published],
                    "fields": list(comp.fields),
                    "read_by": readers,
                    "blocked_by": "scope not published" if status == "blocked" else None,
                },
                legal_basis=tuple(basis),
                saving=Saving(components=1, fields=len(comp.fields)),
                status=status,
                confidence=comp.confidence,
            )
        )
    return out


def _droppable(findings: list[Finding]) -> dict[str, Finding]:
    return {
        f.targets[0]: f
        for f in findings
        if f.rule == "components_available_in_registries" and f.status == "actionable"
    }


def verification_only_steps(ctx: Context, component_findings: list[Finding]) -> list[Finding]:
    """Verification steps whose only inputs are components a registry now provides.

    Once the data come from the registry there is nothing left to check by hand. A
    step that also decides a gateway condition is kept (advisory: automate the check).
    """
    drop = _droppable(component_findings)
    out = []
    for tid, info in ctx.steps.items():
        node = ctx.pm.nodes[tid]
        if info.kind != "verify" or not node.inputs or info.automated:
            continue
        if not all(k in drop for k in node.inputs):
            continue
        decides = ctx.decides(tid)
        movable = ctx.single_in_out(tid)
        status = "advisory" if decides or not movable else "actionable"
        why = (
            " Bước này ghi dữ liệu mà bước sau dùng (điều kiện rẽ nhánh, kịch bản hoặc tham số dịch vụ) "
            "nên được giữ lại; hãy thay bằng kiểm tra tự động."
            if decides
            else (" Bước có nhiều luồng vào/ra nên cần sửa tay." if not movable else "")
        )
        out.append(
            Finding(
                rule="verification_only_steps",
                targets=(tid,),
                title_vi=f"Bỏ bước chỉ kiểm tra giấy tờ: “{node.name or tid}”",
                explanation=(
                    "Bước này chỉ kiểm tra các thành phần hồ sơ mà dữ liệu đã được khai thác từ CSDL "
                    f"({', '.join(ctx.components[k].name for k in node.inputs)})." + why
                ),
                evidence={
                    "inputs": list(node.inputs),
                    "decides_gateway": decides,
                    "kind": info.kind,
                },
                legal_basis=(L3109, R66_7),
                saving=Saving(minutes=info.duration_min, steps=1)
                if status == "actionable"
                else Saving(),
                status=status,
                confidence=info.confidence,
            )
        )
    return out


def handoff_steps(ctx: Context) -> list[Finding]:
    """Pure hand-offs (chuyển hồ sơ) between desks, which electronic routing makes moot."""
    out = []
    for tid, info in ctx.steps.items():
        if info.kind != "handoff" or info.actor == "citizen" or info.automated:
            continue
        node = ctx.pm.nodes[tid]
        decides = ctx.decides(tid)
        movable = ctx.single_in_out(tid)
        status = "actionable" if movable and not decides else "advisory"
        out.append(
            Finding(
                rule="handoff_steps",
                targets=(tid,),
                title_vi=f"Bỏ bước chuyển hồ sơ trung gian: “{node.name or tid}”",
                explanation=(
                    "Bước chỉ chuyển hồ sơ giữa các bộ phận; trên Hệ thống thông tin giải quyết TTHC "
                    "hồ sơ điện tử được luân chuyển tự động cho người xử lý tiếp theo."
                    + (
                        " Bước này ghi dữ liệu mà bước sau dùng (điều kiện rẽ nhánh, kịch bản hoặc "
                        "tham số dịch vụ) nên được giữ."
                        if decides
                        else ""
                    )
                ),
                evidence={
                    "kind": info.kind,
                    "actor": info.actor,
                    "lane": node.lane,
                    "decides_gateway": decides,
                },
                legal_basis=(L3109, D118),
                saving=Saving(minutes=info.duration_min, steps=1)
                if status == "actionable"
                else Saving(),
                status=status,
                confidence=info.confidence,
            )
        )
    return out


def consecutive_approvals(ctx: Context) -> list[Finding]:
    """Two approve/sign steps in a row by the same actor: merge them into one."""
    out = []
    dropped: set[str] = set()
    order = [n for n in topological_order(ctx.dag) if n in ctx.steps]
    for u in order:
        iu = ctx.steps[u]
        if iu.kind not in ("approve", "sign") or len(ctx.g._succ[u]) != 1:
            continue
        (v,) = ctx.g.successors(u)
        iv = ctx.steps.get(v)
        if iv is None or iv.kind not in ("approve", "sign") or iv.actor != iu.actor:
            continue
        if len(ctx.g._pred[v]) != 1 or u in dropped:
            continue
        # Keep the signature (it produces the e-result); drop the other unless it decides.
        first, second = (u, v) if iu.kind == "approve" or iv.kind != "approve" else (v, u)
        target = None
        for cand in (first, second):
            if not ctx.decides(cand) and ctx.single_in_out(cand):
                target = cand
                break
        keep = v if target == u else u
        status = "actionable" if target else "advisory"
        target = target or u
        info = ctx.steps[target]
        if status == "actionable":
            dropped.add(target)
        out.append(
            Finding(
                rule="consecutive_approvals",
                targets=(target,),
                title_vi=(
                    f"Gộp hai bước duyệt/ký liên tiếp của {ACTOR_VI.get(iu.actor, iu.actor)}: “{ctx.pm.nodes[u].name or u}” "
                    f"và “{ctx.pm.nodes[v].name or v}”"
                ),
                explanation=(
                    "Cùng một người (vai trò) phê duyệt rồi ký liên tiếp; gộp thành một bước phê duyệt và "
                    f"ký số “{ctx.pm.nodes[keep].name or keep}”."
                ),
                evidence={
                    "pair": [u, v],
                    "actor": iu.actor,
                    "kinds": [iu.kind, iv.kind],
                    "kept": keep,
                },
                legal_basis=(L3109, R66),
                saving=Saving(minutes=info.duration_min, steps=1)
                if status == "actionable"
                else Saving(),
                status=status,
                confidence=min(iu.confidence, iv.confidence),
            )
        )
    return out


def in_person_steps(ctx: Context) -> list[Finding]:
    """Steps that need the applicant (or an officer on site) to be physically present.

    Presence is kept only where a legal text itself requires it (Decree 42/2022 Art. 11
    exception, ``presence="required_by_law"``); otherwise the step moves online.
    """
    out = []
    for tid, info in ctx.steps.items():
        if info.presence == "none":
            continue
        node = ctx.pm.nodes[tid]
        on_site = info.kind == "inspect"
        if info.presence == "required_by_law":
            out.append(
                Finding(
                    rule="in_person_steps",
                    targets=(tid,),
                    title_vi=f"Giữ yêu cầu có mặt theo luật: “{node.name or tid}”",
                    explanation=(
                        "Pháp luật yêu cầu "
                        + ("kiểm tra tại chỗ" if on_site else "người nộp có mặt")
                        + (f" ({info.legal_basis})" if info.legal_basis else "")
                        + "; đây là ngoại lệ của Nghị định 42/2022 Điều 11, thủ tục chưa thể toàn trình "
                        "nếu không sửa văn bản."
                    ),
                    evidence={
                        "presence": info.presence,
                        "kind": info.kind,
                        "legal_basis": info.legal_basis,
                    },
                    legal_basis=(D42_11, C01),
                    status="advisory",
                    confidence=info.confidence,
                )
            )
            continue
        out.append(
            Finding(
                rule="in_person_steps",
                targets=(tid,),
                title_vi=f"Chuyển sang trực tuyến, không yêu cầu có mặt: “{node.name or tid}”",
                explanation=(
                    "Kiểm tra tại chỗ không do luật yêu cầu: thay bằng dữ liệu từ CSDL, ảnh/video "
                    "hoặc hồ sơ điện tử."
                    if on_site
                    else "Không văn bản nào yêu cầu có mặt: người nộp xác thực bằng tài khoản VNeID, "
                    "nộp, ký và nhận kết quả trực tuyến."
                ),
                evidence={"presence": info.presence, "kind": info.kind, "actor": info.actor},
                legal_basis=(D42_11, D69, C01),
                saving=Saving(visits=0 if on_site else 1),
                status="actionable",
                confidence=info.confidence,
            )
        )
    return out


def paper_components(ctx: Context, component_findings: list[Finding]) -> list[Finding]:
    """Components still required on paper (original or certified copy): accept e-copies."""
    drop = _droppable(component_findings)
    out = []
    for comp in ctx.components.values():
        if comp.key in drop or comp.copy not in ("original", "certified_copy"):
            continue
        out.append(
            Finding(
                rule="paper_components",
                targets=(comp.key,),
                title_vi=f"Nhận bản điện tử thay bản giấy: “{comp.name}”",
                explanation=(
                    f"Thành phần đang yêu cầu {'bản chính' if comp.copy == 'original' else 'bản sao có chứng thực'}"
                    "; chấp nhận bản sao điện tử (chứng thực điện tử hoặc số hóa từ bản chính) để toàn bộ hồ sơ "
                    "được nộp trực tuyến (tiêu chí d, Thông tư 01/2023/TT-VPCP Điều 13)."
                ),
                evidence={"copy": comp.copy, "document_type": comp.document_type},
                legal_basis=(D45, C01, LGDDT),
                saving=Saving(),
                status="actionable",
                confidence=comp.confidence,
            )
        )
    return out


def parallelisable_steps(ctx: Context, removed: set[str]) -> list[Finding]:
    """Two consecutive checks by different actors that do not use each other's output.

    Running them side by side (parallel split and join) shortens the critical path by
    the shorter of the two.
    """
    out = []
    used: set[str] = set()
    kinds = ("verify", "appraise", "inspect")
    for u in [n for n in topological_order(ctx.dag) if n in ctx.steps]:
        if u in removed or u in used or len(ctx.g._succ[u]) != 1:
            continue
        (v,) = ctx.g.successors(u)
        iu, iv = ctx.steps[u], ctx.steps.get(v)
        if iv is None or v in removed or v in used or len(ctx.g._pred[v]) != 1:
            continue
        if iu.kind not in kinds or iv.kind not in kinds or iu.actor == iv.actor:
            continue
        nu, nv = ctx.pm.nodes[u], ctx.pm.nodes[v]
        if nu.parent != nv.parent or set(nu.outputs) & set(nv.inputs):
            continue
        writes_u = ctx.task_writes(u)
        if writes_u is None:
            continue
        reads_v = set()
        for f in ctx.flows_out.get(v, []):
            if f.condition:
                reads_v |= identifiers(f.condition)
        if writes_u & reads_v or ctx.decides(u):
            continue
        if not (ctx.single_in_out(u) and ctx.single_in_out(v)):
            continue
        used |= {u, v}
        out.append(
            Finding(
                rule="parallelisable_steps",
                targets=(u, v),
                title_vi=f"Thực hiện song song: “{nu.name or u}” và “{nv.name or v}”",
                explanation=(
                    f"Hai bước do hai chủ thể khác nhau ({ACTOR_VI.get(iu.actor, iu.actor)}, "
                    f"{ACTOR_VI.get(iv.actor, iv.actor)}) thực hiện và không dùng "
                    "kết quả của nhau: chạy song song rút ngắn thời gian giải quyết."
                ),
                evidence={
                    "actors": [iu.actor, iv.actor],
                    "durations_min": [iu.duration_min, iv.duration_min],
                },
                legal_basis=(R66, L3109),
                saving=Saving(minutes=min(iu.duration_min, iv.duration_min)),
                status="actionable",
                confidence=min(iu.confidence, iv.confidence),
            )
        )
    return out


def form_fields(form: dict) -> list[tuple[str, str, dict]]:
    """(property name, vocabulary field, property) of a JSON Schema form's top-level fields."""
    props = form.get("properties") or {}
    return [(name, p.get("x-field", name), p) for name, p in props.items() if isinstance(p, dict)]


def typed_fields(ctx: Context, form: dict) -> list[tuple[str, str]]:
    """Fields the citizen types: no x-prefill, or x-prefill from a registry not connected."""
    connected = {r.id for r in ctx.registries if r.connected}
    out = []
    for name, key, prop in form_fields(form):
        if prop.get("readOnly") and "x-prefill" not in prop:
            continue
        pre = prop.get("x-prefill")
        if isinstance(pre, dict) and pre.get("source") in connected:
            continue
        out.append((name, key))
    return out


def prefillable_form_fields(ctx: Context) -> list[Finding]:
    """Typed form fields whose value a connected registry holds (Decree 42/2022 Art. 11(2))."""
    out = []
    seen: set[str] = set()
    connected = sorted(
        (r for r in ctx.registries if r.connected and r.fields), key=lambda r: r.id != "population"
    )
    for tid, info in ctx.steps.items():
        node = ctx.pm.nodes[tid]
        if info.actor != "citizen" or not node.form or node.form in seen:
            continue
        form = ctx.forms.get(node.form)
        if form is None:
            continue
        seen.add(node.form)
        fields = []
        for name, key in typed_fields(ctx, form):
            reg = next((r for r in connected if key in r.fields), None)
            if reg:
                fields.append({"property": name, "field": key, "source": reg.id})
        if not fields:
            continue
        total = len(form_fields(form))
        out.append(
            Finding(
                rule="prefillable_form_fields",
                targets=(tid,),
                title_vi=f"Tự động điền {len(fields)} trường của biểu mẫu “{node.form}”",
                explanation=(
                    f"{len(fields)}/{total} trường người dân đang tự nhập đã có trong CSDL đã kết nối "
                    f"({', '.join(sorted({f['source'] for f in fields}))}); điền sẵn và chỉ cho xác nhận."
                ),
                evidence={"form": node.form, "fields": fields, "form_fields": total},
                legal_basis=(D42_11_2, LDT2025, L3109),
                saving=Saving(fields=len(fields)),
                status="actionable",
                confidence=1.0,
            )
        )
    return out


def find_all(ctx: Context) -> list[Finding]:
    """Run every rule in order; later rules see what earlier ones remove."""
    comps = components_available_in_registries(ctx)
    findings = comps + paper_components(ctx, comps)
    findings += verification_only_steps(ctx, comps)
    findings += handoff_steps(ctx)
    findings += consecutive_approvals(ctx)
    findings += in_person_steps(ctx)
    removed = {
        f.targets[0]
        for f in findings
        if f.status == "actionable"
        and f.rule in ("verification_only_steps", "handoff_steps", "consecutive_approvals")
    }
    findings += parallelisable_steps(ctx, removed)
    findings += prefillable_form_fields(ctx)
    return findings
