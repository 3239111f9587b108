// Sweeps on a cluster: a Slurm job array runs the points (one or several per
// task), a dependent job merges their results; `smpsim merge` gathers them
// into results.jsonl and summary.csv in the same order as a local sweep.
#pragma once
#include <string>

#include "sim/sweep.hpp"

namespace smpsim {

struct SlurmOptions {
  std::string out_dir;       // OUTDIR: manifest, scripts, points/, logs/, results
  bool dry_run = false;      // write the scripts, do not submit
  int points_per_task = 1;
  int max_running = 0;       // --array=0-K%M (0: no limit)
  std::string partition, time_limit, mem;
  int cpus_per_task = 1;
  std::string sbatch = "sbatch";
};

// Writes OUTDIR/{scenario.json, manifest.tsv, array.sbatch, merge.sbatch}
// and submits the array, then the merge job (--dependency=afterok:ID).
// With opt.resume, tasks skip points whose complete result exists.
int submit_slurm(const SweepOptions& opt, const SlurmOptions& slurm, const std::string& self_exe);

// Gathers OUTDIR's point results. Missing or failed points are listed with
// their errors (exit 1, nothing written); resubmit with --resume.
int merge_sweep(const std::string& out_dir, bool quiet);

}  // namespace smpsim
