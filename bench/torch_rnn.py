# PyTorch column of `npm run bench:rnn` (run by bench/rnn.ts with Debian's /usr/bin/python3 when it has torch).
# 8 features -> LSTM(64) over 50 steps -> Linear(1), MSE, Adam, batch 32; prints JSON {key: [seconds per epoch, ...]}.
import json, sys, time, os
import torch

quick = '--quick' in sys.argv
n = int(sys.argv[sys.argv.index('--samples') + 1]) if '--samples' in sys.argv else 1024
torch.set_num_threads(os.cpu_count() or 1)
torch.manual_seed(0)

class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(8, 64, batch_first=True)
        self.out = torch.nn.Linear(64, 1)
    def forward(self, x):
        y, _ = self.lstm(x)
        return self.out(y[:, -1])

model = Net()
opt = torch.optim.Adam(model.parameters(), lr=0.001)
xs, ys = torch.randn(n, 50, 8), torch.randn(n, 1)
def epoch():
    for s in range(0, n, 32):
        opt.zero_grad()
        torch.nn.functional.mse_loss(model(xs[s:s + 32]), ys[s:s + 32]).backward()
        opt.step()
def runs(fn, reps):
    fn()
    ts = []
    for _ in range(reps):
        t = time.perf_counter(); fn(); ts.append(time.perf_counter() - t)
    return ts
out = {'epoch': runs(epoch, 2 if quick else 3)}
c = time.process_time(); epoch(); out['epoch_cpu'] = [time.process_time() - c]
print(json.dumps(out))
