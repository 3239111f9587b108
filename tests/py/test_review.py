"""The design review compares: per workload the designs overlaid with confidence bars, the winner at each core
count and the crossovers, one sentence of why from the statistics; tables fit the page; checked in headless
Chromium (layout measured in the browser, a screenshot that is not blank)."""
from __future__ import annotations

import json
import re

import matplotlib.image as mpimg
import pytest

from conftest import ROOT, run_smpsim
from smpsim_analysis import report, review
from smpsim_analysis.results import read_jsonl
from test_report import chromium

WIDTH = 1280


@pytest.fixture(scope="module")
def review_sweep(tmp_path_factory):
    """design_review.json's fops and vmlocal at 1, 2 and 4 CPUs, two replications each."""
    tmp = tmp_path_factory.mktemp("review")
    doc = json.loads((ROOT / "scenarios" / "design_review.json").read_text())
    doc["variants"] = [v for v in doc["variants"] if v["name"] in ("fops_per_cpu", "vmlocal")]
    for v in doc["variants"]:
        v["set"]["/workload"]["rounds"] = 6
        v["set"]["run.warmup_ops"] = 1
    path = tmp / "review.json"
    path.write_text(json.dumps(doc))
    out = tmp / "out"
    run_smpsim("sweep", path, "--cores", "1,2,4", "--repeat", "2", "--jobs", "2", "--out", out, "--quiet", check=True)
    return out


def test_workloads_group_the_designs_with_means_and_intervals(review_sweep):
    docs = read_jsonl(review_sweep / "results.jsonl")
    ws = review.workloads(docs)
    assert [w.label for w in ws] == ["fops_per_cpu", "vmlocal"]
    for w in ws:
        assert list(w.designs) == ["traditional", "cccluster", "msgport"]
        assert w.op in ("an open + close", "one map/fault/unmap round (global: a fault)")
        for design, s in w.designs.items():
            assert list(s.cores) == [1, 2, 4]
            # the mean of the two replications, and a confidence half-width from them
            for r in s.itertuples():
                tps = [d["metrics"]["throughput_per_s"] for d in docs if d["variant"] == f"{w.label}+design={design}"
                       and d["cores"] == r.cores]
                assert len(tps) == 2 and r.throughput_per_s == pytest.approx(sum(tps) / 2)
                assert r.throughput_per_s_ci95 == pytest.approx(12.706205 * abs(tps[0] - tps[1]) / 2, rel=1e-6)


def test_the_winner_is_the_highest_mean_and_the_lead_its_ratio(review_sweep):
    for w in review.workloads(read_jsonl(review_sweep / "results.jsonl")):
        for lead in review.leads(w):
            tp = {d: float(s[s.cores == lead.cores].iloc[0].throughput_per_s) for d, s in w.designs.items()}
            ranked = sorted(tp.values())
            assert tp[lead.winner] == lead.throughput == ranked[-1] and tp[lead.runner_up] == ranked[-2]
            assert lead.runner_up != lead.winner
            assert lead.ratio == pytest.approx(ranked[-1] / ranked[-2]) and lead.ratio >= 1


def L(cores, winner, ratio=1.5, within_ci=False):
    return review.Lead(cores, winner, 1.0, "other", ratio, within_ci)


def test_crossovers_pass_between_clear_winners_only():
    assert review.crossovers([L(1, "a"), L(2, "a"), L(4, "b"), L(8, "b")]) == [(2, 4, "a", "b")]
    # a tie (within 1%, or within the confidence intervals) is no winner: the crossover spans it
    assert review.crossovers([L(1, "a"), L(2, "b", ratio=1.005), L(4, "c", within_ci=True), L(8, "b")]) == \
        [(1, 8, "a", "b")]
    assert review.crossovers([L(1, "a"), L(2, "a")]) == []


