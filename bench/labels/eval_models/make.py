"""Author the issue-28 evaluation models (tool shapes) and their labels. Run from the repository root: python bench/labels/eval_models/make.py"""

import hashlib
import itertools
import json
import os
import sys
from xml.sax.saxutils import escape as esc

OUT = "tests/simplifier/fixtures/eval"
os.makedirs(OUT, exist_ok=True)
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
TT = "urn:toantrinh:bpmn:1"


def q(s):
    return esc(s, {'"': "&quot;"})


SHAPES = {
    "camunda": dict(
        p="bpmn:",
        di=("bpmndi", "dc", "di"),
        ns='xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:modeler="http://camunda.org/schema/modeler/1.0"',
        attrs='exporter="Camunda Modeler" exporterVersion="5.26.0" modeler:executionPlatform="Camunda Platform" modeler:executionPlatformVersion="7.21.0"',
        tns="http://bpmn.io/schema/bpmn",
    ),
    "zeebe": dict(
        p="bpmn:",
        di=("bpmndi", "dc", "di"),
        ns='xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:modeler="http://camunda.org/schema/modeler/1.0"',
        attrs='exporter="Camunda Modeler" exporterVersion="5.26.0" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.5.0"',
        tns="http://bpmn.io/schema/bpmn",
    ),
    "signavio": dict(
        p="",
        di=("bpmndi", "omgdc", "omgdi"),
        ns='xmlns:signavio="http://www.signavio.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
        attrs='exporter="Signavio Process Editor, http://www.signavio.com" exporterVersion="18.2.0" expressionLanguage="http://www.w3.org/TR/XPath" typeLanguage="http://www.w3.org/2001/XMLSchema"',
        tns="http://www.signavio.com",
    ),
    "bpmnio": dict(
        p="bpmn:",
        di=("bpmndi", "dc", "di"),
        ns="",
        attrs='exporter="bpmn-js (https://demo.bpmn.io)" exporterVersion="17.9.1"',
        tns="http://bpmn.io/schema/bpmn",
    ),
    "bizagi": dict(
        p="",
        di=("bpmndi", "dc", "di"),
        ns='xmlns:bizagi="http://www.bizagi.com/bpmn20" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
        attrs='exporter="Bizagi Modeler" exporterVersion="4.0.0.014" expressionLanguage="http://www.w3.org/1999/XPath" typeLanguage="http://www.w3.org/2001/XMLSchema"',
        tns="http://www.bizagi.com/definitions/eval",
    ),
    "plain": dict(
        p="bpmn2:", di=("bpmndi", "dc", "di"), ns="", attrs="", tns="http://example.org/tt-eval"
    ),
}


def sid(shape, key, model):
    h = hashlib.sha1((model + key).encode()).hexdigest()
    if shape == "signavio":
        return "sid-" + "-".join([h[:8], h[8:12], h[12:16], h[16:20], h[20:32]]).upper()
    if shape == "bizagi":
        return "Id_" + "-".join([h[:8], h[8:12], h[12:16], h[16:20], h[20:32]])
    if shape in ("camunda", "zeebe"):
        return {
            "task": "Activity_",
            "do": "DataObjectReference_",
            "ev": "Event_",
            "gw": "Gateway_",
            "flow": "Flow_",
        }[key.split(":")[0]] + h[:7]
    return key.split(":", 1)[1]


class Model:
    def __init__(
        self,
        file,
        shape,
        name,
        pid,
        tasks,
        data=(),
        flows=None,
        lanes=None,
        procext="",
        accept=(),
        reject=(),
        legal=(),
        note="",
        io=None,
        extra="",
    ):
        self.__dict__.update(locals())


