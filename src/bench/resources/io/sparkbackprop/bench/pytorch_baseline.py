"""The bench's optional PyTorch baseline: the same work as one of our timed runs, on the CPU, in this process.

Prints one JSON line: {"seconds": median seconds per iteration or step, "torch": version, "threads": n}.
If torch cannot be imported it prints {"error": "..."} and exits 3, and the bench reports the figure as not measured.
The rows are random: a dense network's time does not depend on the values.
"""
import argparse
import json
import statistics
import sys
import time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--layers", required=True, help="sizes, e.g. 784,128,10")
    p.add_argument("--activation", choices=["sigmoid", "relu", "tanh"], required=True)
    p.add_argument("--dtype", choices=["float64", "float32"], required=True)
    p.add_argument("--rows", type=int, required=True, help="rows in memory")
    p.add_argument("--batch", type=int, default=0, help="rows per step; 0: all rows (full batch)")
    p.add_argument("--optimizer", choices=["sgd", "adam"], required=True)
    p.add_argument("--lr", type=float, default=0.03)
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--steps", type=int, default=10, help="steps per timed turn")
    p.add_argument("--turns", type=int, default=5)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    try:
        import torch
    except ImportError as e:
        print(json.dumps({"error": "PyTorch is not installed for %s (%s): pip install torch" % (sys.executable, e)}))
        sys.exit(3)
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    dtype = getattr(torch, a.dtype)
    sizes = [int(s) for s in a.layers.split(",")]
    act = {"sigmoid": torch.nn.Sigmoid, "relu": torch.nn.ReLU, "tanh": torch.nn.Tanh}[a.activation]
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(act())
    model = torch.nn.Sequential(*layers).to(dtype)
    x = torch.randn(a.rows, sizes[0], dtype=dtype)
    y = torch.randint(0, sizes[-1], (a.rows,))
    opt = torch.optim.SGD(model.parameters(), lr=a.lr) if a.optimizer == "sgd" else torch.optim.Adam(model.parameters(), lr=a.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    batch = a.batch if a.batch > 0 else a.rows
    batches = max(1, a.rows // batch)

    def step(i):
        j = i % batches
        xb, yb = x[j * batch:(j + 1) * batch], y[j * batch:(j + 1) * batch]
        opt.zero_grad()
        loss_fn(model(xb), yb).backward()
        opt.step()

    for i in range(3):
        step(i)
    per_step = []
    for t in range(a.turns):
        t0 = time.perf_counter()
        for i in range(a.steps):
            step(i)
        per_step.append((time.perf_counter() - t0) / a.steps)
    print(json.dumps({"seconds": statistics.median(per_step), "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
