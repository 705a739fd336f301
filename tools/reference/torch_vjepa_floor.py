#!/usr/bin/python3
"""Measures what the seed's V-JEPA baseline can learn: its target encoder is random and never trained, so the loss
can fall only to that of the best constant prediction of the target features. (The numbers quoted in `wejepa grad
--help` and the README.)

The model is tests/fixtures/make_jepa_fixtures.py's VJepa (the seed's module, ReLU, dropout 0) at 32x32, patch 8,
D 64, depth 2, heads 4, predictor width 32, trained with AdamW (lr 1e-3, wd 0.1 on matrices) on a fixed set of random
images with the seed's masks (2x2 block masking at ratio 0.5 for the context, random masking at 0.75 for targets).
After each phase it reports, on held-out images and fresh masks:
  loss      the model's MSE;
  constant  the MSE of the best constant prediction (per slot and channel, the mean target over the held-out set);
  zero      the MSE of predicting 0 (the padded slots' targets are the target encoder's output on zero tokens).
Measured (400 steps): loss 0.395 -> 0.0319, constant 0.0350, zero 0.368 (loss / constant 0.91: what the model likely learns
beyond a constant is which slots are zero padding, whose count the masks give away).
Run: OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 tools/reference/torch_vjepa_floor.py [STEPS]   (deterministic: fixed seeds)
"""
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "fixtures"))
import make_jepa_fixtures as mj  # noqa: E402

STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 400
B, GRID = 64, mj.IMG // mj.PATCH
N = GRID * GRID
torch.set_num_threads(1)   # a study, not a benchmark: one thread is steadiest on a shared machine


def masks(gen, b):
    context = torch.zeros(b, N, dtype=torch.bool)
    for i in range(b):
        for _ in range(int(N * 0.5 / 4)):
            y0, x0 = (int(v) for v in torch.randint(0, GRID - 1, (2,), generator=gen))
            for dy in range(2):
                for dx in range(2):
                    context[i, (y0 + dy) * GRID + x0 + dx] = True
    keep = int(N * (1 - 0.75))
    order = torch.argsort(torch.rand(b, N, generator=gen), 1)
    random = torch.ones(b, N, dtype=torch.bool)
    random.scatter_(1, order[:, :keep], False)
    return context, random & ~context


def evaluate(model, images, gen):
    with torch.no_grad():
        preds, tgts = [], []
        for k in range(0, len(images), B):
            x = images[k:k + B]
            context, target = masks(gen, len(x))
            e = model.patch_embed(x) + model.pos_embed
            preds.append(model.predictor(model.context_encoder(model.compact(e, ~context))))
            tgts.append(model.target_encoder(model.compact(e, target)))
        p, t = torch.cat(preds), torch.cat(tgts)
        return F.mse_loss(p, t).item(), F.mse_loss(t.mean(0, keepdim=True).expand_as(t), t).item(), t.pow(2).mean().item()


def main():
    torch.manual_seed(13)
    gen = torch.Generator().manual_seed(7)
    model = mj.VJepa().float()
    train = torch.rand(1024, 3, mj.IMG, mj.IMG, generator=gen)
    held = torch.rand(256, 3, mj.IMG, mj.IMG, generator=gen)
    params = [p for n, p in model.named_parameters() if not n.startswith("target_encoder.")]
    for p in model.target_encoder.parameters():
        p.requires_grad = False
    opt = torch.optim.AdamW([{"params": [p for p in params if p.ndim >= 2]},
                             {"params": [p for p in params if p.ndim < 2], "weight_decay": 0.0}], **mj.ADAMW)
    print("step  loss      constant  zero")
    for step in range(STEPS + 1):
        if step % (STEPS // 4) == 0:
            loss, constant, zero = evaluate(model, held, torch.Generator().manual_seed(99))
            print(f"{step:5d} {loss:.6f}  {constant:.6f}  {zero:.6f}  (loss / constant {loss / constant:.3f})", flush=True)
        if step == STEPS:
            break
        idx = torch.randint(0, len(train), (B,), generator=gen)
        context, target = masks(gen, B)
        opt.zero_grad(set_to_none=True)
        model.loss(train[idx], context, target).backward()
        opt.step()


if __name__ == "__main__":
    main()
