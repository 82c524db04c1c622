"""Chapter 5's graph drawings: layout, folding of constants, and the step-through backward pass."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from utils.reference import Value  # noqa: E402
from utils.widgets import graphs  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_graph_from_value_folds_constants_into_gate_labels():
    out, names = graphs.sigmoid_neuron()
    out.backward()
    nodes = graphs.graph_from_value(out, names)
    labels = [n["label"] for n in nodes]
    assert labels.count("*") == 2 and labels.count("+") == 2
    assert {"*-1", "exp", "+1", "1/x"} <= set(labels)
    assert len(nodes) == 5 + 8  # five inputs, eight gates, no constant leaves
    by_name = {n["name"]: n for n in nodes}
    assert np.allclose([by_name[k]["grad"] for k in ("w0", "x0", "w1", "x1", "w2")],
                       [-0.20, 0.39, -0.39, -0.59, 0.20], atol=0.005)
    assert round(nodes[-1]["value"], 2) == 0.73


def test_backward_steps_end_with_the_full_gradients():
    out, names = graphs.sigmoid_neuron()
    steps = graphs.backward_steps(out, names)
    assert len(steps) == 9  # the forward pass plus one step per gate
    first_nodes, current, _ = steps[0]
    assert current is None
    assert [n["name"] for n in first_nodes if n["grad"] is not None] == [first_nodes[-1]["name"]]
    _, current, text = steps[1]
    assert "1/x" in text and "-0.53" in text
    last_nodes, _, _ = steps[-1]
    assert all(n["grad"] is not None for n in last_nodes)
    reference, ref_names = graphs.sigmoid_neuron()
    reference.backward()
    for name, v in ref_names.items():
        assert np.isclose(next(n["grad"] for n in last_nodes if n["name"] == name), v.grad)


def test_draw_graph_handles_hand_built_graphs_and_a_diamond():
    graph = [graphs.node("x", value=3.0, grad=-8.0), graphs.node("y", value=-4.0, grad=6.0),
             graphs.node("q", "*", ["x", "y"], value=-12.0, grad=2.0)]
    ax = graphs.draw_graph(graph, title="t", highlight=("q",))
    assert ax.get_title() == "t"
    texts = {t.get_text() for t in ax.texts}
    assert {"3.00", "-8.00", "-12.00", "2.00", "*"} <= texts
    x = Value(0.5)
    a = x.tanh()
    f = (a + 2) * a
    f.backward()
    ax = graphs.draw_graph(graphs.graph_from_value(f, {"x": x}))
    assert sum(t.get_text() == f"{a.grad:.2f}" for t in ax.texts) == 2  # both edges leaving a


def test_static_figures_and_widget_build():
    assert graphs.sigmoid_neuron_figure() is not None
    fig = graphs.backward_steps_figure()
    assert len(fig.axes) == 4
    widget = graphs.sigmoid_neuron_stepper()
    assert widget.children[0].max == 8