def render(m):
    S = SHAPES[m.shape]
    p = S["p"]
    bd, dc, di = S["di"]
    ids = {}

    def ident(kind, key):
        k = kind + ":" + key
        if k not in ids:
            ids[k] = sid(m.shape, k, m.file)
        return ids[k]

    nodes = (
        [("start", "startEvent", "Bắt đầu" if not m.name.isascii() else "Start", "")]
        + [t for t in m.tasks]
        + [("end", "endEvent", "Kết thúc" if not m.name.isascii() else "End", "")]
    )
    kinds = {}
    for n in nodes:
        kinds[n[0]] = (
            "ev"
            if n[1] in ("startEvent", "endEvent", "boundaryEvent")
            else ("gw" if "Gateway" in n[1] else "task")
        )
    nid = {n[0]: ident(kinds[n[0]], n[0]) for n in nodes}
    flows = m.flows or [(a[0], b[0], "") for a, b in itertools.pairwise(nodes)]
    fl = []
    for i, f in enumerate(flows):
        fid = ident("flow", f"f{i}")
        fl.append((fid, nid[f[0]], nid[f[1]], f[2] if len(f) > 2 else ""))
    dor = {d[0]: ident("do", d[0]) for d in m.data}
    lines = []

    def meta():
        return (
            '<extensionElements><signavio:signavioMetaData metaKey="bgcolor" metaValue="#ffffcc"/></extensionElements>'
            if m.shape == "signavio"
            else '<extensionElements><bizagi:BizagiExtensions><bizagi:BizagiProperty name="bgColor" value="White"/></bizagi:BizagiExtensions></extensionElements>'
            if m.shape == "bizagi"
            else ""
        )

    lines.append('<?xml version="1.0" encoding="UTF-8"?>')
    defid = "Definitions_" + hashlib.sha1(m.file.encode()).hexdigest()[:7]
    nsdecl = f'xmlns{":" + p[:-1] if p else ""}="{BPMN}" xmlns:{bd}="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:{dc}="http://www.omg.org/spec/DD/20100524/DC" xmlns:{di}="http://www.omg.org/spec/DD/20100524/DI"'
    if "tt:" in m.procext + "".join(t[3] for t in m.tasks) + "".join(d[2] for d in m.data) + (
        m.extra(p, {k: k for k in kinds}) if m.extra else ""
    ) or (isinstance(m.lanes, dict) and any(v[2] for v in m.lanes.values())):
        nsdecl += f' xmlns:tt="{TT}"'
    lines.append(
        f'<{p}definitions {nsdecl} {S["ns"]} id="{defid}" targetNamespace="{S["tns"]}" {S["attrs"]}>'.replace(
            "  ", " "
        )
    )
    if m.lanes == "collab":
        lines.append(f"  <{p}collaboration>")
        lines.append(
            f'    <{p}participant id="Participant_Citizen" name="{q("Người dân" if not m.name.isascii() else "Citizen")}" />'
        )
        lines.append(
            f'    <{p}participant id="Participant_Agency" name="{q(m.name)}" processRef="{m.pid}" />'
        )
        for k, (src, tgt, nm) in enumerate(m.io or []):
            a = "Participant_Citizen" if src == "@citizen" else nid[src]
            b = "Participant_Citizen" if tgt == "@citizen" else nid[tgt]
            lines.append(
                f'    <{p}messageFlow id="MessageFlow_{k + 1}" name="{q(nm)}" sourceRef="{a}" targetRef="{b}" />'
            )
        lines.append(f"  </{p}collaboration>")
    lines.append(
        f'  <{p}process id="{m.pid}" name="{q(m.name)}" isExecutable="{"true" if m.shape in ("camunda", "zeebe") else "false"}">'
    )
    if m.procext or m.shape == "signavio":
        ext = m.procext + (
            f'<signavio:signavioDiagramMetaData metaKey="revisionid" metaValue="{hashlib.md5(m.file.encode()).hexdigest()}"/>'
            if m.shape == "signavio"
            else ""
        )
        lines.append(f"    <{p}extensionElements>{ext}</{p}extensionElements>")
    if m.io == "iospec":
        lines.append(
            f'    <{p}ioSpecification id="IOSpec_1"><{p}dataInput id="DataInput_HoSo" name="Hồ sơ đề nghị" /><{p}dataOutput id="DataOutput_QuyetDinh" name="Quyết định" />'
            f'<{p}inputSet id="InputSet_1"><{p}dataInputRefs>DataInput_HoSo</{p}dataInputRefs></{p}inputSet><{p}outputSet id="OutputSet_1"><{p}dataOutputRefs>DataOutput_QuyetDinh</{p}dataOutputRefs></{p}outputSet></{p}ioSpecification>'
        )
    if isinstance(m.lanes, dict):
        lines.append(f'    <{p}laneSet id="LaneSet_1">')
        for lane, (label, members, role) in m.lanes.items():
            ext = (
                f'<{p}extensionElements><tt:lane role="{role}" label="{q(label)}" /></{p}extensionElements>'
                if role
                else ""
            )
            refs = "".join(f"<{p}flowNodeRef>{nid[x]}</{p}flowNodeRef>" for x in members)
            lines.append(f'      <{p}lane id="Lane_{lane}" name="{q(label)}">{ext}{refs}</{p}lane>')
        lines.append(f"    </{p}laneSet>")
    reads = {}
    writes = {}
    for d in m.data:
        for t in d[3].get("r", []):
            reads.setdefault(t, []).append(d[0])
        for t in d[3].get("w", []):
            writes.setdefault(t, []).append(d[0])
    for n in nodes:
        key, typ, name, ext = n[0], n[1], n[2], n[3]
        attrs = n[4] if len(n) > 4 else ""
        inc = [f for f in fl if f[2] == nid[key]]
        out = [f for f in fl if f[1] == nid[key]]
        body = ""
        mext = meta() if typ not in ("startEvent", "endEvent") else ""
        if ext or mext:
            inner = ext
            if mext:
                inner += mext[len("<extensionElements>") : -len("</extensionElements>")]
            body += f"<{p}extensionElements>{inner}</{p}extensionElements>"
        body += "".join(f"<{p}incoming>{f[0]}</{p}incoming>" for f in inc) + "".join(
            f"<{p}outgoing>{f[0]}</{p}outgoing>" for f in out
        )
        for k, d in enumerate(reads.get(key, [])):
            body += f'<{p}dataInputAssociation id="{nid[key]}_in{k}"><{p}sourceRef>{dor[d]}</{p}sourceRef></{p}dataInputAssociation>'
        for k, d in enumerate(writes.get(key, [])):
            body += f'<{p}dataOutputAssociation id="{nid[key]}_out{k}"><{p}targetRef>{dor[d]}</{p}targetRef></{p}dataOutputAssociation>'
        if typ == "scriptTask":
            body += f"<{p}script>{esc(n[5])}</{p}script>"
        lines.append(
            f'    <{p}{typ} id="{nid[key]}" name="{q(name)}"{(" " + attrs) if attrs else ""}>{body}</{p}{typ}>'
        )
    for f in fl:
        cond = (
            f'<{p}conditionExpression xsi:type="{p}tFormalExpression">{esc(f[3])}</{p}conditionExpression>'
            if f[3] and m.shape in ("signavio", "bizagi")
            else ""
        )
        nm = f' name="{q(f[3])}"' if f[3] else ""
        lines.append(
            f'    <{p}sequenceFlow id="{f[0]}"{nm} sourceRef="{f[1]}" targetRef="{f[2]}">{cond}</{p}sequenceFlow>'
            if cond
            else f'    <{p}sequenceFlow id="{f[0]}"{nm} sourceRef="{f[1]}" targetRef="{f[2]}" />'
        )
    for d in m.data:
        doid = dor[d[0]] + "_obj"
        ext = f"<{p}extensionElements>{d[2]}</{p}extensionElements>" if d[2] else ""
        lines.append(f'    <{p}dataObject id="{doid}" />')
        lines.append(
            f'    <{p}dataObjectReference id="{dor[d[0]]}" name="{q(d[1])}" dataObjectRef="{doid}">{ext}</{p}dataObjectReference>'
        )
    if m.extra:
        lines.append("    " + m.extra(p, nid))
    lines.append(f"  </{p}process>")
    # DI
    pos = {}
    x = 180
    lane_y = {}
    if isinstance(m.lanes, dict):
        for k, (_label, members, _role) in enumerate(m.lanes.values()):
            for mm in members:
                lane_y[mm] = 80 + k * 150
    for n in nodes:
        w, h = (36, 36) if kinds[n[0]] == "ev" else ((50, 50) if kinds[n[0]] == "gw" else (120, 80))
        y = lane_y.get(n[0], 80) + (40 - h // 2) + 20
        pos[n[0]] = (x, y, w, h)
        x += w + 60
    lines.append(f'  <{bd}:BPMNDiagram id="BPMNDiagram_1">')
    lines.append(f'    <{bd}:BPMNPlane id="BPMNPlane_1" bpmnElement="{m.pid}">')
    if isinstance(m.lanes, dict):
        for k, lane in enumerate(m.lanes):
            lines.append(
                f'      <{bd}:BPMNShape id="Lane_{lane}_di" bpmnElement="Lane_{lane}" isHorizontal="true"><{dc}:Bounds x="130" y="{60 + k * 150}" width="{x - 100}" height="150" /></{bd}:BPMNShape>'
            )
    for n in nodes:
        X, Y, W, H = pos[n[0]]
        extra = ' isExpanded="false"' if n[1] == "subProcess" else ""
        lines.append(
            f'      <{bd}:BPMNShape id="{nid[n[0]]}_di" bpmnElement="{nid[n[0]]}"{extra}><{dc}:Bounds x="{X}" y="{Y}" width="{W}" height="{H}" /></{bd}:BPMNShape>'
        )
    for k, d in enumerate(m.data):
        lines.append(
            f'      <{bd}:BPMNShape id="{dor[d[0]]}_di" bpmnElement="{dor[d[0]]}"><{dc}:Bounds x="{200 + k * 150}" y="{(lane_y and 400) or 260}" width="36" height="50" /></{bd}:BPMNShape>'
        )
    for f in fl:
        a = next(n for n in nodes if nid[n[0]] == f[1])
        b = next(n for n in nodes if nid[n[0]] == f[2])
        ax, ay, aw, ah = pos[a[0]]
        bx, by, _bw, bh = pos[b[0]]
        lines.append(
            f'      <{bd}:BPMNEdge id="{f[0]}_di" bpmnElement="{f[0]}"><{di}:waypoint x="{ax + aw}" y="{ay + ah // 2}" /><{di}:waypoint x="{bx}" y="{by + bh // 2}" /></{bd}:BPMNEdge>'
        )
    lines.append(f"    </{bd}:BPMNPlane>")
    lines.append(f"  </{bd}:BPMNDiagram>")
    lines.append(f"</{p}definitions>")
    xml = "\n".join(lines) + "\n"
    if m.shape in ("signavio", "bizagi", "plain") and "xsi:type" in xml and "xmlns:xsi" not in xml:
        xml = xml.replace(
            "<definitions ",
            '<definitions xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ',
            1,
        )
    return xml, nid, dor


def label(m, nid, dor):
    def el(x):
        if x in nid:
            return nid[x]
        if x in dor:
            return dor[x]
        return x

    acc = [
        {
            "kind": a[0],
            "element": el(a[1]),
            "database": a[2],
            "reason": a[3],
            **({"with": el(a[4])} if len(a) > 4 else {}),
        }
        for a in m.accept
    ]
    rej = [{"kind": r[0], "element": el(r[1]), "reason": r[2]} for r in m.reject]
    return {
        "file": m.file,
        "shape": m.shape,
        "note": m.note,
        "accept": acc,
        "reject": rej,
        "legal_presence": [el(x) for x in m.legal],
    }


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from models import MODELS

    labels = []
    for m in MODELS:
        xml, nid, dor = render(m)
        with open(os.path.join(OUT, m.file), "w", encoding="utf-8") as out:
            out.write(xml)
        labels.append(label(m, nid, dor))
    with open("bench/labels/simplifier.json", "w", encoding="utf-8") as out:
        json.dump(labels, out, ensure_ascii=False, indent=1)
    print(len(labels), "models")
