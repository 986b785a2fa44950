"""Import loops between the console's modules, from `cargo modules
dependencies` (a Graphviz graph on stdin): prints every group of modules
that import each other in a circle (strongly connected components of the
"uses" edges, two modules or more) and exits 1 if there is one.

A module using its own parent or child is not a loop between modules: that
is one module's inside (`use super::*` in a file split out of a module, a
re-export), so such edges are left out.
"""
import re
import sys

edges = {}
for line in sys.stdin:
    m = re.match(r'\s*"([^"]+)" -> "([^"]+)" \[label="uses"', line)
    if not m:
        continue
    a, b = m.group(1), m.group(2)
    if a == b or a.startswith(b + "::") or b.startswith(a + "::"):
        continue
    edges.setdefault(a, set()).add(b)
    edges.setdefault(b, set())

index, low, on, stack, out = {}, {}, set(), [], []
counter = [0]


def strong(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on.add(v)
    for w in edges[v]:
        if w not in index:
            strong(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        group = []
        while True:
            w = stack.pop()
            on.discard(w)
            group.append(w)
            if w == v:
                break
        if len(group) > 1:
            out.append(sorted(group))


sys.setrecursionlimit(10000)
for v in list(edges):
    if v not in index:
        strong(v)
modules = len(edges)
uses = sum(len(t) for t in edges.values())
if out:
    for group in out:
        print("import loop:", " <-> ".join(group))
    print(f"{len(out)} import loop(s) among {modules} modules ({uses} uses edges)")
    sys.exit(1)
print(f"no import loop among {modules} modules ({uses} uses edges)")
