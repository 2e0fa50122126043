"""Benchmark of the simplifier: throughput, growth with model size, a 6,000-procedure catalogue.

Run:  python bench/simplifier.py [--catalogue 6000] [--workers 2] [--profile]
Prints a table and writes bench/results/simplifier.json.

Synthetic models are variations of a realistic one-stop procedure (submit, pay, receive,
check, hand off, appraise with a "supplement" loop, approve, sign, deliver), with
dossier components, lanes, annotated and unannotated tasks, Vietnamese labels with and
without diacritics; sizes count BPMN flow nodes.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import random
import statistics
import sys
import time
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from toantrinh.simplifier import analyse, analyse_catalogue  # noqa: E402
from toantrinh.simplifier.infer import normalise  # noqa: E402

DOCS = [
    ("Bản sao Căn cước công dân", "identity_card", "copy"),
    ("Sổ hộ khẩu", "household_book", "original"),
    ("Bản sao giấy khai sinh", "birth_certificate", "copy"),
    ("Giấy xác nhận tình trạng hôn nhân", "marital_status_confirmation", "original"),
    (
        "Bản sao có chứng thực Giấy chứng nhận đăng ký doanh nghiệp",
        "business_registration_certificate",
        "certified_copy",
    ),
    ("Bản sao Giấy chứng nhận quyền sử dụng đất", "land_use_certificate", "copy"),
    ("Giấy khám sức khỏe", "health_certificate", "original"),
    ("Ảnh chân dung 4x6", "photo", "original"),
    ("Văn bằng, chứng chỉ", "diploma", "copy"),
    ("Chứng từ nộp thuế", "tax_payment_proof", "copy"),
]
LANES = [
    ("Công dân", "citizen"),
    ("Bộ phận một cửa", "one_stop_desk"),
    ("Chuyên viên", "specialist"),
    ("Lãnh đạo", "leader"),
    ("Cơ quan phối hợp", "other_agency"),
]


def synthetic_model(n_nodes: int, seed: int = 0) -> str:
    """A realistic procedure model with about ``n_nodes`` flow nodes."""
    rnd = random.Random(seed)
    ascii_labels = rnd.random() < 0.3
    annotate = rnd.random() < 0.5

    def label(text: str) -> str:
        return escape(normalise(text).capitalize() if ascii_labels else text)

    nodes: list[tuple[str, str]] = []  # (id, xml)
    lanes: dict[int, list[str]] = {i: [] for i in range(len(LANES))}
    flows: list[tuple[str, str, str | None]] = []
    comps = rnd.sample(DOCS, k=min(len(DOCS), 2 + n_nodes // 15))
    comp_xml = []
    for i, (name, doc, copy) in enumerate(comps):
        ext = ""
        if annotate:
            ext = (
                f'<bpmn:extensionElements><tt:component code="c{i}" documentType="{doc}" copy="{copy}"/>'
                "</bpmn:extensionElements>"
            )
        comp_xml.append(
            f'<bpmn:dataObject id="DO{i}"/><bpmn:dataObjectReference id="DOR{i}" '
            f'name="{label(name)}" dataObjectRef="DO{i}">{ext}</bpmn:dataObjectReference>'
        )

    def add_task(kind: str, text: str, lane: int, reads=(), presence="none", duration=None) -> str:
        tid = f"T{len(nodes)}"
        ext = ""
        if annotate:
            dur = f' duration="{duration}"' if duration else ""
            ext = (
                f'<bpmn:extensionElements><tt:step kind="{kind}" actor="{LANES[lane][1]}" '
                f'presence="{presence}"{dur}/></bpmn:extensionElements>'
            )
        assoc = ""
        if reads:
            assoc = f'<bpmn:property id="P{tid}" name="__targetRef_placeholder"/>' + "".join(
                f'<bpmn:dataInputAssociation id="DIA{tid}_{r}"><bpmn:sourceRef>DOR{r}</bpmn:sourceRef>'
                f"<bpmn:targetRef>P{tid}</bpmn:targetRef></bpmn:dataInputAssociation>"
                for r in reads
            )
        nodes.append(
            (tid, f'<bpmn:userTask id="{tid}" name="{label(text)}">{ext}{assoc}</bpmn:userTask>')
        )
        lanes[lane].append(tid)
        return tid

    def add(xml_tag: str, lane: int, name: str = "", extra: str = "") -> str:
        nid = f"N{len(nodes)}"
        nodes.append((nid, f'<bpmn:{xml_tag} id="{nid}" name="{label(name)}"{extra}/>'))
        lanes[lane].append(nid)
        return nid

    def chain(a: str, b: str, cond: str | None = None) -> None:
        flows.append((a, b, cond))

    start = add("startEvent", 0, "Bắt đầu")
    prev = start
    head = [
        ("submit", "Nộp hồ sơ trực tuyến", 0, tuple(range(len(comps))), "none", "PT30M"),
        ("pay", "Nộp lệ phí", 0, (), "none", "PT10M"),
        ("receive", "Tiếp nhận hồ sơ trực tiếp", 1, (), "required", "PT30M"),
        (
            "verify",
            "Đối chiếu bản sao với bản chính",
            1,
            tuple(range(min(2, len(comps)))),
            "none",
            "PT1H",
        ),
    ]
    for kind, text, lane, reads, presence, dur in head:
        t = add_task(kind, text, lane, reads, presence, dur)
        chain(prev, t)
        prev = t
    tail_size = 5
    block = 0
    while len(nodes) + tail_size < n_nodes:
        block += 1
        h = add_task("handoff", f"Chuyển hồ sơ cho bộ phận {block}", 1, duration="PT4H")
        chain(prev, h)
        a = add_task(
            "appraise", f"Thẩm định hồ sơ bước {block}", 2 + (block % 2) * 2, duration="P1D"
        )
        chain(h, a)
        if len(nodes) + tail_size + 3 < n_nodes:
            g = add("exclusiveGateway", 2, "Hồ sơ đầy đủ?")
            chain(a, g)
            s = add_task("submit", "Bổ sung hồ sơ", 0, duration="PT1H")
            chain(g, s, f"complete_{block} == False")
            chain(s, a)
            j = add("exclusiveGateway", 2, "")
            chain(g, j, f"complete_{block} == True")
            prev = j
        else:
            prev = a
    for kind, text, lane, presence in [
        ("approve", "Lãnh đạo phê duyệt", 3, "none"),
        ("sign", "Lãnh đạo ký số", 3, "none"),
        ("deliver_result", "Trả kết quả tại bộ phận một cửa", 1, "required"),
    ]:
        t = add_task(kind, text, lane, presence=presence)
        chain(prev, t)
        prev = t
    end = add("endEvent", 1, "Kết thúc")
    chain(prev, end)
    lane_xml = "".join(
        f'<bpmn:lane id="Lane{i}" name="{escape(LANES[i][0])}">'
        + "".join(f"<bpmn:flowNodeRef>{n}</bpmn:flowNodeRef>" for n in refs)
        + "</bpmn:lane>"
        for i, refs in lanes.items()
        if refs
    )
    flow_xml = "".join(
        f'<bpmn:sequenceFlow id="F{i}" sourceRef="{a}" targetRef="{b}">'
        + (f"<bpmn:conditionExpression>{escape(c)}</bpmn:conditionExpression>" if c else "")
        + "</bpmn:sequenceFlow>"
        for i, (a, b, c) in enumerate(flows)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions '
        'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:tt="urn:toantrinh:bpmn:1" '
        f'id="D{seed}" targetNamespace="http://example.org"><bpmn:process id="P{seed}" name="Thủ tục {seed}" '
        f'isExecutable="true"><bpmn:laneSet id="LS">{lane_xml}</bpmn:laneSet>{"".join(comp_xml)}'
        f"{''.join(x for _, x in nodes)}{flow_xml}</bpmn:process></bpmn:definitions>"
    )


def procedure(seed: int) -> dict:
    rnd = random.Random(seed)
    return {
        "code": f"9.{seed:06d}",
        "slug": f"synthetic-{seed}",
        "name": {"vi": f"Thủ tục tổng hợp {seed}"},
        "legal_basis": ["Luật thử"],
        "processing_time": {"days": rnd.choice([3, 5, 10, 15])},
        "fee": {"amount": rnd.choice([0, 50000, 100000, 200000]), "online_amount": 0},
        "annual_volume": {"dossiers": rnd.choice([500, 5000, 50000, 500000])},
    }


def load_inputs():
    cat = json.loads((ROOT / "data" / "registries.json").read_text(encoding="utf-8"))
    cost = json.loads((ROOT / "data" / "cost_model.json").read_text(encoding="utf-8"))
    return cat, cost


def time_it(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def cpu_it(fn, repeat: int) -> float:
    """Median CPU time of this process (other load on the machine does not count)."""
    times = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--catalogue", type=int, default=6000)
    ap.add_argument(
        "--sizes",
        type=lambda v: [int(x) for x in v.split(",")],
        default=[10, 100, 1000, 10_000, 30_000],
        help="model sizes (flow nodes) for the growth table, comma separated",
    )
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--profile", action="store_true", help="print the top of a cProfile of 300 analyses"
    )
    args = ap.parse_args()
    cat, cost = load_inputs()
    results: dict = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        }
    }

    if args.profile:
        xmls = [synthetic_model(40, s) for s in range(300)]
        prof = cProfile.Profile()
        prof.enable()
        for x in xmls:
            analyse(x, cat, cost_model=cost)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)

    # 1. throughput on a realistic model (single process, includes parsing)
    model30 = synthetic_model(30, 1)
    n = 300
    t = time_it(lambda: [analyse(model30, cat, procedure(1), cost_model=cost) for _ in range(n)], 3)
    results["models_per_second"] = round(n / t, 1)
    cpu = time.process_time()
    for _ in range(n):
        analyse(model30, cat, procedure(1), cost_model=cost)
    results["models_per_cpu_second"] = round(n / (time.process_time() - cpu), 1)

    # 2. growth with size: CPU time (steady under other load on the machine) and wall time;
    # the rewrite (with Graphviz) up to 1,000 nodes
    growth = []
    for size in args.sizes:
        xml = synthetic_model(size, 7)
        reps = 3 if size >= 1000 else max(3, 300 // size)
        a = analyse(xml, cat, cost_model=cost)
        nodes = len(a.pm.nodes)
        secs = time_it(lambda xml=xml: analyse(xml, cat, cost_model=cost), reps)
        cpu = cpu_it(lambda xml=xml: analyse(xml, cat, cost_model=cost), reps)
        row = {
            "target_nodes": size,
            "nodes": nodes,
            "xml_kb": round(len(xml) / 1024),
            "analyse_ms": round(secs * 1000, 2),
            "analyse_cpu_ms": round(cpu * 1000, 2),
            "cpu_us_per_node": round(cpu * 1e6 / nodes, 1),
        }
        if size <= 1000:
            row["analyse_and_rewrite_ms"] = round(
                time_it(
                    lambda xml=xml: analyse(xml, cat, cost_model=cost).rewritten_bpmn(),
                    max(2, reps // 3),
                )
                * 1000,
                2,
            )
        growth.append(row)
    results["growth"] = growth

    # 3. a catalogue of synthetic variations
    t = time.perf_counter()
    items = [
        {
            "slug": f"synthetic-{s}",
            "xml": synthetic_model(random.Random(s).randint(15, 60), s),
            "procedure": procedure(s),
        }
        for s in range(args.catalogue)
    ]
    gen = time.perf_counter() - t
    load_before = os.getloadavg()[0]
    cpu0 = os.times()
    t = time.perf_counter()
    result = analyse_catalogue(items, cat, cost_model=cost, workers=args.workers, chunksize=100)
    secs = time.perf_counter() - t
    cpu1 = os.times()
    # CPU time of this process and its joined workers: independent of other load on the machine
    cpu = sum(
        getattr(cpu1, f) - getattr(cpu0, f)
        for f in ("user", "system", "children_user", "children_system")
    )
    results["catalogue"] = {
        "procedures": args.catalogue,
        "workers": args.workers,
        "seconds": round(secs, 2),
        "per_second": round(args.catalogue / secs, 1),
        "cpu_seconds": round(cpu, 2),
        "load_average_before": round(load_before, 2),
        "generation_seconds": round(gen, 2),
        "failed": len(result.errors),
        "goal_seconds": 15,
        "meets_goal": secs < 15,
        "totals": {k: v for k, v in result.totals.items() if not isinstance(v, dict)},
    }

    print(
        f"Simplifier benchmark ({results['machine']['cpus']} CPUs, Python {results['machine']['python']})"
    )
    print(
        f"  models analysed per second (30-node model, 1 process): {results['models_per_second']} "
        f"(per CPU second: {results['models_per_cpu_second']})"
    )
    print("  growth with model size (analysis: parse → findings → scores, no rewrite):")
    print(
        f"    {'nodes':>6} {'KB':>6} {'wall ms':>9} {'CPU ms':>9} {'CPU µs/node':>12} {'+rewrite ms':>12}"
    )
    for g in growth:
        rewrite = g.get("analyse_and_rewrite_ms", "—")
        print(
            f"    {g['nodes']:>6} {g['xml_kb']:>6} {g['analyse_ms']:>9} {g['analyse_cpu_ms']:>9} "
            f"{g['cpu_us_per_node']:>12} {rewrite:>12}"
        )
    c = results["catalogue"]
    print(
        f"  catalogue of {c['procedures']} procedures on {c['workers']} workers: {c['seconds']} s "
        f"({c['per_second']}/s; goal < 15 s: {'met' if c['meets_goal'] else 'NOT met'}; failed {c['failed']})"
    )
    print(
        f"    CPU time {c['cpu_seconds']} s over all processes; load average before the run "
        f"{c['load_average_before']} (other work on the machine stretches the wall-clock time)"
    )
    out = ROOT / "bench" / "results" / "simplifier.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"  written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
