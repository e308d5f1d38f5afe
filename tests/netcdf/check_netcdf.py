"""Every command's output opens as netCDF-4: with xarray's h5netcdf and netcdf4 engines (each
group, with its coordinates) and with ncdump -h, and every variable carries units and long_name.

Usage: check_netcdf.py WGF FOLDER. Exits 77 (skipped) when xarray, h5netcdf, netCDF4, h5py or
ncdump is missing. The files are read by code nobody here wrote; the expectations (dimension
names and lengths, a coordinate equal to the dataset it was copied from) come from the commands'
documented layouts.
"""
import os, shutil, subprocess, sys

try:
    import h5py, numpy as np, xarray as xr
    import h5netcdf, netCDF4  # noqa: F401 (the two engines)
except ImportError as e:
    print("skipped:", e); sys.exit(77)
if shutil.which("ncdump") is None:
    print("skipped: no ncdump"); sys.exit(77)

wgf, folder = sys.argv[1], sys.argv[2]
os.makedirs(folder, exist_ok=True)
os.chdir(folder)
failures = []

def run(args, quiet=True):
    r = subprocess.run([wgf] + args + ["--force"] + (["--quiet"] if quiet else []),
                       capture_output=True, text=True)
    if r.returncode != 0:
        failures.append(f"wgf {' '.join(args)}: exit {r.returncode}: {r.stderr}")

runs = {
    "simulate.h5": ["simulate", "--dim", "2", "--n", "16", "--kernel", "gaussian:sigma=0.5",
                    "--role", "discriminator", "--init", "random:amp=1e-3,seed=1", "--track", "2,2",
                    "--t-end", "0.1", "--write-every", "0.05", "--out", "simulate.h5"],
    "spectrum.h5": ["spectrum", "--dim", "1", "--kernel", "gaussian:sigma=0.5", "--stabilizer",
                    "gaussian:sigma=0.25", "--eps", "1", "--out", "spectrum.h5"],
    "map.h5": ["map", "--dim", "1", "--kernel", "gaussian:sigma=0.5", "--stabilizer",
               "gaussian:sigma={s}", "--sweep", "s=0.1:1:5", "--eps", "0:8:9", "--out", "map.h5"],
    "train.h5": ["train", "--data", "ring8", "--iters", "40", "--batch", "32", "--g-hidden", "8",
                 "--d-hidden", "8", "--loss", "gaussian:sigma=1", "--seed", "3",
                 "--snapshot-every", "20", "--threads", "1", "--out", "train.h5"],
    "mmd.h5": ["mmd-flow", "--iters", "20", "--noise-iters", "10", "--particles", "10",
               "--dim", "2", "--out", "mmd.h5"],
    "growth.h5": ["growth", "--data", "gaussian2d", "--loss", "gaussian:sigma=0.3", "--stabilizer",
                  "gaussian:sigma=0.15", "--eps", "0.3", "--threads", "1", "--out", "growth.h5"],
    "particles/validate.h5": ["validate", "--study", "particles", "--particles", "500",
                              "--tracked", "2", "--modes", "4", "--max-steps", "50",
                              "--out-dir", "particles"],
}
for name, args in runs.items():
    run(args)
run(["sample", "--generator", "train.h5", "--n", "10", "--out", "sample.h5"], quiet=False)
runs["sample.h5"] = None

def groups_with_datasets(path):
    found = set()
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                found.add(obj.parent.name)
                for attribute in ("units", "long_name"):
                    value = obj.attrs.get(attribute)
                    if not isinstance(value, str):  # h5py gives str only for variable-length text
                        failures.append(f"{path}:/{name}: no text attribute {attribute}")
        f.visititems(visit)
        for key, value in f.attrs.items():
            if isinstance(value, bytes):
                failures.append(f"{path}: root attribute {key} is fixed-length text")
    return sorted(found)

for path in runs:
    if not os.path.exists(path):
        failures.append(f"{path} was not written"); continue
    for group in groups_with_datasets(path):
        g = None if group == "/" else group.lstrip("/")
        for engine in ("h5netcdf", "netcdf4"):
            try:
                with xr.open_dataset(path, group=g, engine=engine) as ds:
                    for var in ds.data_vars.values():
                        for dim in var.dims:
                            if dim not in ds.coords:
                                failures.append(f"{path}:{group} {var.name}: no coordinate {dim} ({engine})")
            except Exception as e:
                failures.append(f"{path}:{group}: {engine} cannot open it: {e}")
    r = subprocess.run(["ncdump", "-h", path], capture_output=True, text=True)
    if r.returncode != 0:
        failures.append(f"ncdump -h {path}: {r.stderr}")

# What the coordinates say, against the datasets they come from.
with xr.open_dataset("simulate.h5", group="fields", engine="h5netcdf") as ds, \
        h5py.File("simulate.h5", "r") as f:
    if dict(ds.sizes) != {"t": 3, "x0": 16, "x1": 16}:
        failures.append(f"simulate /fields sizes {dict(ds.sizes)}")
    if not np.array_equal(ds["t"].values, f["/scales/t"][()]):
        failures.append("/fields/t differs from /scales/t")
    if not np.array_equal(ds["x1"].values, f["/grid/x1"][()]):
        failures.append("/fields/x1 differs from /grid/x1")
    if not np.array_equal(ds["p"].values, f["/fields/p"][()]):
        failures.append("p through xarray differs from h5py's")
    if f["/scales/step"].dtype.kind != "i":
        failures.append("/scales/step is not an integer counter")
with xr.open_dataset("map.h5", group="map", engine="netcdf4") as ds:
    if ds["max_growth"].dims != ("param", "eps") or ds.sizes["eps"] != 9 or ds.sizes["param"] != 5:
        failures.append(f"map max_growth dims {ds['max_growth'].dims} {dict(ds.sizes)}")
with xr.open_dataset("train.h5", group="train/metrics", engine="h5netcdf") as ds:
    it = ds["iter"].values  # evaluated at the start and every --metrics-every, and at the end
    if it.dtype.kind != "i" or it[-1] != 40 or not all(np.diff(it) > 0):
        failures.append(f"train metrics iter {ds['iter'].values} ({ds['iter'].dtype})")
with xr.open_dataset("spectrum.h5", group="spectrum", engine="h5netcdf") as ds:
    if ds["growth"].dims != ("xi",) or ds["xi"].attrs.get("long_name") is None:
        failures.append("spectrum growth is not over xi")

for failure in failures:
    print("FAIL", failure)
print("checked", len(runs), "files:", "ok" if not failures else f"{len(failures)} failures")
sys.exit(1 if failures else 0)
