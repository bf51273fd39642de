"""Scaled benchmark models: probecheck text and, for three of them, an equivalent Promela text.

Each generator takes the scale N and returns (probecheck_model, promela_or_None). The pairs
are written to be equivalent in behaviour: the same threads/proctypes, the same shared
variables, one visible access per step on both sides (Promela statements that touch only
locals are folded with d_step-free sequencing the way SPIN's own reduction would see them).
"""


def _texts(probecheck_parts, promela_parts, runs):
    """Joins both texts; `runs` are the proctype instances init starts atomically."""
    init = "init {\n  atomic {\n" + "".join(f"    run {r};\n" for r in runs) + "  }\n}"
    return "\n".join(probecheck_parts) + "\n", "\n".join(promela_parts + [init]) + "\n"


def counters(n, rounds=2):
    """N workers, each incrementing its own counter under its own mutex: fully independent."""
    pc = ["expect holds;"]
    for i in range(n):
        pc.append(f"mutex m{i};\nint c{i};")
    for i in range(n):
        pc.append(f"void worker{i}() {{\n    int k = 0;\n    while (k < {rounds}) {{\n        lock(m{i});\n"
                  f"        c{i} = c{i} + 1;\n        unlock(m{i});\n        k = k + 1;\n    }}\n}}")
    for i in range(n):
        pc.append(f"thread t{i}: worker{i}();")
    pml = [f"byte c[{n}];\nbit m[{n}];",
           f"proctype worker(byte i) {{\n  byte k = 0;\n  do\n  :: k < {rounds} ->\n"
           "     atomic { m[i] == 0 -> m[i] = 1 };\n     c[i] = c[i] + 1;\n     m[i] = 0;\n     k++\n"
           "  :: else -> break\n  od\n}"]
    return _texts(pc, pml, [f"worker({i})" for i in range(n)])


def probe(n):
    """N devices bound by N threads; each probe takes a global probe lock around the
    check-then-allocate of its own device's dev_iommu, then marks the device bound."""
    pc = ["expect holds;", "mutex probe_lock;",
          "struct device { int iommu; int bound; };"]
    for i in range(n):
        pc.append(f"struct device d{i};")
    pc.append("void bind(struct device *dev) {\n    lock(probe_lock);\n    if (dev->iommu == 0)\n"
              "        dev->iommu = 1;\n    unlock(probe_lock);\n    dev->bound = 1;\n}")
    for i in range(n):
        pc.append(f"thread t{i}: bind(&d{i});")
    pml = [f"bit probe_lock;\nbyte iommu[{n}];\nbyte bound[{n}];",
           "proctype bind(byte i) {\n  atomic { probe_lock == 0 -> probe_lock = 1 };\n"
           "  if\n  :: iommu[i] == 0 -> iommu[i] = 1\n  :: else -> skip\n  fi;\n"
           "  probe_lock = 0;\n  bound[i] = 1\n}"]
    return _texts(pc, pml, [f"bind({i})" for i in range(n)])


def philosophers(n):
    """N philosophers with ordered forks (lower index first): no deadlock, heavy sharing."""
    pc = ["expect holds;"]
    for i in range(n):
        pc.append(f"mutex fork{i};\nint meals{i};")
    for i in range(n):
        a, b = sorted((i, (i + 1) % n))
        pc.append(f"void philosopher{i}() {{\n    lock(fork{a});\n    lock(fork{b});\n"
                  f"    meals{i} = meals{i} + 1;\n    unlock(fork{b});\n    unlock(fork{a});\n}}")
    for i in range(n):
        pc.append(f"thread p{i}: philosopher{i}();")
    pml = [f"bit fork[{n}];\nbyte meals[{n}];",
           "proctype philosopher(byte i; byte a; byte b) {\n"
           "  atomic { fork[a] == 0 -> fork[a] = 1 };\n  atomic { fork[b] == 0 -> fork[b] = 1 };\n"
           "  meals[i] = meals[i] + 1;\n  fork[b] = 0;\n  fork[a] = 0\n}"]
    return _texts(pc, pml, [f"philosopher({i}, {min(i, (i + 1) % n)}, {max(i, (i + 1) % n)})" for i in range(n)])


MODELS = {"counters": counters, "probe": probe, "philosophers": philosophers}


def probe_pml(ndev, hotplug=True):
    """The probe race of shared/bench/probe.pml (device_add per device, with hot-unplug;
    iommu_register walking the bus; driver_probe binding; devices 2k and 2k+1 DMA aliases
    that must share a group), written in probecheck's language. Returns the model text only:
    SPIN runs the reference Promela itself (tools/bench/probe_vs_spin)."""
    pc = ["expect holds;", "mutex probe_lock;",
          "struct device { mutex lock; bool on_bus; int priv; int group; bool bound; struct device *alias; };",
          "bool iommu_ready;", "bool drv_registered;", "int next_group;"]
    for i in range(ndev):
        alias = i ^ 1
        init = f" = {{ .alias = &d{alias} }}" if alias < ndev else ""
        pc.append(f"struct device d{i}{init};")
    pc.append("void assign_group(struct device *dev) {\n    if (dev->group == 0) {\n"
              "        struct device *a = dev->alias;\n        if (a != NULL && a->group != 0)\n"
              "            dev->group = a->group;\n        else {\n            next_group = next_group + 1;\n"
              "            dev->group = next_group;\n        }\n    }\n}")
    pc.append("void really_probe(struct device *dev) {\n    assert(dev->priv == 1, \"use after free of priv\");\n"
              "    assert(dev->group != 0, \"bound without an IOMMU group\");\n    struct device *a = dev->alias;\n"
              "    assert(a == NULL || a->group == 0 || a->group == dev->group, \"aliases in two groups\");\n"
              "    dev->bound = true;\n}")
    unplug = ("    lock(probe_lock);\n    dev->on_bus = false;\n    lock(dev->lock);\n    dev->bound = false;\n"
              "    dev->priv = 2;\n    unlock(dev->lock);\n    unlock(probe_lock);\n") if hotplug else ""
    pc.append("void device_add(struct device *dev) {\n    dev->priv = 1;\n    lock(probe_lock);\n    dev->on_bus = true;\n"
              "    if (iommu_ready) {\n        lock(dev->lock);\n        assign_group(dev);\n        unlock(dev->lock);\n    }\n"
              "    unlock(probe_lock);\n    lock(dev->lock);\n"
              "    if (drv_registered && dev->on_bus && !dev->bound && dev->group != 0)\n        really_probe(dev);\n"
              "    unlock(dev->lock);\n" + unplug + "}")
    pc.append("void iommu_register() {\n    lock(probe_lock);\n    iommu_ready = true;\n    for each d in device {\n"
              "        lock(d->lock);\n        if (d->on_bus)\n            assign_group(d);\n        unlock(d->lock);\n    }\n"
              "    unlock(probe_lock);\n}")
    pc.append("void driver_probe() {\n    lock(probe_lock);\n    drv_registered = true;\n    unlock(probe_lock);\n"
              "    for each d in device {\n        lock(probe_lock);\n        bool seen = d->on_bus;\n        unlock(probe_lock);\n"
              "        if (seen) {\n            lock(d->lock);\n"
              "            if (d->on_bus && !d->bound && d->group != 0)\n                really_probe(d);\n"
              "            unlock(d->lock);\n        }\n    }\n}")
    pc += [f"thread add{i}: device_add(&d{i});" for i in range(ndev)]
    pc += ["thread iommu: iommu_register();", "thread probe: driver_probe();"]
    return "\n".join(pc) + "\n"
