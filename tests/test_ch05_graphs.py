"""Chapter 5's graph drawings: layout, folding of constants, and the step-through
backward pass."""

import numpy as np

from tests.helpers import quiz
from utils.reference import Value
from utils.widgets import graphs


def test_graph_from_value_folds_constants_into_gate_labels():
    out, names = graphs.sigmoid_neuron()
    out.backward()
    nodes = graphs.graph_from_value(out, names)
    labels = [n["label"] for n in nodes]
    assert labels.count("*") == 2 and labels.count("+") == 2
    assert {"*-1", "exp", "+1", "1/x"} <= set(labels)
    assert len(nodes) == 5 + 8  # five inputs, eight gates, no constant leaves
    by_name = {n["name"]: n for n in nodes}
    assert np.allclose(
        [by_name[k]["grad"] for k in ("w0", "x0", "w1", "x1", "w2")],
        [-0.20, 0.39, -0.39, -0.59, 0.20],
        atol=0.005,
    )
    assert round(nodes[-1]["value"], 2) == 0.73


def test_backward_steps_end_with_the_full_gradients():
    out, names = graphs.sigmoid_neuron()
    steps = graphs.backward_steps(out, names)
    assert len(steps) == 9  # the forward pass plus one step per gate
    first_nodes, current, _ = steps[0]
    assert current is None
    assert [n["name"] for n in first_nodes if n["grad"] is not None] == [
        first_nodes[-1]["name"]
    ]
    _, current, text = steps[1]
    assert "1/x" in text and "-0.53" in text
    last_nodes, _, _ = steps[-1]
    assert all(n["grad"] is not None for n in last_nodes)
    reference, ref_names = graphs.sigmoid_neuron()
    reference.backward()
    for name, v in ref_names.items():
        assert np.isclose(
            next(n["grad"] for n in last_nodes if n["name"] == name), v.grad
        )


def test_draw_graph_handles_hand_built_graphs_and_a_diamond():
    graph = [
        graphs.node("x", value=3.0, grad=-8.0),
        graphs.node("y", value=-4.0, grad=6.0),
        graphs.node("q", "*", ["x", "y"], value=-12.0, grad=2.0),
    ]
    ax = graphs.draw_graph(graph, title="t", highlight=("q",))
    assert ax.get_title() == "t"
    texts = {t.get_text() for t in ax.texts}
    # values plain, gradients marked "∂" (a second cue besides colour)
    assert {"3.00", "∂ -8.00", "-12.00", "∂ 2.00", "*"} <= texts
    x = Value(0.5)
    a = x.tanh()
    f = (a + 2) * a
    f.backward()
    nodes = graphs.graph_from_value(f, {"x": x})
    ax = graphs.draw_graph(nodes)
    texts = [t.get_text() for t in ax.texts]
    # a feeds "+2" and "*": each edge carries its own contribution, a and a + 2, and the
    # node carries their sum, a's gradient; no edge shows the total
    assert np.isclose(a.grad, a.data + (a.data + 2))
    assert f"∂ {a.data:.2f}" in texts and f"∂ {a.data + 2:.2f}" in texts
    assert ("0.46", "2.46") == (f"{a.data:.2f}", f"{a.data + 2:.2f}")
    assert texts.count(f"sum ∂ {a.grad:.2f}") == 1 and f"∂ {a.grad:.2f}" not in texts
    product = nodes[-1]
    assert product["label"] == "*" and np.allclose(
        product["input_grads"], [a.data, a.data + 2]
    )


def test_backward_steps_hide_edge_contributions_until_the_gate_fires():
    out, names = graphs.sigmoid_neuron()
    steps = graphs.backward_steps(out, names)
    assert all(n["input_grads"] is None for n in steps[0][0])
    assert all(n["input_grads"] is not None for n in steps[-1][0] if n["inputs"])


def test_static_figures_and_widget_build():
    assert graphs.sigmoid_neuron_figure() is not None
    fig = graphs.backward_steps_figure()
    assert len(fig.axes) == 4
    widget = graphs.sigmoid_neuron_stepper()
    assert widget.children[0].max == 8


# --------------------------------------------------------------------------------------
# The numeric answers of chapter 5's quiz, computed with the course's engine
# --------------------------------------------------------------------------------------


def _values(question):
    return {a["value"]: a for a in question["answers"] if a["type"] == "value"}


def test_quiz_df_dz_of_x_plus_y_times_z():
    question = next(q for q in quiz(5) if q["question"].startswith("f = (x + y) z"))
    x, y, z = Value(-2.0), Value(5.0), Value(-4.0)
    f = (x + y) * z
    f.backward()
    answers = _values(question)
    correct = [v for v, a in answers.items() if a["correct"]]
    assert correct == [z.grad] == [3.0]
    assert f"q = x + y = {(x + y).data:g}" in answers[3]["feedback"]
    assert (
        answers[-4]["feedback"].startswith("That is ∂f/∂x") and x.grad == y.grad == -4.0
    )
    assert f.data == -12.0 and -12 in answers
    assert 1 in answers  # the output's own gradient, df/df


def test_quiz_one_over_x_gate():
    question = next(q for q in quiz(5) if q["question"].startswith("The 1/x gate"))
    x = Value(1.37)
    out = x**-1
    out.backward()
    answers = _values(question)
    correct = [v for v, a in answers.items() if a["correct"]]
    assert correct == [round(x.grad, 2)] == [-0.53]
    assert round(out.data, 2) in answers and -round(x.grad, 2) in answers
    assert "≈ −0.53" in answers[-0.53]["feedback"]
