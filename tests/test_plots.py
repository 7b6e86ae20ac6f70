import io

import numpy as np
from PIL import Image

from nnlib import MLP, datasets
from nnlib.plots import (
    BoundaryPlot,
    FastFigure,
    grid,
    new_figure,
    plot_activations,
    plot_decision_boundary,
    plot_loss_curve,
)


def test_grid_covers_the_data_with_a_margin():
    X = np.array([[0.0, -1.0], [2.0, 3.0]])
    points, extent = grid(X, resolution=5, margin=0.5)
    assert points.shape == (25, 2)
    assert extent == (-0.5, 2.5, -1.5, 3.5)
    assert np.allclose(points[0], [-0.5, -1.5]) and np.allclose(points[-1], [2.5, 3.5])


def make_plot(X, y, resolution=40):
    fig = new_figure()
    plot = BoundaryPlot(fig.add_subplot(), X, y, resolution)
    return plot, FastFigure(fig, plot.moving)


def test_boundary_lies_on_the_line_where_z_is_zero():
    X, y = datasets.logic_gate("and")
    plot, _ = make_plot(X, y)
    w, b = np.array([2.0, 1.0]), -2.5
    z = plot.points @ w + b
    plot.update(1 / (1 + np.exp(-z)), title="t")
    segments = np.concatenate(plot.boundary.get_segments())
    assert len(segments) > 10
    assert np.allclose(segments @ w + b, 0, atol=1e-6)
    assert plot.title.get_text() == "t"


def test_several_classes_blend_colours_and_draw_every_border():
    X, y = datasets.blobs(60, centers=3)
    plot, _ = make_plot(X, y)
    angles = np.arctan2(plot.points[:, 1], plot.points[:, 0])
    probs = np.stack([np.cos(angles - a) for a in (0, 2, 4)], axis=1)
    probs = np.exp(5 * probs) / np.exp(5 * probs).sum(axis=1, keepdims=True)
    plot.update(probs)
    assert plot.image.get_array().shape == (40, 40, 3)
    assert len(plot.boundary.get_segments()) >= 3


def test_fast_figure_png_changes_with_the_data_and_is_repeatable():
    X, y = datasets.moons(40)
    plot, figure = make_plot(X, y)
    plot.update(np.linspace(0, 1, 1600))
    first = figure.png()
    plot.update(np.linspace(1, 0, 1600))
    second = figure.png()
    plot.update(np.linspace(0, 1, 1600))
    assert first.startswith(b"\x89PNG") and first != second and figure.png() == first
    width, height = Image.open(io.BytesIO(first)).size
    assert (width, height) == (512, 320)  # 6.4 x 4 inches at 80 dpi


def test_plot_decision_boundary_shows_the_model_output():
    X, y = datasets.moons(60)
    net = MLP([2, 4, 1], seed=0)
    ax = plot_decision_boundary(net.forward, X, y, resolution=30)
    image = ax.images[0].get_array()
    assert image.shape == (30, 30)
    points, _ = grid(X, 30)
    assert np.allclose(image.ravel(), net.forward(points)[:, 0])


def test_plot_activations_draws_function_and_derivative():
    fig = plot_activations(["sigmoid", "relu"])
    sigmoid_ax = fig.axes[0]
    f_line, df_line = sigmoid_ax.lines[:2]
    assert np.isclose(f_line.get_ydata()[200], 0.5) and np.isclose(df_line.get_ydata()[200], 0.25)


def test_plot_loss_curve_numbers_epochs_from_one():
    ax = plot_loss_curve([0.9, 0.5, 0.2])
    line = ax.lines[0]
    assert list(line.get_xdata()) == [1, 2, 3] and list(line.get_ydata()) == [0.9, 0.5, 0.2]
    assert ax.get_xlabel() == "epoch"


def test_network_diagram_shows_weights_and_activations():
    from nnlib.plots import plot_network

    net = MLP([2, 3, 1], activation="sigmoid", seed=0)
    ax = plot_network(net, x=[0.0, 1.0])
    edges = ax.collections[0]
    assert len(edges.get_segments()) == 2 * 3 + 3 * 1
    widths = edges.get_linewidths()
    w = np.concatenate([W.ravel() for W in net.weights])
    assert np.argmax(widths) == np.argmax(np.abs(w))  # the thickest edge is the biggest weight
    nodes = ax.collections[1]
    expected = np.concatenate([a[0] for a in net.forward_all(np.array([[0.0, 1.0]]))[1]])
    assert np.allclose(nodes.get_array(), expected)
    assert nodes.get_offsets()[0][1] > nodes.get_offsets()[1][1]  # input 1 is drawn above input 2


