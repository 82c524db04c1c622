"""Chapter 5: computational graphs drawn with matplotlib, with forward values and
gradients.

A graph is a list of nodes, each a dict ``{"name", "label", "inputs", "value",
"grad"}``: inputs (variables) have no ``inputs``; gates list the names of the nodes they
read. ``draw_graph`` lays it out left to right (inputs on the left, the output on the
right) and writes on every edge the value flowing forward (black, above) and the
gradient flowing back (below, marked "∂", in another colour and in italics, so that
colour is never the only cue), as in the cs231n notes. A gate may also list
``input_grads``, the gradient it sends back along each of its input edges; where a node
feeds several gates, each edge then shows its own contribution and the node shows their
sum. ``graph_from_value`` turns an expression built with ``Value`` into such a list, and
``sigmoid_neuron_stepper`` steps through the sigmoid neuron's backward pass one gate at
a time.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, FancyBboxPatch

from ..reference.autograd import topological_order
from ..i18n import _

# Okabe-Ito vermilion for gradients: told apart from the black values by colour-blind
# readers too, and by a second cue (the "∂" prefix and italics).
VALUE_COLOUR, GRAD_COLOUR, HIGHLIGHT = "#000000", "#b3450e", "#fff2a8"
# Edge labels at 12 pt are 13.3 px at the course's 80 dpi: the size of the site's body
# text when the figure is shown at its natural width (at most MAX_WIDTH inches, the text
# column).
LABEL_SIZE, NODE_SIZE, MAX_WIDTH = 12, 11, 8.6
UNIT_INCHES = 0.75  # inches per layout unit when the graph fits; less for wide graphs


def grad_text(grad, digits=2):
    """How a gradient is written on an edge: "∂ -0.20"."""
    return "∂ " + _fmt(grad, digits)


def node(name, label=None, inputs=(), value=None, grad=None, input_grads=None):
    """One node of a graph: an input when ``inputs`` is empty, else a gate reading
    ``inputs``.

    ``input_grads`` (optional, aligned with ``inputs``): what this gate passes back
    along each input edge, i.e. its local gradient times its upstream gradient.
    """
    return {
        "name": name,
        "label": label if label is not None else name,
        "inputs": list(inputs),
        "value": value,
        "grad": grad,
        "input_grads": None if input_grads is None else list(input_grads),
    }


def _layout(nodes):
    """Positions {name: (x, y)}: gates one column right of their deepest input; inputs
    one column left of their first reader; rows follow the order in which inputs are
    reached."""
    by_name = {n["name"]: n for n in nodes}
    readers = {n["name"]: [] for n in nodes}
    for n in nodes:
        for i in n["inputs"]:
            readers[i].append(n["name"])
    level = {}

    def depth(name):
        if name not in level:
            ins = by_name[name]["inputs"]
            level[name] = 0 if not ins else 1 + max(depth(i) for i in ins)
        return level[name]

    for n in nodes:
        depth(n["name"])
    for n in nodes:  # inputs sit just left of their first reader
        if not n["inputs"] and readers[n["name"]]:
            level[n["name"]] = min(level[r] for r in readers[n["name"]]) - 1
    outputs = [n["name"] for n in nodes if not readers[n["name"]]]
    row, y = {}, [0]

    def place(name):
        if name in row:
            return row[name]
        ins = by_name[name]["inputs"]
        if not ins:
            row[name] = y[0]
            y[0] += 1
        else:
            row[name] = float(np.mean([place(i) for i in ins]))
        return row[name]

    for out in outputs:
        place(out)
    for n in nodes:
        place(n["name"])
    return {name: (2.0 * level[name], -1.8 * row[name]) for name in by_name}, outputs


def _fmt(v, digits):
    return "?" if v is None else f"{v:.{digits}f}"


def draw_graph(
    nodes, ax=None, title=None, show_grads=True, highlight=(), digits=2, caption=None
):
    """Draw a computational graph. ``highlight``: names of gates to shade (e.g. the
    current step).

    Each edge carries the value of the node it leaves (green, above) and, when
    ``show_grads``, the gradient of the final output with respect to that value (red,
    below). A node read by several gates whose ``input_grads`` are known is the
    exception: each of its edges carries its own contribution, and the node itself is
    labelled with their sum (the node's gradient). Returns the Axes.
    """
    pos, outputs = _layout(nodes)
    by_name = {n["name"]: n for n in nodes}
    n_readers = {n["name"]: 0 for n in nodes}
    for n in nodes:
        for i in n["inputs"]:
            n_readers[i] += 1
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    if ax is None:
        span_x, span_y = max(xs) - min(xs) + 2.1, max(ys) - min(ys) + 2.0
        unit = min(UNIT_INCHES, MAX_WIDTH / span_x)
        _, ax = plt.subplots(
            figsize=(max(4.0, unit * span_x), max(2.4, unit * span_y + 0.6))
        )
    r = 0.36

    def edge_grad(src, dst, k):
        """The gradient written on the k-th input edge of ``dst``, which leaves
        ``src``."""
        own = dst["input_grads"][k] if dst.get("input_grads") else None
        if n_readers[src["name"]] > 1 and own is not None:
            return own  # this edge's own contribution; the node shows the sum
        return src["grad"]

    def annotate_edge(x0, y0, x1, y1, src, t=0.5, grad="same"):
        grad = src["grad"] if grad == "same" else grad
        mx, my = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
        # The value sits on the edge's upper side, the gradient on its lower side, each
        # pushed off the edge along its normal (in points, so at any figure scale) and
        # anchored at its near corner, so a sloped edge never runs through a label.
        dx, dy = x1 - x0, y1 - y0
        length = np.hypot(dx, dy)
        nx, ny = -dy / length, dx / length  # unit normal pointing up

        def label(text, sign, **style):
            ux, uy = sign * nx, sign * ny
            ha = "center" if abs(ux) < 0.3 else ("left" if ux > 0 else "right")
            ax.annotate(
                text,
                (mx, my),
                xytext=(3 * ux, 3 * uy),
                textcoords="offset points",
                ha=ha,
                va="bottom" if uy > 0 else "top",
                fontsize=LABEL_SIZE,
                **style,
            )

        label(_fmt(src["value"], digits), 1, color=VALUE_COLOUR, fontweight="bold")
        if show_grads and grad is not None:
            label(grad_text(grad, digits), -1, color=GRAD_COLOUR, fontstyle="italic")

    for n in nodes:
        x1, y1 = pos[n["name"]]
        for k, i in enumerate(n["inputs"]):
            x0, y0 = pos[i]
            grad = edge_grad(by_name[i], n, k)
            start = x0 + (0.35 if by_name[i]["inputs"] else 0.25)
            if (
                y0 == y1 and x1 - x0 > 2.0
            ):  # skips a column on the same row: arc over it
                rad = -0.35
                ax.annotate(
                    "",
                    xy=(x1 - 0.7 * r, y1 + 0.7 * r),
                    xytext=(start - 0.1, y0 + 0.2),
                    arrowprops=dict(
                        arrowstyle="-|>",
                        color="#57606a",
                        lw=1.2,
                        shrinkA=0,
                        shrinkB=0,
                        connectionstyle=f"arc3,rad={rad}",
                    ),
                )
                lift = -rad * (x1 - start) / 2 + 0.2
                annotate_edge(
                    start, y0 + lift, x1 - r, y1 + lift, by_name[i], grad=grad
                )
                continue
            ax.annotate(
                "",
                xy=(x1 - r, y1),
                xytext=(start, y0),
                arrowprops=dict(
                    arrowstyle="-|>", color="#57606a", lw=1.2, shrinkA=0, shrinkB=0
                ),
            )
            # a gate's sloped edges are labelled away from each other: a rising edge
            # into a gate low, a falling edge out of a gate low, so the two never meet
            # beside the gate
            if y0 == y1:
                t = 0.5
            elif not by_name[i]["inputs"]:
                t = 0.45
            else:
                t = 0.35 if y1 > y0 else 0.65
            annotate_edge(start, y0, x1 - r, y1, by_name[i], t=t, grad=grad)
    for name in outputs:
        x0, y0 = pos[name]
        ax.annotate(
            "",
            xy=(x0 + 1.4, y0),
            xytext=(x0 + r, y0),
            arrowprops=dict(arrowstyle="-|>", color="#57606a", lw=1.2),
        )
        annotate_edge(x0 + r, y0, x0 + 1.4, y0, by_name[name])
    for n in nodes:
        x, y = pos[n["name"]]
        if n["inputs"]:
            face = HIGHLIGHT if n["name"] in highlight else "white"
            ax.add_patch(
                Circle((x, y), r, facecolor=face, edgecolor="#24292f", lw=1.3, zorder=3)
            )
            ax.text(
                x, y, n["label"], ha="center", va="center", fontsize=NODE_SIZE, zorder=4
            )
        else:
            ax.add_patch(
                FancyBboxPatch(
                    (x - 0.3, y - 0.17),
                    0.55,
                    0.34,
                    boxstyle="round,pad=0.02",
                    facecolor="#f6f8fa",
                    edgecolor="#8c959f",
                    zorder=3,
                )
            )
            ax.text(
                x - 0.02,
                y,
                n["label"],
                ha="center",
                va="center",
                fontsize=NODE_SIZE,
                zorder=4,
            )
        split = any(
            r_["input_grads"] and r_["input_grads"][k] is not None
            for r_ in nodes
            for k, i in enumerate(r_["inputs"])
            if i == n["name"]
        )
        if show_grads and n_readers[n["name"]] > 1 and split and n["grad"] is not None:
            ax.text(
                x,
                y - r - 0.06,
                "sum " + grad_text(n["grad"], digits),
                color=GRAD_COLOUR,
                ha="center",
                va="top",
                fontsize=LABEL_SIZE,
                fontstyle="italic",
                zorder=4,
            )
    arcs = any(
        pos[i][1] == pos[n["name"]][1] and pos[n["name"]][0] - pos[i][0] > 2.0
        for n in nodes
        for i in n["inputs"]
    )
    ax.set_xlim(min(xs) - 0.5, max(xs) + 1.6)
    ax.set_ylim(min(ys) - 0.6, max(ys) + (1.4 if arcs else 0.6))
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=LABEL_SIZE)
    if caption:
        ax.text(
            0.5,
            -0.02,
            caption,
            transform=ax.transAxes,
            ha="center",
            va="top",
            fontsize=LABEL_SIZE,
            wrap=True,
        )
    return ax


# --------------------------------------------------------------------------------------
# From a Value expression
# --------------------------------------------------------------------------------------


def _gate_label(op, constants):
    if op.startswith("**"):
        n = op[2:]
        return "1/x" if n in ("-1", "-1.0") else f"x^{n}"
    if constants:
        c = constants[0]
        text = f"{c:g}"
        return f"{op}{text}" if op in "+*" else f"{op} {text}"
    return {"sigmoid": "σ"}.get(op, op)


def graph_from_value(out, names):
    """Nodes of the graph that computed ``out`` (a reference ``Value``, after
    ``backward()``).

    ``names``: {label: Value} for the inputs to show as variables. Unnamed leaves
    (constants such as the 1 in ``1 + v``) are folded into the label of the gate that
    uses them ("+1", "*-1").
    """
    return _graph(out, names)[0]


def _graph(out, names):
    """``graph_from_value`` plus the Value behind each node, in the same order.

    Each gate's ``input_grads`` are found by running its backward step once more, alone,
    on zeroed input gradients (which are then restored): that is exactly what it
    contributes.
    """
    label_of = {id(v): k for k, v in names.items()}
    order = topological_order(out)
    folded = {id(v) for v in order if not v._prev and id(v) not in label_of}
    ids, nodes, values = {}, [], []
    for v in order:
        if id(v) in folded:
            continue
        name = label_of.get(id(v), f"n{len(ids)}")
        ids[id(v)] = name
        consts = [c.data for c in v._prev if id(c) in folded]
        inputs = [c for c in v._prev if id(c) not in folded]
        nodes.append(
            node(
                name,
                name if not v._prev else _gate_label(v._op, consts),
                [ids[id(c)] for c in inputs],
                v.data,
                v.grad,
                _contributions(v, inputs) if inputs else None,
            )
        )
        values.append(v)
    return nodes, values


def _contributions(gate, inputs):
    """What ``gate``'s backward step adds to each of ``inputs`` (a Value used twice by
    the same gate, as in ``a * a``, gets half of the total on each of its two edges)."""
    saved = {id(c): c.grad for c in gate._prev}
    for c in gate._prev:
        c.grad = 0.0
    gate._backward()
    added = {id(c): c.grad for c in gate._prev}
    for c in gate._prev:
        c.grad = saved[id(c)]
    uses = {id(c): sum(d is c for d in gate._prev) for c in inputs}
    return [added[id(c)] / uses[id(c)] for c in inputs]


# --------------------------------------------------------------------------------------
# The sigmoid neuron: stepping through the backward pass
# --------------------------------------------------------------------------------------


def sigmoid_neuron(w=(2.0, -3.0, -3.0), x=(-1.0, -2.0)):
    """Build f = 1 / (1 + exp(-(w0 x0 + w1 x1 + w2))) gate by gate with the reference
    Value.

    Returns (out, names) before backward() is called.
    """
    from ..reference.autograd import Value

    names = {
        "w0": Value(w[0]),
        "x0": Value(x[0]),
        "w1": Value(w[1]),
        "x1": Value(x[1]),
        "w2": Value(w[2]),
    }
    v = names
    dot = v["w0"] * v["x0"] + v["w1"] * v["x1"] + v["w2"]
    out = (1 + (dot * -1).exp()) ** -1
    return out, names


def backward_steps(out, names):
    """Run ``out``'s backward pass one gate at a time.

    Returns a list of (nodes, current_gate_name, text): step 0 is the forward pass only,
    step k shows the gradients known after the k-th gate has passed its gradient back.
    """
    order = topological_order(out)
    for v in order:
        v.grad = 0.0
    known, fired = {id(out)}, set()
    out.grad = 1.0
    gates = [v for v in reversed(order) if v._prev]

    def snapshot():
        nodes, values = _graph(out, names)
        ids = {}
        for n, v in zip(nodes, values):
            ids[n["name"]] = v
            if id(v) not in known:
                n["grad"] = None
            if id(v) not in fired:
                n["input_grads"] = None
        return nodes, ids

    nodes, _ = snapshot()
    steps = [
        (
            nodes,
            None,
            "forward pass: values flow left to right; the output's gradient "
            "is df/df = 1",
        )
    ]
    for gate in gates:
        gate._backward()
        fired.add(id(gate))
        known.update(id(c) for c in gate._prev)
        nodes, ids = snapshot()
        current = next(name for name, v in ids.items() if v is gate)
        label = next(n["label"] for n in nodes if n["name"] == current)
        ins = [c for c in gate._prev if c in ids.values()]
        local = ", ".join(
            f"{c.grad / gate.grad:.2f}" if gate.grad else "0" for c in ins
        )
        steps.append(
            (
                nodes,
                current,
                f"gate '{label}': upstream {gate.grad:.2f} × local "
                f"[{local}] → inputs get " + ", ".join(f"{c.grad:.2f}" for c in ins),
            )
        )
    return steps


def sigmoid_neuron_figure(w=(2.0, -3.0, -3.0), x=(-1.0, -2.0), ax=None):
    """Static figure: the sigmoid neuron with every forward value and every gradient."""
    out, names = sigmoid_neuron(w, x)
    out.backward()
    return draw_graph(
        graph_from_value(out, names),
        ax=ax,
        title="sigmoid neuron: values forward (above), gradients ∂ back (below)",
    )


def sigmoid_neuron_stepper(w=(2.0, -3.0, -3.0), x=(-1.0, -2.0)):
    """Widget: a slider that runs the neuron's backward pass one gate at a time."""
    import ipywidgets as widgets

    out, names = sigmoid_neuron(w, x)
    steps = backward_steps(out, names)

    def show(step=0):
        nodes, current, text = steps[step]
        draw_graph(
            nodes,
            highlight=(current,) if current else (),
            title=f"step {step} of {len(steps) - 1}",
            caption=text,
        )
        plt.show()

    return widgets.interactive(
        show,
        step=widgets.IntSlider(
            min=0, max=len(steps) - 1, value=0, description=_("step")
        ),
    )


def backward_steps_figure(w=(2.0, -3.0, -3.0), x=(-1.0, -2.0), which=(0, 1, 4, 8)):
    """Static version of the stepper: a few steps of the backward pass, one under the
    other."""
    out, names = sigmoid_neuron(w, x)
    steps = backward_steps(out, names)
    # each panel as tall as draw_graph's own figure, so the panels are drawn at its
    # scale
    fig, axes = plt.subplots(len(which), 1, figsize=(MAX_WIDTH, 4.9 * len(which)))
    for ax, k in zip(np.atleast_1d(axes), which):
        nodes, current, text = steps[k]
        draw_graph(
            nodes,
            ax=ax,
            highlight=(current,) if current else (),
            title=f"step {k} of {len(steps) - 1}",
            caption=text,
        )
    fig.tight_layout()
    return fig
