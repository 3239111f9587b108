"""smpsim-plot draws speedup per variant, the ideal line and the Markov overlay."""
from __future__ import annotations

import subprocess
import sys

from conftest import ROOT
from smpsim_analysis import plot


def test_plot_writes_png_and_svg_with_every_series(demo_sweep, tmp_path):
    assert plot.main([str(demo_sweep / "results.jsonl"), "--out", str(tmp_path)]) == 0
    png = (tmp_path / "speedup.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    svg = (tmp_path / "speedup.svg").read_text()
    for label in ("ticket (simulated)", "mcs (simulated)", "ticket (Markov model, peak", "ideal", "cores",
                  "speedup (throughput / 1-core throughput)"):
        assert label in svg, label
    assert "mcs (Markov" not in svg  # the model is for ticket locks only


def test_plot_is_deterministic(demo_sweep, tmp_path):
    for d in ("a", "b"):
        plot.main([str(demo_sweep / "results.jsonl"), "--out", str(tmp_path / d)])
    assert (tmp_path / "a" / "speedup.svg").read_bytes() == (tmp_path / "b" / "speedup.svg").read_bytes()


def test_plot_rejects_a_bad_results_file(tmp_path):
    bad = tmp_path / "r.jsonl"
    bad.write_text('{"schema_version": 99}\n')
    p = subprocess.run([sys.executable, "-m", "smpsim_analysis.plot", str(bad), "--out", str(tmp_path)],
                       capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 2
    assert "schema_version 99" in p.stderr


def test_plot_throughput_and_log_views_draw_the_means(demo_sweep, tmp_path):
    from smpsim_analysis.results import mean_frame, points_frame, read_jsonl

    df = points_frame(read_jsonl(demo_sweep / "results.jsonl"))
    fig = plot.speedup_figure(df, "t", "throughput_per_s", log=True)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    means = mean_frame(df)
    drawn = {l.get_label(): list(l.get_ydata()) for l in ax.get_lines()}
    ticket = means[means.variant == "ticket"].sort_values("cores")
    assert drawn["ticket (simulated)"] == list(ticket.throughput_per_s)
    assert "ideal" not in drawn and not any("Markov" in k for k in drawn)  # speedup-only overlays
    assert plot.main([str(demo_sweep / "results.jsonl"), "--out", str(tmp_path), "--metric", "throughput", "--log"]) == 0
    assert "throughput (ops/s)" in (tmp_path / "throughput_log.svg").read_text()