def test_png_bytes_are_lossless_and_repeatable():
    from nnlib.plots.fast import png_bytes

    pixels = np.random.default_rng(0).integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
    png = png_bytes(pixels)
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(png)).convert("RGB")), pixels[..., :3])
    assert png == png_bytes(pixels.copy()) == png_bytes(np.ascontiguousarray(pixels[..., :3]))


def test_fast_figure_keeps_backgrounds_it_has_drawn():
    X, y = datasets.moons(40)
    plot, figure = make_plot(X, y)
    plot.update(np.linspace(0, 1, 1600))
    first = figure.png()
    figure.use_background("dark")
    plot.ax.set_xlabel("another label")  # another look
    second = figure.png()
    assert second != first
    drawn = []
    original = figure.canvas.draw
    figure.canvas.draw = lambda: (drawn.append(1), original())
    figure.use_background(None)
    plot.ax.set_xlabel("$x_1$")
    assert figure.png() == first
    figure.use_background("dark")
    plot.ax.set_xlabel("another label")
    assert figure.png() == second and drawn == []  # coming back to a look costs no drawing


def test_pixel_heatmap_fills_the_axes_and_resamples_smoothly():
    from nnlib.plots import HEATMAP
    from nnlib.plots.pixels import PixelHeatmap, axes_box, resize_matrix

    M = resize_matrix(8, 3)
    assert np.allclose(M.sum(axis=1), 1) and M[0, 0] > 0.5 and M[-1, -1] > 0.5  # rows average neighbours
    assert np.array_equal(resize_matrix(4, 2, nearest=True).sum(axis=1), np.ones(4))
    fig = new_figure()
    ax = fig.add_subplot()
    heatmap = PixelHeatmap(ax, HEATMAP, 2)
    figure = FastFigure(fig, [], underlays=[heatmap])
    heatmap.set_data(np.array([[0.0, 0.0], [1.0, 1.0]]))  # bottom row class 0 (orange), top row class 1 (blue)
    pixels = np.asarray(Image.open(io.BytesIO(figure.png())).convert("RGB"))
    top, left, h, w = axes_box(ax)
    assert tuple(pixels[top + 1, left + w // 2]) == tuple(HEATMAP(1.0 - 0.5 / h, bytes=True)[:3]) or \
        np.allclose(pixels[top + 1, left + w // 2], HEATMAP(1.0, bytes=True)[:3], atol=3)
    assert np.allclose(pixels[top + h - 1, left + w // 2], HEATMAP(0.0, bytes=True)[:3], atol=3)


def test_network_mosaic_paints_one_thumbnail_per_neuron():
    from nnlib.plots.network_view import NetworkMosaic

    fig = new_figure(4, 3)
    fig.set_layout_engine("none")
    mosaic = NetworkMosaic(fig.add_axes((0, 0, 1, 1)))
    mosaic.set_layout([2, 3, 1], ["x1", "x2"], ["features", "3 neurons", "output"])
    s = mosaic.size
    weights = [np.ones((2, 3)), -np.ones((3, 1))]
    pictures = [np.zeros((2, s, s)), np.ones((3, s, s)), np.full((1, s, s), 0.5)]
    mosaic.update(weights, pictures, [(0, 1)] * 3, chosen=(1, 2))
    assert len(mosaic.edges.get_segments()) == 2 * 3 + 3 * 1
    for layer, value in [(0, 0.0), (1, 1.0), (2, 0.5)]:
        for x, y in mosaic.centres[layer].astype(int):
            assert np.allclose(mosaic.pixels[y, x, :3], HEATMAP_BYTES(value), atol=1)
    x, y = mosaic.centres[1][2].astype(int)
    assert (mosaic.pixels[y - s // 2 - 2, x] == [0, 0, 0, 255]).all()  # the chosen one is framed black


def HEATMAP_BYTES(value):
    from nnlib.plots import HEATMAP

    return np.array(HEATMAP(value, bytes=True)[:3])


def test_a_painted_heatmap_leaves_missing_numbers_white_as_imshow_does():
    from nnlib.plots import HEATMAP
    from nnlib.plots.fast import FastFigure, new_figure
    from nnlib.plots.pixels import PixelHeatmap

    fig = new_figure(3, 3)
    ax = fig.add_subplot()
    heatmap = PixelHeatmap(ax, HEATMAP, 4)
    values = np.zeros((4, 4))
    values[:, :2] = np.nan  # the left half has no numbers
    heatmap.set_data(values, (0, 1))
    pixels = FastFigure(fig, [heatmap]).render()
    top, left, h, w = heatmap.box
    region = pixels[top:top + h, left:left + w, :3]
    assert (region[:, : w // 3] == 255).all()  # white where there is nothing
    assert (region[:, -(w // 3):] == HEATMAP(0.0, bytes=True)[:3]).all()  # the colour of 0 elsewhere