def test_why_names_the_runner_ups_largest_overhead_with_its_share(review_sweep):
    docs = read_jsonl(review_sweep / "results.jsonl")
    w = next(w for w in review.workloads(docs) if w.label == "vmlocal")
    last = review.leads(w)[-1]
    sentence = review.why(w)
    assert sentence.startswith(f"At 4 CPUs {last.winner} leads with ") and sentence.endswith(".")
    loser_doc = w.docs[last.runner_up][4]
    share, kind, what = review.overheads(loser_doc)[0]
    assert f"{last.runner_up} spends {100 * share:.0f}% of its CPU time {what}" in sentence
    # the share is the statistics' own: e.g. a lock's wait over all CPUs' time
    m = loser_doc["metrics"]
    if kind == "lock":
        top = max(m["locks"], key=lambda lock: lock["waittime_total_ns"])
        assert share == pytest.approx(top["waittime_total_ns"] / sum(m["time_ns"].values()))
        assert top["name"] in sentence


def test_many_core_counts_transpose_the_tables(tmp_path):
    docs = read_jsonl(ROOT / "tests" / "data" / "ticket_mcs_small.jsonl")
    from smpsim_analysis.results import flat_frame
    h, rows = report._pivot(flat_frame(docs), "throughput_per_s")
    assert h == ["variant", "1", "2", "4", "8", "12", "16"]  # 6 core counts: core counts as columns
    many = []
    one_per_variant = {d["variant"]: d for d in docs}.values()
    for n in range(1, 25):  # 24 core counts, 2 variants: core counts as rows
        for d in one_per_variant:
            e = json.loads(json.dumps(d))
            e["cores"] = n
            many.append(e)
    h, rows = report._pivot(flat_frame(many), "throughput_per_s")
    assert h[0] == "cores" and len(h) == 3 and len(rows) == 24


PROBE = """<script>
window.onload = () => {
  let right = 0;
  for (const e of document.body.querySelectorAll('*')) right = Math.max(right, e.getBoundingClientRect().right);
  const imgs = [...document.images];
  const p = document.createElement('pre');
  p.id = 'probe';
  p.textContent = JSON.stringify({scrollWidth: document.documentElement.scrollWidth, right: right,
    images: imgs.length, loaded: imgs.filter(i => i.complete && i.naturalWidth > 0).length,
    widest_image: Math.max(...imgs.map(i => i.getBoundingClientRect().width)),
    h4: [...document.querySelectorAll('h4')].map(h => h.textContent)});
  document.body.appendChild(p);
};
</script>"""


def test_the_review_report_fits_the_page_in_a_browser(review_sweep, tmp_path):
    out = tmp_path / "report"
    assert report.main([str(review_sweep), "--out", str(out), "--date", "2026-12-08"]) == 0
    page = (out / "index.html").read_text()
    for h in ("Designs compared", "One op: an open + close.", "Crossovers:" if "Crossovers:" in page else "No "):
        assert h in page
    assert page.count("class='why'") == 2
    probe = tmp_path / "probe.html"
    probe.write_text(page.replace("</body>", PROBE + "</body>"))
    dom = chromium(f"--window-size={WIDTH},1600", "--virtual-time-budget=5000", "--dump-dom", probe.as_uri()).stdout
    m = re.search(r"<pre id=\"probe\">(.*?)</pre>", dom, re.S)
    assert m, "the probe did not run"
    got = json.loads(m.group(1).replace("&quot;", '"'))
    assert got["scrollWidth"] <= WIDTH and got["right"] <= WIDTH, got  # no table or figure runs off the page
    assert got["images"] == got["loaded"] >= 2 + 4, got  # a figure per workload plus the others, all decoded
    assert 300 < got["widest_image"] <= 1210, got  # the page's 1200 px column and the image's border
    assert got["h4"][:2] == ["fops_per_cpu", "vmlocal"]
    shot = tmp_path / "shot.png"
    chromium(f"--window-size={WIDTH},2400", f"--screenshot={shot}", (out / "index.html").as_uri())
    img = mpimg.imread(shot)
    assert img.shape[1] == WIDTH and img.std() > 0.05
