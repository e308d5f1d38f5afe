#!/usr/bin/env python3
"""The .xdmf that wgf simulate writes beside 2D and 3D fields, read by ParaView's own XDMF reader.

usage: check_xdmf.py WGF_BINARY WORK_DIR

Runs a 2D and a 3D simulation with several writes, opens each NAME.xdmf with ParaView's Xdmf3 reader
(Xdmf3ReaderT, headless, through pvpython's modules) and checks, for every time step the reader
offers, that the time is /scales/t, the points are the cell centres of /grid and p and q are
/fields/{p,q} of that write, all exactly (float64 on both sides; nothing is resampled).
Exit 0 when every check holds, 1 on a mismatch, 77 (ctest: skipped) without ParaView's modules.
"""
import os
import subprocess
import sys

try:
    import h5py
    import numpy as np
    from paraview import servermanager
    from paraview import simple
    from vtkmodules.util.numpy_support import vtk_to_numpy
except ImportError as error:  # Debian: python3-paraview, python3-h5py
    print(f"skipped: ParaView's Python modules are not installed ({error})")
    sys.exit(77)


def check(run, failures):
    h5 = os.path.join(run["dir"], run["name"] + ".h5")
    xdmf = os.path.join(run["dir"], run["name"] + ".xdmf")
    with h5py.File(h5, "r") as f:
        times = f["scales/t"][()]
        p, q = f["fields/p"][()], f["fields/q"][()]
        centres = [f[f"grid/x{a}"][()] for a in range(run["dim"])]
    reader = simple.Xdmf3ReaderT(FileName=[os.path.abspath(xdmf)])  # relative names resolve wrongly
    reader.UpdatePipelineInformation()
    offered = list(reader.TimestepValues) if len(times) > 1 else [times[0]]
    if not np.array_equal(np.asarray(offered, dtype=float), times):
        failures.append(f"{run['name']}: times {offered} against /scales/t {list(times)}")
        return
    n, dim = p.shape[1], run["dim"]
    for k, t in enumerate(times):
        # The proxy's own update: paraview.simple.UpdatePipeline(time=0.0) takes 0 as "no time"
        # and returns whatever step the pipeline last held.
        reader.UpdatePipeline(float(t))
        data = servermanager.Fetch(reader)
        block = data.GetBlock(0) if data.IsA("vtkMultiBlockDataSet") else data
        if block.GetNumberOfPoints() != n ** dim:
            failures.append(f"{run['name']} write {k}: {block.GetNumberOfPoints()} points, expected {n ** dim}")
            continue
        points = np.array([block.GetPoint(i) for i in range(block.GetNumberOfPoints())])
        for field, stored in (("p", p[k]), ("q", q[k])):
            values = vtk_to_numpy(block.GetPointData().GetArray(field))
            # VTK orders points x fastest; the HDF5 arrays store the last axis fastest, so VTK's
            # x is the file's last axis (x_{d-1}) and the flat orders agree.
            if not np.array_equal(values, stored.reshape(-1)):
                failures.append(f"{run['name']} write {k}: {field} differs from /fields/{field}[{k}] "
                                f"(largest difference {np.max(np.abs(values - stored.reshape(-1)))})")
        # VTK lists x fastest, the HDF5 arrays their last axis fastest: file axis a is VTK axis
        # 2 - a (in 2D the mesh lies in VTK's y-z plane at x = 0).
        index = np.indices((n,) * dim).reshape(dim, -1)
        for file_axis in range(dim):
            expected = centres[file_axis][index[file_axis]]
            if np.max(np.abs(points[:, 2 - file_axis] - expected)) > 1e-12:
                failures.append(f"{run['name']} write {k}: VTK axis {2 - file_axis} is not /grid/x{file_axis}")
    print(f"{run['name']}: {len(times)} writes of {n}^{dim} cells read back by ParaView's XDMF reader")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    wgf, work = os.path.abspath(sys.argv[1]), sys.argv[2]
    os.makedirs(work, exist_ok=True)
    runs = [
        dict(name="flow2d", dim=2, args="--dim 2 --n 24 --kernel gaussian:sigma=1 --t-end 0.2 --write-every 0.05"),
        dict(name="flow3d", dim=3, args="--dim 3 --n 12 --kernel gaussian:sigma=1 --t-end 0.1 --write-every 0.05"),
    ]
    failures = []
    for run in runs:
        run["dir"] = work
        at = ",".join(["0.5"] * run["dim"])  # one centre off the grid's symmetry axes
        command = f"{wgf} simulate {run['args']} --init gaussians:at={at},sigma=0.6 --quiet --force --out {run['name']}.h5"
        result = subprocess.run(command.split(), cwd=work, capture_output=True, text=True)
        if result.returncode != 0:
            failures.append(f"{command}: exit {result.returncode}: {result.stdout}{result.stderr}")
            continue
        check(run, failures)
    for failure in failures:
        print("FAILED:", failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
