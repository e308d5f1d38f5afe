"""The suite's mutation check (issue: hardening): seven deliberate bugs, each applied alone to a
checkout with a configured build folder `build`, built, and run against the whole ctest suite;
the file is restored after each. A mutation the suite does not catch is reported SURVIVED.
Run it in a separate worktree (it edits sources):
    git worktree add /tmp/mut HEAD && cmake -S /tmp/mut -B /tmp/mut/build -DCMAKE_BUILD_TYPE=Release
    python3 experiments/mutation_check.py /tmp/mut [M1 M2 ...]
Results go to ROWS (default mutation_rows.json in the current folder) and stdout."""
import json, subprocess, sys, time, os
tree = sys.argv[1]
rows_path = os.path.abspath(os.environ.get("ROWS", "mutation_rows.json"))
os.chdir(tree)
M = [
 ("M1 eps* without Brent refinement", "analysis/spectral/stability.cpp",
  "result.value = std::max(best, value);", "result.value = best; (void)value;"),
 ("M2 minmod takes the larger difference", "solvers/fv_cell_formulas.hpp",
  "abs_of(forward) < abs_of(backward) ? forward : backward", "abs_of(forward) < abs_of(backward) ? backward : forward"),
 ("M3 game role: generator term weight 0.5", "src/core/dynamics.cpp",
  "return {{Species::p, +1, 1.0, false}, {Species::p, -1, tau, true}, {Species::q, -1, tau, true}};",
  "return {{Species::p, +1, 0.5, false}, {Species::p, -1, tau, true}, {Species::q, -1, tau, true}};"),
 ("M4 laplace transform 10% off in 2D only", "src/core/kernel.cpp",
  "return std::pow(2.0, dim) * std::pow(kPi, 0.5 * (dim - 1)) * std::tgamma(a) *",
  "return (dim == 2 ? 1.1 : 1.0) * std::pow(2.0, dim) * std::pow(kPi, 0.5 * (dim - 1)) * std::tgamma(a) *"),
 ("M5 U-statistic fake-fake weight 1/n^2", "src/trainer/pairwise_loss.cpp",
  "const double a_ff = u ? 1.0 / (n * (n - 1)) : 1.0 / (n * n);", "const double a_ff = 1.0 / (n * n); (void)u;"),
 ("M6 Adam without the second-moment bias correction", "include/wgf/trainer/adam_update.hpp",
  "static_cast<float>(1.0 / std::sqrt(1.0 - std::pow(beta2, tt))),", "static_cast<float>(1.0),"),
 ("M7 row slabs drop the last slab", "include/wgf/trainer/row_slabs.hpp",
  "if (slab.count > 0) f(slab.first, slab.count);", "if (slab.count > 0 && t + 1 < parts) f(slab.first, slab.count);"),
]
only = sys.argv[2:]  # optional labels like M1
rows = []
env = dict(os.environ)
for label, path, old, new in M:
    if only and label.split()[0] not in only: continue
    text = open(path).read()
    assert text.count(old) == 1, (label, text.count(old))
    open(path, 'w').write(text.replace(old, new))
    t0 = time.time()
    try:
        b = subprocess.run("cmake --build build -j2", shell=True, capture_output=True, text=True, env=env)
        if b.returncode != 0:
            rows.append(dict(m=label, result="build failed", out=b.stdout[-2000:] + b.stderr[-2000:])); continue
        t = subprocess.run("ctest --test-dir build -j2 --timeout 600", shell=True, capture_output=True, text=True, env=env)
        failed = [l.strip() for l in t.stdout.splitlines() if "***Failed" in l or "(Failed)" in l or "Timeout" in l or "Exception" in l]
        summary = [l for l in t.stdout.splitlines() if "tests passed" in l]
        rows.append(dict(m=label, result="caught" if t.returncode != 0 else "SURVIVED", summary=summary, failed=failed[:40], secs=round(time.time()-t0)))
    finally:
        subprocess.run(["git", "checkout", "--", path])
    json.dump(rows, open(rows_path, 'w'), indent=1)
    print(rows[-1]['m'], rows[-1]['result'], rows[-1].get('summary'), flush=True)
# restore build to the unmutated state
subprocess.run("cmake --build build -j2", shell=True, capture_output=True, env=env)
print("done", flush=True)
