# PyTorch column of `npm run bench` (run by bench/run.ts with Debian's /usr/bin/python3 when it has torch).
# Same workloads as the TS side; prints JSON {key: [seconds per run, ...], "_meta": {how it ran}}.
# PyTorch at its best here (docs/speed.md): the caller sets OPENBLAS_NUM_THREADS=1 (OpenBLAS's pool would fight
# torch's intra-op pool over the cores) and unsets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (a forced core type
# halves sgemm speed); torch uses one thread per core. _meta names the BLAS library actually loaded, so a run on
# the reference BLAS (about 3 GFLOP/s, when libopenblas is not installed) is visible.
import json, sys, time, os
import torch
from torch_meta import run_meta

quick = '--quick' in sys.argv
torch.set_num_threads(os.cpu_count() or 1)
torch.manual_seed(0)
out = {'_meta': run_meta()}

def runs(fn, reps, warmup=True):
    if warmup:
        fn()
    ts = []
    for _ in range(reps):
        t = time.perf_counter(); fn(); ts.append(time.perf_counter() - t)
    return ts

def fit(x, y, model, opt, loss_fn, epochs, batch):
    n = x.shape[0]
    for _ in range(epochs):
        perm = torch.randperm(n)
        for s in range(0, n, batch):
            idx = perm[s:s + batch]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()

g = torch.Generator().manual_seed(3)
cx = torch.randn(100, 8, generator=g)
cy = (cx @ torch.tensor([-0.4, 0.7] * 4) > 0).float().unsqueeze(1)

def chapter(opt_name, batch):
    def go():
        model = torch.nn.Sequential(torch.nn.Linear(8, 32), torch.nn.ReLU(), torch.nn.Linear(32, 1), torch.nn.Sigmoid())
        opt = torch.optim.Adam(model.parameters(), lr=0.01) if opt_name == 'adam' else torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        fit(cx, cy, model, opt, torch.nn.BCELoss(), 150, batch)
    return go

out['fit_adam_b10'] = runs(chapter('adam', 10), 3 if quick else 7)
out['fit_sgdm_b1'] = runs(chapter('sgdm', 1), 1 if quick else 3, warmup=False)
out['fit_sgdm_b100'] = runs(chapter('sgdm', 100), 3 if quick else 7)

n = 2560 if quick else 10000
mx = torch.rand(n, 784, generator=g)
my = torch.randint(0, 10, (n,), generator=g)
mlp = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
opt = torch.optim.Adam(mlp.parameters(), lr=0.001)
out['mlp_epoch'] = runs(lambda: fit(mx, my, mlp, opt, torch.nn.CrossEntropyLoss(), 1, 128), 3 if quick else 5)
px = torch.rand(10000, 784, generator=g)
def predict():
    with torch.no_grad():
        for s in range(0, 10000, 1000):
            torch.softmax(mlp(px[s:s + 1000]), dim=1)
out['predict'] = runs(predict, 3 if quick else 5)

def mm(key, a, b, reps):
    with torch.no_grad():
        inner = max(1, int(2e8 / (2 * a.shape[0] * a.shape[1] * b.shape[1])))
        ts = runs(lambda: [a @ b for _ in range(inner)], reps)
    out[key] = [t / inner for t in ts]

for s in ([128, 256, 512] if quick else [128, 256, 512, 1024, 2048]):
    mm(f'mm_{s}', torch.randn(s, s), torch.randn(s, s), 5 if quick else 9)
mm('mm_fwd', torch.randn(128, 784), torch.randn(784, 256), 9)
mm('mm_dw', torch.randn(128, 784).t(), torch.randn(128, 256), 9)
mm('mm_dx', torch.randn(128, 256), torch.randn(784, 256).t(), 9)
print(json.dumps(out))
