#!/usr/bin/python3
# Copied unchanged (apart from this line) from the project's shared /work/shared/bench/torch_anchor.py, so that bench/ is self-contained.
"""Anchor timings: the course workloads in PyTorch (Debian python3-torch, CPU) and in the
original assignments' numpy style. Prints one line per workload: name, dtype, median seconds.
Used side by side with the project's own benchmark binary in one run (ratios, not absolutes)."""
import sys, time, json
import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(2)
REPS = int(sys.argv[1]) if len(sys.argv) > 1 else 5

def median_time(fn, reps=REPS):
    fn()  # warm-up
    ts = []
    for _ in range(reps):
        t = time.perf_counter(); fn(); ts.append(time.perf_counter() - t)
    return sorted(ts)[len(ts) // 2]

def mlp_step(dtype):
    # course 1 "deep NN application": [12288,20,7,5,1], 209 examples, one batch-GD iteration
    g = torch.Generator().manual_seed(0)
    X = torch.rand(209, 12288, dtype=dtype, generator=g)
    Y = (torch.rand(209, 1, dtype=dtype, generator=g) > 0.5).to(dtype)
    dims = [12288, 20, 7, 5, 1]
    Ws = [(torch.randn(dims[i+1], dims[i], dtype=dtype, generator=g) / dims[i] ** 0.5).requires_grad_() for i in range(4)]
    bs = [torch.zeros(dims[i+1], dtype=dtype, requires_grad=True) for i in range(4)]
    def it():
        for _ in range(10):
            A = X
            for l in range(3):
                A = torch.relu(F.linear(A, Ws[l], bs[l]))
            AL = torch.sigmoid(F.linear(A, Ws[3], bs[3]))
            loss = F.binary_cross_entropy(AL, Y)
            for p in Ws + bs: p.grad = None
            loss.backward()
            with torch.no_grad():
                for p in Ws + bs: p -= 0.0075 * p.grad
    return it

def cnn_epoch(dtype):
    # course 3 "CNN application" (SIGNS-like): 1080 x 64x64x3, conv8@4x4 same, relu, maxpool 8/8,
    # conv16@2x2 same, relu, maxpool 4/4, flatten, fc 6; minibatch 64; Adam. One epoch.
    g = torch.Generator().manual_seed(0)
    X = torch.rand(1080, 3, 64, 64, dtype=dtype, generator=g)
    y = torch.randint(0, 6, (1080,), generator=g)
    W1 = (torch.randn(8, 3, 4, 4, dtype=dtype, generator=g) * 0.1).requires_grad_()
    W2 = (torch.randn(16, 8, 2, 2, dtype=dtype, generator=g) * 0.1).requires_grad_()
    Wf = (torch.randn(6, 64, dtype=dtype, generator=g) * 0.1).requires_grad_()
    bf = torch.zeros(6, dtype=dtype, requires_grad=True)
    opt = torch.optim.Adam([W1, W2, Wf, bf], lr=0.009)
    def it():
        for i in range(0, 1080, 64):
            xb, yb = X[i:i+64], y[i:i+64]
            Z = F.conv2d(F.pad(xb, (1, 2, 1, 2)), W1)
            P = F.max_pool2d(torch.relu(Z), 8, 8)
            Z2 = F.conv2d(F.pad(P, (0, 1, 0, 1)), W2)
            P2 = F.max_pool2d(torch.relu(Z2), 4, 4)
            out = F.linear(P2.flatten(1), Wf, bf)
            loss = F.cross_entropy(out, yb)
            opt.zero_grad(); loss.backward(); opt.step()
    return it

def conv_fb(dtype):
    # one conv layer forward + backward: 64 x 32x32x16 -> 32 filters 3x3, pad 1, stride 1
    g = torch.Generator().manual_seed(0)
    X = torch.rand(64, 16, 32, 32, dtype=dtype, generator=g, requires_grad=True)
    W = torch.randn(32, 16, 3, 3, dtype=dtype, generator=g, requires_grad=True)
    b = torch.zeros(32, dtype=dtype, requires_grad=True)
    def it():
        Z = F.conv2d(X, W, b, padding=1)
        Z.backward(torch.ones_like(Z))
    return it

def lstm_fb(dtype):
    # LSTM forward + backward through time: n_x 64, n_a 128, m 32, T_x 50
    g = torch.Generator().manual_seed(0)
    lstm = torch.nn.LSTM(64, 128).to(dtype)
    x = torch.rand(50, 32, 64, dtype=dtype, generator=g)
    def it():
        out, _ = lstm(x)
        out.sum().backward()
    return it

def attention_fwd(dtype):
    # transformer encoder layer forward: batch 16, seq 64, d_model 128, 8 heads, ff 512
    layer = torch.nn.TransformerEncoderLayer(128, 8, 512, dropout=0.0, batch_first=True).to(dtype)
    x = torch.rand(16, 64, 128, dtype=dtype)
    def it():
        with torch.no_grad(): layer(x)
    return it

def numpy_naive_conv_forward():
    # the original assignment's 4-nested-loop conv_forward, on a small input: 8 x 16x16x8 -> 16 filters 3x3 pad 1
    rng = np.random.RandomState(1)
    A_prev = rng.randn(8, 16, 16, 8); W = rng.randn(3, 3, 8, 16); b = rng.randn(1, 1, 1, 16)
    def it():
        m, nH, nW, nC = 8, 16, 16, 16
        A = np.pad(A_prev, ((0, 0), (1, 1), (1, 1), (0, 0)))
        Z = np.zeros((m, nH, nW, nC))
        for i in range(m):
            for h in range(nH):
                for w in range(nW):
                    for c in range(nC):
                        Z[i, h, w, c] = np.sum(A[i, h:h+3, w:w+3, :] * W[..., c]) + float(b[..., c])
    return it

rows = []
for name, mk, dts in [("mlp_10_iters", mlp_step, [torch.float64, torch.float32]),
                      ("cnn_signs_epoch", cnn_epoch, [torch.float64, torch.float32]),
                      ("conv_fwd_bwd", conv_fb, [torch.float64, torch.float32]),
                      ("lstm_fwd_bwd", lstm_fb, [torch.float64, torch.float32]),
                      ("encoder_layer_fwd", attention_fwd, [torch.float64, torch.float32])]:
    for dt in dts:
        rows.append((name, str(dt).replace("torch.", ""), median_time(mk(dt))))
rows.append(("numpy_naive_conv_forward_8x16x16x8", "float64", median_time(numpy_naive_conv_forward(), reps=3)))
for r in rows:
    print(f"{r[0]:40s} {r[1]:8s} {r[2]*1000:10.2f} ms")
