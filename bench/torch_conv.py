# PyTorch column of `npm run bench:conv` (run by bench/conv.ts with Debian's /usr/bin/python3 when it has torch).
# Keras's MNIST convnet shapes; prints JSON {key: [seconds per run, ...]}. NCHW is PyTorch's native layout.
import json, sys, time, os
import torch
from torch_meta import run_meta
import torch.nn.functional as F

quick = '--quick' in sys.argv
n = int(sys.argv[sys.argv.index('--samples') + 1]) if '--samples' in sys.argv else 2560
torch.set_num_threads(os.cpu_count() or 1)
torch.manual_seed(0)
out = {'_meta': run_meta()}

def runs(fn, reps):
    fn()
    ts = []
    for _ in range(reps):
        t = time.perf_counter(); fn(); ts.append(time.perf_counter() - t)
    return ts

for key, h, cin, cout in [('conv1', 28, 1, 32), ('conv2', 13, 32, 64)]:
    x = torch.randn(128, cin, h, h, requires_grad=True)
    w = torch.randn(cout, cin, 3, 3, requires_grad=True)
    y = F.conv2d(x, w)
    dy = torch.randn_like(y)
    with torch.no_grad():
        out[f'{key}_fwd'] = runs(lambda: F.conv2d(x, w), 5 if quick else 9)
    out[f'{key}_bwd_input'] = runs(lambda: torch.autograd.grad(F.conv2d(x, w), x, dy), 5 if quick else 9)
    out[f'{key}_bwd_filter'] = runs(lambda: torch.autograd.grad(F.conv2d(x, w), w, dy), 5 if quick else 9)

model = torch.nn.Sequential(
    torch.nn.Conv2d(1, 32, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
    torch.nn.Conv2d(32, 64, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
    torch.nn.Flatten(), torch.nn.Dropout(0.5), torch.nn.Linear(1600, 10))
opt = torch.optim.Adam(model.parameters(), lr=0.001)
xs = torch.rand(n, 1, 28, 28)
ys = torch.randint(0, 10, (n,))
def epoch():
    perm = torch.randperm(n)
    for s in range(0, n, 128):
        idx = perm[s:s + 128]
        opt.zero_grad()
        F.cross_entropy(model(xs[idx]), ys[idx]).backward()
        opt.step()
out['convnet_epoch'] = runs(epoch, 2 if quick else 3)
# CPU seconds (all threads) of one epoch: on a machine shared with other jobs, wall time depends on the load.
c = time.process_time(); epoch(); out['convnet_epoch_cpu'] = [time.process_time() - c]
print(json.dumps(out))
