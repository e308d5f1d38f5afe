#!/usr/bin/env python3
"""The layer contract of docs/design.md §5, checked on the built archives.

Every symbol a layer's archive leaves undefined must be defined by that layer itself, by a
layer below it, or outside the project (system and third-party libraries). A definition found
only in a layer above, or in a sibling layer, is an upward or sideways reference: the check
fails and names the symbol, who uses it and where it lives.

    check_layers.py BUILD_DIR
"""
import os
import subprocess
import sys

# Each layer and the layers it may use (directly; the closure is taken below).
ALLOWED = {
    "wgf_core": [],
    "wgf_device": ["wgf_core"],
    "wgf_solvers_cpu": ["wgf_core"],
    "wgf_solvers_cuda": ["wgf_solvers_cpu", "wgf_device"],
    "wgf_solvers": ["wgf_solvers_cpu", "wgf_solvers_cuda"],
    "wgf_trainer_cpu": ["wgf_core"],
    "wgf_trainer_cuda": ["wgf_trainer_cpu", "wgf_device"],
    "wgf_trainer": ["wgf_trainer_cpu", "wgf_trainer_cuda"],
    "wgf_analysis": ["wgf_core"],
    "wgf_studies": ["wgf_solvers", "wgf_trainer", "wgf_analysis"],
    "wgf_testing": ["wgf_solvers_cuda", "wgf_trainer_cuda"],
}


def closure(layer):
    seen, todo = set(), list(ALLOWED[layer])
    while todo:
        below = todo.pop()
        if below not in seen:
            seen.add(below)
            todo.extend(ALLOWED[below])
    return seen


def symbols(archive):
    out = subprocess.run(["nm", "-C", "--defined-only", "-g", archive], capture_output=True,
                         text=True, check=True).stdout
    defined = set()
    for line in out.splitlines():
        parts = line.split(" ", 2)
        if len(parts) == 3 and parts[1] not in ("U", "w", "v", "V", "W"):
            defined.add(parts[2])
    out = subprocess.run(["nm", "-C", "-u", archive], capture_output=True, text=True,
                         check=True).stdout
    undefined = {line.split(" U ", 1)[1] if " U " in line else line.strip()[2:].strip()
                 for line in out.splitlines() if line.strip().startswith("U ") or " U " in line}
    return defined, undefined


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    build = sys.argv[1]
    archives = {layer: os.path.join(build, f"lib{layer}.a") for layer in ALLOWED}
    missing = [a for a in archives.values() if not os.path.exists(a)]
    if missing:
        print("check_layers: not built: " + ", ".join(missing), file=sys.stderr)
        return 2
    defined, undefined = {}, {}
    for layer, archive in archives.items():
        defined[layer], undefined[layer] = symbols(archive)
    strong_weak = {layer: defined[layer] for layer in ALLOWED}
    failures = []
    for layer in ALLOWED:
        allowed = closure(layer) | {layer}
        for symbol in sorted(undefined[layer] - defined[layer]):
            owners = [other for other in ALLOWED if symbol in strong_weak[other]]
            if owners and not any(owner in allowed for owner in owners):
                failures.append(f"{layer} uses {symbol}, defined only in {', '.join(owners)}")
    for failure in failures:
        print(failure)
    print(f"{len(ALLOWED)} layers, {len(failures)} references against the layer order")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
